#include "parsers/epaper_links.hpp"

#include "parsers/boilerplate.hpp"
#include "parsers/dates.hpp"
#include "parsers/selector_overrides.hpp"
#include "util/ascii.hpp"
#include "util/url.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>

namespace archiver {
namespace {

bool contains_digit(std::string_view text) { return std::ranges::any_of(text, is_ascii_digit); }

std::string_view strip_query(std::string_view url) {
  return url.substr(0, url.find_first_of("?#"));
}

std::string file_name(std::string_view url) {
  const std::string_view path = strip_query(url);
  return std::string(path.substr(path.rfind('/') + 1));
}

bool ends_with_any(std::string_view text, std::initializer_list<std::string_view> suffixes) {
  return std::ranges::any_of(
      suffixes, [&](std::string_view suffix) { return ends_with_ignoring_case(text, suffix); });
}

// Links that lead to documents, not pages: PDFs, images, archives.
bool is_download(std::string_view url) {
  return ends_with_any(strip_query(url), {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".doc",
                                          ".docx", ".xls", ".xlsx"});
}

// Index-like file names: the edition's pages, lists, the paper's front door.
bool is_index_name(std::string_view name) {
  for (const std::string_view prefix :
       {"node", "index", "list", "page_", "nbs.", "default", "home", "layout"}) {
    if (name.starts_with(prefix)) {
      return true;
    }
  }
  return name.empty();
}

bool same_host(std::string_view a, std::string_view b) { return host_of(a) == host_of(b); }

// The list item a link stands in: its nearest li/tr/dd/dt ancestor, else its parent block.
const GumboNode* item_of(const GumboNode* link) {
  for (const GumboNode* node = link->parent; node != nullptr && node->type == GUMBO_NODE_ELEMENT;
       node = node->parent) {
    switch (html::tag(node)) {
      case GUMBO_TAG_LI:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
        return node;
      default:
        break;
    }
  }
  return link->parent;
}

// The first string literal of a document.write(...) call in script text: 人民日报-style 版面
// pages write their headlines that way, <a href=...><script>document.write(view("标题"))
// </script></a>, and the link has no text of its own.
std::string written_by_script(std::string_view script) {
  const auto call = script.find("document.write");
  if (call == std::string_view::npos) {
    return {};
  }
  const auto open = script.find_first_of("\"'", call);
  if (open == std::string_view::npos) {
    return {};
  }
  const char quote = script[open];
  // What the script writes is markup: an escaped <br> between the lines of a long headline
  // stands for a space.
  std::string literal;
  for (std::size_t i = open + 1; i < script.size() && script[i] != quote; ++i) {
    const std::string_view rest = script.substr(i);
    bool line_break = false;
    for (const std::string_view br : {"&lt;br&gt;", "&lt;br/&gt;", "<br>", "<br/>", "<br />"}) {
      if (rest.starts_with(br)) {
        literal += ' ';
        i += br.size() - 1;
        line_break = true;
        break;
      }
    }
    if (line_break) {
      continue;
    }
    if (script[i] == '\\' && i + 1 < script.size()) {
      ++i;
    }
    literal += script[i];
  }
  return utf8::collapse_spaces(literal);
}

std::string scripted_title(const GumboNode* link) {
  for (const GumboNode* script : html::find_all(
           link, [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_SCRIPT; })) {
    for (const GumboNode* child : html::children(script)) {
      if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
        if (std::string text = written_by_script(child->v.text.text); !text.empty()) {
          return text;
        }
      }
    }
  }
  return {};
}

// Links of the paper's own furniture, never a headline: 往期回顾, 上一版, 返回目录.
bool is_paper_navigation(std::string_view title) {
  const std::string text = utf8::fold_width(utf8::trim(title));
  for (const std::string_view word :
       {"往期回顾", "往期", "过刊", "首页", "返回首页", "返回目录", "上一版", "下一版", "上一期",
        "下一期", "版面导航", "检索", "PDF下载", "下载本版PDF", "本版PDF"}) {
    if (text == word) {
      return true;
    }
  }
  return false;
}

std::string link_title(const GumboNode* link) {
  std::string text = html::text(link);
  if (text.empty()) {
    text = scripted_title(link);
  }
  // Lists cut long titles ("...") and keep the whole one in the title attribute.
  const std::string attribute(utf8::trim(html::attribute(link, "title")));
  for (const std::string_view ellipsis : {"...", "…", "。。。"}) {
    if (text.ends_with(ellipsis)) {
      const std::string stem = text.substr(0, text.size() - ellipsis.size());
      if (!attribute.empty() && attribute.starts_with(stem)) {
        return attribute;
      }
    }
  }
  return text;
}

struct HeadlineCollector {
  const ParseInput& input;
  std::set<std::string> page_urls;
  std::vector<Headline> headlines;
  // The page's own, once: every link is checked against them.
  std::string page_url = normalise_article_url(input.url);
  std::optional<Date> page_date = date_from_url(input.url);

