// The fetch pipeline against a real HTTP server on 127.0.0.1: conditional requests, errors,
// redirects, compression, charsets, limits and timeouts. Everything is stored in a real archive.

#include "decode/charset.hpp"
#include "fetch/http_client.hpp"
#include "tests/support/archive_sql.hpp"
#include "util/compression.hpp"

#include <brotli/encode.h>
#include "pipeline/fetch_pipeline.hpp"
#include "store/archive_reader.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace archiver {
namespace {

using testing::Request;
using testing::Response;
using testing::TestServer;

// A union CMS article page; `hits` is the 点击量 counter that changes on every visit.
std::string cms_page(const std::string& second_paragraph, int hits) {
  return R"(<!DOCTYPE html><html><head><meta charset="utf-8"><title>职工疗休养活动启动_某市工会网</title></head>
<body><div class="nav"><a href="/">首页</a><a href="/news/">工会动态</a></div>
<div class="main"><h1 class="title">职工疗休养活动启动</h1>
<div class="info">发布时间:2024-04-02 09:15 &nbsp; 点击量:)" +
         std::to_string(hits) + R"( &nbsp; 来源:市总工会</div>
<div id="zoom"><p>　　4月1日，市总工会2024年度劳模和一线职工疗休养活动正式启动，首批80名职工参加。</p>
<p>　　)" +
         second_paragraph + R"(</p><p>(张磊)</p></div>
<div class="related">相关阅读<ul><li><a href="/n/)" +
         std::to_string(hits) + R"(.html">第)" + std::to_string(hits) +
         R"(条工会新闻动态推荐阅读</a></li></ul></div></div>
<div class="footer">联系我们 | 网站地图 备案号:蜀ICP备2021007964号-1</div></body></html>)";
}

// A 版面 of an e-paper on the 安徽工人日报 platform listing `articles` of its articles in its
// 标题导航, each with a 摘要; noise around it as such pages carry.
std::string epaper_node(int articles) {
  std::string titles;
  for (int n = 1; n <= articles; ++n) {
    titles +=
        "<li><a class=\"nav-tit\" href=\"content_8100_" + std::to_string(n) + ".html\">第" +
        std::to_string(n) +
        "篇：职工技能竞赛点燃创新热情</a><p class=\"nav-abs\">摘要:各地工会组织职工开展岗位练兵"
        "和技能比武，一批技术能手脱颖而出。</p></li>\n";
  }
  return R"(<!DOCTYPE html><html><head><meta charset="utf-8"><title>第01版:要闻-安徽工人日报</title>
<script>var _hmt = _hmt || [];</script></head>
<body><div class="paper-head"><div class="logo-name">安徽工人日报社</div>
<span class="paper-date" id="paperDate">2024-05-06</span></div>
<div class="paper-left"><div class="page-nav"><h3 class="box-tit">版面导航</h3><ul id="pageNav">
<li class="on"><a class="page-tit" href="node_01.html">第01版:要闻</a><a class="page-pdf" href="/pdf/2024-05-06/01.pdf">PDF</a></li>
<li><a class="page-tit" href="node_02.html">第02版:工会新闻</a><a class="page-pdf" href="/pdf/2024-05-06/02.pdf">PDF</a></li>
</ul></div><div class="title-nav"><h3 class="box-tit">标题导航</h3><ul id="titleNav">)" +
         titles + R"(</ul></div></div>
<div class="paper-right"><div class="page-bar"><span class="page-name">第01版:要闻</span>
<span class="page-issue">期次:第8100期</span></div></div>
<div class="paper-foot">安徽工人日报社版权所有 访问量:10234</div></body></html>)";
}

const std::string k_second = "疗休养活动分批进行，全年计划安排职工1200人次，重点向一线职工倾斜。";

struct Fixture {
  testing::TempDir dir;
  Settings settings;
  std::unique_ptr<ArchiveWriter> writer;
  std::unique_ptr<FetchPipeline> pipeline;

  Fixture() {
    settings.user_agent = "archiver-test/1.0";
    settings.fetch.timeout = std::chrono::seconds(5);
    settings.fetch.connect_timeout = std::chrono::seconds(2);
    writer = std::make_unique<ArchiveWriter>(dir / "archive.db");
    pipeline = std::make_unique<FetchPipeline>(settings, *writer);
  }

