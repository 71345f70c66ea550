#include "parsers/credits.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {
namespace {

using Key = std::u32string_view;

// Traditional forms of the characters that labels and roles are spelled with. Matching runs on
// a folded copy; names are always returned as printed.
constexpr std::array<std::pair<char32_t, char32_t>, 40> k_simplified{{
    {U'記', U'记'}, {U'報', U'报'}, {U'訊', U'讯'}, {U'員', U'员'}, {U'攝', U'摄'}, {U'責', U'责'},
    {U'編', U'编'}, {U'輯', U'辑'}, {U'來', U'来'}, {U'執', U'执'}, {U'筆', U'笔'}, {U'圖', U'图'},
    {U'發', U'发'}, {U'時', U'时'}, {U'間', U'间'}, {U'點', U'点'}, {U'擊', U'击'}, {U'覽', U'览'},
    {U'閱', U'阅'}, {U'實', U'实'}, {U'習', U'习'}, {U'見', U'见'}, {U'約', U'约'}, {U'試', U'试'},
    {U'暫', U'暂'}, {U'訂', U'订'}, {U'徵', U'征'}, {U'節', U'节'}, {U'選', U'选'}, {U'續', U'续'},
    {U'連', U'连'}, {U'載', U'载'}, {U'組', U'组'}, {U'轉', U'转'}, {U'刪', U'删'}, {U'審', U'审'},
    {U'對', U'对'}, {U'導', U'导'}, {U'華', U'华'}, {U'錄', U'录'},
}};

// The same pairs in the order of their traditional forms, for a binary search: fold runs for
// every character of a paragraph, and a scan of the list was most of a paragraph's cost.
constexpr auto k_by_traditional = [] {
  auto pairs = k_simplified;
  std::ranges::sort(pairs);
  return pairs;
}();

char32_t fold(char32_t cp) {
  cp = utf8::fold_width(cp);
  if (cp < k_by_traditional.front().first) {
    return cp;  // ASCII, punctuation, kana: below every ideograph
  }
  const auto found =
      std::ranges::lower_bound(k_by_traditional, cp, {}, &std::pair<char32_t, char32_t>::first);
  return found != k_by_traditional.end() && found->first == cp ? found->second : cp;
}

// The text decoded twice over: as printed (for output) and folded (for matching), with the byte
// offset of every code point so results can be cut from the original.
struct Doc {
  std::u32string printed;
  std::u32string key;
  std::vector<std::size_t> offsets;  // one per code point, plus the end
};

Doc load(std::string_view text) {
  Doc doc;
  doc.printed.reserve(text.size());
  doc.key.reserve(text.size());
  doc.offsets.reserve(text.size() + 1);
  for (std::size_t pos = 0; pos < text.size();) {
    const utf8::CodePoint cp = utf8::decode(text, pos);
    doc.printed.push_back(cp.value);
    doc.key.push_back(fold(cp.value));
    doc.offsets.push_back(pos);
    pos += cp.length;
  }
  doc.offsets.push_back(text.size());
  return doc;
}

char32_t at(Key key, std::size_t pos) { return pos < key.size() ? key[pos] : U'\0'; }

bool starts_with_at(Key key, std::size_t pos, std::u32string_view word) {
  return key.substr(pos, word.size()) == word;
}

bool is_horizontal_space(char32_t cp) { return utf8::is_space(cp) && !utf8::is_line_break(cp); }

// Characters a printed name is made of, including the dots of transliterated names (阿依·买买提).
bool is_name_char(char32_t cp) {
  return utf8::is_cjk(cp) || utf8::is_ascii_alpha(cp) || cp == 0x00B7 || cp == 0x2022 ||
         cp == 0x2027 || cp == 0x30FB;
}

bool has_name_dot(Key token) {
  for (const char32_t cp : token) {
    if (!utf8::is_cjk(cp) && !utf8::is_ascii_alpha(cp)) {
      return true;
    }
  }
  return false;
}

// Roles printed before names; longest first so 本报记者 is not read as 本报 + 记者.
constexpr std::array<std::u32string_view, 16> k_roles{
    U"本报特约记者", U"本报摄影记者", U"本报通讯员", U"新华社记者", U"本报记者", U"特约记者",
    U"见习记者",     U"实习记者",     U"首席记者",   U"摄影记者",   U"融媒记者", U"实习生",
    U"通讯员",       U"记者",         U"本报",       U"特约",
};

// What follows a name on a byline but is not one: 张三报道, 李四 摄, 王五 整合.
constexpr std::array<std::u32string_view, 14> k_actions{
    U"报道", U"报导", U"采写", U"整理", U"整合", U"编译", U"综合",
    U"综述", U"供图", U"供稿", U"摄影", U"摄",   U"文图", U"图文",
};

// The actions that follow a place rather than a name: "记者 王明 合肥报道".
constexpr std::array<std::u32string_view, 2> k_report_actions{U"报道", U"报导"};

// Labels that end a list of names: the next field of a byline, or an editor credit.
constexpr std::array<std::u32string_view, 22> k_stop_words{
    U"作者", U"来源", U"信息来源", U"稿件来源", U"发布",     U"时间", U"日期", U"点击",
    U"浏览", U"阅读", U"编辑",     U"责编",     U"责任编辑", U"审核", U"校对", U"字号",
    U"字体", U"分享", U"打印",     U"编审",     U"监制",     U"发自",
};

constexpr std::array<std::u32string_view, 6> k_editor_words{
    U"编辑", U"责编", U"责任编辑", U"审核", U"校对", U"编审",
};

// Bracketed words that end paragraphs without being credits.
constexpr std::array<std::u32string_view, 34> k_not_credits{
    U"试行",   U"暂行",       U"草案",   U"修订",   U"修订稿", U"修订版",   U"修正",
    U"修正案", U"征求意见稿", U"送审稿", U"讨论稿", U"试用",   U"节选",     U"摘要",
    U"摘编",   U"摘录",       U"全文",   U"全文完", U"待续",   U"未完待续", U"未完",
    U"连载",   U"续完",       U"组图",   U"附图",   U"图文",   U"视频",     U"音频",
    U"图片",   U"原创",       U"转载",   U"有删节", U"有删改", U"同上",
};

// How the names of papers, agencies and portals end: 北京晚报, 新华社, 网易财经, 中新网.
constexpr std::array<std::u32string_view, 12> k_outlet_endings{
    U"日报", U"晚报", U"早报",   U"时报", U"商报", U"新闻",
    U"财经", U"杂志", U"电视台", U"网",   U"社",   U"报",
};

// Agencies and sites whose short names end like a given name may (李建社, 王卫报).
constexpr std::array<std::u32string_view, 8> k_short_outlets{
    U"新华社", U"中新社", U"中新网", U"新华网", U"人民网", U"央视网", U"中央社", U"澎湃号",
};

// A name of a paper, agency or portal: 北京晚报, 网易财经, 新华社. A three-character word ending
// in 社, 报 or 网 is a person's name as often as not, unless it is a known agency.
bool is_outlet(Key word) {
  if (std::ranges::find(k_short_outlets, word) != k_short_outlets.end()) {
    return true;
  }
  return std::ranges::any_of(k_outlet_endings, [&](std::u32string_view end) {
    const std::size_t min_size = end.size() == 1 ? 4 : 3;
    return word.size() >= min_size && word.ends_with(end);
  });
}

bool is_one_of(Key word, const auto& list) {
  for (const std::u32string_view candidate : list) {
    if (word == candidate) {
      return true;
    }
  }
  return false;
}

std::size_t stop_word_length_at(Key key, std::size_t pos) {
  for (const std::u32string_view word : k_stop_words) {
    if (starts_with_at(key, pos, word)) {
      return word.size();
    }
  }
  return 0;
}

// A token without its leading roles and trailing actions; empty when it was only those.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  [[nodiscard]] std::size_t size() const { return end - begin; }
};

