#pragma once
// Checks of the --since/--until/--from/--to options the query commands share.

#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// True when the option is absent or a valid YYYY-MM-DD; otherwise logs which option is wrong.
[[nodiscard]] bool valid_day_option(const std::optional<std::string>& value, std::string_view name);

}  // namespace archiver
