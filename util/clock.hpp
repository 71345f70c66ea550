#pragma once
// Wall-clock timestamps as stored in the archive: UTC, ISO 8601 with a Z.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace archiver {

using SysSeconds = std::chrono::sys_seconds;

// "2026-11-21T05:13:46Z"
[[nodiscard]] std::string to_utc_iso(SysSeconds time);
[[nodiscard]] std::string now_utc_iso();
// Now, to the second.
[[nodiscard]] SysSeconds now_seconds();

// Parses "2026-11-21T05:13:46Z" (as to_utc_iso writes it).
[[nodiscard]] std::optional<SysSeconds> parse_utc_iso(std::string_view text);

// Parses "YYYY-MM-DD" (a day in UTC+8 when used as a filter bound is the caller's business).
[[nodiscard]] std::optional<std::chrono::year_month_day> parse_iso_day(std::string_view text);

// "YYYY-MM-DD".
[[nodiscard]] std::string day_iso(std::chrono::year_month_day day);

// Today's date at a fixed UTC offset, "YYYY-MM-DD".
[[nodiscard]] std::string today_iso(std::chrono::minutes utc_offset = std::chrono::hours{8});

}  // namespace archiver