Span strip_actions(Key key, Span token);

Span strip_roles(Key key, Span token) {
  // A paper's name glued to the role: 北京晚报记者成长, 新京报记者李春平. Only when what follows
  // is a name (or nothing): 本报驻沪记者站供稿 is no reporter's credit.
  const Key word = key.substr(token.begin, token.size());
  if (const auto role = word.rfind(U"记者"); role != Key::npos && role >= 2) {
    const Key rest = word.substr(role + 2);
    const bool action = std::ranges::any_of(
        k_actions, [&](std::u32string_view verb) { return rest.ends_with(verb); });
    if (rest.empty() || (rest.size() >= 2 && rest.size() <= 4 && !action)) {
      token.begin += role + 2;
    }
  }
  for (bool again = true; again && token.size() > 0;) {
    again = false;
    for (const std::u32string_view role : k_roles) {
      if (role.size() <= token.size() && key.substr(token.begin, role.size()) == role) {
        token.begin += role.size();
        again = true;
        break;
      }
    }
  }
  return strip_actions(key, token);
}

// A token without its trailing action: 张三报道 -> 张三; the action alone -> empty.
Span strip_actions(Key key, Span token) {
  for (const std::u32string_view action : k_actions) {
    if (token.size() == action.size() && key.substr(token.begin, token.size()) == action) {
      return Span{token.end, token.end};
    }
    // 张三报道 -> 张三, but a two-character name that happens to end in 摄 stays.
    if (token.size() >= action.size() + 2 &&
        key.substr(token.end - action.size(), action.size()) == action) {
      token.end -= action.size();
      break;
    }
  }
  return token;
}

