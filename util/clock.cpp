#include "util/clock.hpp"

#include <fmt/format.h>

#include <charconv>

namespace archiver {

std::string to_utc_iso(SysSeconds time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

SysSeconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string now_utc_iso() {
  return to_utc_iso(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

std::optional<std::chrono::year_month_day> parse_iso_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  const auto parse = [&](std::size_t pos, std::size_t len, auto& out) {
    const auto* first = text.data() + pos;
    const auto result = std::from_chars(first, first + len, out);
    return result.ec == std::errc{} && result.ptr == first + len;
  };
  if (!parse(0, 4, year) || !parse(5, 2, month) || !parse(8, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return ymd;
}

std::optional<SysSeconds> parse_utc_iso(std::string_view text) {
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return std::nullopt;
  }
  const auto day = parse_iso_day(text.substr(0, 10));
  int hour = 0;
  int minute = 0;
  int second = 0;
  const auto number = [&](std::size_t pos, int& out, int max) {
    const auto* first = text.data() + pos;
    const auto result = std::from_chars(first, first + 2, out);
    return result.ec == std::errc{} && result.ptr == first + 2 && out >= 0 && out <= max;
  };
  if (!day || !number(11, hour, 23) || !number(14, minute, 59) || !number(17, second, 60)) {
    return std::nullopt;
  }
  return std::chrono::sys_days{*day} + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

std::string day_iso(std::chrono::year_month_day day) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

std::string today_iso(std::chrono::minutes utc_offset) {
  const auto local = std::chrono::system_clock::now() + utc_offset;
  return day_iso(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(local)});
}

}  // namespace archiver
