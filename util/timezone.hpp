#pragma once
// Local time in a named time zone (Asia/Shanghai, Europe/Berlin) from the system's tz database.
// GCC 12's libstdc++ has no std::chrono::locate_zone, so glibc's localtime_r reads the zone; TZ
// is switched under a lock, which makes this safe but not fast: call it per crawl, not per page.

#include <chrono>
#include <optional>
#include <string_view>

namespace archiver {

// The offset of zone from UTC at the given moment (DST included); nothing for unknown zones.
[[nodiscard]] std::optional<std::chrono::seconds> utc_offset_in(std::string_view zone,
                                                                std::chrono::sys_seconds at);

// The calendar day it is in zone at the given moment.
[[nodiscard]] std::optional<std::chrono::year_month_day> local_day_in(std::string_view zone,
                                                                      std::chrono::sys_seconds at);

}  // namespace archiver
