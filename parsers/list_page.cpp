#include "parsers/list_page.hpp"

#include "parsers/boilerplate.hpp"
#include "parsers/dates.hpp"
#include "parsers/epaper_links.hpp"
#include "parsers/platform_hints.hpp"
#include "parsers/selector_overrides.hpp"
#include "util/url.hpp"
#include "util/utf8.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace archiver {
namespace {

// A page whose article text is shorter than this (in CJK characters) is no article page: what
// the extraction found there is a summary, a footer or a pagination bar.
constexpr std::size_t k_min_article_cjk = 20;

// A link to an article of this site: same host, a document rather than an index or a download.
std::optional<std::string> article_link(const GumboNode* link, const ParseInput& input) {
  const std::string url = resolve_url(input.links_base(), html::attribute(link, "href"));
  // The site's own host: the page's, or the one its <base href> names.
  if (url.empty() ||
      (host_of(url) != host_of(input.url) && host_of(url) != host_of(input.links_base()))) {
    return std::nullopt;
  }
  const std::string_view path = std::string_view(url).substr(0, url.find_first_of("?#"));
  const std::string_view name = path.substr(path.rfind('/') + 1);
  for (const std::string_view prefix : {"index", "list", "node", "default"}) {
    if (name.empty() || name.starts_with(prefix)) {
      return std::nullopt;
    }
  }
  for (const std::string_view suffix : {".pdf", ".jpg", ".png", ".gif", ".doc", ".zip"}) {
    if (path.ends_with(suffix)) {
      return std::nullopt;
    }
  }
  return normalise_article_url(url);
}

// The child of container on the way down to node.
const GumboNode* child_towards(const GumboNode* container, const GumboNode* node) {
  const GumboNode* current = node;
  while (current != nullptr && current->parent != container) {
    current = current->parent;
  }
  return current;
}

std::string link_text(const GumboNode* link) {
  std::string text = html::text(link);
  const std::string title(utf8::trim(html::attribute(link, "title")));
  for (const std::string_view ellipsis : {"...", "…"}) {
    if (text.ends_with(ellipsis) && !title.empty() &&
        title.starts_with(text.substr(0, text.size() - ellipsis.size()))) {
      return title;
    }
  }
  return text;
}

// Text of an entry besides its title and date: the summary some lists print.
std::optional<std::string> entry_summary(const GumboNode* item, const std::string& title,
                                         const std::string& shown) {
  for (std::string line : html::lines(item)) {
    if ((!shown.empty() && line.starts_with(shown)) || line.starts_with(title)) {
      continue;  // the line of the (possibly shortened) title itself
    }
    if (auto summary = summary_text(line)) {
      return summary;
    }
    for (const std::string_view more : {"[详细]", "[全文]", "[详情]", "阅读全文", "详细>>", ">>"}) {
      if (line.ends_with(more)) {
        line = std::string(utf8::trim(std::string_view(line).substr(0, line.size() - more.size())));
      }
    }
    // A line that is the title with a date or a tag around it is no summary.
    std::string rest = line;
    for (const std::string& known : {title, shown}) {
      if (const auto at = known.empty() ? std::string::npos : rest.find(known);
          at != std::string::npos) {
        rest.erase(at, known.size());
      }
    }
    if (utf8::count_cjk(rest) < 10) {
      continue;
    }
    return line;
  }
  return std::nullopt;
}

}  // namespace

ListEntries find_list_entries(const PageAnalysis& analysis, const ParseInput& input) {
  const auto is_link = [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_A; };
  std::vector<std::pair<const GumboNode*, std::string>> links;
  std::vector<const GumboNode*> chosen_links;
  const auto chosen = select_for(analysis, input, "headlines");
  if (chosen) {
    for (const GumboNode* node : *chosen) {
      if (is_link(node)) {
        chosen_links.push_back(node);
      }
      for (const GumboNode* link : html::find_all(node, is_link)) {
        chosen_links.push_back(link);
      }
    }
  } else {
    FurnitureMap furniture;
    for (const GumboNode* link : html::find_all(analysis.document.root(), is_link)) {
      if (!furniture.contains(link)) {
        chosen_links.push_back(link);
      }
    }
  }
  for (const GumboNode* link : chosen_links) {
    if (auto url = article_link(link, input)) {
      links.emplace_back(link, std::move(*url));
    }
  }

  // Each ancestor scores the number of its children that hold an article link: the list is the
  // element whose entries are spread over the most children.
  std::map<const GumboNode*, std::set<const GumboNode*>> spread;
  for (const auto& [link, url] : links) {
    const GumboNode* child = link;
    for (const GumboNode* parent = link->parent;
         parent != nullptr && parent->type == GUMBO_NODE_ELEMENT; parent = parent->parent) {
      spread[parent].insert(child);
      child = parent;
    }
  }
  // Ties go to the deepest element: the one closest to the entries themselves.
  const auto depth = [](const GumboNode* node) {
    std::size_t levels = 0;
    for (; node != nullptr; node = node->parent) {
      ++levels;
    }
    return levels;
  };
  ListEntries entries;
  std::size_t best = 0;
  std::size_t best_depth = 0;
  for (const auto& [node, children] : spread) {
    const std::size_t node_depth = depth(node);
    if (children.size() > best || (children.size() == best && node_depth > best_depth)) {
      best = children.size();
      best_depth = node_depth;
      entries.container = node;
    }
  }
  spdlog::debug("{}: list of {} entries in <{} class=\"{}\">", input.url, best,
                html::tag_name(entries.container), html::attribute(entries.container, "class"));
  if (entries.container == nullptr) {
    entries.container = nullptr;
    return entries;
  }
  const std::string self = normalise_article_url(input.url);
  std::unordered_map<std::string_view, std::size_t> index_of;  // entry by URL
  for (const auto& [link, url] : links) {
    // A list may name the page it is on (推荐/热点 boxes): that entry is not a link away.
    if (!is_inside(link, entries.container) || url == self) {
      continue;
    }
    const std::string title = link_text(link);
    if (const auto found = index_of.find(url); found != index_of.end()) {
      Headline* const existing = &entries.headlines[found->second];
      if (existing->title.empty() && !title.empty()) {
        // An image link came first; the titled one names the entry and finds its summary.
        existing->title = title;
        existing->summary =
            entry_summary(child_towards(entries.container, link), title, html::text(link));
      }
      continue;
    }
    index_of.emplace(url, entries.headlines.size());
    const GumboNode* item = child_towards(entries.container, link);
    entries.headlines.push_back(
        {.title = title,
         .url = url,
         .summary = title.empty() ? std::nullopt : entry_summary(item, title, html::text(link))});
  }
  return entries;
}

