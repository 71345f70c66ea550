#pragma once
// The `cms` and `portal` families: list pages (栏目) with their entries and pagination, and
// article pages (发布时间, 点击量, 来源, 作者; breadcrumbs, 关键词 spam, 相关阅读 left out).

#include "parsers/generic.hpp"

#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct ListEntries {
  std::vector<Headline> headlines;
  const GumboNode* container = nullptr;  // the element whose children are the entries
};

// The page's main list: the element whose children hold the most distinct article links
// (navigation, 热门 boxes and ads on other hosts left out). [site.selectors] headlines wins.
[[nodiscard]] ListEntries find_list_entries(const PageAnalysis& analysis, const ParseInput& input);

// The 下一页 link of a list's pagination; nothing on the last page ([site.selectors] next_page
// wins).
[[nodiscard]] std::optional<std::string> find_next_page(const PageAnalysis& analysis,
                                                        const ParseInput& input);

[[nodiscard]] ParsedPage parse_cms(const ParseInput& input);
[[nodiscard]] ParsedPage parse_portal(const ParseInput& input);

}  // namespace archiver
