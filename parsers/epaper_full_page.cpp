#include "parsers/epaper_full_page.hpp"

#include "parsers/boilerplate.hpp"
#include "parsers/credits.hpp"
#include "parsers/epaper_links.hpp"
#include "util/url.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <array>

namespace archiver {
namespace {

bool has_any_token(const GumboNode* node, std::initializer_list<std::string_view> wanted) {
  return html::has_class_or_id_token(node, std::span(wanted.begin(), wanted.end()));
}

// Heading rank: h1..h6 as 1..6; a title-classed element counts as an h2, a kicker- or
// subtitle-classed one as an h3. Zero: not a heading.
int rank_of(const GumboNode* node) {
  if (const int level = html::heading_level(node); level > 0) {
    return level;
  }
  if (html::tag(node) == GUMBO_TAG_A || html::tag(node) == GUMBO_TAG_LI) {
    return 0;
  }
  // A kicker's or subtitle's tokens first: class="title subtitle" is a subtitle.
  static constexpr std::array<std::string_view, 7> lesser{"yinti",    "yt",  "kicker", "introtitle",
                                                          "subtitle", "fbt", "futi"};
  static constexpr std::array<std::string_view, 3> title{"title", "bt", "biaoti"};
  static constexpr std::array<std::span<const std::string_view>, 2> lists{lesser, title};
  switch (html::first_list_with_class_or_id_token(node, lists)) {
    case 0:
      return 3;
    case 1:
      return 2;
    default:
      return 0;
  }
}

enum class Role { unknown, kicker, subtitle };

Role class_role(const GumboNode* node) {
  if (has_any_token(node, {"yinti", "yt", "kicker", "introtitle", "lanmu", "column"})) {
    return Role::kicker;
  }
  if (has_any_token(node, {"subtitle", "fbt", "futi", "ft"})) {
    return Role::subtitle;
  }
  return Role::unknown;
}

struct Item {
  const GumboNode* heading = nullptr;  // null for a paragraph
  int rank = 0;
  std::string text;
  std::string link;  // the article page a heading links to
};

struct Segment {
  const GumboNode* block = nullptr;  // the wrapper, when the page has one per article
  std::vector<Item> items;
};

// The article page a heading links to, if any.
std::string heading_link(const GumboNode* heading, const ParseInput& input) {
  for (const GumboNode* link :
       html::find_all(heading, [](const GumboNode* n) { return html::tag(n) == GUMBO_TAG_A; })) {
    const std::string url = resolve_url(input.links_base(), html::attribute(link, "href"));
    if (!url.empty()) {
      return normalise_article_url(url);
    }
  }
  return {};
}

// The region's content as headings and paragraphs, wrappers flattened, furniture left out.
std::vector<Item> items_of(const PageAnalysis& analysis, const GumboNode* region,
                           const ParseInput& input) {
  std::vector<Item> items;
  html::walk(region, [&](const GumboNode* node) {
    if (node != region && analysis.boilerplate.contains(node)) {
      return false;
    }
    if (!html::is_element(node)) {
      return false;
    }
    if (const int rank = rank_of(node); rank > 0 && node != region) {
      const std::string text = html::text(node);
      if (!text.empty()) {
        items.push_back(
            {.heading = node, .rank = rank, .text = text, .link = heading_link(node, input)});
      }
      return false;
    }
    if (html::tag(node) == GUMBO_TAG_P) {
      for (auto& line : html::lines(node)) {
        if (!is_tool_line(line) && !is_stop_line(line)) {
          items.push_back({.heading = nullptr, .rank = 0, .text = std::move(line), .link = {}});
        }
      }
      return false;
    }
    return true;
  });
  return items;
}

// Where the articles are: the element whose direct children hold the most headings with
// paragraphs after them. Wrapped layouts give one child per article; flat ones one element.
const GumboNode* article_region(const PageAnalysis& analysis) {
  const GumboNode* best = nullptr;
  std::size_t best_titles = 0;
  html::walk(analysis.document.root(), [&](const GumboNode* node) {
    if (analysis.boilerplate.contains(node)) {
      return false;
    }
    if (!html::is_element(node)) {
      return true;
    }
    const auto is_title = [](const GumboNode* element) {
      const int rank = rank_of(element);
      return rank > 0 && rank <= 2;
    };
    std::size_t titles = 0;
    for (const GumboNode* child : html::children(node)) {
      titles += is_title(child) ? 1U : 0U;
      titles += static_cast<std::size_t>(std::ranges::count_if(html::children(child), is_title));
    }
    if (titles > best_titles) {
      best_titles = titles;
      best = node;
    }
    return true;
  });
  return best_titles >= 2 ? best : nullptr;
}

// Whether a heading in the region holds a link (any <a>: heading_link resolves even an empty
// href). Only a 版面 may print a whole 版面 without titles that link to the articles' own pages
// (the test at the end of whole_page_articles): on any other page, without such a heading, the
// answer is known before a paragraph is read.
bool has_linking_heading(const GumboNode* region) {
  bool found = false;
  html::walk(region, [&](const GumboNode* node) {
    if (found || !html::is_element(node)) {
      return false;
    }
    if (node != region && rank_of(node) > 0) {
      found = !html::find_all(node, [](const GumboNode* n) {
                 return html::tag(n) == GUMBO_TAG_A;
               }).empty();
      return false;
    }
    return true;
  });
  return found;
}

bool is_wrapper(const GumboNode* child) {
  if (!html::is_element(child) || rank_of(child) > 0 || html::tag(child) == GUMBO_TAG_P) {
    return false;
  }
  return std::ranges::any_of(html::children(child), [](const GumboNode* inner) {
    return rank_of(inner) > 0 && rank_of(inner) <= 2;
  });
}

// Splits a flat run: a credit ends an article; a title heading starts a new one when the current
// one already has a title and text.
std::vector<Segment> flat_segments(const std::vector<Item>& items, int title_rank) {
  std::vector<Segment> segments(1);
  const auto has_title = [&](const Segment& segment) {
    return std::ranges::any_of(
        segment.items, [&](const Item& item) { return item.heading && item.rank <= title_rank; });
  };
  const auto has_text = [](const Segment& segment) {
    return std::ranges::any_of(segment.items, [](const Item& item) { return !item.heading; });
  };
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    Segment* current = &segments.back();
    const bool starts_title = item.heading != nullptr && item.rank <= title_rank;
    // A kicker: a lesser heading right before a title.
    const bool starts_kicker = item.heading != nullptr && item.rank > title_rank &&
                               i + 1 < items.size() && items[i + 1].heading != nullptr &&
                               items[i + 1].rank <= title_rank;
    if ((starts_title || starts_kicker) && has_title(*current) && has_text(*current)) {
      segments.emplace_back();
      current = &segments.back();
    }
    current->items.push_back(item);
    if (!item.heading && split_trailing_credit(item.text)) {
      segments.emplace_back();  // the credit closes the article
    }
  }
  std::erase_if(segments, [](const Segment& segment) { return segment.items.empty(); });
  return segments;
}

Article article_of(const Segment& segment, int title_rank) {
  Article article;
  // The title: the heading that links to the article's page, else the highest-ranked one.
  const Item* title = nullptr;
  for (const Item& item : segment.items) {
    if (item.heading && !item.link.empty() && class_role(item.heading) == Role::unknown) {
      title = &item;
      break;
    }
  }
  if (title == nullptr) {
    for (const Item& item : segment.items) {
      if (item.heading && item.rank <= title_rank && class_role(item.heading) == Role::unknown &&
          (title == nullptr || item.rank < title->rank)) {
        title = &item;
      }
    }
  }
  std::vector<std::string> paragraphs;
  for (const Item& item : segment.items) {
    if (!item.heading) {
      paragraphs.push_back(item.text);
      continue;
    }
    if (&item == title) {
      article.title = item.text;
    } else if (article.title.empty() && class_role(item.heading) != Role::subtitle) {
      article.kicker = item.text;  // a lesser heading before the title
    } else if (!article.title.empty() && !article.subtitle) {
      article.subtitle = item.text;
    }
  }
  if (title != nullptr && !title->link.empty()) {
    const std::string_view link = title->link;
    article.anchor = std::string(link.substr(link.rfind('/') + 1));
    const auto dot = article.anchor->rfind('.');
    if (dot != std::string::npos) {
      article.anchor->erase(dot);
    }
  }
  if (segment.block != nullptr && !html::attribute(segment.block, "id").empty()) {
    article.anchor = std::string(html::attribute(segment.block, "id"));
  }
  if (!paragraphs.empty()) {
    if (auto credit = split_trailing_credit(paragraphs.back())) {
      article.author = credit->author;
      paragraphs.back() = credit->text;
    } else if (auto photographer = find_photo_credit(paragraphs.back())) {
      article.author = photographer;
      std::string& last = paragraphs.back();
      last = std::string(utf8::trim(std::string_view(last).substr(0, last.rfind(*photographer))));
    }
    if (paragraphs.back().empty()) {
      paragraphs.pop_back();
    }
  }
  article.body = std::move(paragraphs);
  return article;
}

}  // namespace

