#include "tests/support/fault_server.hpp"

#define ZLIB_CONST
#include <zlib.h>

#include <random>
#include <stdexcept>

namespace archiver::testing {
namespace {

constexpr std::string_view k_good_page = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>市总工会启动职工疗休养活动_某市工会网</title>
<script>var _hmt = _hmt || [];</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/site/list.html">工会动态</a></div>
<div class="main"><h1>市总工会启动职工疗休养活动</h1>
<div class="info">发布时间：2024-04-02 09:15　点击量：1024　来源：市总工会</div>
<div id="zoom"><p>　　4月1日，市总工会2024年度劳模和一线职工疗休养活动正式启动，首批80名职工参加。</p>
<p>　　疗休养活动分批进行，全年计划安排职工1200人次，重点向一线职工倾斜。</p></div>
<div class="footer">主办单位：某市总工会　备案号：蜀ICP备2021007964号-1</div></div></body></html>)";

// 1 GiB of zeros, gzip-compressed once per test run (about 1 MB).
const std::string& gzip_bomb() {
  static const std::string bomb = [] {
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("deflateInit2 failed");
    }
    const std::string zeros(std::size_t{1} << 20U, '\0');
    std::string out;
    std::string chunk(std::size_t{1} << 16U, '\0');
    for (int mebibyte = 0; mebibyte < 1024; ++mebibyte) {
      stream.next_in = reinterpret_cast<const Bytef*>(zeros.data());
      stream.avail_in = static_cast<uInt>(zeros.size());
      const int flush = mebibyte == 1023 ? Z_FINISH : Z_NO_FLUSH;
      do {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        deflate(&stream, flush);
        out.append(chunk.data(), chunk.size() - stream.avail_out);
      } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
    return out;
  }();
  return bomb;
}

std::string random_bytes(std::size_t size) {
  std::mt19937 random(20240402);  // the same bytes every run
  std::string bytes(size, '\0');
  for (auto& byte : bytes) {
    byte = static_cast<char>(random() & 0xFFU);
  }
  return bytes;
}

std::string deep_page(int levels) {
  std::string page = "<!DOCTYPE html><html><head><title>深</title></head><body>";
  page.reserve(page.size() + static_cast<std::size_t>(levels) * 11);
  for (int i = 0; i < levels; ++i) {
    page += "<div>";
  }
  page += "<p>最里面的一段文字。</p>";
  for (int i = 0; i < levels; ++i) {
    page += "</div>";
  }
  return page + "</body></html>";
}

// 50 MB on one line. Made once, before serving: built per request, a sanitized build on a busy
// machine could take longer than the client's timeout, which would then be the error seen.
const std::string& huge_line_page() {
  constexpr std::size_t bytes = 50U << 20U;
  static const std::string page = [] {
    std::string text = "<!DOCTYPE html><html><head><title>长</title></head><body><p>";
    const std::string phrase = "工会工作长一行没有换行。";
    text.reserve(bytes + phrase.size() + 32);
    while (text.size() < bytes) {
      text += phrase;
    }
    text += "</p></body></html>";
    return text;
  }();
  return page;
}

// GB18030 bytes of 工会新闻 (labelled UTF-8 by the page: the charset lies).
std::string lying_page() {
  const std::string gongh_xinwen = "\xB9\xA4\xBB\xE1\xD0\xC2\xCE\xC5";
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + gongh_xinwen +
         "</title></head><body><h1>" + gongh_xinwen + "</h1><div id=\"zoom\"><p>" + gongh_xinwen +
         gongh_xinwen + "\xA3\xAC" + gongh_xinwen + "\xA1\xA3</p></div></body></html>";
}

std::string nul_page() {
  std::string page(k_good_page);
  const auto body = page.find("　　4月1日");
  // A NUL, a lone continuation byte, a truncated 3-byte sequence and a GB18030 pair in UTF-8.
  page.insert(body, std::string("\0\x80\xE5\xB7 \xB9\xA4", 7));
  return page;
}

Response html(std::string body, int status = 200) {
  return Response{.status = status,
                  .headers = {{"Content-Type", "text/html; charset=utf-8"}},
                  .body = std::move(body)};
}

Response redirect(std::string location) {
  return Response{.status = 302, .headers = {{"Location", std::move(location)}}, .body = ""};
}

}  // namespace

const std::vector<Fault>& FaultServer::faults() {
  static const std::vector<Fault> list = {
      {"/site/500", "HTTP 500"},
      {"/site/503", "HTTP 503"},
      {"/site/429", "HTTP 429"},
      {"/site/hang", "timed out"},
      {"/site/drip", "timed out"},
      {"/site/short", "remaining"},
      {"/site/endless", "max_body"},
      {"/site/bomb", "max_body"},
      {"/site/loop", "redirects"},
      {"/site/to-file", "http/https"},
      {"/site/to-ftp", "http/https"},
      {"/site/out", "out of the site's scope"},
      {"/site/binary", "not HTML"},
      {"/site/pdf", "not HTML"},
      {"/site/image", "not HTML"},
      {"/site/deep", "nested"},
      {"/site/huge", "max_body"},
      {"/site/nul", ""},
      {"/site/liar", ""},
      {"/site/empty", "empty"},
      {"/site/big-header", "header too large"},
      {"/site/many-headers", "header too large"},
      {"/site/partial", "206"},
      {"/site/two-lengths", "two different Content-Length headers"},
  };
  return list;
}

