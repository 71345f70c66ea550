#pragma once
// Gumbo behind an RAII owner, plus the few tree helpers the parsers need. Walks are iterative so
// that absurdly deep pages cannot overflow the stack.

#include <gumbo.h>

#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

class HtmlDocument {
 public:
  // Parses UTF-8 HTML (decode first: Gumbo assumes UTF-8). Gumbo parses the page without its
  // style sheets' text and with its runs of text stood in, put back into the tree after
  // (parsers/gumbo_input.hpp); the document keeps what Gumbo parsed. Text nodes' original_text
  // and positions are of that, not of the page.
  // Throws std::runtime_error for a page nested deeper than k_max_nesting (parsers/nesting.hpp).
  explicit HtmlDocument(std::string html);
  // Gumbo's nodes point into the page's own buffer, which a move of a short (in-place) string
  // would leave behind: a document stays where it was made.
  HtmlDocument(const HtmlDocument&) = delete;
  HtmlDocument& operator=(const HtmlDocument&) = delete;
  HtmlDocument(HtmlDocument&&) = delete;
  HtmlDocument& operator=(HtmlDocument&&) = delete;
  ~HtmlDocument();

  [[nodiscard]] const GumboNode* root() const { return m_output->document; }
  [[nodiscard]] const GumboNode* html_element() const { return m_output->root; }

 private:
  // Gumbo takes every byte of a page's tree from m_arena and frees almost nothing while it
  // parses (measured: what it allocates is what the finished tree holds), so one arena per
  // document replaces some 1,500 malloc and free calls per page, and dropping the arena the
  // walk over the tree that gumbo_destroy_output makes. Pages over 128 KiB are parsed with
  // malloc: what Gumbo does free (the attributes of a tag it ignores) would pile up in an
  // arena, up to some 70 times the page for a hostile one.
  std::string m_html;  // what Gumbo parsed (parsers/gumbo_input.hpp): its nodes point into it
  std::unique_ptr<std::pmr::monotonic_buffer_resource> m_arena;
  // Owned: the destructor gives it back to Gumbo, unless it lives in m_arena.
  GumboOutput* m_output = nullptr;
};

namespace html {

[[nodiscard]] bool is_element(const GumboNode* node);
[[nodiscard]] GumboTag tag(const GumboNode* node);
// Lower-case tag name; for custom elements the name as written ("founder-content").
[[nodiscard]] std::string tag_name(const GumboNode* node);
[[nodiscard]] std::string_view attribute(const GumboNode* node, const char* name);
[[nodiscard]] std::span<GumboNode* const> children(const GumboNode* node);
// Lower-case tokens of the class and id attributes, split also on '-' and '_' so that
// "article-title" yields "article", "title" and "article-title".
[[nodiscard]] std::vector<std::string> class_and_id_tokens(const GumboNode* node);
// The same words as written, not split: "main-nav" stays one.
[[nodiscard]] std::vector<std::string> class_and_id_words(const GumboNode* node);
// Whether one of the tokens above is one of `wanted` (lower-case), without making them: this
// runs for most elements of a page, several times.
[[nodiscard]] bool has_class_or_id_token(const GumboNode* node,
                                         std::span<const std::string_view> wanted);

// The same look-up for several lists in one pass over the tokens: the index of the first list
// that holds one of them, -1 for none. For an element asked about one list after another.
[[nodiscard]] int first_list_with_class_or_id_token(
    const GumboNode* node, std::span<const std::span<const std::string_view>> lists);

// The same look-up telling words from parts, in one pass: a word of class or id is one of
// `wanted` (class="nav"), else only a part of a compound word is (class="main-nav"), else none.
enum class ClassIdMatch { none, part, word };
[[nodiscard]] ClassIdMatch match_class_or_id(const GumboNode* node,
                                             std::span<const std::string_view> wanted);

// 1 to 6 for h1 to h6, 0 for anything else.
[[nodiscard]] int heading_level(const GumboNode* node);

// Elements that start a new line of text in a browser (p, div, td, li, h1-h6, br, ...).
[[nodiscard]] bool breaks_line(const GumboNode* node);

// Visits node and its descendants in document order. The visitor returns false to skip a
// node's children. A template, not a std::function: the parsers make a dozen walks over every
// page, and the visitor's call is then inlined rather than made through a pointer per node.
template <class Visit>
void walk(const GumboNode* node, Visit&& visit) {
  std::vector<const GumboNode*> stack{node};
  while (!stack.empty()) {
    const GumboNode* current = stack.back();
    stack.pop_back();
    if (!visit(current)) {
      continue;
    }
    const auto kids = children(current);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      stack.push_back(*it);
    }
  }
}

// Every element below node (document order) for which match returns true.
template <class Match>
[[nodiscard]] std::vector<const GumboNode*> find_all(const GumboNode* node, Match&& match) {
  std::vector<const GumboNode*> found;
  walk(node, [&](const GumboNode* current) {
    if (current != node && is_element(current) && match(current)) {
      found.push_back(current);
    }
    return true;
  });
  return found;
}

// The visible text of a subtree, whitespace collapsed to single spaces, trimmed; script, style
// and comments left out.
[[nodiscard]] std::string text(const GumboNode* node);

// The visible text of a subtree split into the lines a browser would show.
[[nodiscard]] std::vector<std::string> lines(const GumboNode* node);

// The text of all comments below node, in order (e.g. Founder's <!--enpproperty ...-->).
[[nodiscard]] std::vector<std::string_view> comments(const GumboNode* node);

}  // namespace html
}  // namespace archiver
