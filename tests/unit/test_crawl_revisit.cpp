#include "crawl/revisit.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("crawl/revisit") {
  TEST_CASE("1 hour, 6 hours, 1 day, 7 days, 30 days after first seen, then no more") {
    using namespace std::chrono;
    const sys_seconds first = sys_days{2024y / March / 1} + hours(9);
    CHECK(next_visit(first, 0) == first + hours(1));
    CHECK(next_visit(first, 1) == first + hours(6));
    CHECK(next_visit(first, 2) == first + days(1));
    CHECK(next_visit(first, 3) == first + days(7));
    CHECK(next_visit(first, 4) == first + days(30));
    CHECK_FALSE(next_visit(first, 5).has_value());
    CHECK_FALSE(next_visit(first, -1).has_value());
  }
}

}  // namespace archiver
