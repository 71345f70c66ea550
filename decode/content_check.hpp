#pragma once
// Whether a 200 answer is an HTML page worth decoding and parsing at all: not empty, not a PDF,
// an image or other binary served where a page was expected (whatever its Content-Type says).

#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// Why the body is not an HTML page ("empty body", "not HTML: Content-Type application/pdf",
// "not HTML: binary content served as text/html"), or nothing when it may be one.
[[nodiscard]] std::optional<std::string> why_not_html(std::string_view content_type,
                                                      std::string_view body);

}  // namespace archiver
