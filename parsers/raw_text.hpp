#pragma once
// Elements whose content is text up to their end tag, never markup (RAWTEXT, RCDATA and script
// data in HTML's tokenizer), and where that text ends: what the scans in front of Gumbo
// (nesting, gumbo_input) step over.

#include <cstddef>
#include <string_view>

namespace archiver {

// script, style, textarea, title, xmp, iframe, noembed and noframes (name in lower case). Not
// noscript: Gumbo parses with scripting off, and its content is markup.
[[nodiscard]] bool is_raw_text_element(std::string_view name);

// Where the text of such an element, from `from` on, ends: the "</" of the first "</name" in any
// letter case followed by white space, '/' or '>', as the tokenizer's "appropriate end tag" is
// (a script's "<!--" can hide one: see style_text). npos: the text runs to the end of the page.
[[nodiscard]] std::size_t raw_text_end(std::string_view html, std::string_view name,
                                       std::size_t from);

}  // namespace archiver
