#pragma once
// The links an e-paper page carries: its edition's 版面 (pages) and the page's 标题导航
// (headlines with their 摘要). Shared by the epaper family and the list families.

#include "parsers/generic.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace archiver {

// True for a 版面 label: 第02版:工会新闻, 第A01版：头版, A01：头版, A01 头版, 01版：要闻.
[[nodiscard]] bool is_page_label(std::string_view text);

// The edition's 版面 links, in order, de-duplicated ([site.selectors] pages wins).
[[nodiscard]] std::vector<PageLink> find_page_links(const PageAnalysis& analysis,
                                                    const ParseInput& input);

// An article URL as archived: Founder's ?div=-1 / ?div=0 views of one article are one article.
[[nodiscard]] std::string normalise_article_url(std::string_view url);

// Headline entries: the links under a 标题导航 label (or the site's headlines selector), else
// every article-like link of the page, then image-map areas; de-duplicated by article, each
// with the 摘要 of its list item. Entries whose title is empty (a 摘要 only) are kept.
[[nodiscard]] std::vector<Headline> find_headlines(const PageAnalysis& analysis,
                                                   const ParseInput& input,
                                                   const std::vector<PageLink>& pages);

// The text of a 摘要 line without its label, or nothing.
[[nodiscard]] std::optional<std::string> summary_text(std::string_view line);

}  // namespace archiver
