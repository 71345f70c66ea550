#include "fetch/retry.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace archiver {

bool is_retryable(long http_status, FetchErrorKind error) {
  switch (error) {
    case FetchErrorKind::dns:
    case FetchErrorKind::connect:
    case FetchErrorKind::timeout:
    case FetchErrorKind::transfer:
      return true;
    case FetchErrorKind::none:
      break;
    default:
      return false;  // refused schemes, redirect loops, oversize bodies do not get better
  }
  return http_status == 429 || (http_status >= 500 && http_status <= 504);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  std::int64_t seconds = 0;
  const auto parsed = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (parsed.ec == std::errc{} && parsed.ptr == value.data() + value.size()) {
    if (seconds < 0) {
      return std::nullopt;
    }
    return std::min(std::chrono::seconds(seconds), k_longest_retry_after);
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (value.size() != 29 || value.substr(25) != " GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> k_months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::ranges::find(k_months, value.substr(8, 3));
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  const auto number = [&](std::size_t pos, std::size_t length, int& out) {
    const auto* first = value.data() + pos;
    const auto result = std::from_chars(first, first + length, out);
    return result.ec == std::errc{} && result.ptr == first + length;
  };
  if (month == k_months.end() || !number(5, 2, day) || !number(12, 4, year) ||
      !number(17, 2, hour) || !number(20, 2, minute) || !number(23, 2, second)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{
      std::chrono::year{year},
      std::chrono::month{static_cast<unsigned>(month - k_months.begin() + 1)},
      std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  const auto when = std::chrono::sys_days{date} + std::chrono::hours(hour) +
                    std::chrono::minutes(minute) + std::chrono::seconds(second);
  // In seconds: a far-off date in nanoseconds (the clock's own unit) would overflow.
  const auto wait = when - std::chrono::floor<std::chrono::seconds>(now);
  return std::clamp(wait, std::chrono::seconds(0), k_longest_retry_after);
}

std::chrono::milliseconds backoff_for(int attempt, const FetchSettings& settings,
                                      std::mt19937_64& random) {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const double base =
      static_cast<double>(settings.retry_backoff.count()) * std::ldexp(1.0, doublings);
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  const double wait =
      std::min(base * jitter(random), static_cast<double>(settings.max_retry_wait.count()));
  return std::chrono::milliseconds(static_cast<std::int64_t>(wait));
}

}  // namespace archiver
