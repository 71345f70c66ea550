#include <doctest/doctest.h>

#include <string>

#include "scheduler/schedule.hpp"

namespace archiver {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

constexpr seconds k_shanghai = 8h;

sys_seconds utc(year_month_day day, hours h = 0h, minutes m = 0min, seconds s = 0s) {
  return sys_seconds{sys_days{day}} + h + m + s;
}

CronSchedule cron(std::string_view text) {
  auto parsed = parse_schedule(text);
  const std::string problem = parsed ? std::string() : parsed.error();
  INFO(problem);
  REQUIRE(parsed.has_value());
  REQUIRE(std::holds_alternative<CronSchedule>(*parsed));
  return std::get<CronSchedule>(*parsed);
}

seconds interval(std::string_view text) {
  auto parsed = parse_schedule(text);
  const std::string problem = parsed ? std::string() : parsed.error();
  INFO(problem);
  REQUIRE(parsed.has_value());
  REQUIRE(std::holds_alternative<IntervalSchedule>(*parsed));
  return std::get<IntervalSchedule>(*parsed).every;
}

std::string error_of(std::string_view text) {
  auto parsed = parse_schedule(text);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error();
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The indices set in a bit vector, for readable comparisons.
std::vector<int> set_bits(const std::vector<bool>& bits) {
  std::vector<int> out;
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i]) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

sys_seconds next(std::string_view text, sys_seconds after, seconds offset = 0s) {
  auto parsed = parse_schedule(text);
  REQUIRE(parsed.has_value());
  return next_run(*parsed, after, offset);
}

}  // namespace

