#pragma once
// What well-known publishing platforms mark up plainly, given to the heuristics as hints (as a
// site's [site.selectors] are, which still win). Today: WeChat 公众号 articles (mp.weixin.qq.com
// and its copies), where unions publish much of their news.

#include "parsers/generic.hpp"

namespace archiver {

// Fills what the page's platform names in hints the selectors left empty. html is the page's
// text: a glance at it spares other pages any search of the tree.
void apply_platform_hints(const PageAnalysis& analysis, std::string_view html, ArticleHints& hints);

}  // namespace archiver
