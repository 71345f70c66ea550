// The templates escape every value by construction: none uses an unescaped form, and hostile
// values render as text in every page.

#include "serve/templates.hpp"
#include "serve/ui_files.hpp"

#include <doctest/doctest.h>

namespace archiver::serve {

TEST_SUITE("serve/templates") {
  TEST_CASE("no template interpolates without escaping") {
    REQUIRE(ui_files().size() >= 10);
    for (const UiFile& file : ui_files()) {
      CAPTURE(file.name);
      CHECK(file.bytes.find("{{{") == std::string_view::npos);
      CHECK(file.bytes.find("{{&") == std::string_view::npos);
      CHECK(file.bytes.find("{{=") == std::string_view::npos);  // no other delimiters either
    }
  }

  TEST_CASE("a hostile value renders as text in a page and in a feed") {
    const std::string hostile = "<script>x()</script>\"'&\xE2\x80\xAE";
    const std::string page = render_page("error", {{"page_title", hostile},
                                                   {"status", 400},
                                                   {"message", hostile},
                                                   {"q", hostile},
                                                   {"version", "0"},
                                                   {"site_feed", nullptr},
                                                   {"site_title", ""}});
    CHECK(page.find("<script>x") == std::string::npos);
    CHECK(page.find("&lt;script&gt;x()&lt;/script&gt;&quot;&#39;&amp;&lt;U+202E&gt;") !=
          std::string::npos);
    CHECK(page.find("value=\"&lt;script&gt;") != std::string::npos);  // the search box's value
    const std::string feed = render_feed({{"feed_id", "tag:x"},
                                          {"feed_title", hostile},
                                          {"updated", "2026-12-02T00:00:00Z"},
                                          {"self_link", ""},
                                          {"page_link", ""},
                                          {"feed_author", "a"},
                                          {"version", "0"},
                                          {"entries", nlohmann::json::array()}});
    CHECK(feed.find("<title>&lt;script&gt;") != std::string::npos);
  }

  TEST_CASE("a missing template is an error, not an empty page") {
    CHECK_THROWS(render_page("no-such-page", nlohmann::json::object()));
  }
}

}  // namespace archiver::serve