std::optional<std::string> find_next_page(const PageAnalysis& analysis, const ParseInput& input) {
  const auto is_link = [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_A; };
  if (const auto chosen = select_for(analysis, input, "next_page")) {
    for (const GumboNode* node : *chosen) {
      const GumboNode* link = is_link(node) ? node : nullptr;
      if (link == nullptr) {
        const auto inner = html::find_all(node, is_link);
        link = inner.empty() ? nullptr : inner.front();
      }
      if (link != nullptr) {
        const std::string url = resolve_url(input.links_base(), html::attribute(link, "href"));
        if (!url.empty()) {
          return url;
        }
      }
    }
    return std::nullopt;
  }
  for (const GumboNode* link : html::find_all(analysis.document.root(), is_link)) {
    const std::string text = utf8::fold_width(html::text(link));
    if (text != "下一页" && text != "下页" && text != "下一頁" && text != "后页" && text != ">" &&
        text != "›" && text != "下一页>" && text != "下一页>>" && text != "Next" &&
        text != "next") {
      continue;
    }
    const std::string url = resolve_url(input.links_base(), html::attribute(link, "href"));
    if (!url.empty() && url != normal_or_same(input.url)) {
      return url;
    }
  }
  return std::nullopt;
}

namespace {

ParsedPage parse_list_or_article(const ParseInput& page_input) {
  const PageAnalysis analysis(page_input.html, page_input.url);
  const ParseInput input = analysis.with_base(page_input);
  ParsedPage page;
  ListEntries list = find_list_entries(analysis, input);
  ArticleHints hints;
  apply_selectors(analysis, input, hints);
  apply_platform_hints(analysis, input.html, hints);
  Article article = extract_article(analysis, input, hints);
  // A list page: its entries hold the page's text, so whatever "body" the article extraction
  // found is made of their lines. An article page: its lists (相关文章, 热门) are asides. Looked
  // up in sets, so that a list of any length is read in time linear in its size.
  std::unordered_set<std::string_view> entry_lines;
  if (list.container != nullptr) {
    for (const PageLine& line : analysis.lines) {
      if (is_inside(line.owner, list.container)) {
        entry_lines.insert(line.text);
      }
    }
  }
  for (const Headline& entry : list.headlines) {
    if (!entry.title.empty()) {
      entry_lines.insert(entry.title);
    }
    if (entry.summary) {
      entry_lines.insert(*entry.summary);
    }
  }
  const auto from_list = [&](const std::string& paragraph) {
    return entry_lines.contains(paragraph);
  };
  std::size_t body_cjk = 0;
  for (const auto& paragraph : article.body) {
    body_cjk += utf8::count_cjk(paragraph);
  }
  // Most of the "body" taken from the list's entries: a list page. One paragraph that happens to
  // repeat a sidebar entry's title does not make an article page a list.
  const auto from_list_count =
      static_cast<std::size_t>(std::ranges::count_if(article.body, from_list));
  const bool is_list = !list.headlines.empty() &&
                       (body_cjk < k_min_article_cjk || from_list_count * 2 > article.body.size());
  if (is_list) {
    page.headlines = std::move(list.headlines);
    page.next_page = find_next_page(analysis, input);
    return page;
  }
  if (!article.body.empty()) {
    page.articles.push_back(std::move(article));
  }
  return page;
}

}  // namespace

ParsedPage parse_cms(const ParseInput& input) { return parse_list_or_article(input); }

ParsedPage parse_portal(const ParseInput& input) { return parse_list_or_article(input); }

}  // namespace archiver
