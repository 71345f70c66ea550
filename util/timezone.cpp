#include "util/timezone.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <string>

namespace archiver {
namespace {

std::mutex g_tz_lock;

bool zone_exists(std::string_view zone) {
  if (zone.empty() || zone.find("..") != std::string_view::npos || zone.front() == '/') {
    return false;
  }
  const char* dir = std::getenv("TZDIR");
  const std::filesystem::path root = dir != nullptr ? dir : "/usr/share/zoneinfo";
  std::error_code error;
  return std::filesystem::is_regular_file(root / std::string(zone), error);
}

}  // namespace

std::optional<std::chrono::seconds> utc_offset_in(std::string_view zone,
                                                  std::chrono::sys_seconds at) {
  if (!zone_exists(zone)) {
    return std::nullopt;
  }
  const std::time_t time = std::chrono::system_clock::to_time_t(at);
  std::tm local{};
  {
    const std::scoped_lock lock(g_tz_lock);
    const char* previous = std::getenv("TZ");
    const std::string saved = previous != nullptr ? previous : "";
    setenv("TZ", std::string(zone).c_str(), 1);
    tzset();
    localtime_r(&time, &local);
    if (previous != nullptr) {
      setenv("TZ", saved.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  return std::chrono::seconds(local.tm_gmtoff);
}

std::optional<std::chrono::year_month_day> local_day_in(std::string_view zone,
                                                        std::chrono::sys_seconds at) {
  const auto offset = utc_offset_in(zone, at);
  if (!offset) {
    return std::nullopt;
  }
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(at + *offset)};
}

}  // namespace archiver
