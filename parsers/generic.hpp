#pragma once
// The fallback parser for any Chinese news or union page: finds title, published date, author,
// source and body paragraphs by structure and labels, leaving out navigation, font tools,
// footers, 上一篇/下一篇, keyword spam, related-article lists and share widgets. The families
// (epaper, cms, portal) build on extract_article with what they know of their platforms.

#include "parsers/html_document.hpp"
#include "parsers/page_lines.hpp"
#include "parsers/page_meta.hpp"
#include "parsers/parser.hpp"

#include <optional>
#include <string>
#include <vector>

namespace archiver {

// A page parsed once: the tree, its metadata and its visible lines.
struct PageAnalysis {
  // url: the page's address, which its <base href> (if any) is resolved against.
  PageAnalysis(std::string_view html, std::string_view url);
  HtmlDocument document;
  PageMeta meta;
  BoilerplateElements boilerplate;  // answered while the lines are collected: declared before them
  std::vector<PageLine> lines;
  std::string base_url;  // the <base href> resolved; empty when the page has none

  // input with its links' base set from this page's <base href>.
  [[nodiscard]] ParseInput with_base(const ParseInput& input) const {
    ParseInput copy = input;
    copy.base = base_url;
    return copy;
  }
};

// What a family (or a site's [site.selectors]) knows better than the heuristics. Elements steer
// the search; values replace what it finds (an empty value means "none").
struct ArticleHints {
  const GumboNode* body = nullptr;   // the element holding the body paragraphs
  const GumboNode* title = nullptr;  // the title element
  std::optional<std::string> title_text;
  std::optional<std::string> kicker;
  std::optional<std::string> subtitle;
  std::optional<std::string> published;  // ISO, as Article::published
  std::optional<std::string> author;
  std::optional<std::string> source;
};

[[nodiscard]] ParsedPage parse_generic(const ParseInput& input);

// The article of a page (title, kicker, subtitle, published, author, source, body).
[[nodiscard]] Article extract_article(const PageAnalysis& analysis, const ParseInput& input,
                                      const ArticleHints& hints = {});

// The value of a 来源/來源/信息来源 label in a line, or nothing.
[[nodiscard]] std::optional<std::string> find_labelled_source(std::string_view line);

}  // namespace archiver
