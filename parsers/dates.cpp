#include "parsers/dates.hpp"

#include "util/url.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace archiver {
namespace {

using Text = std::u32string_view;

// Dates split over tags come back as "2017 </font> 年 10 月 9 日" with the tags replaced by
// whitespace: allow that much between the parts, but bounded so every attempt is O(1).
constexpr std::size_t k_max_gap = 12;
constexpr int k_min_url_year = 1990;
constexpr int k_max_url_year = 2100;
// A month-day date may lie this many days after the reference (pages dated a little early)
// before it is taken to belong to the year before.
constexpr long k_month_day_slack_days = 7;

char32_t fold(char32_t cp) {
  cp = utf8::fold_width(cp);
  switch (cp) {
    case 0x2010:  // hyphen
    case 0x2011:  // non-breaking hyphen
    case 0x2012:  // figure dash
    case 0x2013:  // en dash
    case 0x2212:  // minus sign
    case 0xFE63:  // small hyphen-minus
      return U'-';
    // Traditional forms of the characters that labels, days and times use, so that 發布時間 and
    // 15點30分 need no second spelling.
    case U'號':
      return U'号';
    case U'時':
      return U'时';
    case U'點':
      return U'点';
    case U'發':
      return U'发';
    case U'佈':
      return U'布';
    case U'間':
      return U'间';
    case U'週':
      return U'周';
    case U'禮':
      return U'礼';
    default:
      return cp;
  }
}

std::u32string prepare(std::string_view text) {
  std::u32string out = utf8::to_u32(text);
  for (char32_t& cp : out) {
    cp = fold(cp);
  }
  return out;
}

char32_t at(Text t, std::size_t pos) { return pos < t.size() ? t[pos] : U'\0'; }

bool is_digit(char32_t cp) { return utf8::is_ascii_digit(cp); }

std::size_t skip_spaces(Text t, std::size_t pos) {
  const std::size_t limit = pos + k_max_gap;
  while (pos < t.size() && pos < limit && utf8::is_space(t[pos])) {
    ++pos;
  }
  return pos;
}

struct Number {
  int value = 0;
  std::size_t digits = 0;  // capped at max_digits + 1: enough to tell "too long"
  std::size_t end = 0;
};

// Reads an ASCII digit run at pos, looking at no more than max_digits + 1 digits so that a long
// number costs nothing; callers compare .digits against what they expect.
Number read_digits(Text t, std::size_t pos, std::size_t max_digits) {
  Number n;
  n.end = pos;
  while (n.end < t.size() && is_digit(t[n.end]) && n.digits <= max_digits) {
    n.value = n.value * 10 + static_cast<int>(t[n.end] - U'0');
    ++n.digits;
    ++n.end;
  }
  return n;
}

int chinese_digit(char32_t cp) {
  switch (cp) {
    case 0x3007:  // 〇
    case 0x25CB:  // ○
    case 0x25EF:  // ◯
    case U'零':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

struct Parsed {
  int value = 0;
  std::size_t end = 0;
};

// 二〇二三: four digit characters; some pages type the zero as the letter O.
std::optional<Parsed> read_chinese_year(Text t, std::size_t pos) {
  int value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const char32_t cp = at(t, pos + i);
    int digit = chinese_digit(cp);
    if (digit < 0 && i > 0 && (cp == U'O' || cp == U'o')) {
      digit = 0;
    }
    if (digit < 0) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  if (chinese_digit(at(t, pos + 4)) >= 0) {
    return std::nullopt;
  }
  return Parsed{value, pos + 4};
}

// A month or day in characters: 六, 十, 十三, 二十, 二十一, 三十一, and the zero-padded 〇六.
std::optional<Parsed> read_chinese_small(Text t, std::size_t pos) {
  const int first = chinese_digit(at(t, pos));
  if (at(t, pos) == U'十') {
    const int unit = chinese_digit(at(t, pos + 1));
    if (unit >= 1) {
      return Parsed{10 + unit, pos + 2};
    }
    return Parsed{10, pos + 1};
  }
  if (first == 0) {
    const int unit = chinese_digit(at(t, pos + 1));
    if (unit >= 1) {
      return Parsed{unit, pos + 2};
    }
    return std::nullopt;
  }
  if (first < 1) {
    return std::nullopt;
  }
  if (at(t, pos + 1) == U'十') {
    const int unit = chinese_digit(at(t, pos + 2));
    if (unit >= 1) {
      return Parsed{first * 10 + unit, pos + 3};
    }
    return Parsed{first * 10, pos + 2};
  }
  return Parsed{first, pos + 1};
}

// A month or day in a 年月日 date: one or two digits, or characters.
std::optional<Parsed> read_component(Text t, std::size_t pos) {
  if (is_digit(at(t, pos))) {
    const Number n = read_digits(t, pos, 2);
    if (n.digits > 2) {
      return std::nullopt;
    }
    return Parsed{n.value, n.end};
  }
  return read_chinese_small(t, pos);
}

bool is_day_mark(char32_t cp) { return cp == U'日' || cp == U'号'; }

struct DateMatch {
  Date date;
  std::size_t end = 0;
};

// "年 M 月 D 日" after a year ending at pos.
std::optional<DateMatch> read_month_day_chinese(Text t, std::size_t pos, int year) {
  pos = skip_spaces(t, pos);
  if (at(t, pos) != U'年') {
    return std::nullopt;
  }
  pos = skip_spaces(t, pos + 1);
  const auto month = read_component(t, pos);
  if (!month) {
    return std::nullopt;
  }
  pos = skip_spaces(t, month->end);
  if (at(t, pos) != U'月') {
    return std::nullopt;
  }
  pos = skip_spaces(t, pos + 1);
  const auto day = read_component(t, pos);
  if (!day) {
    return std::nullopt;
  }
  pos = skip_spaces(t, day->end);
  if (!is_day_mark(at(t, pos))) {
    return std::nullopt;
  }
  return DateMatch{Date{year, month->value, day->value}, pos + 1};
}

// 2023-06-13, 2023/6/13, 2022.01.20 after a four-digit year ending at pos.
std::optional<DateMatch> read_separated(Text t, std::size_t pos, int year) {
  const char32_t sep = at(t, pos);
  if (sep != U'-' && sep != U'/' && sep != U'.') {
    return std::nullopt;
  }
  const Number month = read_digits(t, pos + 1, 2);
  if (month.digits < 1 || month.digits > 2 || at(t, month.end) != sep) {
    return std::nullopt;
  }
  const Number day = read_digits(t, month.end + 1, 2);
  if (day.digits < 1 || day.digits > 2) {
    return std::nullopt;
  }
  // 2023.1.2.5 and 2023-06-13-1 are version strings and file names, not dates.
  if (at(t, day.end) == sep && is_digit(at(t, day.end + 1))) {
    return std::nullopt;
  }
  return DateMatch{Date{year, month.value, day.value}, day.end};
}

std::optional<Date> resolve_month_day(int month, int day, const Date& reference) {
  if (!reference.is_valid()) {
    return std::nullopt;
  }
  Date candidate{reference.year, month, day};
  if (!candidate.is_valid() ||
      candidate.days_since_epoch() - reference.days_since_epoch() > k_month_day_slack_days) {
    candidate.year -= 1;
  }
  if (!candidate.is_valid()) {
    return std::nullopt;
  }
  return candidate;
}

struct TimeMatch {
  int hour = 0;
  int minute = 0;
  std::optional<int> second;
  std::size_t end = 0;
};

bool valid_time(int hour, int minute, std::optional<int> second) {
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 &&
         (!second || (*second >= 0 && *second <= 59));
}

// HH:MM[:SS] or 14时30分[15秒]. A seconds field that is present must be two valid digits, or the
// whole time is refused: "14:59:023" is not a time we can trust.
std::optional<TimeMatch> read_time(Text t, std::size_t pos) {
  const Number hour = read_digits(t, pos, 2);
  if (hour.digits < 1 || hour.digits > 2) {
    return std::nullopt;
  }
  TimeMatch m;
  m.hour = hour.value;
  if (at(t, hour.end) == U':') {
    const Number minute = read_digits(t, hour.end + 1, 2);
    if (minute.digits != 2) {
      return std::nullopt;
    }
    m.minute = minute.value;
    m.end = minute.end;
    if (at(t, m.end) == U':' && is_digit(at(t, m.end + 1))) {
      const Number second = read_digits(t, m.end + 1, 2);
      if (second.digits != 2) {
        return std::nullopt;
      }
      m.second = second.value;
      m.end = second.end;
    }
  } else if (at(t, hour.end) == U'时' || at(t, hour.end) == U'点') {
    const Number minute = read_digits(t, hour.end + 1, 2);
    if (minute.digits < 1 || minute.digits > 2 || at(t, minute.end) != U'分') {
      return std::nullopt;
    }
    m.minute = minute.value;
    m.end = minute.end + 1;
    const Number second = read_digits(t, m.end, 2);
    if (second.digits >= 1 && second.digits <= 2 && at(t, second.end) == U'秒') {
      m.second = second.value;
      m.end = second.end + 1;
    }
  } else {
    return std::nullopt;
  }
  if (!valid_time(m.hour, m.minute, m.second)) {
    return std::nullopt;
  }
  return m;
}

struct OffsetMatch {
  int minutes = 0;
  std::size_t end = 0;
};

// Z, +08:00, +0800, +08, -05:00.
std::optional<OffsetMatch> read_offset(Text t, std::size_t pos) {
  const char32_t sign = at(t, pos);
  if (sign == U'Z' || sign == U'z') {
    if (utf8::is_ascii_alpha(at(t, pos + 1))) {
      return std::nullopt;
    }
    return OffsetMatch{0, pos + 1};
  }
  if (sign != U'+' && sign != U'-') {
    return std::nullopt;
  }
  const Number hours = read_digits(t, pos + 1, 4);
  int h = 0;
  int m = 0;
  std::size_t end = hours.end;
  if (hours.digits == 4) {
    h = hours.value / 100;
    m = hours.value % 100;
  } else if (hours.digits == 2) {
    h = hours.value;
    if (at(t, end) == U':') {
      const Number minutes = read_digits(t, end + 1, 2);
      if (minutes.digits != 2) {
        return std::nullopt;
      }
      m = minutes.value;
      end = minutes.end;
    }
  } else {
    return std::nullopt;
  }
  if (h > 14 || m > 59) {
    return std::nullopt;
  }
  const int total = h * 60 + m;
  return OffsetMatch{sign == U'-' ? -total : total, end};
}

// 星期二, 周二, 礼拜二, optionally in brackets: printed between a date and its time.
std::size_t skip_weekday(Text t, std::size_t pos) {
  std::size_t p = pos;
  const bool bracket = at(t, p) == U'(';
  if (bracket) {
    ++p;
  }
  std::size_t name = 0;
  if (at(t, p) == U'星' && at(t, p + 1) == U'期') {
    name = 2;
  } else if (at(t, p) == U'礼' && at(t, p + 1) == U'拜') {
    name = 2;
  } else if (at(t, p) == U'周') {
    name = 1;
  }
  if (name == 0) {
    return pos;
  }
  const char32_t day = at(t, p + name);
  if (!(chinese_digit(day) >= 1 && chinese_digit(day) <= 6) && day != U'日' && day != U'天') {
    return pos;
  }
  p += name + 1;
  if (bracket) {
    if (at(t, p) != U')') {
      return pos;
    }
    ++p;
  }
  return p;
}

struct Found {
  DateTime value;
  std::size_t end = 0;
};

// The time that directly follows a date ending at pos (whitespace, a weekday or 上午/下午 allowed
// in between). An offset is only read after the ISO "T": in running text "09:00-10:00" is a
// range, not a time zone.
void attach_time(Text t, std::size_t pos, Found& found) {
  if (at(t, pos) == U'T' && is_digit(at(t, pos + 1))) {
    const auto time = read_time(t, pos + 1);
    if (!time) {
      return;
    }
    found.value.hour = time->hour;
    found.value.minute = time->minute;
    found.value.second = time->second;
    found.end = time->end;
    std::size_t p = time->end;
    // Fractions of a second carry nothing a page date needs.
    if (time->second && at(t, p) == U'.' && is_digit(at(t, p + 1))) {
      for (++p; is_digit(at(t, p)); ++p) {
      }
    }
    if (const auto offset = read_offset(t, p)) {
      found.value.utc_offset_minutes = offset->minutes;
      found.end = offset->end;
    }
    return;
  }
  std::size_t p = skip_spaces(t, skip_weekday(t, skip_spaces(t, pos)));
  // "2012年12月10日, 格林尼治标准时间10:41": the time's zone named before it (BBC, Reuters).
  std::optional<int> named_offset;
  {
    std::size_t q = p;
    if (at(t, q) == U',') {
      q = skip_spaces(t, q + 1);
    }
    for (const auto& [name, minutes] : {std::pair<std::u32string_view, int>{U"格林尼治标准时间", 0},
                                        std::pair<std::u32string_view, int>{U"格林威治时间", 0},
                                        std::pair<std::u32string_view, int>{U"北京时间", 8 * 60}}) {
      if (t.substr(q, name.size()) == name) {
        named_offset = minutes;
        p = skip_spaces(t, q + name.size());
        break;
      }
    }
  }
  bool afternoon = false;
  if ((at(t, p) == U'上' || at(t, p) == U'下') && at(t, p + 1) == U'午') {
    afternoon = at(t, p) == U'下';
    p = skip_spaces(t, p + 2);
  }
  const auto time = read_time(t, p);
  if (!time) {
    return;
  }
  int hour = time->hour;
  if (afternoon && hour < 12) {
    hour += 12;
  }
  found.value.hour = hour;
  found.value.minute = time->minute;
  found.value.second = time->second;
  found.end = time->end;
  if (named_offset) {
    found.value.utc_offset_minutes = *named_offset;
  }
}

// The date starting at pos, which the caller has checked is the start of a number.
std::optional<Found> parse_date_at(Text t, std::size_t pos, const DateContext& ctx) {
  std::optional<DateMatch> match;
  if (is_digit(at(t, pos))) {
    const Number lead = read_digits(t, pos, 4);
    if (lead.digits == 4) {
      match = read_separated(t, lead.end, lead.value);
      if (!match) {
        match = read_month_day_chinese(t, lead.end, lead.value);
      }
    } else if (lead.digits <= 2 && ctx.reference) {
      std::size_t p = skip_spaces(t, lead.end);
      if (at(t, p) == U'月') {
        p = skip_spaces(t, p + 1);
        const auto day = read_component(t, p);
        if (day) {
          p = skip_spaces(t, day->end);
          if (is_day_mark(at(t, p))) {
            if (const auto date = resolve_month_day(lead.value, day->value, *ctx.reference)) {
              match = DateMatch{*date, p + 1};
            }
          }
        }
      }
    }
  } else if (const auto year = read_chinese_year(t, pos)) {
    match = read_month_day_chinese(t, year->end, year->value);
  }
  if (!match || !match->date.is_valid()) {
    return std::nullopt;
  }
  Found found;
  found.value.date = match->date;
  found.end = match->end;
  attach_time(t, match->end, found);
  return found;
}

// Whether a number starting at pos may begin a date: not the middle of a longer number or of a
// code such as ICP2021..., v2.3, file_2023.
bool may_start_date(Text t, std::size_t pos) {
  const char32_t cp = t[pos];
  const char32_t prev = pos > 0 ? t[pos - 1] : U'\0';
  if (is_digit(cp)) {
    return !is_digit(prev) && !utf8::is_ascii_alpha(prev) && prev != U'.' && prev != U'_';
  }
  return chinese_digit(cp) >= 0 && chinese_digit(prev) < 0;
}

// A lone "6月9日" must not be the tail of a year we refused, as in "1850年6月9日".
bool follows_year_mark(Text t, std::size_t pos) {
  std::size_t p = pos;
  for (std::size_t gap = 0; p > 0 && gap <= k_max_gap && utf8::is_space(t[p - 1]); ++gap) {
    --p;
  }
  return p > 0 && t[p - 1] == U'年';
}

std::optional<Found> find_in(Text t, const DateContext& ctx) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!may_start_date(t, i)) {
      continue;
    }
    if (is_digit(t[i]) && follows_year_mark(t, i)) {
      continue;
    }
    if (auto found = parse_date_at(t, i, ctx)) {
      return found;
    }
  }
  return std::nullopt;
}

