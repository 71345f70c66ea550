#pragma once
// Archived text is hostile input: a title may hold <script>, an onerror attribute, a bidi
// override that reverses what follows it. Every value a page or a feed interpolates goes through
// one of these (the template engine calls them for each {{value}}), so markup in the archive
// always renders as the characters it is made of.

#include <string>
#include <string_view>

namespace archiver::serve {

// For HTML text and attribute values: & < > " ' as entities; a bidi embedding, override or
// isolate control shown as its code point ("<U+202E>") instead of acting on what follows; other
// control characters and invalid UTF-8 as U+FFFD.
[[nodiscard]] std::string escape_html(std::string_view text);

// The same for XML 1.0 (Atom), which also forbids most control characters outright.
[[nodiscard]] std::string escape_xml(std::string_view text);

// url when it is an absolute http or https URL that may be a link's target; empty otherwise
// (javascript:, data:, relative, or with characters a URL never holds).
[[nodiscard]] std::string link_target(std::string_view url);

}  // namespace archiver::serve
