#include "parsers/date_time.hpp"

#include <cstdlib>
#include <string>

namespace archiver {
namespace {

constexpr int k_min_year = 1900;
constexpr int k_max_year = 2100;

// GCC 12 has no <format>; zero-padding by hand keeps this free of locale-dependent streams.
void append_padded(std::string& out, int value, std::size_t width) {
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  const std::string digits = std::to_string(value);
  if (digits.size() < width) {
    out.append(width - digits.size(), '0');
  }
  out += digits;
}

}  // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  switch (month) {
    case 1:
    case 3:
    case 5:
    case 7:
    case 8:
    case 10:
    case 12:
      return 31;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    case 2:
      return is_leap_year(year) ? 29 : 28;
    default:
      return 0;
  }
}

std::string Date::to_iso() const {
  std::string out;
  out.reserve(10);
  append_padded(out, year, 4);
  out.push_back('-');
  append_padded(out, month, 2);
  out.push_back('-');
  append_padded(out, day, 2);
  return out;
}

bool Date::is_valid() const {
  return year >= k_min_year && year <= k_max_year && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

long Date::days_since_epoch() const {
  // Howard Hinnant's days_from_civil: shift the year to start in March so February is last.
  const long y = static_cast<long>(year) - (month <= 2 ? 1 : 0);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long year_of_era = y - era * 400;
  const long m = month;
  const long day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1;
  const long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::string DateTime::to_iso() const {
  std::string out = date.to_iso();
  if (!hour) {
    return out;
  }
  out.push_back('T');
  append_padded(out, *hour, 2);
  out.push_back(':');
  append_padded(out, minute.value_or(0), 2);
  if (second) {
    out.push_back(':');
    append_padded(out, *second, 2);
  }
  out.push_back(utc_offset_minutes < 0 ? '-' : '+');
  const int offset = std::abs(utc_offset_minutes);
  append_padded(out, offset / 60, 2);
  out.push_back(':');
  append_padded(out, offset % 60, 2);
  return out;
}

}  // namespace archiver
