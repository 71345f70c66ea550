#pragma once
// A small CSS selector matcher over Gumbo trees, for the per-site `[site.selectors]` overrides.
//
// Supported syntax:
//   type (`p`, `h1`, `founder-content`), universal `*`, `#id`, `.class` (several allowed),
//   `[attr]`, `[attr=v]`, `[attr~=v]` (whitespace-separated word), `[attr|=v]` (v or v-...),
//   `[attr^=v]`, `[attr$=v]`, `[attr*=v]`, values bare or quoted ('..' or ".."), optional ` i`
//   (ASCII case-insensitive value) or ` s` flag before `]`;
//   compounds such as `div.article#main[data-x]`;
//   combinators: descendant (whitespace), `>` child, `+` adjacent sibling, `~` general sibling;
//   groups with `,`;
//   pseudo-classes `:first-child`, `:last-child`, `:only-child`, `:nth-child(...)`,
//   `:nth-last-child(...)`, `:first-of-type`, `:last-of-type`, `:only-of-type`,
//   `:nth-of-type(...)`, `:nth-last-of-type(...)` with an integer, `odd`, `even` or `an+b`;
//   `:not(...)` with a comma list of compound selectors (no combinators, no nested :not).
// Tag, attribute and pseudo-class names are ASCII case-insensitive; ids, classes and attribute
// values are case-sensitive (unless the ` i` flag is given). Identifiers may hold letters,
// digits, '-', '_' and any non-ASCII (UTF-8) character; CSS escapes are not supported.
//
// Matching runs right to left with parent pointers and loops, so its stack use depends on the
// length of the selector, never on the depth of the document. Combinators may look above the
// root given to select(), as querySelectorAll does; only the results are limited to the root's
// descendants.

#include <gumbo.h>

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

class Selector {
 public:
  // Parses a selector group. The error names the 1-based column (in characters) and what was
  // expected, e.g. "at 7: expected ']' after attribute value, found 'd'". Never throws.
  [[nodiscard]] static std::expected<Selector, std::string> parse(std::string_view text);

  // True when element matches any selector of the group (false for non-elements and null).
  [[nodiscard]] bool matches(const GumboNode* element) const;

  // The elements below root (root itself excluded) that match, in document order, each once.
  // Template contents are not searched, as in a browser.
  [[nodiscard]] std::vector<const GumboNode*> select(const GumboNode* root) const;

  // The first element of select(root), or nullptr.
  [[nodiscard]] const GumboNode* select_first(const GumboNode* root) const;

  // The source text, as given to parse().
  [[nodiscard]] const std::string& text() const { return m_text; }

 private:
  struct Group;  // the parsed form, defined in selector.cpp
  Selector(std::string text, std::shared_ptr<const Group> group);

  std::string m_text;
  std::shared_ptr<const Group> m_group;  // immutable once parsed; copies share it
};

}  // namespace archiver
