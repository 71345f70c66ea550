#pragma once
// Author credits as Chinese papers print them: a trailing (王宝湖) or （潘柳全 徐飞）,
// 作者:X, 记者 X / 本报记者 X Y, 文/X, 文/图 X, and photo credits X/摄. Editors (编辑, 责任编辑,
// 责编) are not authors.

#include <optional>
#include <string>
#include <string_view>

namespace archiver {

struct TrailingCredit {
  std::string text;    // the paragraph without the credit, trimmed (may be empty)
  std::string author;  // the credit without brackets or labels: "潘柳全 徐飞"
};

// Splits a credit in brackets off the end of a paragraph: "...增活力。(王宝湖)" or a paragraph
// that is only "(肥工)". Names inside may carry 记者/通讯员 prefixes, which are dropped. Nothing
// when the brackets hold ordinary text, e.g. "...办法(试行)" or a county "(区)", or when the text
// before them does not end a sentence.
[[nodiscard]] std::optional<TrailingCredit> split_trailing_credit(std::string_view paragraph);

// An author from a labelled byline: "作者：张三", "作者:张三 李四", "记者 胡晓蓉",
// "本报记者 王乐文 方 敏", "文/王五", "文/图 赵六", "执笔/孙七". Nothing for empty labels or
// editor credits. Names come back as printed (traditional stays traditional), several joined by
// one ASCII space; a name spaced for alignment ("方 敏") is not re-joined.
[[nodiscard]] std::optional<std::string> find_labelled_author(std::string_view text);

// A photo credit: "... 王玉玉/摄" gives 王玉玉, "摄影：李四" gives 李四.
[[nodiscard]] std::optional<std::string> find_photo_credit(std::string_view text);

}  // namespace archiver
