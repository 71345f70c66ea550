#include "util/text_parts.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

using namespace archiver;

namespace {

std::vector<std::string> parts_of(std::string_view text, std::string_view separators) {
  std::vector<std::string> parts;
  for (const std::string_view part : text_parts(text, separators)) {
    parts.emplace_back(part);
  }
  return parts;
}

using Parts = std::vector<std::string>;

}  // namespace

TEST_SUITE("util/text-parts") {
  TEST_CASE("the parts between separators, empty ones included") {
    CHECK(parts_of("html/2024-05/27/node_1.htm", "/") ==
          Parts{"html", "2024-05", "27", "node_1.htm"});
    CHECK(parts_of("a//b", "/") == Parts{"a", "", "b"});
    CHECK(parts_of("/a/", "/") == Parts{"", "a", ""});
    CHECK(parts_of("", "/") == Parts{""});
    CHECK(parts_of("no separator", "/") == Parts{"no separator"});
  }

  TEST_CASE("any of several separators cuts, and text outside ASCII passes whole") {
    CHECK(parts_of("article-title main_nav\tlist", " \t-_") ==
          Parts{"article", "title", "main", "nav", "list"});
    CHECK(parts_of("User-agent: *\r\nDisallow: /版面/\n", "\r\n") ==
          Parts{"User-agent: *", "", "Disallow: /版面/", ""});
  }

  TEST_CASE("a range the standard algorithms take, stopping where they stop") {
    int seen = 0;
    const bool dotted = std::ranges::any_of(text_parts("a/./b/c", "/"), [&](std::string_view s) {
      ++seen;
      return s == ".";
    });
    CHECK(dotted);
    CHECK(seen == 2);
    CHECK(std::ranges::distance(text_parts("127.0.0.1", ".")) == 4);
  }
}
