#pragma once
// Resolving links found on a page against the page's URL.

#include <string>
#include <string_view>

namespace archiver {

// An absolute URL for href as found on the page at base; empty when href is not a web link
// (javascript:, mailto:, #fragment-only) or cannot be resolved.
[[nodiscard]] std::string resolve_url(std::string_view base, std::string_view href);

// The host (and port) of a URL, lower-cased, without user info: "http://Host:8080/a" gives
// "host:8080". Empty when url has no scheme.
[[nodiscard]] std::string host_of(std::string_view url);

}  // namespace archiver
