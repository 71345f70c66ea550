// The test server is what every crawler integration test stands on, so it is checked here with
// plain libcurl, independent of the crawler's own fetch code.

#include <curl/curl.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/static_site.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

namespace {

namespace fs = std::filesystem;
using archiver::testing::Request;
using archiver::testing::Response;
using archiver::testing::TestServer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct CurlCleanup {
  void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct SlistFree {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlCleanup>;
using HeaderList = std::unique_ptr<curl_slist, SlistFree>;

struct Options {
  std::vector<std::string> headers{};            // extra request headers, "Name: value"
  std::optional<std::string> accept_encoding{};  // CURLOPT_ACCEPT_ENCODING: curl then decodes
  std::chrono::milliseconds timeout{3000};
  std::size_t max_body = 4 * 1024 * 1024;  // abort (CURLE_WRITE_ERROR) beyond this
  bool head = false;
  bool path_as_is = false;  // keep "/../" for the traversal tests
  std::optional<std::string> post{};
};

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names, of the final response
  Clock::duration elapsed{};

  [[nodiscard]] std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& reply = *static_cast<std::pair<Reply*, std::size_t>*>(user);
  if (reply.first->body.size() + size * count > reply.second) {
    return 0;
  }
  reply.first->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& reply = *static_cast<Reply*>(user);
  std::string_view line{data, size * count};
  if (line.starts_with("HTTP/")) {
    reply.headers.clear();  // a new response, e.g. after "100 Continue"
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    auto value = line.substr(colon + 1);
    value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
    value.remove_suffix(value.size() - std::min(value.find_last_not_of("\r\n") + 1, value.size()));
    reply.headers[lower(line.substr(0, colon))] = std::string{value};
  }
  return size * count;
}

// One transfer on `curl`, which may be reused to test keep-alive.
Reply perform(CURL* curl, const std::string& url, const Options& options = {}) {
  Reply reply;
  std::pair<Reply*, std::size_t> sink{&reply, options.max_body};
  HeaderList headers;
  for (const auto& header : options.headers) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "archiver-test/1");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, options.path_as_is ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING,
                   options.accept_encoding ? options.accept_encoding->c_str() : nullptr);
  if (options.post) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, options.post->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(options.post->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);  // also resets a reused handle's NOBODY
  }
  curl_easy_setopt(curl, CURLOPT_NOBODY, options.head ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
  const auto start = Clock::now();
  reply.code = curl_easy_perform(curl);
  reply.elapsed = Clock::now() - start;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Reply fetch(const std::string& url, const Options& options = {}) {
  const CurlHandle curl{curl_easy_init()};
  REQUIRE(curl);
  return perform(curl.get(), url, options);
}

Response text(std::string body) {
  Response response;
  response.headers.emplace_back("Content-Type", "text/plain");
  response.body = std::move(body);
  return response;
}

void write_file(const fs::path& file, std::string_view content) {
  fs::create_directories(file.parent_path());
  std::ofstream{file, std::ios::binary} << content;
}

const std::string page_html = "<html><body>" + std::string(2000, 'p') + "</body></html>";

// A small site under "site/", with a secret next to (not inside) it.
struct Site {
  archiver::testing::TempDir dir;
  TestServer server;

  Site() {
    write_file(dir / "secret.txt", "top secret");
    write_file(dir / "site/index.html", "<html>home</html>");
    write_file(dir / "site/page.html", page_html);
    write_file(dir / "site/gbk.html", "<html>\xc4\xe3\xba\xc3</html>");
    write_file(dir / "site/gbk.html.headers",
               "# served as GBK\nContent-Type: text/html; charset=gbk\r\nX-Extra:  yes \n\n");
    write_file(dir / "site/page.expected.json", "{}");
    write_file(dir / "site/logo.png", "\x89PNG not really");
    write_file(dir / "site/a b.txt", "spaced");
    write_file(dir / "site/sub/index.html", "<html>sub</html>");
    server.serve_directory(dir / "site");
  }
};

}  // namespace