std::vector<Article> whole_page_articles(const PageAnalysis& analysis, const ParseInput& input,
                                         bool index_like_page) {
  const GumboNode* region = article_region(analysis);
  if (region == nullptr || (!index_like_page && !has_linking_heading(region))) {
    return {};
  }
  // One wrapper per article, or a flat run to split.
  std::vector<Segment> segments;
  const auto kids = html::children(region);
  const auto wrappers = std::ranges::count_if(kids, is_wrapper);
  int title_rank = 2;
  if (wrappers >= 2) {
    for (const GumboNode* child : kids) {
      if (is_wrapper(child)) {
        segments.push_back({.block = child, .items = items_of(analysis, child, input)});
      }
    }
  } else {
    const auto items = items_of(analysis, region, input);
    // The title rank: the best-ranked heading level that occurs at least twice.
    for (int rank = 1; rank <= 6; ++rank) {
      if (std::ranges::count_if(items,
                                [&](const Item& i) { return i.heading && i.rank == rank; }) >= 2) {
        title_rank = rank;
        break;
      }
    }
    segments = flat_segments(items, title_rank);
  }
  std::vector<Article> articles;
  bool linked = false;
  for (const auto& segment : segments) {
    Article article = article_of(segment, title_rank);
    linked =
        linked || std::ranges::any_of(segment.items, [](const Item& i) { return !i.link.empty(); });
    if (!article.title.empty() && !article.body.empty()) {
      articles.push_back(std::move(article));
    }
  }
  // Sub-headed sections of one article are not several articles: a whole 版面 is an edition
  // page, or its titles link to the articles' own pages.
  if (articles.size() < 2 || (!index_like_page && !linked)) {
    return {};
  }
  int place = 0;
  for (auto& article : articles) {
    ++place;
    if (!article.anchor) {
      article.anchor = std::to_string(place);
    }
  }
  return articles;
}

}  // namespace archiver
