#pragma once
// A page flattened into the lines a browser shows, each remembering the element that owns it
// (its nearest line-breaking ancestor), whether it sits inside boilerplate (navigation, footers,
// share bars, related lists), and how much of it is link text. Parsers reason over these lines.

#include "parsers/boilerplate.hpp"
#include "parsers/html_document.hpp"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace archiver {

struct PageLine {
  std::string text;             // whitespace collapsed, trimmed
  const GumboNode* owner;       // nearest ancestor that breaks lines (p, div, td, li, h1, ...)
  bool in_boilerplate = false;  // below an element whose tag/class/id marks it as page furniture
  std::size_t link_chars = 0;   // code points of text inside <a>
  std::size_t chars = 0;        // code points of text
  std::size_t cjk = 0;          // CJK ideographs
  FoldedLine folded;            // the text as the furniture checks (is_stop_line, ...) read it
};

// True when node's tag, class or id marks page furniture rather than content.
[[nodiscard]] bool is_boilerplate_element(const GumboNode* node);

// is_boilerplate_element's answers for the elements collect_lines walked (all but what the
// head, scripts and the like hold), kept for the parsers' later walks over the same elements: an
// answer reads class, id and style, and the e-paper family asked of each element three times.
class BoilerplateElements {
 public:
  void add(const GumboNode* element, bool boilerplate);
  void seal();  // after the last add: the answers ordered for lookup
  // The answer kept for node, else is_boilerplate_element's.
  [[nodiscard]] bool contains(const GumboNode* node) const;

 private:
  std::vector<std::pair<const GumboNode*, bool>> m_answers;
};

// Lines of the whole document in order; each element's boilerplate answer goes to answers.
[[nodiscard]] std::vector<PageLine> collect_lines(const HtmlDocument& document,
                                                  BoilerplateElements& answers);

// Whether a node lies in page furniture (it or an ancestor is), each element asked once: the
// ancestors of every link of a page are shared, so a page's links cost its size, not more.
class FurnitureMap {
 public:
  [[nodiscard]] bool contains(const GumboNode* node);

 private:
  std::unordered_map<const GumboNode*, bool> m_known;
};

// True when ancestor is node or one of its ancestors.
[[nodiscard]] bool is_inside(const GumboNode* node, const GumboNode* ancestor);

}  // namespace archiver
