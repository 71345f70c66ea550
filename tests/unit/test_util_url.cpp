#include "util/url.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("util/url") {
  TEST_CASE("links resolve against the page, as a browser does") {
    const std::string base = "http://epaper.example.cn/html/2022-02/13/node_2.htm";
    CHECK(resolve_url(base, "content_1187.htm?div=-1") ==
          "http://epaper.example.cn/html/2022-02/13/content_1187.htm?div=-1");
    CHECK(resolve_url(base, "../../../pad/html/2022-02/13/node_2.htm") ==
          "http://epaper.example.cn/pad/html/2022-02/13/node_2.htm");
    CHECK(resolve_url(base, "/index.htm") == "http://epaper.example.cn/index.htm");
    CHECK(resolve_url(base, " node_3.htm#top ") ==
          "http://epaper.example.cn/html/2022-02/13/node_3.htm");
    CHECK(resolve_url(base, "https://other.example.org/a") == "https://other.example.org/a");
  }

  TEST_CASE("plain paths resolve without curl, as curl resolves them") {
    // The short cut (a relative path of unreserved characters, no dot segment) gives what the
    // full resolution gives: against the base in normal form, its directory or its origin.
    const std::string base = "HTTP://EPaper.Example.CN:80/html/2022-02/13/node_2.htm?x=a/b#top";
    CHECK(resolve_url(base, "content_1187.htm") ==
          "http://epaper.example.cn/html/2022-02/13/content_1187.htm");
    CHECK(resolve_url(base, "sub/dir/a_b-c~d.htm") ==
          "http://epaper.example.cn/html/2022-02/13/sub/dir/a_b-c~d.htm");
    CHECK(resolve_url(base, "/node_3.htm") == "http://epaper.example.cn/node_3.htm");
    CHECK(resolve_url(base, "a//b.htm") == "http://epaper.example.cn/html/2022-02/13/a//b.htm");
    CHECK(resolve_url(base, "dir/") == "http://epaper.example.cn/html/2022-02/13/dir/");
    CHECK(resolve_url("https://h.example.cn:8443", "a.htm") == "https://h.example.cn:8443/a.htm");
    CHECK(resolve_url("http://h.example.cn/a/", "b.htm") == "http://h.example.cn/a/b.htm");
    // Not plain: curl resolves them (dot segments, escapes, a query, another host).
    CHECK(resolve_url(base, "./x/../y.htm") == "http://epaper.example.cn/html/2022-02/13/y.htm");
    CHECK(resolve_url(base, "x/..") == "http://epaper.example.cn/html/2022-02/13/");
    CHECK(resolve_url(base, "%7euser/a%2fb.htm") ==
          "http://epaper.example.cn/html/2022-02/13/~user/a%2Fb.htm");
    CHECK(resolve_url(base, "a.htm?p=1") == "http://epaper.example.cn/html/2022-02/13/a.htm?p=1");
    CHECK(resolve_url(base, "//other.example.org/a.htm") == "http://other.example.org/a.htm");
    CHECK(resolve_url(base, "new page.htm") ==
          "http://epaper.example.cn/html/2022-02/13/new%20page.htm");
    // A base that is no web page: nothing, by either way.
    CHECK(resolve_url("ftp://h.example.cn/a/", "b.htm").empty());
  }

  TEST_CASE("URLs in normal form already come back as they are, as curl gives them") {
    // A fragment sends a URL through curl (the short cut takes none) and is dropped by the
    // normal form: with and without it, the same answer.
    for (const std::string url :
         {"http://127.0.0.1:18082/html/2024-01/01/node_1.htm", "http://h.example.cn/",
          "https://h.example.cn:8443/a/b_c-d~e.htm", "http://h.example.cn:80/a.htm",
          "https://h.example.cn:443/a", "http://H.Example.cn/a.htm", "http://1.2.3.4/a",
          "http://010.1.1.1/a", "http://127.1/a", "http://h.example.cn/a/./b/../c.htm",
          "http://h.example.cn//a", "http://h.example.cn:099/a", "http://h.example.cn:65536/a",
          "http://h.example.cn", "http://h-1.example.cn/%7ea", "http://0x7f.0.0.1/a",
          "http://0x7f000001/", "http://cafe.de/a", "http://1.2.3.0x4/b"}) {
      CAPTURE(url);
      CHECK(normalize_url(url) == normalize_url(url + "#fragment"));
    }
    CHECK(normalize_url("http://127.0.0.1:18082/html/node_1.htm") ==
          "http://127.0.0.1:18082/html/node_1.htm");
    CHECK(normalize_url("http://h.example.cn:80/a.htm") == "http://h.example.cn/a.htm");
  }

  TEST_CASE("what is no web link resolves to nothing") {
    const std::string base = "http://a.example.cn/x.html";
    for (const char* href : {"", "#top", "javascript:void(0)", "mailto:a@b.cn", "tel:123",
                             "ftp://a.example.cn/file.txt", "data:text/html,hi"}) {
      CHECK(resolve_url(base, href).empty());
    }
  }

  TEST_CASE("URLs split where their parts meet, as written") {
    const auto parts = split_url("HTTP://User@Host.example:8080/a/b?x=1#top");
    REQUIRE(parts);
    CHECK(parts->scheme == "HTTP");
    CHECK(parts->authority == "User@Host.example:8080");
    CHECK(parts->rest == "/a/b?x=1#top");
    const auto bare = split_url("https://host.example?q");
    REQUIRE(bare);
    CHECK(bare->authority == "host.example");
    CHECK(bare->rest == "?q");
    CHECK(split_url("https://h")->rest.empty());
    CHECK_FALSE(split_url("mailto:a@b.cn"));
    CHECK_FALSE(split_url("/relative/path"));
  }

  TEST_CASE("an http(s) URL as typed: scheme, host, port, no spaces") {
    CHECK(split_http_url("http://epaper.example.cn/html/{yyyy}-{mm}/{dd}/node_1.htm"));
    CHECK(split_http_url("HTTPS://Example.CN:8443"));
    CHECK(split_http_url("http://[::1]:8080/"));
    CHECK_FALSE(split_http_url("http://127.0.0.1/a b"));
    CHECK_FALSE(split_http_url("ftp://example.cn/"));
    CHECK_FALSE(split_http_url("http:///path"));
    CHECK_FALSE(split_http_url("http://example.cn:80a/"));
    CHECK_FALSE(split_http_url("http://example.cn:/"));
    CHECK_FALSE(split_http_url("http://user@example.cn/"));
    CHECK_FALSE(split_http_url("http://example.cn/a\tb"));
    CHECK_FALSE(split_http_url("example.cn/news"));
  }

  TEST_CASE("http and https schemes in any case") {
    CHECK(has_http_scheme("http://a.example/"));
    CHECK(has_http_scheme("HTTPS://a.example/"));
    CHECK_FALSE(has_http_scheme("ftp://a.example/"));
    CHECK_FALSE(has_http_scheme("http:/a.example/"));
    CHECK_FALSE(has_http_scheme("httpx://a.example/"));
  }

  TEST_CASE("the path and query of a URL, without its fragment") {
    CHECK(path_and_query("http://host:8080/a/b.html?x=1#top") == "/a/b.html?x=1");
    CHECK(path_and_query("http://host") == "/");
    CHECK(path_and_query("http://host?x=1") == "/?x=1");
    CHECK(path_and_query("http://host#a/b") == "/");
  }

  TEST_CASE("hosts compare without case, user info or path") {
    CHECK(host_of("http://User@Epaper.Example.CN:8080/a/b?x#y") == "epaper.example.cn:8080");
    CHECK(host_of("https://a.example.cn") == "a.example.cn");
    CHECK(host_of("no scheme here").empty());
  }

  TEST_CASE("the normal form: case, default ports, fragments, empty paths") {
    CHECK(normalize_url("HTTP://WWW.Example.CN:80/News/A.html#top") ==
          "http://www.example.cn/News/A.html");
    CHECK(normalize_url("https://example.cn:443") == "https://example.cn/");
    CHECK(normalize_url("http://example.cn:8080/a") == "http://example.cn:8080/a");
    CHECK(normalize_url("https://example.cn:80/a") == "https://example.cn:80/a");
    CHECK(normalize_url("http://example.cn?x=1") == "http://example.cn/?x=1");
    CHECK(normalize_url("http://[::1]:8080/x") == "http://[::1]:8080/x");
    CHECK(normalize_url("  http://example.cn/a \n") == "http://example.cn/a");
  }

  TEST_CASE("percent-escapes: unreserved decoded, the rest in upper-case hex") {
    CHECK(normalize_url("http://example.cn/%7euser/%41%62%2D%5f%2e") ==
          "http://example.cn/~user/Ab-_.");
    CHECK(normalize_url("http://example.cn/a%2fb%3f?q=%e4%b8%ad") ==
          "http://example.cn/a%2Fb%3F?q=%E4%B8%AD");
    // Bytes outside ASCII and spaces are encoded as a browser sends them.
    CHECK(normalize_url("http://example.cn/新闻/a b.html") ==
          "http://example.cn/%E6%96%B0%E9%97%BB/a%20b.html");
    // Once normal, always the same.
    for (const char* url : {"http://example.cn/%E6%96%B0%E9%97%BB/a%20b.html",
                            "http://example.cn/a%2Fb%3F?q=%E4%B8%AD", "http://example.cn/"}) {
      CHECK(normalize_url(url) == url);
    }
  }

  TEST_CASE("dot segments are removed after decoding, so encoded ones cannot climb out") {
    CHECK(normalize_url("http://h.cn/a/b/../c/./d") == "http://h.cn/a/c/d");
    CHECK(normalize_url("http://h.cn/scope/%2e%2e/secret") == "http://h.cn/secret");
    CHECK(normalize_url("http://h.cn/scope/.%2e/secret") == "http://h.cn/secret");
    CHECK(normalize_url("http://h.cn/scope/%2E%2E/secret") == "http://h.cn/secret");
    CHECK(normalize_url("http://h.cn/scope/%2e%2e%2fsecret") == "http://h.cn/scope/..%2Fsecret");
    CHECK(normalize_url("http://h.cn/a/%2e/b") == "http://h.cn/a/b");
    CHECK(normalize_url("http://h.cn/../../../x") == "http://h.cn/x");
    CHECK(normalize_url("http://h.cn/a/%2e%2e") == "http://h.cn/");
    CHECK(resolve_url("http://h.cn/scope/list.html", "%2e%2e/%2E%2E/etc/x.html") ==
          "http://h.cn/etc/x.html");
  }

  TEST_CASE("only http and https have a normal form") {
    CHECK_FALSE(normalize_url("ftp://example.cn/a"));
    CHECK_FALSE(normalize_url("file:///etc/passwd"));
    CHECK_FALSE(normalize_url("not a url"));
    CHECK_FALSE(normalize_url(""));
    CHECK(normal_or_same("ftp://example.cn/a") == "ftp://example.cn/a");
  }
}

}  // namespace archiver
