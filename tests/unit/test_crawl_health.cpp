// Parser health: a crawl whose articles suddenly lack dates (or titles, or bodies), or an edition
// with fewer articles than its headline list, is flagged with the site's name.

#include "crawl/site_crawler.hpp"

#include <doctest/doctest.h>

namespace archiver {
namespace {

CrawlRecord earlier_crawl(std::int64_t articles) {
  CrawlRecord record;
  record.site = "ahgrb";
  record.stats.articles = articles;
  record.stats.headlines = articles;
  record.stats.with_title = articles;
  record.stats.with_date = articles;
  record.stats.with_body = articles;
  return record;
}

}  // namespace

TEST_SUITE("crawl/health") {
  TEST_CASE("a healthy crawl raises nothing") {
    CrawlStats latest = earlier_crawl(12).stats;
    CHECK(check_parser_health("ahgrb", latest, {earlier_crawl(10), earlier_crawl(11)}).empty());
  }

  TEST_CASE("most articles suddenly without a date") {
    CrawlStats latest = earlier_crawl(12).stats;
    latest.with_date = 2;
    const auto warnings = check_parser_health("ahgrb", latest, {earlier_crawl(10)});
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("ahgrb") != std::string::npos);
    CHECK(warnings[0].find("date") != std::string::npos);
  }

  TEST_CASE("titles and bodies are watched too") {
    CrawlStats latest = earlier_crawl(8).stats;
    latest.with_title = 0;
    latest.with_body = 1;
    const auto warnings = check_parser_health("gyghw", latest, {earlier_crawl(8)});
    CHECK(warnings.size() == 2);
  }

  TEST_CASE("an edition with fewer articles than its headline list") {
    CrawlStats latest = earlier_crawl(5).stats;
    latest.headlines = 9;
    const auto warnings = check_parser_health("ahgrb", latest, {});
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("9") != std::string::npos);
    // Failed fetches are errors already, not a parser problem.
    latest.errors = 4;
    CHECK(check_parser_health("ahgrb", latest, {}).empty());
  }

  TEST_CASE("pages without any headline, where earlier crawls had them") {
    CrawlStats latest;
    latest.pages = 3;
    const auto warnings = check_parser_health("gyghw", latest, {earlier_crawl(10)});
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("no headlines") != std::string::npos);
  }

  TEST_CASE("articles already archived are no shortfall") {
    CrawlStats latest;
    latest.pages = 1;
    latest.headlines = 5;
    latest.known = 5;
    CHECK(check_parser_health("gyghw", latest, {earlier_crawl(10)}).empty());
  }

  TEST_CASE("tiny crawls are not judged") {
    CrawlStats latest;
    latest.articles = 2;
    latest.headlines = 2;
    CHECK(check_parser_health("ahgrb", latest, {earlier_crawl(10)}).empty());
  }
}

}  // namespace archiver
