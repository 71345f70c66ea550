#include "parsers/epaper.hpp"

#include "parsers/boilerplate.hpp"
#include "parsers/credits.hpp"
#include "parsers/dates.hpp"
#include "parsers/epaper_full_page.hpp"
#include "parsers/epaper_links.hpp"
#include "parsers/generic.hpp"
#include "parsers/page_assets.hpp"
#include "parsers/selector_overrides.hpp"
#include "util/utf8.hpp"

#include <algorithm>

namespace archiver {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The elements Founder pages wrap their article text in.
const GumboNode* founder_body(const PageAnalysis& analysis) {
  const GumboNode* found = nullptr;
  html::walk(analysis.document.root(), [&](const GumboNode* node) {
    if (found != nullptr) {
      return false;
    }
    if (html::is_element(node) && html::tag_name(node) == "founder-content") {
      found = node;
      return false;
    }
    return true;
  });
  return found;
}

const GumboNode* element_named(const PageAnalysis& analysis, std::string_view name) {
  const auto found = html::find_all(analysis.document.root(), [&](const GumboNode* node) {
    return html::tag_name(node) == name;
  });
  return found.empty() ? nullptr : found.front();
}

std::string normalised(std::string_view url) { return normalise_article_url(url); }

// ---- What the page says of its edition ---------------------------------------------------------

std::optional<std::string> page_name(const PageAnalysis& analysis, const ParseInput& input,
                                     const std::vector<PageLink>& pages) {
  // A 版面 page is the entry of the page list that points at itself.
  const std::string self = normalised(input.url);
  for (const auto& page : pages) {
    if (page.url == self) {
      return page.title;
    }
  }
  // Else an element that prints the label alone, outside any link: 第02版:工会新闻 above the
  // article or in the page bar.
  std::optional<std::string> printed;
  html::walk(analysis.document.root(), [&](const GumboNode* node) {
    if (printed || html::tag(node) == GUMBO_TAG_A || analysis.boilerplate.contains(node)) {
      return false;
    }
    if (html::is_element(node) && !html::children(node).empty()) {
      const bool has_link = !html::find_all(node, [](const GumboNode* n) {
                               return html::tag(n) == GUMBO_TAG_A;
                             }).empty();
      if (!has_link) {
        const std::string text = html::text(node);
        if (is_page_label(text) && utf8::count_code_points(text) <= 30) {
          printed = text;
          return false;
        }
      }
    }
    return true;
  });
  if (printed) {
    return printed;
  }
  // Else a label printed as text, not as a link: 第02版:工会新闻 above the article, or one
  // field of an info line ("淮畔职工报  2023年08月01日  01版：要闻  第 2345 期").
  for (const auto& line : analysis.lines) {
    if (line.link_chars != 0 || line.chars > 60) {
      continue;
    }
    if (is_page_label(line.text) && line.chars <= 30 && line.text.find(' ') == std::string::npos) {
      return line.text;
    }
    std::string_view rest = line.text;
    while (!rest.empty()) {
      const auto end = std::min(rest.find(' '), rest.size());
      const std::string_view token = rest.substr(0, end);
      if (is_page_label(token)) {
        return std::string(token);
      }
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  if (auto node = analysis.meta.enp_field("nodename"); node && is_page_label(*node)) {
    return node;
  }
  if (input.listed_in != nullptr && input.listed_in->page) {
    return input.listed_in->page;
  }
  return std::nullopt;
}

std::optional<std::string> edition_date(const PageAnalysis& analysis, const ParseInput& input) {
  if (const auto date = date_from_url(input.url)) {
    return date->to_iso();
  }
  if (const auto value = analysis.meta.enp_field("date")) {
    if (const auto date = parse_machine_date(*value)) {
      return date->date.to_iso();
    }
  }
  if (const GumboNode* node = element_named(analysis, "founder-date")) {
    if (const auto date = find_date(html::text(node))) {
      return date->date.to_iso();
    }
  }
  if (input.listed_in != nullptr && input.listed_in->edition) {
    return input.listed_in->edition;
  }
  // The masthead: the first date printed on the page.
  for (const auto& line : analysis.lines) {
    if (line.chars <= 40) {
      if (const auto date = find_date(line.text)) {
        return date->date.to_iso();
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> edition_issue(const PageAnalysis& analysis, const ParseInput& input) {
  for (const auto& line : analysis.lines) {
    if (line.chars <= 40) {
      if (auto issue = find_issue(line.text)) {
        return issue;
      }
    }
  }
  if (input.listed_in != nullptr) {
    return input.listed_in->issue;
  }
  return std::nullopt;
}

// ---- An article page ---------------------------------------------------------------------------

ArticleHints founder_hints(const PageAnalysis& analysis) {
  ArticleHints hints;
  hints.body = founder_body(analysis);
  const PageMeta& meta = analysis.meta;
  if (!meta.enp.empty()) {
    // enpproperty is the most reliable source when present (SITES.md); empty fields say none.
    if (auto title = meta.enp_field("title")) {
      hints.title_text = title;
    }
    hints.kicker = meta.enp_field("introtitle").value_or("");
    hints.subtitle = meta.enp_field("subtitle").value_or("");
    if (auto author = meta.enp_field("author")) {
      hints.author = author;
    }
  }
  return hints;
}

bool is_index_page(const ParseInput& input, const std::vector<PageLink>& pages) {
  const std::string self = normalised(input.url);
  if (std::ranges::find(pages, self, &PageLink::url) != pages.end()) {
    return true;
  }
  const std::string_view path = std::string_view(self);
  const std::string_view name = path.substr(path.rfind('/') + 1);
  return name.starts_with("node") || name.starts_with("index") || name.starts_with("nbs.") ||
         name.starts_with("Page") || name.empty();
}

}  // namespace

std::optional<std::string> find_issue(std::string_view line) {
  // An issue number ends in 期, which folding leaves as it is: a line without it is not folded.
  if (line.find("期") == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string text = utf8::fold_width(line);
  std::size_t pos = text.find("期次");
  pos = pos == std::string::npos ? text.find("第") : text.find("第", pos);
  while (pos != std::string::npos) {
    std::size_t cursor = pos + std::string_view("第").size();
    while (cursor < text.size() && text[cursor] == ' ') {
      ++cursor;
    }
    std::string digits;
    while (cursor < text.size() && is_digit(text[cursor])) {
      digits.push_back(text[cursor++]);
    }
    while (cursor < text.size() && text[cursor] == ' ') {
      ++cursor;
    }
    if (!digits.empty() && std::string_view(text).substr(cursor).starts_with("期")) {
      return digits;
    }
    pos = text.find("第", pos + 1);
  }
  return std::nullopt;
}

ParsedPage parse_epaper(const ParseInput& page_input) {
  const PageAnalysis analysis(page_input.html, page_input.url);
  const ParseInput input = analysis.with_base(page_input);
  ParsedPage page;
  page.pages = find_page_links(analysis, input);
  page.edition.edition = edition_date(analysis, input);
  page.edition.page = page_name(analysis, input, page.pages);
  page.edition.issue = edition_issue(analysis, input);

  const auto stamp = [&](Article& article) {
    article.edition = page.edition.edition;
    article.page = page.edition.page;
    article.issue = page.edition.issue;
    if (!article.published) {
      article.published = page.edition.edition;
    }
  };

  // The 标题导航 is read on every page but an article's, and there only when the caller asks for
  // it (ParseInput::headlines_beside_article): on an article page it lists the articles of the
  // 版面, which a crawl reads from the 版面 itself.
  const auto read_headlines = [&] { page.headlines = find_headlines(analysis, input, page.pages); };

  // A 版面 keeps its PDF and its scan, with the scan's map of where each article sits.
  const bool index_like = is_index_page(input, page.pages);
  if (index_like) {
    PageAssets found = find_page_assets(analysis, input, page.edition.page);
    page.assets = std::move(found.assets);
    page.areas = std::move(found.areas);
  }

  // A whole 版面 printed on one page: every article with its own title and credit.
  if (auto articles = whole_page_articles(analysis, input, index_like); !articles.empty()) {
    read_headlines();
    for (auto& article : articles) {
      stamp(article);
      page.articles.push_back(std::move(article));
    }
    return page;
  }
  if (index_like) {
    read_headlines();
    return page;
  }
  ArticleHints hints = founder_hints(analysis);
  // The paper prints the edition's date; a date in the article text is about the news.
  hints.published = page.edition.edition;
  apply_selectors(analysis, input, hints);
  Article article = extract_article(analysis, input, hints);
  // Founder pages print the page and edition in a header row the body must not take.
  std::erase_if(article.body, [&](const std::string& paragraph) {
    return is_page_label(paragraph) || (page.edition.issue && find_issue(paragraph) &&
                                        utf8::count_code_points(paragraph) <= 40);
  });
  if (article.body.empty() || input.headlines_beside_article) {
    read_headlines();  // a page without an article is a list: its headlines are what it holds
  }
  if (!article.body.empty()) {
    stamp(article);
    page.articles.push_back(std::move(article));
  }
  return page;
}

}  // namespace archiver
