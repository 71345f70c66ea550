#include "util/timezone.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("util/timezone") {
  using namespace std::chrono;

  TEST_CASE("Shanghai is +08:00 all year") {
    for (const auto day : {sys_days{2023y / January / 15}, sys_days{2023y / July / 15}}) {
      CHECK(utc_offset_in("Asia/Shanghai", day) == hours(8));
    }
  }

  TEST_CASE("the local day differs from the UTC day across midnight") {
    // 2023-06-12T17:30Z is 01:30 on the 13th in Shanghai.
    const sys_seconds at = sys_days{2023y / June / 12} + hours(17) + minutes(30);
    CHECK(local_day_in("Asia/Shanghai", at) == 2023y / June / 13);
    CHECK(local_day_in("UTC", at) == 2023y / June / 12);
  }

  TEST_CASE("daylight saving time is followed where a zone has it") {
    CHECK(utc_offset_in("Europe/Berlin", sys_days{2023y / January / 15}) == hours(1));
    CHECK(utc_offset_in("Europe/Berlin", sys_days{2023y / July / 15}) == hours(2));
  }

  TEST_CASE("unknown or hostile zone names are refused") {
    CHECK_FALSE(utc_offset_in("Mars/Olympus", sys_days{2023y / January / 1}).has_value());
    CHECK_FALSE(utc_offset_in("../../etc/passwd", sys_days{2023y / January / 1}).has_value());
    CHECK_FALSE(local_day_in("", sys_days{2023y / January / 1}).has_value());
  }
}

}  // namespace archiver