std::string join(const Doc& doc, const std::vector<Span>& names) {
  std::string out;
  for (const Span& name : names) {
    if (!out.empty()) {
      out.push_back(' ');
    }
    out += utf8::to_utf8(Key(doc.printed).substr(name.begin, name.size()));
  }
  return out;
}

bool is_sentence_end(char32_t cp) {
  switch (cp) {
    case U'。':
    case U'!':
    case U'?':
    case U'…':
    case U'”':
    case U'’':
    case U'」':
    case U'』':
    case U')':
    case U'"':
    case U'\'':
    case U'.':
      return true;
    default:
      return false;
  }
}

std::size_t skip_horizontal(Key key, std::size_t pos) {
  while (pos < key.size() && is_horizontal_space(key[pos])) {
    ++pos;
  }
  return pos;
}

// Longer than any name token_length_ok() accepts: scans stop there, so a page of unbroken text
// costs no more than its length however many labels it holds.
constexpr std::size_t k_max_token = 24;

// A name token may not run on into prose: at most four characters (compound surname plus given
// name), or longer for dotted transliterations and for organisations after 作者.
bool token_length_ok(Key token, std::size_t max_plain) {
  const std::size_t max = has_name_dot(token) ? 16 : max_plain;
  return token.size() >= 1 && token.size() <= max;
}

// A name-sized word at pos (two to four characters) that ends at a space, a bracket, 、 or the
// end: "李四" in "记者 张三  李四  王五", not "本报讯" opening the text after a byline.
bool name_stands_alone_at(Key key, std::size_t pos) {
  std::size_t end = pos;
  while (end < key.size() && is_name_char(key[end]) && end - pos <= 4) {
    ++end;
  }
  const std::size_t length = end - pos;
  const char32_t after = at(key, end);
  const bool boundary =
      after == U'\0' || utf8::is_space(after) || after == U')' || after == U'、' || after == U']';
  const Span word = strip_roles(key, Span{pos, end});
  return length >= 2 && length <= 4 && boundary && word.size() == length &&
         !is_outlet(key.substr(pos, length));
}

struct NameRun {
  std::vector<Span> names;
  bool complete = false;  // false when reading stopped on a token that could not be a name
};

