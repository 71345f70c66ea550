// robots.txt per RFC 9309: groups, longest match, Allow on ties, wildcards, errors.

#include "fetch/robots.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("fetch/robots") {
  TEST_CASE("longest match wins, Allow wins a tie") {
    const auto rules = RobotsRules::parse(
        "User-agent: *\nDisallow: /news/\nAllow: /news/2023/\nDisallow: /news/2023/0706/\n"
        "Allow: /tie\nDisallow: /tie\n",
        "archiver");
    CHECK(rules.allows("/"));
    CHECK_FALSE(rules.allows("/news/index.html"));
    CHECK(rules.allows("/news/2023/0712/1240.html"));
    CHECK_FALSE(rules.allows("/news/2023/0706/1234.html"));
    CHECK(rules.allows("/tie/x"));
  }

  TEST_CASE("our own group wins over *, and groups naming us are merged") {
    const auto rules = RobotsRules::parse(
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: Archiver\nDisallow: /private/\n\n"
        "User-agent: otherbot\nUser-agent: archiver\nDisallow: /tmp/\nCrawl-delay: 3\n",
        "archiver");
    CHECK(rules.allows("/news/1.html"));
    CHECK_FALSE(rules.allows("/private/a"));
    CHECK_FALSE(rules.allows("/tmp/b"));
    CHECK(rules.crawl_delay() == std::chrono::seconds(3));
  }

  TEST_CASE("blank lines do not end a group, a user-agent after rules starts one") {
    const auto rules = RobotsRules::parse(
        "User-agent: archiver\n\nDisallow: /a/\n\nUser-agent: x\nDisallow: /b/\n", "archiver");
    CHECK_FALSE(rules.allows("/a/1"));
    CHECK(rules.allows("/b/1"));
  }

  TEST_CASE("wildcards and the end anchor") {
    const auto rules = RobotsRules::parse(
        "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nAllow: /*.pdf$keep\n", "bot");
    CHECK_FALSE(rules.allows("/images/2023/paper.pdf"));
    CHECK(rules.allows("/images/2023/paper.pdf?x=1"));
    CHECK_FALSE(rules.allows("/search?page=2&q=工会"));
    CHECK(rules.allows("/searching"));
  }

  TEST_CASE("empty Disallow allows all, comments and junk are ignored") {
    const auto rules = RobotsRules::parse(
        "# hello\nDisallow: /orphan\nUser-agent: * # everyone\nDisallow:\nnonsense line\n", "bot");
    CHECK(rules.allows("/orphan"));
    CHECK(rules.allows("/anything"));
  }

  TEST_CASE("4xx allows all, 5xx or silence disallows all, robots.txt itself is always fine") {
    CHECK(RobotsRules::allow_all().allows("/x"));
    CHECK_FALSE(RobotsRules::disallow_all().allows("/x"));
    CHECK(RobotsRules::disallow_all().allows("/robots.txt"));
  }

  TEST_CASE("the product token of a User-Agent") {
    CHECK(robots_token("archiver/0.1 (+https://example.org/contact)") == "archiver");
  }

  TEST_CASE("a pathological pattern stays fast") {
    const auto rules =
        RobotsRules::parse("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*b\n", "bot");
    CHECK(rules.allows("/" + std::string(20000, 'a')));
  }
}

}  // namespace archiver
