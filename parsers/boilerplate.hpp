#pragma once
// Recognises the lines of page furniture that survive inside article containers: keyword spam,
// related-article headings, 上一篇/下一篇, editor lines, font tools, date/source info lines.

#include <cstddef>
#include <string>
#include <string_view>

namespace archiver {

// A line as the checks below read it: trimmed, full-width forms folded (ＩＣＰ备 is ICP备,
// 来源： is 来源:), and its length in characters. A page's lines carry theirs (PageLine), folded
// once however many checks ask.
struct FoldedLine {
  std::string text;
  std::size_t chars = 0;
};
[[nodiscard]] FoldedLine fold_line(std::string_view line);

// A line after which nothing belongs to the article (关键词:, 相关阅读, 上一篇, 责任编辑, 版权所有,
// ...).
[[nodiscard]] bool is_stop_line(const FoldedLine& line);
[[nodiscard]] bool is_stop_line(std::string_view line);

// A line made only of tool words: 放大 缩小 默认, 【字体：大 中 小】, 打印, 关闭窗口.
[[nodiscard]] bool is_tool_line(const FoldedLine& line);
[[nodiscard]] bool is_tool_line(std::string_view line);

// A short line carrying labelled metadata: 发布时间, 点击量, 来源:, 期次, 作者: ...
[[nodiscard]] bool is_info_line(const FoldedLine& line);
[[nodiscard]] bool is_info_line(std::string_view line);

// A line that is a 摘要 (abstract) of a headline list.
[[nodiscard]] bool is_summary_line(const FoldedLine& line);
[[nodiscard]] bool is_summary_line(std::string_view line);
// "（原标题：...）": a reprint's note of the headline it first ran under, not body text.
[[nodiscard]] bool is_original_title_line(const FoldedLine& line);
[[nodiscard]] bool is_original_title_line(std::string_view line);

}  // namespace archiver
