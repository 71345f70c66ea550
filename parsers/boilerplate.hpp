#pragma once
// Recognises the lines of page furniture that survive inside article containers: keyword spam,
// related-article headings, 上一篇/下一篇, editor lines, font tools, date/source info lines.

#include <string_view>

namespace archiver {

// A line after which nothing belongs to the article (关键词:, 相关阅读, 上一篇, 责任编辑, 版权所有,
// ...).
[[nodiscard]] bool is_stop_line(std::string_view line);

// A line made only of tool words: 放大 缩小 默认, 【字体：大 中 小】, 打印, 关闭窗口.
[[nodiscard]] bool is_tool_line(std::string_view line);

// A short line carrying labelled metadata: 发布时间, 点击量, 来源:, 期次, 作者: ...
[[nodiscard]] bool is_info_line(std::string_view line);

// A line that is a 摘要 (abstract) of a headline list.
[[nodiscard]] bool is_summary_line(std::string_view line);
// "（原标题：...）": a reprint's note of the headline it first ran under, not body text.
[[nodiscard]] bool is_original_title_line(std::string_view line);

}  // namespace archiver
