#include "cli/day_options.hpp"

#include "util/clock.hpp"

#include <spdlog/spdlog.h>

namespace archiver {

bool valid_day_option(const std::optional<std::string>& value, std::string_view name) {
  if (value && !parse_iso_day(*value)) {
    spdlog::error("{}: \"{}\" is not a date (YYYY-MM-DD)", name, *value);
    return false;
  }
  return true;
}

bool valid_day_range(const std::string& from, const std::string& to) {
  const auto first = parse_iso_day(from);
  const auto last = parse_iso_day(to);
  if (!first || !last) {
    return false;
  }
  const auto days = (std::chrono::sys_days(*last) - std::chrono::sys_days(*first)).count();
  if (days < 0) {
    spdlog::error("--from {} is after --to {}", from, to);
    return false;
  }
  if (days + 1 > k_max_range_days) {
    spdlog::error("--from {} --to {}: {} days, more than the {} one command takes", from, to,
                  days + 1, k_max_range_days);
    return false;
  }
  return true;
}

}  // namespace archiver
