#pragma once
// When a site runs: a 5-field cron expression ("30 7 * * *") or a fixed interval ("every 6h").

#include <chrono>
#include <expected>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace archiver {

// A parsed 5-field cron expression: minute hour day-of-month month day-of-week, each field
// '*', numbers, ranges a-b, lists a,b, steps */n or a-b/n; day-of-week 0-7 (0 and 7 are Sunday),
// month and weekday names (jan, mon) accepted, case-insensitively. The macros @hourly, @daily
// (@midnight), @weekly, @monthly and @yearly (@annually) are accepted as well.
struct CronSchedule {
  std::vector<bool> minutes;   // 60
  std::vector<bool> hours;     // 24
  std::vector<bool> days;      // 32, index 1-31
  std::vector<bool> months;    // 13, index 1-12
  std::vector<bool> weekdays;  // 7, 0 = Sunday
  // As in Vixie cron, a field counts as restricted when it does not start with '*' (so "*/2" is
  // not a restriction here). When both day fields are restricted a day matches if EITHER does
  // ("0 0 1 * mon": the 1st and every Monday); otherwise a day must match both.
  bool day_restricted = false;      // day-of-month field does not start with '*'
  bool weekday_restricted = false;  // day-of-week field does not start with '*'
};

struct IntervalSchedule {
  std::chrono::seconds every{0};
};

using Schedule = std::variant<CronSchedule, IntervalSchedule>;

// Parses a schedule; the error says what is wrong ("cron field 2 (hour): 25 is out of 0-23").
// Intervals are "every N" plus one unit s, m, h or d, with 1 <= N and at most 3650 days in all.
// Cron expressions that can never fire ("0 0 30 feb *") are rejected.
[[nodiscard]] std::expected<Schedule, std::string> parse_schedule(std::string_view text);

// The first time strictly after `after` at which the schedule is due.
// Interval: after + every. Cron: the first whole minute after `after` that matches, with the
// fields read as wall-clock time at the fixed offset utc_offset from UTC (+8h for Asia/Shanghai).
//
// The offset is fixed for the whole search; scheduler/site_schedule.hpp (next_slot) looks up the
// site's zone and searches again with the offset in force at the slot, so DST is followed.
//
// Returns sys_seconds::max() for a CronSchedule that can never fire (impossible for one made by
// parse_schedule; possible for a hand-built or default-constructed one).
[[nodiscard]] std::chrono::sys_seconds next_run(const Schedule& schedule,
                                                std::chrono::sys_seconds after,
                                                std::chrono::seconds utc_offset);

}  // namespace archiver
