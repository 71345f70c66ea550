// Request targets taken apart: nothing reaches a file by a detour, and bad queries are refused
// with their reason.

#include "serve/request_target.hpp"

#include <doctest/doctest.h>

namespace archiver::serve {

TEST_SUITE("serve/request_target") {
  TEST_CASE("a path in segments and a query in fields, decoded") {
    const auto target =
        parse_target("/editions/ahgrb/2023-06-13?q=%E5%B7%A5%E4%BC%9A+%E5%8A%B3%E6%A8%A1&site=");
    REQUIRE(target);
    CHECK(target->path == std::vector<std::string>{"editions", "ahgrb", "2023-06-13"});
    CHECK(target->param("q") == "工会 劳模");
    CHECK_FALSE(target->param("site"));  // empty: as if absent
    CHECK_FALSE(target->param("until"));
    CHECK(parse_target("/")->path.empty());
    CHECK(parse_target("//sites//gyghw/")->path == std::vector<std::string>{"sites", "gyghw"});
  }

  TEST_CASE("dot segments and encoded separators are refused in every spelling") {
    for (const char* bad :
         {"/static/../etc/passwd", "/static/%2e%2e/etc", "/static/%2E%2e/etc", "/static/.%2e/x",
          "/./x", "/static/%2f..", "/static/a%2Fb", "/static/a%5cb", "/static\\..\\x",
          "/static/a%00b", "/static/%0a", "/static/%ff"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_target(bad));
    }
    // Double encoding decodes once: "%2e" stays a name, not a dot segment.
    const auto twice = parse_target("/static/%252e%252e");
    REQUIRE(twice);
    CHECK(twice->path.back() == "%2e%2e");
  }

  TEST_CASE("absolute forms, huge or malformed queries are refused with the reason") {
    CHECK_FALSE(parse_target("http://localhost/"));
    CHECK_FALSE(parse_target("*"));
    const auto huge = parse_target("/search?q=" + std::string(5000, 'a'));
    REQUIRE_FALSE(huge);
    CHECK(huge.error().find("longer than") != std::string::npos);
    CHECK_FALSE(parse_target("/search?q=" + std::string(k_max_query_value_bytes + 1, 'a')));
    std::string many = "/search?";
    for (std::size_t i = 0; i <= k_max_query_fields; ++i) {
      many += "f" + std::to_string(i) + "=1&";
    }
    CHECK(parse_target(many).error().find("more than") != std::string::npos);
    CHECK_FALSE(parse_target("/search?q=%zz"));
    CHECK_FALSE(parse_target("/search?q=%4"));
    CHECK_FALSE(parse_target("/search?q=a&q=b"));
    CHECK_FALSE(parse_target("/search?q=%C3%28"));  // invalid UTF-8
    CHECK_FALSE(parse_target("/search?q=%1b"));
  }

  TEST_CASE("percent_encode keeps unreserved characters and encodes the rest") {
    CHECK(percent_encode("工会 a&b=c") == "%E5%B7%A5%E4%BC%9A%20a%26b%3Dc");
    CHECK(percent_decode(percent_encode("工会 a&b=c/%"), false) == "工会 a&b=c/%");
  }
}

}  // namespace archiver::serve
