#include "fetch/retry.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("fetch/retry") {
  TEST_CASE("what is worth another try") {
    CHECK(is_retryable(503, FetchErrorKind::none));
    CHECK(is_retryable(429, FetchErrorKind::none));
    CHECK(is_retryable(500, FetchErrorKind::none));
    CHECK(is_retryable(0, FetchErrorKind::timeout));
    CHECK(is_retryable(0, FetchErrorKind::connect));
    CHECK_FALSE(is_retryable(404, FetchErrorKind::none));
    CHECK_FALSE(is_retryable(403, FetchErrorKind::none));
    CHECK_FALSE(is_retryable(0, FetchErrorKind::body_too_large));
    CHECK_FALSE(is_retryable(0, FetchErrorKind::scheme_refused));
    CHECK_FALSE(is_retryable(0, FetchErrorKind::too_many_redirects));
  }

  TEST_CASE("Retry-After as seconds or as an HTTP date") {
    using namespace std::chrono;
    const auto now = sys_days{2026y / November / 21} + hours(7);
    CHECK(parse_retry_after("120", now) == seconds(120));
    CHECK(parse_retry_after(" 0 ", now) == seconds(0));
    CHECK(parse_retry_after("Sat, 21 Nov 2026 07:01:30 GMT", now) == seconds(90));
    CHECK(parse_retry_after("Sat, 21 Nov 2026 06:00:00 GMT", now) == seconds(0));  // past
    CHECK_FALSE(parse_retry_after("", now).has_value());
    CHECK_FALSE(parse_retry_after("-5", now).has_value());
    CHECK_FALSE(parse_retry_after("soon", now).has_value());
    CHECK_FALSE(parse_retry_after("Sat, 31 Feb 2026 07:01:30 GMT", now).has_value());
    // Absurd waits are read as "not soon", far from overflowing when made milliseconds.
    CHECK(parse_retry_after("99999999999999999", now) == k_longest_retry_after);
    CHECK(parse_retry_after("Fri, 21 Nov 9999 07:00:00 GMT", now) == k_longest_retry_after);
  }

  TEST_CASE("backoff doubles with jitter and stops at max_retry_wait") {
    FetchSettings settings;
    settings.retry_backoff = std::chrono::seconds(2);
    settings.max_retry_wait = std::chrono::seconds(30);
    std::mt19937_64 random(42);
    for (int i = 0; i < 50; ++i) {
      const auto first = backoff_for(1, settings, random);
      CHECK(first >= std::chrono::seconds(1));
      CHECK(first <= std::chrono::seconds(2));
      const auto third = backoff_for(3, settings, random);
      CHECK(third >= std::chrono::seconds(4));
      CHECK(third <= std::chrono::seconds(8));
      CHECK(backoff_for(20, settings, random) <= std::chrono::seconds(30));
    }
  }
}

}  // namespace archiver
