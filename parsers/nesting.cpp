#include "parsers/nesting.hpp"

#include "parsers/raw_text.hpp"
#include "util/ascii.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace archiver {
namespace {

// Elements that never nest anything: void elements, and those whose end tag is optional (HTML
// closes them by itself, so an unclosed run of them does not deepen the tree).
bool never_deepens(std::string_view name) {
  static constexpr std::array<std::string_view, 34> k_names = {
      "area", "base",  "br",     "col",    "embed",    "hr",    "img",     "input", "link",
      "meta", "param", "source", "track",  "wbr",      "p",     "li",      "dt",    "dd",
      "tr",   "td",    "th",     "option", "optgroup", "thead", "tbody",   "tfoot", "colgroup",
      "rb",   "rt",    "rp",     "html",   "head",     "body",  "!doctype"};
  return std::ranges::find(k_names, name) != k_names.end();
}

}  // namespace

std::size_t nesting_depth(std::string_view html, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  std::size_t foreign = 0;  // open svg and math elements
  std::string name;
  for (std::size_t pos = html.find('<'); pos != std::string_view::npos; pos = html.find('<', pos)) {
    if (html.substr(pos, 4) == "<!--") {
      const auto end = html.find("-->", pos + 4);
      if (end == std::string_view::npos) {
        break;
      }
      pos = end + 3;
      continue;
    }
    std::size_t cursor = pos + 1;
    const bool closing = cursor < html.size() && html[cursor] == '/';
    cursor += closing ? 1 : 0;
    name.clear();
    while (cursor < html.size() && (is_ascii_alnum(html[cursor]) || html[cursor] == '!')) {
      name.push_back(ascii_lower(html[cursor]));
      ++cursor;
    }
    const auto end = html.find('>', cursor);
    if (name.empty() || end == std::string_view::npos) {
      pos = pos + 1;
      if (end == std::string_view::npos) {
        break;
      }
      continue;
    }
    pos = end + 1;
    if (closing) {
      if (!never_deepens(name) && depth > 0) {
        --depth;
      }
      if ((name == "svg" || name == "math") && foreign > 0) {
        --foreign;
      }
      continue;
    }
    if (is_raw_text_element(name)) {
      const auto close = raw_text_end(html, name, pos);
      if (close == std::string_view::npos) {
        break;
      }
      // Past its end tag, which closes what the scan never counted as open.
      const auto after = html.find('>', close);
      if (after == std::string_view::npos) {
        break;
      }
      pos = after + 1;
      continue;
    }
    // HTML ignores "/>" on its own elements (<div/> opens a div); only in SVG and MathML does
    // it close the element.
    const bool opens_foreign = name == "svg" || name == "math";
    const bool self_closed = html[end - 1] == '/' && (foreign > 0 || opens_foreign);
    if (self_closed || never_deepens(name)) {
      continue;
    }
    foreign += opens_foreign ? 1 : 0;
    deepest = std::max(deepest, ++depth);
    if (deepest > limit) {
      break;
    }
  }
  return deepest;
}

bool nests_deeper_than(std::string_view html, std::size_t limit) {
  // The scan is 2% of a page's parse; these bounds cost nothing beside it.
  constexpr std::size_t k_shortest_tag = 3;
  if (html.size() / k_shortest_tag <= limit) {
    return false;
  }
  if (static_cast<std::size_t>(std::ranges::count(html, '<')) <= limit) {
    return false;
  }
  return nesting_depth(html, limit) > limit;
}

}  // namespace archiver
