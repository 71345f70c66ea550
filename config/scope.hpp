#pragma once
// The default scope of a site that names none. Matching URLs against scopes and the
// overlapping-scopes warning are public (settings.hpp) and live in scope.cpp too.

#include <string>
#include <string_view>
#include <vector>

namespace archiver::config {

// Adds to scope the origins url implies ("scheme://host[:port]/", in normal form; for an origin
// without an explicit port also the other scheme), unless they are there already. A URL that is
// not http(s), or whose host holds a template placeholder, adds nothing.
void add_default_scope(std::string_view url, std::vector<std::string>& scope);

}  // namespace archiver::config
