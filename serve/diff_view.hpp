#pragma once
// A diff of two versions as the diff page and the feeds' entries show it: each changed field
// and each paragraph as runs of removed, added and kept characters (_segment.html), for a view
// inline or side by side.

#include "query/article_diff.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace archiver::serve {

// The field's name as the pages show it: 标题, 图片 2, 图注 2.
[[nodiscard]] std::string field_display_name(std::string_view field);

[[nodiscard]] nlohmann::json diff_view(const ArticleDiff& diff);

}  // namespace archiver::serve
