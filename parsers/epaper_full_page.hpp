#pragma once
// A whole 版面 printed on one page (the 版面全文 view, seed 004): several articles one after the
// other, each with its own 引题, title, 副题, paragraphs and credit. Found on edition pages, or
// where the titles link to the articles' own pages; never inside one article whose sections
// have sub-headings.

#include "parsers/generic.hpp"

#include <vector>

namespace archiver {

// The articles of a whole-版面 page, in printed order; empty when the page is not one. Each
// article's anchor is the id of its block, else its article link's file name, else its place.
[[nodiscard]] std::vector<Article> whole_page_articles(const PageAnalysis& analysis,
                                                       const ParseInput& input,
                                                       bool index_like_page);

}  // namespace archiver
