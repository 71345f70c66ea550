#pragma once
// Logging setup: everything goes to stderr (journald picks it up under systemd); stdout is
// reserved for data and JSON.

#include <optional>
#include <string_view>

#include <spdlog/common.h>

namespace archiver {

// "trace", "debug", "info", "warn", "error" (also "warning", "off").
[[nodiscard]] std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name);

// Installs the stderr logger as spdlog's default. Under systemd (JOURNAL_STREAM set) the
// timestamp is left out because journald adds its own.
void setup_logging(spdlog::level::level_enum level);

}  // namespace archiver