// Names after a label, at pos: tokens separated by single spaces or 、, up to a line break, a run
// of two or more spaces, other punctuation, or the next label (来源, 编辑, 发自北京, ...).
NameRun read_names_forward(Key key, std::size_t pos, std::size_t max_plain) {
  NameRun run;
  constexpr std::size_t k_max_names = 8;
  while (pos < key.size() && run.names.size() < k_max_names) {
    if (stop_word_length_at(key, pos) > 0) {
      break;
    }
    Span token{pos, pos};
    while (token.end < key.size() && token.size() < k_max_token && is_name_char(key[token.end]) &&
           (token.end == pos || stop_word_length_at(key, token.end) == 0)) {
      ++token.end;
    }
    if (token.size() == 0) {
      break;
    }
    const Span name = strip_roles(key, token);
    // "记者 王明 合肥报道": after the names, a word glued to 报道 is the place reported from.
    const Key tail = key.substr(name.end, token.end - name.end);
    if (!run.names.empty() && name.size() > 0 && is_one_of(tail, k_report_actions)) {
      break;
    }
    if (name.size() > 0) {
      if (!token_length_ok(key.substr(name.begin, name.size()), max_plain)) {
        // Prose after the names ends the list; prose right after the label means no byline.
        run.complete = !run.names.empty();
        return run;
      }
      run.names.push_back(name);
    }
    pos = token.end;
    std::size_t next = skip_horizontal(key, pos);
    if (at(key, next) == U'、') {
      next = skip_horizontal(key, next + 1);
    } else if (next - pos == 0 || next - pos > 3 ||
               (next - pos > 1 && !name_stands_alone_at(key, next))) {
      // Names are spaced by one space, or by two or three (&nbsp;&nbsp;, 　　) when the next
      // word is a name on its own; a wider gap, or prose after it, ends the list.
      break;
    }
    if (next >= key.size() || !is_name_char(key[next])) {
      break;
    }
    pos = next;
  }
  run.complete = true;
  return run;
}

// Names before a photo mark ending at end (exclusive): "王彪 申梅" in "王彪 申梅/摄".
std::vector<Span> read_names_backward(Key key, std::size_t end) {
  std::vector<Span> reversed;
  constexpr std::size_t k_max_names = 4;
  std::size_t pos = end;
  while (pos > 0 && reversed.size() < k_max_names) {
    Span token{pos, pos};
    while (token.begin > 0 && token.size() < k_max_token && is_name_char(key[token.begin - 1])) {
      --token.begin;
    }
    const Span name = strip_roles(key, token);
    if (name.size() > 0) {
      const Key text = key.substr(name.begin, name.size());
      if (text.size() < 2 || !token_length_ok(text, 4)) {
        break;
      }
      reversed.push_back(name);
    }
    pos = token.begin;
    if (pos == 0 || !is_horizontal_space(key[pos - 1])) {
      break;
    }
    const std::size_t prev = pos - 1;
    if (prev == 0 || !is_name_char(key[prev - 1])) {
      break;
    }
    pos = prev;
  }
  return {reversed.rbegin(), reversed.rend()};
}

bool prev_is_cjk(Key key, std::size_t pos) { return pos > 0 && utf8::is_cjk(key[pos - 1]); }

// Whether the role word at pos opens a byline: right inside a bracket after at most a short
// prefix ("（记者唐霁）", "（新华社记者唐霁）"), or at the start of a line after a prefix
// such as 本报 ("本报记者王乐文"). A bare 记者 opening a line is usually prose: 记者了解到.
bool role_starts_byline(Key key, std::size_t pos) {
  constexpr std::size_t k_max_prefix = 8;
  std::size_t p = pos;
  while (p > 0 && pos - p < k_max_prefix && utf8::is_cjk(key[p - 1])) {
    --p;
  }
  if (p > 0 && (key[p - 1] == U'(' || key[p - 1] == U'【')) {
    return true;
  }
  std::size_t line = p;
  while (line > 0 && is_horizontal_space(key[line - 1])) {
    --line;
  }
  const bool line_start = line == 0 || utf8::is_line_break(key[line - 1]);
  return line_start && p < pos;
}

// Names after 记者 or 通讯员 at pos (len characters long).
std::optional<std::vector<Span>> byline_after_role(Key key, std::size_t pos, std::size_t len) {
  const std::size_t after = pos + len;
  if (is_horizontal_space(at(key, after))) {
    const NameRun run = read_names_forward(key, skip_horizontal(key, after), 4);
    if (run.complete && !run.names.empty()) {
      return run.names;
    }
    return std::nullopt;
  }
  // Glued to the name, as in 记者唐霁: running text says 记者了解到 too, so only inside brackets
  // or at the start of a line, and only a name-sized token followed by a boundary.
  if (!utf8::is_cjk(at(key, after)) || !role_starts_byline(key, pos)) {
    return std::nullopt;
  }
  Span token{after, after};
  while (token.end < key.size() && token.size() < k_max_token && is_name_char(key[token.end]) &&
         stop_word_length_at(key, token.end) == 0) {
    ++token.end;
  }
  const char32_t next = at(key, token.end);
  if (next != U')' && next != U'\0' && next != U'、' && !utf8::is_space(next) &&
      stop_word_length_at(key, token.end) == 0) {
    return std::nullopt;
  }
  const Span name = strip_roles(key, token);
  if (name.size() < 2 || !token_length_ok(key.substr(name.begin, name.size()), 4)) {
    return std::nullopt;
  }
  std::vector<Span> names{name};
  if (next == U'、') {  // 本报记者张三、李四
    const NameRun more = read_names_forward(key, skip_horizontal(key, token.end + 1), 4);
    if (more.complete) {
      names.insert(names.end(), more.names.begin(), more.names.end());
    }
  } else if (is_horizontal_space(next)) {
    const NameRun more = read_names_forward(key, skip_horizontal(key, token.end), 4);
    if (more.complete && skip_horizontal(key, token.end) == token.end + 1) {
      names.insert(names.end(), more.names.begin(), more.names.end());
    }
  }
  return names;
}

