#include "parsers/page_lines.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <functional>

namespace archiver {
namespace {

// Class/id words that real CMS and e-paper templates use for furniture. Matched against whole
// tokens (see html::class_and_id_tokens), never substrings: "head" must not match "header".
constexpr std::array<std::string_view, 49> k_furniture_tokens = {
    "caption",  "nav",      "navbar",  "menu",     "footer",     "foot",       "copyright",
    "share",    "bdshare",  "jiathis", "related",  "relate",     "xgyd",       "xgxw",
    "hot",      "hotnews",  "comment", "comments", "breadcrumb", "crumb",      "crumbs",
    "location", "position", "sidebar", "ad",       "ads",        "advert",     "banner",
    "keyword",  "keywords", "tags",    "prenext",  "pager",      "pagination", "tools",
    "tool",     "toolbar",  "print",   "search",   "login",      "recommend",  "friendlink",
    "qrcode",   "ewm",      "erweima", "gotop",    "backtop",    "wm-ipp",     "wayback"};

bool is_furniture_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_FIGCAPTION:  // photo captions are kept apart from the body
      return true;
    default:
      return false;
  }
}

// A wrapper that holds the article itself: its headline (<h1>) and a paragraph of prose. Such
// an element is no furniture because a part of a compound class says so: BBC's page wrapper is
// "blq-container ... blq-int-nav", and "nav" must not swallow the article. The look is bounded
// (a wrapper shows its headline and first paragraph early), so that furniture nested in
// furniture costs a constant each, not its subtree.
bool holds_the_article(const GumboNode* node) {
  constexpr std::size_t k_prose = 40;         // code points: longer than any menu entry
  constexpr std::size_t k_max_visits = 4000;  // elements and text nodes looked at
  bool headline = false;
  bool prose = false;
  std::size_t visits = 0;
  html::walk(node, [&](const GumboNode* current) {
    if ((headline && prose) || ++visits > k_max_visits) {
      return false;
    }
    if (html::tag(current) == GUMBO_TAG_H1) {
      headline = true;
      return false;
    }
    if (html::tag(current) == GUMBO_TAG_P) {
      prose = prose || utf8::count_code_points(html::text(current)) >= k_prose;
      return false;
    }
    return true;
  });
  return headline && prose;
}

}  // namespace

bool is_boilerplate_element(const GumboNode* node) {
  if (!html::is_element(node)) {
    return false;
  }
  if (is_furniture_tag(html::tag(node))) {
    return true;
  }
  const std::string_view style = html::attribute(node, "style");
  if (style.find("display:none") != std::string_view::npos ||
      style.find("display: none") != std::string_view::npos) {
    return true;
  }
  switch (html::match_class_or_id(node, k_furniture_tokens)) {
    case html::ClassIdMatch::word:
      return true;  // class="nav", id="footer"
    case html::ClassIdMatch::part:
      // A part of a compound name ("main-nav", "blq-int-nav"): furniture unless it wraps the
      // article.
      return !holds_the_article(node);
    case html::ClassIdMatch::none:
      return false;
  }
  return false;
}

void BoilerplateElements::add(const GumboNode* element, bool boilerplate) {
  m_answers.emplace_back(element, boilerplate);
}

void BoilerplateElements::seal() {
  std::ranges::sort(m_answers, std::less<>(), &std::pair<const GumboNode*, bool>::first);
}

bool BoilerplateElements::contains(const GumboNode* node) const {
  const auto found = std::ranges::lower_bound(m_answers, node, std::less<>(),
                                              &std::pair<const GumboNode*, bool>::first);
  return found != m_answers.end() && found->first == node ? found->second
                                                          : is_boilerplate_element(node);
}

bool FurnitureMap::contains(const GumboNode* node) {
  // Up to the first ancestor already known (or the root), then the answers down again.
  std::vector<const GumboNode*> unknown;
  bool furniture = false;
  for (const GumboNode* current = node; current != nullptr; current = current->parent) {
    if (const auto known = m_known.find(current); known != m_known.end()) {
      furniture = known->second;
      break;
    }
    unknown.push_back(current);
  }
  for (auto it = unknown.rbegin(); it != unknown.rend(); ++it) {
    furniture = furniture || is_boilerplate_element(*it);
    m_known.emplace(*it, furniture);
  }
  return furniture;
}

bool is_inside(const GumboNode* node, const GumboNode* ancestor) {
  for (const GumboNode* current = node; current != nullptr; current = current->parent) {
    if (current == ancestor) {
      return true;
    }
  }
  return false;
}

std::vector<PageLine> collect_lines(const HtmlDocument& document, BoilerplateElements& answers) {
  std::vector<PageLine> lines;
  // Walk state: a stack of owners, and counters for enclosing <a> and furniture elements.
  std::vector<const GumboNode*> owners{document.root()};
  int link_depth = 0;
  int furniture_depth = 0;
  std::string text;
  std::size_t link_chars = 0;

  const auto flush = [&] {
    utf8::CollapsedLine line = utf8::collapse_and_fold(text);
    if (!line.text.empty()) {
      // Folding maps each code point to one: the folded line has the line's count (fold_line
      // would count it again).
      lines.push_back(PageLine{
          .text = std::move(line.text),
          .owner = owners.back(),
          .in_boilerplate = furniture_depth > 0,
          .link_chars = std::min(link_chars, line.counts.code_points),
          .chars = line.counts.code_points,
          .cjk = line.counts.cjk,
          .folded = FoldedLine{.text = std::move(line.folded), .chars = line.counts.code_points}});
    }
    text.clear();
    link_chars = 0;
  };

  struct Exit {
    bool block = false;
    bool link = false;
    bool furniture = false;
  };
  struct Item {
    const GumboNode* node;
    bool is_exit;
    Exit exit;
  };
  std::vector<Item> stack{{document.root(), false, {}}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.is_exit) {
      if (item.exit.block) {
        flush();
        owners.pop_back();
      }
      link_depth -= item.exit.link ? 1 : 0;
      furniture_depth -= item.exit.furniture ? 1 : 0;
      continue;
    }
    const GumboNode* node = item.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      const std::string_view piece = node->v.text.text;
      text += piece;
      if (link_depth > 0) {
        link_chars += utf8::count_code_points(utf8::trim(piece));
      }
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) {
      continue;
    }
    switch (html::tag(node)) {
      case GUMBO_TAG_SCRIPT:
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_NOSCRIPT:
      case GUMBO_TAG_HEAD:
      case GUMBO_TAG_TEMPLATE:
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_TEXTAREA:
        continue;
      case GUMBO_TAG_BR:
        flush();
        continue;
      case GUMBO_TAG_IMG:
        text += ' ';
        continue;
      default:
        break;
    }
    Exit exit;
    exit.block = html::breaks_line(node);
    exit.link = html::tag(node) == GUMBO_TAG_A;
    exit.furniture = is_boilerplate_element(node);
    answers.add(node, exit.furniture);
    if (exit.block) {
      flush();
      owners.push_back(node);
    }
    link_depth += exit.link ? 1 : 0;
    furniture_depth += exit.furniture ? 1 : 0;
    stack.push_back({node, true, exit});
    const auto kids = html::children(node);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      stack.push_back({*it, false, {}});
    }
  }
  flush();
  answers.seal();
  return lines;
}

}  // namespace archiver
