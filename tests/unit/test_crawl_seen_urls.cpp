#include "crawl/seen_urls.hpp"

#include <fmt/format.h>

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("crawl/seen_urls") {
  TEST_CASE("a URL is new once, and URLs a character apart are different") {
    SeenUrls seen;
    const std::string first = "http://epaper.ahgrrb.com/html/2024-05/06/content_7001_1.htm";
    CHECK(seen.insert(first));
    CHECK_FALSE(seen.insert(first));
    CHECK(seen.contains(first));
    CHECK_FALSE(seen.contains("http://epaper.ahgrrb.com/html/2024-05/06/content_7001_2.htm"));
    CHECK(seen.insert("http://epaper.ahgrrb.com/html/2024-05/06/content_7001_2.htm"));
    CHECK(seen.insert("https://epaper.ahgrrb.com/html/2024-05/06/content_7001_1.htm"));
    CHECK(seen.insert(""));
    CHECK_FALSE(seen.insert(""));
    CHECK(seen.size() == 4);
  }

  TEST_CASE("a year of editions: every URL counted once, none taken for another") {
    SeenUrls seen;
    std::size_t fresh = 0;
    for (int day = 1; day <= 365; ++day) {
      for (int article = 1; article <= 100; ++article) {
        const std::string url =
            fmt::format("http://127.0.0.1:18081/html/2024-{:02}/{:02}/content_{}_{}.htm",
                        (day - 1) / 31 + 1, (day - 1) % 31 + 1, day, article);
        fresh += seen.insert(url) ? 1U : 0U;
        CHECK_FALSE(seen.insert(url));
      }
    }
    CHECK(fresh == 36'500U);
    CHECK(seen.size() == 36'500U);
  }
}

}  // namespace archiver