// 文/王五, 文/图 赵六, 执笔：孙七: labels that must stand on their own (not 正文:, 原文/).
constexpr std::array<std::u32string_view, 9> k_slash_labels{
    U"文/图", U"图/文", U"文图", U"撰文", U"撰稿", U"执笔", U"口述", U"作者", U"文",
};

std::optional<std::vector<Span>> byline_after_label(Key key, std::size_t pos) {
  // "作者：" with its colon is a label even glued to the field before it, as in an info line
  // "来源：IT之家作者：骑士"; other labels must stand on their own (not 正文:, 原文/).
  const bool colon_label =
      starts_with_at(key, pos, U"作者") && at(key, skip_horizontal(key, pos + 2)) == U':';
  if (prev_is_cjk(key, pos) && !colon_label) {
    return std::nullopt;
  }
  for (const std::u32string_view label : k_slash_labels) {
    if (!starts_with_at(key, pos, label)) {
      continue;
    }
    std::size_t p = skip_horizontal(key, pos + label.size());
    const bool separator = at(key, p) == U':' || at(key, p) == U'/';
    if (separator) {
      p = skip_horizontal(key, p + 1);
    } else if (p == pos + label.size() || label.find(U'/') == std::u32string_view::npos) {
      // Only 文/图 赵六 may go without a colon: "作者 张三" and "文 张三" read like prose.
      return std::nullopt;
    }
    // An empty 作者： field followed by the next label, or by nothing, is no author.
    if (is_name_char(at(key, p))) {
      const NameRun run = read_names_forward(key, p, 12);
      if (run.complete && !run.names.empty()) {
        return run.names;
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Whether the paragraph may end in a closing bracket once its spaces are cut: its last visible
// character is one (full-width or not), or the ';' of an "&nbsp;" left in the text. Most
// paragraphs end in '。' and are answered here, without decoding them.
bool may_end_in_bracket(std::string_view paragraph) {
  const std::string_view trimmed = utf8::trim_end(paragraph);
  const char32_t last = utf8::fold_width(utf8::decode_before(trimmed, trimmed.size()).value);
  return last == U')' || last == U';';
}

}  // namespace

std::optional<TrailingCredit> split_trailing_credit(std::string_view paragraph) {
  if (!may_end_in_bracket(paragraph)) {
    return std::nullopt;
  }
  const Doc doc = load(paragraph);
  const Key key = doc.key;
  std::size_t end = key.size();
  for (bool again = true; again;) {
    again = false;
    while (end > 0 && utf8::is_space(key[end - 1])) {
      --end;
      again = true;
    }
    // An unescaped entity left by a sloppy template is whitespace too.
    if (end >= 6 && key.substr(end - 6, 6) == U"&nbsp;") {
      end -= 6;
      again = true;
    }
  }
  if (end == 0 || key[end - 1] != U')') {
    return std::nullopt;
  }
  const std::size_t close = end - 1;
  constexpr std::size_t k_max_span = 40;
  std::size_t open = close;
  while (open > 0 && close - open < k_max_span) {
    --open;
    if (key[open] == U'(' || key[open] == U')') {
      break;
    }
  }
  if (key[open] != U'(') {
    return std::nullopt;
  }

  // The bracket must hold only names: no punctuation, digits or other brackets.
  std::size_t letters = 0;
  std::size_t cjk = 0;
  std::u32string compact;
  for (std::size_t i = open + 1; i < close; ++i) {
    if (utf8::is_space(key[i])) {
      continue;
    }
    if (!is_name_char(key[i])) {
      return std::nullopt;
    }
    ++letters;
    cjk += utf8::is_cjk(key[i]) ? 1U : 0U;
    compact.push_back(key[i]);
  }
  constexpr std::size_t k_max_letters = 16;
  if (cjk < 2 || letters > k_max_letters || is_one_of(compact, k_not_credits)) {
    return std::nullopt;
  }

  // The credit must follow a finished sentence, or stand alone.
  std::size_t before = open;
  while (before > 0 && utf8::is_space(key[before - 1])) {
    --before;
  }
  if (before > 0 && !is_sentence_end(key[before - 1])) {
    return std::nullopt;
  }

  std::vector<Span> names;
  for (std::size_t i = open + 1; i < close;) {
    if (utf8::is_space(key[i])) {
      ++i;
      continue;
    }
    Span token{i, i};
    while (token.end < close && !utf8::is_space(key[token.end])) {
      ++token.end;
    }
    const Key word = key.substr(token.begin, token.size());
    for (const std::u32string_view editor : k_editor_words) {
      if (word.starts_with(editor)) {
        return std::nullopt;
      }
    }
    const Span name = strip_roles(key, token);
    if (name.size() > 0) {
      names.push_back(name);
    }
    i = token.end;
  }
  // "（网易财经 张艳）": the outlet before the name is no author.
  while (names.size() > 1 && is_outlet(key.substr(names.front().begin, names.front().size()))) {
    names.erase(names.begin());
  }
  if (names.empty()) {
    return std::nullopt;
  }
  TrailingCredit credit;
  credit.author = join(doc, names);
  credit.text = std::string(utf8::trim(paragraph.substr(0, doc.offsets[open])));
  return credit;
}

std::optional<std::string> find_labelled_author(std::string_view text) {
  const Doc doc = load(text);
  const Key key = doc.key;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char32_t cp = key[i];
    std::optional<std::vector<Span>> names;
    if (cp == U'记' && at(key, i + 1) == U'者') {
      names = byline_after_role(key, i, 2);
    } else if (starts_with_at(key, i, U"通讯员")) {
      names = byline_after_role(key, i, 3);
    } else if (cp == U'文' || cp == U'图' || cp == U'撰' || cp == U'执' || cp == U'口' ||
               cp == U'作') {
      names = byline_after_label(key, i);
    }
    if (names) {
      return join(doc, *names);
    }
  }
  return std::nullopt;
}

std::optional<std::string> find_photo_credit(std::string_view text) {
  const Doc doc = load(text);
  const Key key = doc.key;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] != U'摄') {
      continue;
    }
    // 摄影：李四, 摄影 李四, 摄影记者 李四 (not 书画摄影, not 摄影大赛).
    if (at(key, i + 1) == U'影' && !prev_is_cjk(key, i)) {
      std::size_t p = i + 2;
      if (starts_with_at(key, p, U"记者")) {
        p += 2;
      }
      const std::size_t q = skip_horizontal(key, p);
      const bool separator = at(key, q) == U':' || at(key, q) == U'/';
      if (separator || q > p) {
        const std::size_t start = separator ? skip_horizontal(key, q + 1) : q;
        const NameRun run = read_names_forward(key, start, 4);
        if (run.complete && !run.names.empty()) {
          return join(doc, run.names);
        }
      }
    }
    // 王玉玉/摄, 王彪 申梅/摄, 张三 摄: the mark ends its phrase.
    const std::size_t mark_end = at(key, i + 1) == U'影' ? i + 2 : i + 1;
    if (utf8::is_cjk(at(key, mark_end))) {
      continue;
    }
    std::size_t p = i;
    while (p > 0 && is_horizontal_space(key[p - 1])) {
      --p;
    }
    const bool slash = p > 0 && key[p - 1] == U'/';
    if (!slash && p == i) {
      continue;
    }
    if (slash) {
      --p;
      while (p > 0 && is_horizontal_space(key[p - 1])) {
        --p;
      }
    }
    const std::vector<Span> names = read_names_backward(key, p);
    if (!names.empty()) {
      return join(doc, names);
    }
  }
  return std::nullopt;
}

}  // namespace archiver
