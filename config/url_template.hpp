#pragma once
// Checking an edition URL template as the config gives it; expand_edition_url, which fills one
// in, is public (settings.hpp).

#include <optional>
#include <string>
#include <string_view>

namespace archiver::config {

// What is wrong with an edition URL template (an unknown or unmatched placeholder, none at all,
// not an http(s) URL once filled in), or nullopt when it is fine.
[[nodiscard]] std::optional<std::string> edition_url_problem(std::string_view url_template);

}  // namespace archiver::config