  void add(const GumboNode* link, bool from_map) {
    const std::string_view href = html::attribute(link, "href");
    const std::string resolved = resolve_url(input.links_base(), href);
    if (resolved.empty() || is_download(resolved) ||
        (!same_host(resolved, input.url) && !same_host(resolved, input.links_base()))) {
      return;
    }
    const std::string url = normalise_article_url(resolved);
    if (page_urls.contains(url) || url == page_url || is_index_name(file_name(url))) {
      return;
    }
    const std::string title = from_map ? std::string() : link_title(link);
    const FoldedLine folded = fold_line(title);
    if (is_page_label(title) || is_tool_line(folded) || is_stop_line(folded) ||
        is_paper_navigation(title)) {
      return;
    }
    // Links into another edition (a 往期/热点 box) are not this page's headlines.
    if (const auto link_date = date_from_url(url);
        page_date && link_date && *page_date != *link_date) {
      return;
    }
    const auto existing = std::ranges::find(headlines, url, &Headline::url);
    if (existing != headlines.end()) {
      // The same article again (Founder lists it with ?div=-1 and ?div=0): keep the titled one.
      if (existing->title.empty() && !title.empty()) {
        existing->title = title;
      }
      existing->on_page_map = existing->on_page_map || from_map;
      return;
    }
    Headline headline{.title = title, .url = url, .summary = std::nullopt, .on_page_map = from_map};
    if (!from_map) {
      for (const auto& line : html::lines(item_of(link))) {
        if (auto summary = summary_text(line)) {
          headline.summary = std::move(summary);
          break;
        }
      }
    }
    headlines.push_back(std::move(headline));
  }
};

bool is_headline_label(std::string_view line) {
  const std::string text = utf8::fold_width(utf8::trim(line));
  for (const std::string_view label :
       {"标题导航", "本版标题", "标题列表", "本版导航", "标题索引"}) {
    if (text.starts_with(label) && utf8::count_code_points(text) <= 8) {
      return true;
    }
  }
  return false;
}

// The element holding the links that follow a 标题导航 label: the label's nearest ancestor
// whose subtree also has article links.
const GumboNode* headline_region(const PageAnalysis& analysis) {
  for (const auto& line : analysis.lines) {
    if (!is_headline_label(line.text)) {
      continue;
    }
    for (const GumboNode* node = line.owner; node != nullptr && node->type == GUMBO_NODE_ELEMENT;
         node = node->parent) {
      const auto links =
          html::find_all(node, [](const GumboNode* n) { return html::tag(n) == GUMBO_TAG_A; });
      if (links.size() >= 2) {
        return node;
      }
    }
  }
  return nullptr;
}

// The label test on text folded to half width. With `whole` false the text is only the head of a
// longer one, and a verdict that would need more of it is none (nullopt).
std::optional<bool> page_label_verdict(std::string_view text, bool whole) {
  if (text.starts_with("第")) {
    text.remove_prefix(std::string_view("第").size());
  }
  while (text.starts_with(' ')) {
    text.remove_prefix(1);
  }
  bool letter = false;
  char section = '\0';
  if (!text.empty() && is_ascii_upper(text.front())) {
    letter = true;
    section = text.front();
    text.remove_prefix(1);
  }
  std::size_t digits = 0;
  while (digits < text.size() && is_ascii_digit(text[digits])) {
    ++digits;
  }
  if (digits > 3) {
    return false;
  }
  if (!whole && digits == text.size()) {
    return std::nullopt;  // the head ends before what follows the number
  }
  if (digits == 0) {
    return false;
  }
  text.remove_prefix(digits);
  const bool spaced = text.starts_with(' ');
  while (text.starts_with(' ')) {
    text.remove_prefix(1);
  }
  if (!whole && text.empty()) {
    return std::nullopt;
  }
  if (text.starts_with("版")) {
    return true;
  }
  if (!letter) {
    return false;
  }
  // A01：头版 — a lettered page number with a colon needs no 版.
  if (text.starts_with(':')) {
    return true;
  }
  // A01 头版, A01: how 南方日报-style papers (node_A01.html) print it. A section letter A to F,
  // two digits and at most a short name, so that a headline such as "G20 峰会开幕" or "C919
  // 首飞" is none.
  constexpr std::size_t k_max_name = 6;
  if (section > 'F' || digits != 2) {
    return false;
  }
  if (!whole) {
    return std::nullopt;
  }
  return text.empty() || (spaced && text.find(' ') == std::string_view::npos &&
                          utf8::count_code_points(text) <= k_max_name && !contains_digit(text));
}

}  // namespace

