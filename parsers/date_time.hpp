#pragma once
// A calendar date with an optional time of day, as printed on a Chinese news page.

#include <optional>
#include <string>

namespace archiver {

[[nodiscard]] bool is_leap_year(int year);
// 0 for a month outside 1..12.
[[nodiscard]] int days_in_month(int year, int month);

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  // "YYYY-MM-DD"
  [[nodiscard]] std::string to_iso() const;
  // A real calendar day (leap years included) in 1900..2100, the span news pages can carry.
  [[nodiscard]] bool is_valid() const;
  // Days since 1970-01-01 in the proleptic Gregorian calendar; for differences between dates.
  [[nodiscard]] long days_since_epoch() const;
  auto operator<=>(const Date&) const = default;
};

struct DateTime {
  Date date;
  std::optional<int> hour;
  std::optional<int> minute;
  std::optional<int> second;
  // Minutes east of UTC. Pages are Asia/Shanghai (+08:00) unless they say otherwise.
  int utc_offset_minutes = 8 * 60;

  // "YYYY-MM-DD" without a time, else "YYYY-MM-DDTHH:MM[:SS]+08:00" (the offset always as
  // ±HH:MM, never "Z", so stored values compare as plain strings within one offset).
  [[nodiscard]] std::string to_iso() const;
  [[nodiscard]] bool has_time() const { return hour.has_value(); }
  bool operator==(const DateTime&) const = default;
};

}  // namespace archiver
