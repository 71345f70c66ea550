#pragma once
// Pages and feeds from Mustache templates (kainjow-mustache) in serve/ui/, filled from a view:
// a JSON value whose strings are the archive's data. Each {{name}} is escaped by
// serve/escape.hpp; the templates never use the unescaped forms ({{{name}}}, {{&name}}), and
// a test holds them to it.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace archiver::serve {

// The page template NAME.html with the view; its {{> head}} and {{> foot}} are the layout's.
// Throws std::runtime_error when the template is missing or malformed (a bug, not input).
[[nodiscard]] std::string render_page(std::string_view name, const nlohmann::json& view);

// An Atom document from feed.atom.
[[nodiscard]] std::string render_feed(const nlohmann::json& view);

// A fragment template (e.g. the HTML of a feed entry) without the layout.
[[nodiscard]] std::string render_fragment(std::string_view name, const nlohmann::json& view);

}  // namespace archiver::serve