bool is_page_label(std::string_view raw) {
  const std::string_view text = utf8::trim(raw);
  // The first characters decide, but for a short lettered label the whole text. This runs on
  // every paragraph of every article, and one need not be folded whole to find it is no label.
  constexpr std::size_t k_head_bytes = 32;
  if (text.size() > k_head_bytes) {
    std::size_t cut = k_head_bytes;
    while (cut > 0 && utf8::is_continuation(static_cast<std::uint8_t>(text[cut]))) {
      --cut;
    }
    if (const auto verdict = page_label_verdict(utf8::fold_width(text.substr(0, cut)), false)) {
      return *verdict;
    }
  }
  return page_label_verdict(utf8::fold_width(text), true).value_or(false);
}

std::string normalise_article_url(std::string_view url) {
  const std::string normal = normal_or_same(url);
  std::string_view base = std::string_view(normal).substr(0, normal.find('#'));
  const auto query = base.find('?');
  if (query != std::string_view::npos && base.substr(query + 1).starts_with("div=")) {
    base = base.substr(0, query);
  }
  return std::string(base);
}

std::optional<std::string> summary_text(std::string_view line) {
  constexpr std::string_view k_label = "摘要";
  std::string_view text = utf8::trim(line);
  if (!text.starts_with(k_label)) {
    return std::nullopt;
  }
  text = utf8::trim(text.substr(k_label.size()));
  for (const std::string_view colon : {":", "："}) {
    if (text.starts_with(colon)) {
      text = utf8::trim(text.substr(colon.size()));
      break;
    }
  }
  if (text.empty()) {
    return std::nullopt;
  }
  return std::string(text);
}

std::vector<PageLink> find_page_links(const PageAnalysis& analysis, const ParseInput& input) {
  std::vector<PageLink> pages;
  const auto add = [&](const GumboNode* link) {
    const std::string url =
        std::string(strip_query(resolve_url(input.links_base(), html::attribute(link, "href"))));
    if (url.empty() || is_download(url) ||
        std::ranges::find(pages, url, &PageLink::url) != pages.end()) {
      return;
    }
    pages.push_back({.title = html::text(link), .url = url});
  };
  const auto is_link = [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_A; };
  if (const auto chosen = select_for(analysis, input, "pages")) {
    for (const GumboNode* node : *chosen) {
      if (is_link(node)) {
        add(node);
      }
      for (const GumboNode* link : html::find_all(node, is_link)) {
        add(link);
      }
    }
    return pages;
  }
  for (const GumboNode* link : html::find_all(analysis.document.root(), is_link)) {
    const std::string_view id = html::attribute(link, "id");
    if (is_page_label(html::text(link)) || id == "pageLink") {
      add(link);
    }
  }
  return pages;
}

std::vector<Headline> find_headlines(const PageAnalysis& analysis, const ParseInput& input,
                                     const std::vector<PageLink>& pages) {
  HeadlineCollector collector{.input = input};
  for (const auto& page : pages) {
    collector.page_urls.insert(page.url);
  }
  const auto is_link = [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_A; };
  if (const auto chosen = select_for(analysis, input, "headlines")) {
    for (const GumboNode* node : *chosen) {
      if (is_link(node)) {
        collector.add(node, false);
      }
      for (const GumboNode* link : html::find_all(node, is_link)) {
        collector.add(link, false);
      }
    }
    return std::move(collector.headlines);
  }
  const GumboNode* region = headline_region(analysis);
  const GumboNode* root = region != nullptr ? region : analysis.document.root();
  std::vector<const GumboNode*> furniture_links;
  FurnitureMap furniture;
  for (const GumboNode* link : html::find_all(root, is_link)) {
    // Outside a labelled region, furniture (navigation, footers) is not a headline list.
    if (region == nullptr) {
      if (furniture.contains(link)) {
        furniture_links.push_back(link);
        continue;
      }
    }
    collector.add(link, false);
  }
  // A hidden copy of the list (display:none) names headlines the visible one only writes by
  // script: it lends them their titles, and adds nothing of its own.
  for (const GumboNode* link : furniture_links) {
    const std::string url =
        normalise_article_url(resolve_url(input.links_base(), html::attribute(link, "href")));
    const auto headline = std::ranges::find(collector.headlines, url, &Headline::url);
    if (headline != collector.headlines.end() && headline->title.empty()) {
      headline->title = link_title(link);
    }
  }
  // Image-map areas repeat the headlines; an article only on the map still counts.
  for (const GumboNode* area : html::find_all(analysis.document.root(), [](const GumboNode* n) {
         return html::tag(n) == GUMBO_TAG_AREA;
       })) {
    collector.add(area, true);
  }
  return std::move(collector.headlines);
}

}  // namespace archiver
