#include "parsers/url.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("parsers/url") {
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

  TEST_CASE("what is no web link resolves to nothing") {
    const std::string base = "http://a.example.cn/x.html";
    for (const char* href : {"", "#top", "javascript:void(0)", "mailto:a@b.cn", "tel:123"}) {
      CHECK(resolve_url(base, href).empty());
    }
  }

  TEST_CASE("hosts compare without case, user info or path") {
    CHECK(host_of("http://User@Epaper.Example.CN:8080/a/b?x#y") == "epaper.example.cn:8080");
    CHECK(host_of("https://a.example.cn") == "a.example.cn");
    CHECK(host_of("no scheme here").empty());
  }
}

}  // namespace archiver
