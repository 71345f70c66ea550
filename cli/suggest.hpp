#pragma once
// "Did you mean": the command a mistyped one most likely meant (`serach` -> `search`).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace archiver {

// The known name closest to typed, when it is close enough to be a typo (at most two letters
// added, dropped, changed or swapped, and less than half the word).
[[nodiscard]] std::optional<std::string> nearest_name(std::string_view typed,
                                                      std::span<const std::string> names);

}  // namespace archiver
