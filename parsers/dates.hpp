#pragma once
// Finds dates in Chinese page text: ISO dates, 2023年6月13日, 二〇二三年六月十三日, full-width
// digits, labelled dates (发布时间:, 发布日期:, 日期:, traditional 發布時間:), dates with times,
// and month-day dates (6月9日) resolved against a reference date.

#include "parsers/date_time.hpp"

#include <optional>
#include <string_view>

namespace archiver {

struct DateContext {
  // Resolves month-day dates such as 6月9日: the year is the reference's, or the year before
  // when that would put the date more than a few days after the reference.
  std::optional<Date> reference;
};

// The first complete date (with its time when one follows) anywhere in text.
// Month-day dates count only when ctx.reference is set. A time counts only right after the date
// (whitespace, a weekday such as 星期二, or 上午/下午 may come between); an offset only in the ISO
// form 2023-06-13T08:30:00+08:00, since in prose "09:00-10:00" is a range.
// Refused: years outside 1900..2100, impossible days, 〔2022〕1号, 2024年底, 2023.1.2.5.
[[nodiscard]] std::optional<DateTime> find_date(std::string_view text, const DateContext& ctx = {});

// The date that follows a publication label (发布时间, 发布日期, 日期, 时间, 发稿时间, 更新时间 and
// their traditional forms, with : or ：). Nothing when no label is followed by a date.
// A publication label wins over an earlier 更新时间; a bare 日期/时间 counts only when it is not
// the end of a longer word (成文日期, 活动时间).
[[nodiscard]] std::optional<DateTime> find_labelled_date(std::string_view text,
                                                         const DateContext& ctx = {});

// A date in a URL path: /2023-06/13/, /202306/13/, /20230613/, /2023/06/13/, _20230613_,
// /t20230613_1.html. Only the path is read (not the host, query or fragment); numbers must be
// delimited, the year in 1990..2100 and the day real. An 8-digit file stem (content_20230613.htm)
// is not taken: it is as likely an article id.
[[nodiscard]] std::optional<Date> date_from_url(std::string_view url);

// Parses a machine date as found in <meta> tags and enpproperty comments:
// "2023-06-13", "2023-06-13 14:59:02", "2023-06-13T14:59:02+08:00", "2022-02-13 00:00:00:0".
// The whole value must parse. A trailing ":0"/".0" (or fraction) is dropped, "Z" gives offset 0,
// and the time is kept as given: an enpproperty "00:00:00" stays 00:00:00, and callers that know
// the source decide whether it means "no time".
[[nodiscard]] std::optional<DateTime> parse_machine_date(std::string_view text);

}  // namespace archiver
