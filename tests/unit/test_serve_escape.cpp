// What the web interface does with archived text before it reaches a page or a feed.

#include "serve/escape.hpp"

#include <doctest/doctest.h>

namespace archiver::serve {

TEST_SUITE("serve/escape") {
  TEST_CASE("markup renders as the characters it is made of") {
    CHECK(escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(escape_html("<img src=x onerror=\"a('b')\">") ==
          "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;");
    CHECK(escape_html("工会 & 职工") == "工会 &amp; 职工");
    CHECK(escape_html("&amp;") == "&amp;amp;");  // an entity in the archive stays text
  }

  TEST_CASE("a bidi override shows as its code point instead of reversing what follows") {
    CHECK(escape_html("报告\xE2\x80\xAEtxt.exe") == "报告&lt;U+202E&gt;txt.exe");
    CHECK(escape_html("\xE2\x81\xA6x\xE2\x81\xA9") == "&lt;U+2066&gt;x&lt;U+2069&gt;");
    CHECK(escape_html("\xE2\x80\x8F") == "&lt;U+200F&gt;");
  }

  TEST_CASE("control characters and invalid bytes become U+FFFD, line breaks stay") {
    CHECK(escape_html(std::string("a\0b", 3)) ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(escape_html("a\x1b[31mb") == "a\xEF\xBF\xBD[31mb");
    CHECK(escape_html("a\xC2\x85") == "a\xEF\xBF\xBD");  // NEL, a C1 control
    CHECK(escape_html("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(escape_html("一\n二\t三") == "一\n二\t三");
    CHECK(escape_xml("\x01\x02") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // not even allowed in XML
  }

  TEST_CASE("only absolute http and https URLs become links") {
    CHECK(link_target("https://www.ahgrb.example/a.html") == "https://www.ahgrb.example/a.html");
    CHECK(link_target("http://gyghw.example/工会/1.html") == "http://gyghw.example/工会/1.html");
    CHECK(link_target("javascript:alert(1)").empty());
    CHECK(link_target("JAVASCRIPT:alert(1)").empty());
    CHECK(link_target("data:text/html,<script>x</script>").empty());
    CHECK(link_target("//evil.example/").empty());
    CHECK(link_target("/relative").empty());
    CHECK(link_target("https://a.example/\" onmouseover=\"x").empty());
    CHECK(link_target("https://a.example/\nx").empty());
  }
}

}  // namespace archiver::serve
