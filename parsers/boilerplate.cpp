#include "parsers/boilerplate.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <vector>

namespace archiver {
namespace {

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (const auto prefix : prefixes) {
    if (text.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

// Phrases looked for anywhere in a line, each with its Boyer-Moore-Horspool table made once: a
// Chinese phrase begins with the byte most characters of a Chinese line begin with, so a plain
// find stops at nearly every character of the line for every phrase.
class Phrases {
 public:
  Phrases(std::initializer_list<std::string_view> phrases) {
    for (const std::string_view phrase : phrases) {
      m_searchers.emplace_back(phrase.begin(), phrase.end());
    }
  }

  [[nodiscard]] bool in(std::string_view text) const {
    return std::ranges::any_of(m_searchers, [&](const Searcher& searcher) {
      return std::search(text.begin(), text.end(), searcher) != text.end();
    });
  }

 private:
  using Searcher = std::boyer_moore_horspool_searcher<std::string_view::const_iterator>;
  std::vector<Searcher> m_searchers;
};

}  // namespace

FoldedLine fold_line(std::string_view line) {
  FoldedLine folded{.text = utf8::fold_width(utf8::trim(line)), .chars = 0};
  folded.chars = utf8::count_code_points(folded.text);
  return folded;
}

bool is_stop_line(const FoldedLine& line) {
  const std::string_view text = line.text;
  if (starts_with_any(
          text, {"关键词",       "关键字",   "關鍵詞",   "關鍵字",   "相关阅读",  "相關閱讀",
                 "相关新闻",     "相關新聞", "相关文章", "相关链接", "延伸阅读",  "推荐阅读",
                 "你可能会喜欢", "猜你喜欢", "上一篇",   "下一篇",   "上一條",    "下一條",
                 "上一条",       "下一条",   "责任编辑", "責任編輯", "责编",      "編輯:",
                 "编辑:",        "分享到",   "版权所有", "版權所有", "Copyright", "copyright",
                 "扫一扫",       "掃一掃",   "【打印】", "打印本页", "关闭窗口",  "【关闭】"})) {
    return true;
  }
  // Site footers, wherever they sit in the line (an old footer is one long cell: 主办单位,
  // 地址, 电话, ICP备 in one).
  static const Phrases k_registration{"ICP备", "备案号", "備案號"};
  if (k_registration.in(text)) {
    return true;
  }
  // Pagination bars and footer words, in a short line that is no sentence: a paragraph of the
  // article may say the same words ("以技术支持的名义") and goes on.
  const bool prose = line.chars > 80 || text.find("。") != std::string::npos;
  static const Phrases k_footer_words{"下一页",   "上一页",   "尾页",     "版权所有",
                                      "版權所有", "技术支持", "技術支持", "您是第"};
  if (!prose && k_footer_words.in(text)) {
    return true;
  }
  // The site's address block: "某某总工会 主办 地址：... 电话：..." (a sentence of the article
  // may name an event's 主办单位).
  static const Phrases k_address{"地址", "地 址"};
  static const Phrases k_contact{"电话", "邮编", "電話"};
  static const Phrases k_organisers{"主办单位", "承办单位"};
  if ((k_address.in(text) && k_contact.in(text)) || (!prose && k_organisers.in(text)) ||
      text.ends_with("主办")) {
    return true;
  }
  // Block headings that are a word alone on their line.
  return text == "热点" || text == "熱點" || text == "热门" || text == "图片" || text == "圖片" ||
         text == "推荐" || text == "相关阅读:" || text == "评论";
}

bool is_tool_line(const FoldedLine& line) {
  static constexpr std::array<std::string_view, 27> k_words = {
      "放大", "缩小", "默认", "縮小", "默認", "字体", "字體", "字号", "打印",
      "关闭", "關閉", "窗口", "本页", "本頁", "返回", "顶部", "頂部", "收藏",
      "分享", "大",   "中",   "小",   "【",   "】",   ":",    "[",    "]"};
  std::string_view rest = line.text;
  bool any = false;
  while (!rest.empty()) {
    const auto cp = utf8::decode(rest, 0);
    if (utf8::is_space(cp.value) || cp.value == '|' || cp.value == '/') {
      rest.remove_prefix(cp.length);
      continue;
    }
    bool matched = false;
    for (const auto word : k_words) {
      if (rest.starts_with(word)) {
        rest.remove_prefix(word.size());
        matched = true;
        any = true;
        break;
      }
    }
    if (!matched) {
      return false;
    }
  }
  return any;
}

bool is_info_line(const FoldedLine& line) {
  static const Phrases k_info_words{
      "发布时间", "發布時間", "发布日期", "發布日期", "点击量", "點擊量", "点击数",
      "浏览次数", "瀏覽次數", "阅读次数", "阅读量",   "来源:",  "來源:",  "信息来源",
      "期次:",    "发稿时间", "更新时间", "作者:",    "字号:"};
  return line.chars <= 120 && k_info_words.in(line.text);
}

bool is_summary_line(const FoldedLine& line) {
  // Portals box the summary or an editor's note in brackets above the text: [摘要:...].
  return starts_with_any(line.text, {"摘要:", "摘要 ", "[摘要", "【摘要", "[编者按", "【编者按】"});
}

bool is_original_title_line(const FoldedLine& line) {
  return line.chars <= 100 &&
         starts_with_any(line.text, {"(原标题:", "原标题:", "【原标题", "(原题:", "原题:"});
}

bool is_stop_line(std::string_view line) { return is_stop_line(fold_line(line)); }
bool is_tool_line(std::string_view line) { return is_tool_line(fold_line(line)); }
bool is_info_line(std::string_view line) { return is_info_line(fold_line(line)); }
bool is_summary_line(std::string_view line) { return is_summary_line(fold_line(line)); }
bool is_original_title_line(std::string_view line) {
  return is_original_title_line(fold_line(line));
}

}  // namespace archiver