struct Label {
  std::u32string_view text;
  bool bare;    // a generic word (日期, 时间) that counts only when not part of a longer word
  bool update;  // an update time, used only when no publication label has a date
};

// Simplified spellings only: prepare() folds 發/佈/時/間 to 发/布/时/间.
constexpr std::array k_labels{
    Label{U"发布时间", false, false}, Label{U"发布日期", false, false},
    Label{U"发稿时间", false, false}, Label{U"发表时间", false, false},
    Label{U"发表日期", false, false}, Label{U"出版日期", false, false},
    Label{U"更新时间", false, true},  Label{U"更新日期", false, true},
    Label{U"日期", true, false},      Label{U"时间", true, false},
};

// The label (if any) starting at pos.
const Label* label_at(Text t, std::size_t pos) {
  for (const Label& label : k_labels) {
    if (t.substr(pos, label.text.size()) != label.text) {
      continue;
    }
    // 成文日期 (the date a document was written) and 活动时间 (an event) are not publication dates.
    if (label.bare && pos > 0 && utf8::is_cjk(t[pos - 1])) {
      continue;
    }
    return &label;
  }
  return nullptr;
}

}  // namespace

std::optional<DateTime> find_date(std::string_view text, const DateContext& ctx) {
  const std::u32string t = prepare(text);
  if (auto found = find_in(t, ctx)) {
    return found->value;
  }
  return std::nullopt;
}

