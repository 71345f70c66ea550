#pragma once
// The fallback parser for any Chinese news or union page: finds title, published date, author,
// source and body paragraphs by structure and labels, leaving out navigation, font tools,
// footers, 上一篇/下一篇, keyword spam, related-article lists and share widgets.

#include "parsers/parser.hpp"

namespace archiver {

[[nodiscard]] ParsedPage parse_generic(const ParseInput& input);

}  // namespace archiver