FaultServer::FaultServer() {
  // Made before serving, so the client never waits for them.
  static_cast<void>(gzip_bomb());
  static_cast<void>(huge_line_page());
  TestServer& s = m_server;
  s.route(std::string(good_path), [](const Request&) { return html(std::string(k_good_page)); });
  s.route(std::string(list_path), [](const Request&) {
    std::string page =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>工会动态</title></head>"
        "<body><div class=\"list\"><ul>\n<li><a href=\"/site/good.html\">" +
        std::string(good_title) + "</a><span>2024-04-02</span></li>\n";
    for (const auto& fault : faults()) {
      page += "<li><a href=\"" + fault.path + "\">工会动态 " + fault.path.substr(6) +
              " 的消息</a><span>2024-04-01</span></li>\n";
    }
    return html(page + "</ul></div></body></html>");
  });
  s.route("/site/500", [](const Request&) { return html("<h1>Internal Server Error</h1>", 500); });
  s.route("/site/503", [](const Request&) {
    Response response = html("<h1>维护中</h1>", 503);
    response.headers.emplace_back("Retry-After", "1");
    return response;
  });
  s.route("/site/429", [](const Request&) {
    Response response = html("<h1>请求过于频繁</h1>", 429);
    response.headers.emplace_back("Retry-After", "1");
    return response;
  });
  s.route("/site/hang", [](const Request&) { return Response{.mode = Response::Mode::hang}; });
  s.route("/site/drip", [](const Request&) {
    return Response{.headers = {{"Content-Type", "text/html"}},
                    .body = std::string(k_good_page),
                    .mode = Response::Mode::drip,
                    .drip_interval = std::chrono::milliseconds(1000)};
  });
  s.route("/site/short", [](const Request&) {
    Response response = html(std::string(k_good_page));
    response.mode = Response::Mode::short_body;
    return response;
  });
  s.route("/site/endless", [](const Request&) {
    return Response{.headers = {{"Content-Type", "text/html"}},
                    .body = std::string(64 * 1024, 'x'),
                    .mode = Response::Mode::endless_chunked,
                    .drip_interval = std::chrono::milliseconds(0)};
  });
  s.route("/site/bomb", [](const Request&) {
    return Response{.headers = {{"Content-Type", "text/html"}, {"Content-Encoding", "gzip"}},
                    .body = gzip_bomb()};
  });
  s.route("/site/loop", [](const Request&) { return redirect("/site/loop-2"); });
  s.route("/site/loop-2", [](const Request&) { return redirect("/site/loop"); });
  s.route("/site/to-file", [](const Request&) { return redirect("file:///etc/passwd"); });
  s.route("/site/to-ftp", [](const Request&) { return redirect("ftp://127.0.0.1/pub/x.html"); });
  s.route("/site/out", [this](const Request&) { return redirect(url("/elsewhere/page.html")); });
  s.route("/elsewhere/page.html", [](const Request&) { return html(std::string(k_good_page)); });
  s.route("/site/binary", [](const Request&) { return html(random_bytes(64 * 1024)); });
  s.route("/site/pdf", [](const Request&) {
    return Response{.headers = {{"Content-Type", "application/pdf"}},
                    .body = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" +
                            random_bytes(4096)};
  });
  s.route("/site/image", [](const Request&) {
    return Response{.headers = {{"Content-Type", "image/png"}},
                    .body = "\x89PNG\r\n\x1A\n" + random_bytes(4096)};
  });
  s.route("/site/deep", [](const Request&) { return html(deep_page(200'000)); });
  s.route("/site/huge", [](const Request&) { return html(huge_line_page()); });
  s.route("/site/nul", [](const Request&) { return html(nul_page()); });
  s.route("/site/liar", [](const Request&) { return html(lying_page()); });
  s.route("/site/empty", [](const Request&) { return html(""); });
  s.route("/site/big-header", [](const Request&) {
    Response response = html(std::string(k_good_page));
    response.headers.emplace_back("Set-Cookie", "session=" + std::string(1U << 20U, 'a'));
    return response;
  });
  s.route("/site/many-headers", [](const Request&) {
    Response response = html(std::string(k_good_page));
    for (int i = 0; i < 5000; ++i) {
      response.headers.emplace_back("X-Trace-" + std::to_string(i), std::string(60, 'b'));
    }
    return response;
  });
  s.route("/site/partial", [](const Request&) {
    Response response = html(std::string(k_good_page).substr(0, 500), 206);
    response.headers.emplace_back("Content-Range",
                                  "bytes 0-499/" + std::to_string(k_good_page.size()));
    return response;
  });
  s.route("/site/two-lengths", [](const Request&) {
    const std::string page(k_good_page);
    return Response{.headers = {{"Content-Type", "text/html; charset=utf-8"},
                                {"Content-Length", std::to_string(page.size())},
                                {"Content-Length", std::to_string(page.size() + 100)}},
                    .body = page};
  });
}

}  // namespace archiver::testing