TEST_SUITE("scheduler/schedule") {
  TEST_CASE("intervals") {
    CHECK(interval("every 30s") == 30s);
    CHECK(interval("every 15m") == 15min);
    CHECK(interval("every 6h") == 6h);
    CHECK(interval("every 1d") == 24h);
    CHECK(interval("  Every   2h ") == 2h);
    CHECK(interval("every 3650d") == days{3650});
  }

  TEST_CASE("bad intervals") {
    CHECK(contains(error_of("every"), "missing interval after \"every\""));
    CHECK(contains(error_of("every 0m"), "at least 1"));
    CHECK(contains(error_of("every 5x"), "unknown unit \"x\""));
    CHECK(contains(error_of("every 5"), "missing unit"));
    CHECK(contains(error_of("every m"), "expected a number"));
    CHECK(contains(error_of("every -5m"), "expected a number"));
    CHECK(contains(error_of("every 6 h"), "expected \"every N\""));
    CHECK(contains(error_of("every 3651d"), "too long"));
    CHECK(contains(error_of("every 99999999999999999999s"), "too long"));
    CHECK(contains(error_of(""), "empty schedule"));
    CHECK(contains(error_of("   "), "empty schedule"));
  }

  TEST_CASE("cron fields") {
    const CronSchedule daily = cron("30 7 * * *");
    CHECK(set_bits(daily.minutes) == std::vector<int>{30});
    CHECK(set_bits(daily.hours) == std::vector<int>{7});
    CHECK(set_bits(daily.days).size() == 31);
    CHECK(set_bits(daily.months).size() == 12);
    CHECK(set_bits(daily.weekdays).size() == 7);
    CHECK(daily.minutes.size() == 60);
    CHECK(daily.hours.size() == 24);
    CHECK(daily.days.size() == 32);
    CHECK(daily.months.size() == 13);
    CHECK(daily.weekdays.size() == 7);
    CHECK_FALSE(daily.day_restricted);
    CHECK_FALSE(daily.weekday_restricted);

    const CronSchedule mixed = cron("*/15 1-10/3 1,15,31 jan-mar,DEC Mon-Fri");
    CHECK(set_bits(mixed.minutes) == std::vector<int>{0, 15, 30, 45});
    CHECK(set_bits(mixed.hours) == std::vector<int>{1, 4, 7, 10});
    CHECK(set_bits(mixed.days) == std::vector<int>{1, 15, 31});
    CHECK(set_bits(mixed.months) == std::vector<int>{1, 2, 3, 12});
    CHECK(set_bits(mixed.weekdays) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(mixed.day_restricted);
    CHECK(mixed.weekday_restricted);

    CHECK(set_bits(cron("0 0 * * 7").weekdays) == std::vector<int>{0});
    CHECK(set_bits(cron("0 0 * * 5-7").weekdays) == std::vector<int>{0, 5, 6});
    CHECK(set_bits(cron("0 0 * * 0-7").weekdays).size() == 7);
    CHECK(set_bits(cron("0 0 * * sun,sat").weekdays) == std::vector<int>{0, 6});
    CHECK(set_bits(cron("0 0 */10 * *").days) == std::vector<int>{1, 11, 21, 31});
    CHECK_FALSE(cron("0 0 */2 * mon").day_restricted);  // Vixie: a leading '*' is no restriction
    CHECK(set_bits(cron("@hourly").minutes) == std::vector<int>{0});
    CHECK(set_bits(cron("@weekly").weekdays) == std::vector<int>{0});
    CHECK(set_bits(cron("@yearly").months) == std::vector<int>{1});
    CHECK(cron("0 0 30 feb mon").weekday_restricted);  // Mondays in February do happen
  }

  TEST_CASE("cron errors name the field") {
    CHECK(error_of("60 * * * *") == "cron field 1 (minute): 60 is out of 0-59");
    CHECK(error_of("0 25 * * *") == "cron field 2 (hour): 25 is out of 0-23");
    CHECK(error_of("0 0 0 * *") == "cron field 3 (day-of-month): 0 is out of 1-31");
    CHECK(error_of("0 0 * 13 *") == "cron field 4 (month): 13 is out of 1-12");
    CHECK(error_of("0 0 * * 8") == "cron field 5 (day-of-week): 8 is out of 0-7");
    CHECK(error_of("0 0 * foo *") == "cron field 4 (month): unknown name \"foo\"");
    CHECK(error_of("0 0 * * monday") == "cron field 5 (day-of-week): unknown name \"monday\"");
    CHECK(error_of("jan * * * *") == "cron field 1 (minute): \"jan\" is not a number");
    CHECK(error_of("0 0 * * mon-") == "cron field 5 (day-of-week): missing number");
    CHECK(error_of("*/0 * * * *") == "cron field 1 (minute): step 0 is out of 1-59");
    CHECK(contains(error_of("0 */x * * *"), "cron field 2 (hour): step \"x\" is not a number"));
    CHECK(contains(error_of("5/15 * * * *"), "cron field 1 (minute): a step needs"));
    CHECK(error_of("10-5 * * * *") == "cron field 1 (minute): range 10-5 runs backwards");
    CHECK(error_of("1,,2 * * * *") == "cron field 1 (minute): empty list item");
    CHECK(error_of("1x * * * *") == "cron field 1 (minute): \"1x\" is not a number");
    CHECK(contains(error_of("* * * *"), "expected 5 cron fields"));
    CHECK(contains(error_of("* * * *"), "got 4 fields"));
    CHECK(contains(error_of("0 0 * * * 2023"), "got 6 fields"));
    CHECK(contains(error_of("0 0 30 feb *"), "never match"));
    CHECK(contains(error_of("0 0 31 apr,jun,sep,nov *"), "never match"));
    CHECK(contains(error_of("@fortnightly"), "unknown schedule"));
  }

  TEST_CASE("next run of an interval") {
    const sys_seconds after = utc(2023y / June / 13, 10h, 7min, 30s);
    CHECK(next("every 6h", after, k_shanghai) == after + 6h);
    CHECK(next("every 30s", after) == after + 30s);
    CHECK(next_run(IntervalSchedule{}, after, 0s) == sys_seconds::max());
  }

  TEST_CASE("next run of a daily cron at UTC+8") {
    // 07:30 in Shanghai is 23:30 UTC on the day before.
    CHECK(next("30 7 * * *", utc(2023y / June / 13), k_shanghai) ==
          utc(2023y / June / 13, 23h, 30min));
    // Strictly after: at the due time itself, the next one is a day later.
    CHECK(next("30 7 * * *", utc(2023y / June / 13, 23h, 30min), k_shanghai) ==
          utc(2023y / June / 14, 23h, 30min));
    CHECK(next("30 7 * * *", utc(2023y / June / 13, 23h, 29min, 59s), k_shanghai) ==
          utc(2023y / June / 13, 23h, 30min));
    // The weekday is the one in the site's time zone: Monday 07:00 there is Sunday 23:00 UTC.
    CHECK(next("0 7 * * mon", utc(2023y / June / 11), k_shanghai) == utc(2023y / June / 11, 23h));
  }

  TEST_CASE("next run with steps, names and negative offsets") {
    CHECK(next("*/15 * * * *", utc(2023y / June / 13, 10h, 7min, 30s)) ==
          utc(2023y / June / 13, 10h, 15min));
    CHECK(next("*/15 * * * *", utc(2023y / June / 13, 23h, 50min)) == utc(2023y / June / 14));
    CHECK(next("0 9-17/4 * * *", utc(2023y / June / 13, 13h, 1min)) == utc(2023y / June / 13, 17h));
    CHECK(next("0 0 1 jan *", utc(2023y / June / 13)) == utc(2024y / January / 1));
    CHECK(next("0 0 29 2 *", utc(2023y / March / 1)) == utc(2024y / February / 29));
    CHECK(next("0 12 * * 7", utc(2023y / June / 13)) == utc(2023y / June / 18, 12h));
    CHECK(next("0 0 * * *", utc(2023y / June / 13), -5h) == utc(2023y / June / 13, 5h));
    CHECK(next("@daily", utc(2023y / June / 13, 0h, 0min, 1s)) == utc(2023y / June / 14));
  }

  TEST_CASE("day-of-month and day-of-week: either matches when both are restricted") {
    // 2023-06-01 is a Thursday, 2023-06-13 a Tuesday.
    CHECK(next("0 9 13 * fri", utc(2023y / June / 1)) == utc(2023y / June / 2, 9h));
    CHECK(next("0 9 13 * fri", utc(2023y / June / 10)) == utc(2023y / June / 13, 9h));
    CHECK(next("0 9 13 * fri", utc(2023y / June / 13, 10h)) == utc(2023y / June / 16, 9h));
    // Only one restricted: it alone decides.
    CHECK(next("0 9 * * mon", utc(2023y / June / 1)) == utc(2023y / June / 5, 9h));
    CHECK(next("0 9 13 * *", utc(2023y / June / 1)) == utc(2023y / June / 13, 9h));
    // A leading '*' in the day field is no restriction (as in Vixie cron): odd-day Mondays.
    CHECK(next("0 9 */2 * mon", utc(2023y / June / 6)) == utc(2023y / June / 19, 9h));
    // Written as a range it is a restriction: odd days or Mondays.
    CHECK(next("0 9 1-31/2 * mon", utc(2023y / June / 6)) == utc(2023y / June / 7, 9h));
  }

  TEST_CASE("a schedule that never fires") {
    CHECK(next_run(CronSchedule{}, utc(2023y / June / 13), 0s) == sys_seconds::max());
  }
}

}  // namespace archiver