std::optional<DateTime> find_labelled_date(std::string_view text, const DateContext& ctx) {
  const std::u32string folded = prepare(text);
  const Text t = folded;
  std::optional<DateTime> update;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const Label* label = label_at(t, i);
    if (label == nullptr) {
      continue;
    }
    std::size_t p = skip_spaces(t, i + label->text.size());
    if (at(t, p) == U':') {
      p = skip_spaces(t, p + 1);
    }
    if (p < t.size() && (is_digit(t[p]) || chinese_digit(t[p]) >= 0)) {
      if (const auto found = parse_date_at(t, p, ctx)) {
        if (!label->update) {
          return found->value;
        }
        if (!update) {
          update = found->value;
        }
      }
    }
    i += label->text.size() - 1;
  }
  return update;
}

std::optional<Date> date_from_url(std::string_view url) {
  // Only the path: hosts carry digits (news2023.cn) and queries carry ids.
  std::string_view path = url;
  if (const auto parts = split_url(url)) {
    path = parts->rest;
  } else if (url.starts_with("//")) {  // scheme-relative: "//host/path"
    path = url.substr(std::min(url.find_first_of("/?#", 2), url.size()));
  }
  path = path.substr(0, path.find_first_of("?#"));

  const auto digit = [&](std::size_t i) {
    return i < path.size() && path[i] >= '0' && path[i] <= '9';
  };
  const auto ch = [&](std::size_t i) { return i < path.size() ? path[i] : '\0'; };
  const auto run_end = [&](std::size_t i) {
    while (digit(i)) {
      ++i;
    }
    return i;
  };
  const auto value = [&](std::size_t from, std::size_t to) {
    int v = 0;
    for (std::size_t i = from; i < to; ++i) {
      v = v * 10 + (path[i] - '0');
    }
    return v;
  };
  const auto make = [](int y, int m, int d) -> std::optional<Date> {
    const Date date{y, m, d};
    if (y < k_min_url_year || y > k_max_url_year || !date.is_valid()) {
      return std::nullopt;
    }
    return date;
  };
  // Where a day may end: another path segment, a file name part, or the end of the path.
  const auto day_end_ok = [&](char c) {
    return c == '/' || c == '_' || c == '-' || c == '.' || c == '\0';
  };

  for (std::size_t b = 0; b < path.size();) {
    if (!digit(b)) {
      ++b;
      continue;
    }
    const std::size_t e = run_end(b);
    const char before = b > 0 ? path[b - 1] : '/';
    const bool t_prefix = before == 't' && b >= 2 && path[b - 2] == '/';  // gov CMS /t20230613_1
    const bool delimited =
        before == '/' || before == '_' || before == '-' || before == '.' || t_prefix;
    const char after = ch(e);
    const std::size_t length = e - b;
    std::optional<Date> date;
    if (!delimited) {
      // part of a word such as D110000renmrb
    } else if (length == 8 && (after == '/' || after == '_' || after == '-')) {
      // /20230613/, _20230613_; not a bare file stem such as content_20230613.htm, which is as
      // likely an article id
      date = make(value(b, b + 4), value(b + 4, b + 6), value(b + 6, b + 8));
    } else if (length == 6 && after == '/') {
      // /202306/13/
      const std::size_t d_end = run_end(e + 1);
      if (d_end - (e + 1) == 2 && day_end_ok(ch(d_end))) {
        date = make(value(b, b + 4), value(b + 4, b + 6), value(e + 1, d_end));
      }
    } else if (length == 4 && (after == '-' || after == '/')) {
      // /2023-06/13/, /2023/06/13/, /2023/6/13/, /2023-06-13/, /2023/0613/
      const std::size_t m_end = run_end(e + 1);
      const std::size_t m_len = m_end - (e + 1);
      const char sep2 = ch(m_end);
      if ((m_len == 1 || m_len == 2) && (sep2 == '/' || (sep2 == '-' && after == '-'))) {
        const std::size_t d_end = run_end(m_end + 1);
        const std::size_t d_len = d_end - (m_end + 1);
        if ((d_len == 1 || d_len == 2) && day_end_ok(ch(d_end))) {
          date = make(value(b, e), value(e + 1, m_end), value(m_end + 1, d_end));
        }
      } else if (m_len == 4 && after == '/' && sep2 == '/') {
        date = make(value(b, e), value(e + 1, e + 3), value(e + 3, m_end));
      }
    }
    if (date) {
      return date;
    }
    b = e;
  }
  return std::nullopt;
}

