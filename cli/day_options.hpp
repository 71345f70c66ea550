#pragma once
// Checks of the --since/--until/--from/--to options the query commands share.

#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// True when the option is absent or a valid YYYY-MM-DD; otherwise logs which option is wrong.
[[nodiscard]] bool valid_day_option(const std::optional<std::string>& value, std::string_view name);

// A --from/--to range longer than this is almost certainly a typo (ten years of editions).
inline constexpr int k_max_range_days = 3660;

// True when from..to (both valid days) runs forwards over at most k_max_range_days; otherwise
// logs what is wrong with it.
[[nodiscard]] bool valid_day_range(const std::string& from, const std::string& to);

}  // namespace archiver
