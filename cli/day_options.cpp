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

}  // namespace archiver