  FetchReport fetch(const std::string& url) { return pipeline->fetch_url(url); }

  std::int64_t count(const std::string& sql) {
    auto tables = testing::archive_sql(dir / "archive.db");
    auto statement = tables.prepare(sql);
    REQUIRE(statement.step());
    return statement.column_int(0);
  }
};

}  // namespace

TEST_SUITE("integration/fetch") {
  TEST_CASE("200 then 304 on If-None-Match: not-modified, no new bytes, one version") {
    TestServer server;
    server.route("/a.html", [](const Request& request) {
      Response response;
      if (request.header("if-none-match") == "\"v1\"") {
        response.status = 304;
        response.headers = {{"ETag", "\"v1\""}};
        return response;
      }
      response.headers = {{"Content-Type", "text/html; charset=utf-8"}, {"ETag", "\"v1\""}};
      response.body = cms_page(k_second, 10);
      return response;
    });
    Fixture fixture;
    const auto first = fixture.fetch(server.url("/a.html"));
    CHECK(first.outcome == Outcome::created);
    CHECK(first.http_status == 200);
    REQUIRE(first.articles.size() == 1);
    CHECK(first.articles[0].article.title == "职工疗休养活动启动");
    CHECK(first.articles[0].article.published == "2024-04-02T09:15+08:00");
    CHECK(first.articles[0].article.source == "市总工会");
    CHECK(first.articles[0].article.author == "张磊");
    CHECK(first.articles[0].article.body.size() == 2);

    const auto second = fixture.fetch(server.url("/a.html"));
    CHECK(second.outcome == Outcome::not_modified);
    CHECK(second.http_status == 304);
    REQUIRE(second.articles.size() == 1);
    CHECK(second.articles[0].version == 1);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].header("if-none-match").empty());
    CHECK(requests[1].header("if-none-match") == "\"v1\"");
    CHECK(requests[1].header("user-agent") == "archiver-test/1.0");
    CHECK(fixture.count("SELECT count(*) FROM bodies") == 1);
    CHECK(fixture.count("SELECT count(*) FROM versions") == 1);
    CHECK(fixture.count("SELECT count(*) FROM fetches WHERE outcome = 'not-modified'") == 1);
  }

  TEST_CASE("a 版面 answered 304 gives the links read when it was stored, not read again") {
    TestServer server;
    server.route("/paper/2024-05/06/node_01.html", [](const Request& request) {
      Response response;
      response.headers = {{"ETag", "\"b1\""}};
      if (request.header("if-none-match") == "\"b1\"") {
        response.status = 304;
        return response;
      }
      response.headers.emplace_back("Content-Type", "text/html");
      response.body = epaper_node(2);
      return response;
    });
    Fixture fixture;
    SiteSettings site;
    site.name = "ahgrrb";
    site.parser = ParserKind::epaper;
    const FetchContext context{.want_links = true, .site = &site};
    const std::string url = server.url("/paper/2024-05/06/node_01.html");
    const auto fetch = [&] { return fixture.pipeline->fetch_url(url, context); };
    // What reading the stored page gives from now on: the page as if it listed `articles`.
    const auto store_instead = [&](int articles) {
      auto db = testing::archive_sql_to_change(fixture.dir / "archive.db");
      auto change =
          db.prepare("UPDATE bodies SET data = ?1 WHERE id = (SELECT body_id FROM pages)");
      change.bind_blob(1, zstd_compress(epaper_node(articles))).run();
    };

    const auto first = fetch();
    CHECK(first.http_status == 200);
    REQUIRE(first.headlines.size() == 2);
    CHECK(first.headlines[1].url == server.url("/paper/2024-05/06/content_8100_2.html"));
    REQUIRE(first.headlines[1].summary);
    CHECK(first.headlines[1].summary->find("一批技术能手脱颖而出") != std::string::npos);
    REQUIRE(first.pages.size() == 2);
    CHECK(first.edition.issue == "8100");
    CHECK(fixture.count("SELECT count(*) FROM page_links") == 1);

    // The 304 takes the links kept: read again, the stored page would list three.
    store_instead(3);
    const auto second = fetch();
    CHECK(second.outcome == Outcome::not_modified);
    REQUIRE(second.headlines.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(second.headlines[i].title == first.headlines[i].title);
      CHECK(second.headlines[i].url == first.headlines[i].url);
      CHECK(second.headlines[i].summary == first.headlines[i].summary);
    }
    REQUIRE(second.pages.size() == 2);
    CHECK(second.pages[1].url == first.pages[1].url);
    CHECK(second.pages[1].title == "第02版:工会新闻");
    CHECK(second.edition.edition == first.edition.edition);
    CHECK(second.edition.page == first.edition.page);
    CHECK(second.edition.issue == first.edition.issue);

    // Other selectors read the page otherwise: it is read again, and what it gave is kept.
    site.selectors["title"] = "h1.art-title";
    CHECK(fetch().headlines.size() == 3);
    store_instead(1);
    CHECK(fetch().headlines.size() == 3);

    // Links kept for other bytes than the page's stored body are not taken.
    {
      auto db = testing::archive_sql_to_change(fixture.dir / "archive.db");
      db.execute("UPDATE page_links SET body_sha256 = 'an older body'");
    }
    CHECK(fetch().headlines.size() == 1);
    CHECK(fixture.count("SELECT count(*) FROM bodies") == 1);
    CHECK(fixture.count("SELECT count(*) FROM fetches WHERE outcome = 'not-modified'") == 4);
  }

  TEST_CASE("304 on If-Modified-Since when the server only gives Last-Modified") {
    TestServer server;
    const std::string stamp = "Tue, 02 Apr 2024 01:15:00 GMT";
    server.route("/lm.html", [&](const Request& request) {
      Response response;
      if (request.header("if-modified-since") == stamp) {
        response.status = 304;
        return response;
      }
      response.headers = {{"Last-Modified", stamp}};
      response.body = cms_page(k_second, 1);
      return response;
    });
    Fixture fixture;
    CHECK(fixture.fetch(server.url("/lm.html")).outcome == Outcome::created);
    CHECK(fixture.fetch(server.url("/lm.html")).outcome == Outcome::not_modified);
    CHECK(server.requests().back().header("if-modified-since") == stamp);
  }

  TEST_CASE("a changing view counter and related list make no version, an edit does") {
    TestServer server;
    std::atomic<int> hits{2432};
    std::atomic<bool> edited{false};
    server.route("/c.html", [&](const Request&) {
      Response response;
      response.body = cms_page(
          edited ? "疗休养活动分批进行，全年计划安排职工1500人次，重点向一线职工倾斜。" : k_second,
          hits++);
      return response;
    });
    Fixture fixture;
    CHECK(fixture.fetch(server.url("/c.html")).outcome == Outcome::created);
    const auto again = fixture.fetch(server.url("/c.html"));
    CHECK(again.outcome == Outcome::unchanged);
    CHECK(fixture.count("SELECT count(*) FROM versions") == 1);
    // The counter changed the bytes but not the content: no new bytes are stored.
    CHECK(fixture.count("SELECT count(*) FROM bodies") == 1);
    edited = true;
    const auto changed = fixture.fetch(server.url("/c.html"));
    CHECK(changed.outcome == Outcome::changed);
    REQUIRE(changed.articles.size() == 1);
    CHECK(changed.articles[0].version == 2);
    CHECK(changed.articles[0].article.body[1].find("1500") != std::string::npos);
    CHECK(fixture.count("SELECT count(*) FROM versions") == 2);
  }

  TEST_CASE("identical bytes re-fetched store nothing new but move last_seen") {
    TestServer server;
    server.route("/same.html", [](const Request&) {
      Response response;
      response.body = cms_page(k_second, 7);
      return response;
    });
    Fixture fixture;
    fixture.fetch(server.url("/same.html"));
    const auto bodies = fixture.count("SELECT count(*) FROM bodies");
    const auto bytes = fixture.count("SELECT sum(length(data)) FROM bodies");
    CHECK(fixture.fetch(server.url("/same.html")).outcome == Outcome::unchanged);
    CHECK(fixture.count("SELECT count(*) FROM bodies") == bodies);
    CHECK(fixture.count("SELECT sum(length(data)) FROM bodies") == bytes);
    // last_seen is the second fetch's time (whether or not the clock has turned a second).
    CHECK(fixture.count("SELECT count(*) FROM fetches") == 2);
    CHECK(fixture.count("SELECT a.last_seen = (SELECT fetched_at FROM fetches ORDER BY id DESC "
                        "LIMIT 1) FROM articles a") == 1);
    CHECK(fixture.count("SELECT v.last_seen = a.last_seen FROM versions v JOIN articles a ON "
                        "a.id = v.article_id") == 1);
  }

  TEST_CASE("404 and 500 are errors that keep what the archive holds") {
    TestServer server;
    std::atomic<int> status{200};
    server.route("/flaky.html", [&](const Request&) {
      Response response;
      response.status = status;
      response.body = status == 200 ? cms_page(k_second, 1) : "<h1>Server Error</h1>";
      return response;
    });
    Fixture fixture;
    CHECK(fixture.fetch(server.url("/flaky.html")).outcome == Outcome::created);
    for (int code : {500, 404}) {
      status = code;
      const auto report = fixture.fetch(server.url("/flaky.html"));
      CHECK(report.outcome == Outcome::error);
      CHECK(report.http_status == code);
      REQUIRE(report.error.has_value());
      CHECK(report.error->find(std::to_string(code)) != std::string::npos);
    }
    CHECK(fixture.fetch(server.url("/missing.html")).http_status == 404);
    CHECK(fixture.count("SELECT count(*) FROM versions") == 1);
    CHECK(fixture.count("SELECT count(*) FROM fetches WHERE outcome = 'error'") == 3);
    ArchiveReader reader(fixture.dir / "archive.db");
    CHECK(reader.article(server.url("/flaky.html"))->article.title == "职工疗休养活动启动");
  }

  TEST_CASE("redirects are followed up to five, file:// and loops are refused") {
    TestServer server;
    server.route("/old.html", [&](const Request&) {
      return Response{.status = 301, .headers = {{"Location", "/new.html"}}};
    });
    server.route("/new.html", [](const Request&) {
      Response response;
      response.body = cms_page(k_second, 1);
      return response;
    });
    server.route("/to-file", [](const Request&) {
      return Response{.status = 302, .headers = {{"Location", "file:///etc/passwd"}}};
    });
    server.route("/loop", [](const Request&) {
      return Response{.status = 302, .headers = {{"Location", "/loop"}}};
    });
    Fixture fixture;
    const auto moved = fixture.fetch(server.url("/old.html"));
    CHECK(moved.outcome == Outcome::created);
    REQUIRE(moved.articles.size() == 1);
    CHECK(moved.articles[0].url == server.url("/old.html"));

    const auto to_file = fixture.fetch(server.url("/to-file"));
    CHECK(to_file.outcome == Outcome::error);
    REQUIRE(to_file.error.has_value());
    CHECK(to_file.error->find("http/https") != std::string::npos);

    const auto loop = fixture.fetch(server.url("/loop"));
    CHECK(loop.outcome == Outcome::error);
    CHECK(loop.error->find("redirects") != std::string::npos);
    CHECK(server.request_count("/loop") == 6);  // the first request and five redirects

    const auto scheme = fixture.fetch("ftp://127.0.0.1/file.html");
    CHECK(scheme.outcome == Outcome::error);
    CHECK(fixture.count("SELECT count(*) FROM bodies") == 1);
  }

  TEST_CASE("a site's page that redirects out of its scope is refused") {
    TestServer server;
    server.route("/in/moved.html", [](const Request&) {
      return Response{.status = 302, .headers = {{"Location", "/elsewhere/page.html"}}};
    });
    server.route("/elsewhere/page.html",
                 [](const Request&) { return Response{.body = cms_page(k_second, 1)}; });
    Fixture fixture;
    SiteSettings site;
    site.name = "scoped";
    site.scope = {server.url("/in/")};
    site.fetch = fixture.settings.fetch;
    fixture.settings.sites.push_back(site);
    const auto report = fixture.fetch(server.url("/in/moved.html"));
    CHECK(report.outcome == Outcome::error);
    REQUIRE(report.error.has_value());
    CHECK(report.error->find("out of the site's scope") != std::string::npos);
    CHECK(fixture.count("SELECT count(*) FROM bodies") == 0);
  }

  TEST_CASE("gzip and deflate bodies are decoded before parsing") {
    TestServer server;
    server.route("/gz.html", [](const Request& request) {
      Response response;
      response.body = cms_page(k_second, 1);
      response.gzip = request.header("accept-encoding").find("gzip") != std::string::npos;
      return response;
    });
    server.route("/deflate.html", [](const Request&) {
      Response response;
      response.body = cms_page(k_second, 2);
      response.deflate = true;
      return response;
    });
    Fixture fixture;
    const auto gz = fixture.fetch(server.url("/gz.html"));
    REQUIRE(gz.articles.size() == 1);
    CHECK(gz.articles[0].article.title == "职工疗休养活动启动");
    const auto accept = server.requests().front().header("accept-encoding");
    for (const char* coding : {"gzip", "deflate", "br", "zstd"}) {
      CHECK(accept.find(coding) != std::string::npos);
    }
    const auto deflated = fixture.fetch(server.url("/deflate.html"));
    REQUIRE(deflated.articles.size() == 1);
    CHECK(deflated.articles[0].article.source == "市总工会");
  }

  TEST_CASE("brotli and zstd bodies are decoded too") {
    const std::string page = cms_page(k_second, 5);
    std::string br(BrotliEncoderMaxCompressedSize(page.size()), '\0');
    std::size_t br_size = br.size();
    REQUIRE(BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT,
                                  page.size(), reinterpret_cast<const std::uint8_t*>(page.data()),
                                  &br_size,
                                  reinterpret_cast<std::uint8_t*>(br.data())) == BROTLI_TRUE);
    br.resize(br_size);
    TestServer server;
    server.route("/br.html", [&](const Request&) {
      return Response{.headers = {{"Content-Encoding", "br"}}, .body = br};
    });
    server.route("/zstd.html", [&](const Request&) {
      return Response{.headers = {{"Content-Encoding", "zstd"}}, .body = zstd_compress(page)};
    });
    Fixture fixture;
    for (const char* path : {"/br.html", "/zstd.html"}) {
      const auto report = fixture.fetch(server.url(path));
      INFO(path);
      REQUIRE(report.articles.size() == 1);
      CHECK(report.articles[0].article.title == "职工疗休养活动启动");
    }
  }

  TEST_CASE("five redirects are followed, a sixth is refused") {
    TestServer server;
    for (int hop = 1; hop <= 6; ++hop) {
      server.route("/hop" + std::to_string(hop), [hop](const Request&) {
        return Response{.status = 302, .headers = {{"Location", "/hop" + std::to_string(hop + 1)}}};
      });
    }
    server.route("/hop7", [](const Request&) { return Response{.body = cms_page(k_second, 9)}; });
    Fixture fixture;
    const auto five = fixture.fetch(server.url("/hop2"));  // 2 -> 3 -> 4 -> 5 -> 6 -> 7
    CHECK(five.outcome == Outcome::created);
    CHECK(five.http_status == 200);
    const auto six = fixture.fetch(server.url("/hop1"));  // one more hop
    CHECK(six.outcome == Outcome::error);
    REQUIRE(six.error.has_value());
    CHECK(six.error->find("redirects") != std::string::npos);
  }

  TEST_CASE("a body that trickles in below the low-speed limit is abandoned") {
    TestServer server;
    server.route("/drip", [](const Request&) {
      return Response{.body = std::string(10'000, 'x'),
                      .mode = Response::Mode::drip,
                      .drip_interval = std::chrono::milliseconds(200)};
    });
    HttpClient client;
    FetchRequest request;
    request.url = server.url("/drip");
    request.timeout = std::chrono::seconds(30);
    request.low_speed_bytes = 100;
    request.low_speed_time = std::chrono::seconds(1);
    const auto started = std::chrono::steady_clock::now();
    const auto response = client.fetch(request);
    CHECK(response.error_kind == FetchErrorKind::timeout);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  }

  TEST_CASE("charsets: only in the header, mislabelled, and GBK-only characters") {
    const std::string text =
        cms_page("职工朱镕基、陶喆和王堃参加了疗休养活动，大家纷纷表示收获很大。", 3);
    std::string without_meta = text;
    without_meta.replace(without_meta.find("<meta charset=\"utf-8\">"), 22, "");
    const auto gbk = encode_utf8_as(without_meta, "GB18030");
    REQUIRE(gbk.has_value());
    TestServer server;
    server.route("/header-only.html", [&](const Request&) {
      return Response{.headers = {{"Content-Type", "text/html; charset=gbk"}}, .body = *gbk};
    });
    server.route("/labelled-utf8.html", [&](const Request&) {
      // A server configured for UTF-8 serving a GBK page.
      return Response{.headers = {{"Content-Type", "text/html; charset=utf-8"}}, .body = *gbk};
    });
    server.route("/gb2312-label.html", [&](const Request&) {
      std::string labelled = text;
      labelled.replace(labelled.find("utf-8"), 5, "gb2312");
      return Response{.body = *encode_utf8_as(labelled, "GB18030")};
    });
    Fixture fixture;
    const auto header = fixture.fetch(server.url("/header-only.html"));
    CHECK(header.charset == "GB18030");
    CHECK(header.charset_reason == "http-header");
    REQUIRE(header.articles.size() == 1);
    CHECK(header.articles[0].article.body[1].starts_with("职工朱镕基、陶喆和王堃"));

    const auto mislabelled = fixture.fetch(server.url("/labelled-utf8.html"));
    CHECK(mislabelled.charset == "GB18030");
    CHECK(mislabelled.charset_reason == "detected");
    REQUIRE(mislabelled.articles.size() == 1);
    CHECK(mislabelled.articles[0].article.title == "职工疗休养活动启动");

    const auto gb2312 = fixture.fetch(server.url("/gb2312-label.html"));
    CHECK(gb2312.charset_reason == "meta");
    REQUIRE(gb2312.articles.size() == 1);
    CHECK(gb2312.articles[0].article.body[1].find("镕") != std::string::npos);
  }

  TEST_CASE("a body over max_body is refused, counted after decompression") {
    TestServer server;
    server.route("/huge.html", [](const Request&) {
      return Response{.body = std::string(2 * 1024 * 1024, 'x')};
    });
    server.route("/bomb.html", [](const Request&) {
      // 8 MiB of zeros compress to a few KiB: the cap must see the decoded size.
      return Response{.body = std::string(8 * 1024 * 1024, '\0'), .gzip = true};
    });
    server.route("/endless", [](const Request&) {
      return Response{.mode = Response::Mode::endless_chunked,
                      .drip_interval = std::chrono::milliseconds(0)};
    });
    Fixture fixture;
    fixture.settings.fetch.max_body = 512 * 1024;
    for (const char* path : {"/huge.html", "/bomb.html", "/endless"}) {
      const auto report = fixture.fetch(server.url(path));
      CHECK(report.outcome == Outcome::error);
      REQUIRE(report.error.has_value());
      CHECK_MESSAGE(report.error->find("max_body") != std::string::npos, *report.error);
    }
    CHECK(fixture.count("SELECT count(*) FROM bodies") == 0);
  }

  TEST_CASE("a server that never answers times out within the configured time") {
    TestServer server;
    server.route("/hang", [](const Request&) { return Response{.mode = Response::Mode::hang}; });
    Fixture fixture;
    fixture.settings.fetch.timeout = std::chrono::milliseconds(1500);
    const auto started = std::chrono::steady_clock::now();
    const auto report = fixture.fetch(server.url("/hang"));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(report.outcome == Outcome::error);
    REQUIRE(report.error.has_value());
    CHECK_MESSAGE(report.error->find("imed out") != std::string::npos, *report.error);
    CHECK(elapsed < std::chrono::seconds(5));
  }
}

}  // namespace archiver