TEST_SUITE("testing/server") {
  TEST_CASE("a route answers and the request is recorded") {
    TestServer server;
    server.route("/hello", [](const Request& request) {
      auto response = text("hi");
      response.headers.emplace_back("X-Query", request.query);
      return response;
    });
    const auto reply =
        fetch(server.url("/hello?a=1"), {.headers = {"X-Test: yes", "X-Test: again"}});
    CHECK(reply.code == CURLE_OK);
    CHECK(reply.status == 200);
    CHECK(reply.body == "hi");
    CHECK(reply.header("x-query") == "a=1");
    CHECK(reply.header("content-length") == "2");

    CHECK(server.request_count("/hello") == 1);
    CHECK(server.request_count("/other") == 0);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "GET");
    CHECK(requests[0].target == "/hello?a=1");
    CHECK(requests[0].path == "/hello");
    CHECK(requests[0].query == "a=1");
    CHECK(requests[0].headers.at("user-agent") == "archiver-test/1");
    CHECK(requests[0].header("X-Test") == "yes, again");
    CHECK(requests[0].header("host") == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(requests[0].received <= requests[0].handled);
    CHECK(requests[0].handled <= Clock::now());
    CHECK(server.handled_times("/hello") == std::vector{requests[0].handled});
    CHECK(server.handled_times("/other").empty());
  }

  TEST_CASE("unknown paths get 404, throwing handlers 500") {
    TestServer server;
    server.route("/boom", [](const Request&) -> Response { throw std::runtime_error("kaput"); });
    CHECK(fetch(server.url("/nothing")).status == 404);
    const auto reply = fetch(server.url("boom"));
    CHECK(reply.status == 500);
    CHECK(reply.body.find("kaput") != std::string::npos);
  }

  TEST_CASE("keep-alive serves several requests on one connection") {
    TestServer server;
    server.route("/a", [](const Request&) { return text("a"); });
    server.route("/b", [](const Request&) { return text("b"); });
    const CurlHandle curl{curl_easy_init()};
    REQUIRE(curl);
    CHECK(perform(curl.get(), server.url("/a")).body == "a");
    CHECK(perform(curl.get(), server.url("/b")).body == "b");
    CHECK(fetch(server.url("/a")).body == "a");
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].connection_id == requests[1].connection_id);
    CHECK(requests[1].connection_id != requests[2].connection_id);
  }

  TEST_CASE("responses can be gzip, deflate or chunked") {
    TestServer server;
    const std::string body(5000, 'z');
    server.route("/gzip", [&](const Request&) {
      auto response = text(body);
      response.gzip = true;
      return response;
    });
    server.route("/deflate", [&](const Request&) {
      auto response = text(body);
      response.deflate = true;
      return response;
    });
    server.route("/chunked", [&](const Request&) {
      auto response = text(body);
      response.chunked = true;
      return response;
    });
    const auto gzip = fetch(server.url("/gzip"), {.accept_encoding = ""});
    CHECK(gzip.header("content-encoding") == "gzip");
    CHECK(gzip.body == body);
    const auto raw = fetch(server.url("/gzip"));
    CHECK(raw.body.starts_with("\x1f\x8b"));
    CHECK(raw.body.size() < body.size());

    const auto deflate = fetch(server.url("/deflate"), {.accept_encoding = ""});
    CHECK(deflate.header("content-encoding") == "deflate");
    CHECK(deflate.body == body);

    const auto chunked = fetch(server.url("/chunked"));
    CHECK(chunked.code == CURLE_OK);
    CHECK(chunked.header("transfer-encoding") == "chunked");
    CHECK(chunked.header("content-length").empty());
    CHECK(chunked.body == body);
  }

  TEST_CASE("static files carry validators and answer conditional requests") {
    Site site;
    const auto home = fetch(site.server.url("/"));
    CHECK(home.status == 200);
    CHECK(home.body == "<html>home</html>");
    CHECK(home.header("content-type") == "text/html");

    const auto page = fetch(site.server.url("/page.html"));
    CHECK(page.body == page_html);
    const auto etag = page.header("etag");
    const auto last_modified = page.header("last-modified");
    CHECK(etag.size() > 2);
    CHECK(etag.starts_with('"'));
    CHECK(etag.ends_with('"'));
    REQUIRE(archiver::testing::parse_http_date(last_modified).has_value());

    const auto not_modified =
        fetch(site.server.url("/page.html"), {.headers = {"If-None-Match: \"other\", " + etag}});
    CHECK(not_modified.status == 304);
    CHECK(not_modified.body.empty());
    CHECK(not_modified.header("etag") == etag);
    const auto changed =
        fetch(site.server.url("/page.html"), {.headers = {"If-None-Match: \"other\""}});
    CHECK(changed.status == 200);

    CHECK(fetch(site.server.url("/page.html"), {.headers = {"If-Modified-Since: " + last_modified}})
              .status == 304);
    const auto earlier = archiver::testing::format_http_date(
        *archiver::testing::parse_http_date(last_modified) - 1h);
    const auto newer =
        fetch(site.server.url("/page.html"), {.headers = {"If-Modified-Since: " + earlier}});
    CHECK(newer.status == 200);
    CHECK(newer.body == page_html);

    const auto head = fetch(site.server.url("/page.html"), {.head = true});
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("content-length") == std::to_string(page_html.size()));
  }

  TEST_CASE("sidecar headers apply and descriptive files are never served") {
    Site site;
    const auto gbk = fetch(site.server.url("/gbk.html"));
    CHECK(gbk.status == 200);
    CHECK(gbk.header("content-type") == "text/html; charset=gbk");
    CHECK(gbk.header("x-extra") == "yes");
    CHECK(gbk.body == "<html>\xc4\xe3\xba\xc3</html>");
    CHECK(fetch(site.server.url("/gbk.html.headers")).status == 404);
    CHECK(fetch(site.server.url("/page.expected.json")).status == 404);
    CHECK(fetch(site.server.url("/missing.html")).status == 404);
    CHECK(fetch(site.server.url("/logo.png")).header("content-type") == "image/png");
  }

  TEST_CASE("text files are gzipped when the client accepts it") {
    Site site;
    const auto raw = fetch(site.server.url("/page.html"), {.headers = {"Accept-Encoding: gzip"}});
    CHECK(raw.header("content-encoding") == "gzip");
    CHECK(raw.header("vary") == "Accept-Encoding");
    CHECK(raw.body.starts_with("\x1f\x8b"));
    CHECK(raw.body.size() < page_html.size());

    const auto decoded = fetch(site.server.url("/page.html"), {.accept_encoding = ""});
    CHECK(decoded.header("content-encoding") == "gzip");
    CHECK(decoded.body == page_html);

    const auto refused =
        fetch(site.server.url("/page.html"), {.headers = {"Accept-Encoding: gzip;q=0"}});
    CHECK(refused.header("content-encoding").empty());
    CHECK(refused.body == page_html);
    CHECK(fetch(site.server.url("/page.html")).header("content-encoding").empty());
    CHECK(fetch(site.server.url("/logo.png"), {.headers = {"Accept-Encoding: gzip"}})
              .header("content-encoding")
              .empty());
  }

  TEST_CASE("paths are percent-decoded and confined to the root") {
    Site site;
    CHECK(fetch(site.server.url("/a%20b.txt")).body == "spaced");
    const auto redirect = fetch(site.server.url("/sub?x=1"));
    CHECK(redirect.status == 301);
    CHECK(redirect.header("location") == "/sub/?x=1");
    CHECK(fetch(site.server.url("/sub/")).body == "<html>sub</html>");
    for (const auto* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt",
                             "/sub/../../secret.txt"}) {
      CAPTURE(path);
      const auto reply = fetch(site.server.url(path), {.path_as_is = true});
      CHECK(reply.status == 403);
      CHECK(reply.body.find("secret") == std::string::npos);
    }
    CHECK(fetch(site.server.url("/bad%zzescape")).status == 400);
  }

  TEST_CASE("a hanging response times out on the client and does not delay shutdown") {
    std::optional<TestServer> server{std::in_place};
    server->route("/hang", [](const Request&) {
      Response response;
      response.mode = Response::Mode::hang;
      return response;
    });
    const auto timed_out = fetch(server->url("/hang"), {.timeout = 300ms});
    CHECK(timed_out.code == CURLE_OPERATION_TIMEDOUT);
    CHECK(timed_out.elapsed < 2s);

    // Another client is still waiting when the server goes away.
    Reply in_flight;
    std::thread client{[&, url = server->url("/hang")] { in_flight = fetch(url); }};
    const auto deadline = Clock::now() + 2s;
    while (server->request_count("/hang") < 2 && Clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    CHECK(server->request_count("/hang") == 2);
    const auto start = Clock::now();
    server.reset();
    CHECK(Clock::now() - start < 1s);
    client.join();
    CHECK(in_flight.code != CURLE_OK);
    CHECK(in_flight.elapsed < 2s);
  }

  TEST_CASE("drip, endless and short bodies misbehave as asked") {
    TestServer server;
    server.route("/drip", [](const Request&) {
      auto response = text("abcde");
      response.mode = Response::Mode::drip;
      response.drip_interval = 40ms;
      return response;
    });
    server.route("/flood", [](const Request& request) {
      Response response;
      response.mode = Response::Mode::endless_chunked;
      response.drip_interval = request.query == "slow" ? 20ms : 0ms;
      return response;
    });
    server.route("/short", [](const Request&) {
      auto response = text("partial");
      response.mode = Response::Mode::short_body;
      return response;
    });

    const auto drip = fetch(server.url("/drip"));
    CHECK(drip.code == CURLE_OK);
    CHECK(drip.body == "abcde");
    CHECK(drip.elapsed >= 150ms);

    const auto flood = fetch(server.url("/flood"), {.max_body = 1024 * 1024});
    CHECK(flood.code == CURLE_WRITE_ERROR);
    CHECK(flood.body.size() > 512 * 1024);
    const auto slow = fetch(server.url("/flood?slow"), {.timeout = 300ms});
    CHECK(slow.code == CURLE_OPERATION_TIMEDOUT);
    CHECK_FALSE(slow.body.empty());

    const auto truncated = fetch(server.url("/short"));
    CHECK(truncated.code == CURLE_PARTIAL_FILE);
    CHECK(truncated.body == "partial");
  }

  TEST_CASE("request bodies are recorded, oversized ones refused") {
    TestServer server;
    server.route("/post", [](const Request& request) { return text(request.body); });
    const auto small = fetch(server.url("/post"), {.post = "x=1"});
    CHECK(small.body == "x=1");
    CHECK(server.requests().at(0).method == "POST");
    const auto big = fetch(server.url("/post"), {.post = std::string(2 * 1024 * 1024, 'b')});
    CHECK(big.status == 413);
    CHECK(server.request_count("/post") == 1);
  }
}