std::optional<DateTime> parse_machine_date(std::string_view text) {
  const std::u32string folded = prepare(utf8::trim(text));
  const Text t = folded;
  if (t.empty() || !is_digit(t[0])) {
    return std::nullopt;
  }
  DateTime result;
  std::size_t pos = 0;
  const Number lead = read_digits(t, 0, 8);
  if (lead.digits == 8) {
    // 20230613, as some PubDate metas carry it
    result.date = Date{lead.value / 10000, lead.value / 100 % 100, lead.value % 100};
    pos = lead.end;
  } else if (lead.digits == 4) {
    auto match = read_separated(t, lead.end, lead.value);
    if (!match) {
      match = read_month_day_chinese(t, lead.end, lead.value);
    }
    if (!match) {
      return std::nullopt;
    }
    result.date = match->date;
    pos = match->end;
  } else {
    return std::nullopt;
  }
  if (!result.date.is_valid()) {
    return std::nullopt;
  }
  if (pos == t.size()) {
    return result;
  }
  // A "T" or whitespace, then the time as given: an enpproperty "00:00:00" is kept, and callers
  // that know the source decide whether an all-zero time means "no time".
  std::size_t p = at(t, pos) == U'T' ? pos + 1 : skip_spaces(t, pos);
  if (p == pos) {
    return std::nullopt;
  }
  const auto time = read_time(t, p);
  if (!time) {
    return std::nullopt;
  }
  result.hour = time->hour;
  result.minute = time->minute;
  result.second = time->second;
  p = time->end;
  // enpproperty dates end in ":0" or ".0"; ISO ones may carry fractions.
  if (time->second && (at(t, p) == U'.' || at(t, p) == U':') && is_digit(at(t, p + 1))) {
    for (++p; is_digit(at(t, p)); ++p) {
    }
  }
  p = skip_spaces(t, p);
  if (const auto offset = read_offset(t, p)) {
    result.utc_offset_minutes = offset->minutes;
    p = offset->end;
  }
  if (p != t.size()) {
    return std::nullopt;
  }
  return result;
}

}  // namespace archiver
