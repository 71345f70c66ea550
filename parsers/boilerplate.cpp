#include "parsers/boilerplate.hpp"

#include "util/phrase_set.hpp"
#include "util/utf8.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace archiver {

FoldedLine fold_line(std::string_view line) {
  FoldedLine folded{.text = utf8::fold_width(utf8::trim(line)), .chars = 0};
  folded.chars = utf8::count_code_points(folded.text);
  return folded;
}

bool is_stop_line(const FoldedLine& line) {
  const std::string_view text = line.text;
  static const PhraseSet k_stop_words = PhraseSet::any_of(
      {"关键词",       "关键字",   "關鍵詞",   "關鍵字",   "相关阅读",  "相關閱讀",
       "相关新闻",     "相關新聞", "相关文章", "相关链接", "延伸阅读",  "推荐阅读",
       "你可能会喜欢", "猜你喜欢", "上一篇",   "下一篇",   "上一條",    "下一條",
       "上一条",       "下一条",   "责任编辑", "責任編輯", "责编",      "編輯:",
       "编辑:",        "分享到",   "版权所有", "版權所有", "Copyright", "copyright",
       "扫一扫",       "掃一掃",   "【打印】", "打印本页", "关闭窗口",  "【关闭】"});
  if (k_stop_words.starts(text)) {
    return true;
  }
  // Phrases looked for anywhere in the line, all in one pass (see PhraseSet), by what they mean:
  // - a site footer's registration number, wherever it sits in the line (an old footer is one
  //   long cell: 主办单位, 地址, 电话, ICP备 in one);
  // - pagination bars and footer words, which stop a short line that is no sentence only: a
  //   paragraph of the article may say the same words ("以技术支持的名义") and goes on;
  // - the site's address block, "某某总工会 主办 地址：... 电话：...", an address with a way to
  //   reach it;
  // - the organisers, in a short line (a sentence of the article may name an event's 主办单位).
  enum : std::uint32_t {
    k_registration = 1U << 0U,
    k_footer = 1U << 1U,
    k_address = 1U << 2U,
    k_contact = 1U << 3U,
    k_organisers = 1U << 4U,
  };
  static const PhraseSet k_phrases{
      {"ICP备", k_registration}, {"备案号", k_registration}, {"備案號", k_registration},
      {"下一页", k_footer},      {"上一页", k_footer},       {"尾页", k_footer},
      {"版权所有", k_footer},    {"版權所有", k_footer},     {"技术支持", k_footer},
      {"技術支持", k_footer},    {"您是第", k_footer},       {"地址", k_address},
      {"地 址", k_address},      {"电话", k_contact},        {"邮编", k_contact},
      {"電話", k_contact},       {"主办单位", k_organisers}, {"承办单位", k_organisers}};
  const std::uint32_t found = k_phrases.groups_in(text);
  if ((found & k_registration) != 0 || ((found & k_address) != 0 && (found & k_contact) != 0)) {
    return true;
  }
  if ((found & (k_footer | k_organisers)) != 0) {
    const bool prose = line.chars > 80 || text.find("。") != std::string::npos;
    if (!prose) {
      return true;
    }
  }
  if (text.ends_with("主办")) {
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
  static const PhraseSet k_info_words = PhraseSet::any_of(
      {"发布时间", "發布時間", "发布日期", "發布日期", "点击量", "點擊量", "点击数", "浏览次数",
       "瀏覽次數", "阅读次数", "阅读量", "来源:", "來源:", "信息来源", "期次:", "发稿时间",
       "更新时间", "作者:", "字号:"});
  return line.chars <= 120 && k_info_words.found_in(line.text);
}

bool is_summary_line(const FoldedLine& line) {
  // Portals box the summary or an editor's note in brackets above the text: [摘要:...].
  static const PhraseSet k_summary_labels =
      PhraseSet::any_of({"摘要:", "摘要 ", "[摘要", "【摘要", "[编者按", "【编者按】"});
  return k_summary_labels.starts(line.text);
}

bool is_original_title_line(const FoldedLine& line) {
  static const PhraseSet k_original_title_labels =
      PhraseSet::any_of({"(原标题:", "原标题:", "【原标题", "(原题:", "原题:"});
  return line.chars <= 100 && k_original_title_labels.starts(line.text);
}

bool is_stop_line(std::string_view line) { return is_stop_line(fold_line(line)); }
bool is_tool_line(std::string_view line) { return is_tool_line(fold_line(line)); }
bool is_info_line(std::string_view line) { return is_info_line(fold_line(line)); }
bool is_summary_line(std::string_view line) { return is_summary_line(fold_line(line)); }
bool is_original_title_line(std::string_view line) {
  return is_original_title_line(fold_line(line));
}

}  // namespace archiver
