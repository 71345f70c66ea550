#pragma once
// A site's [site.selectors] (title, kicker, subtitle, date, author, source, body, headlines,
// pages, next_page) applied over what a parser family finds by itself.

#include "parsers/generic.hpp"
#include "parsers/selector.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace archiver {

// The elements the site's selector for key matches, in document order; nothing when the site
// has no selector for key (or it does not parse: the config check reports that).
[[nodiscard]] std::optional<std::vector<const GumboNode*>> select_for(const PageAnalysis& analysis,
                                                                      const ParseInput& input,
                                                                      std::string_view key);

// Sets the hints the article selectors give: title and body elements, and kicker, subtitle,
// date, author and source values read from their elements' text.
void apply_selectors(const PageAnalysis& analysis, const ParseInput& input, ArticleHints& hints);

}  // namespace archiver
