#include "parsers/dates.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace archiver;

namespace {

// The ISO form of what find_date returns, or "none": keeps each check to one readable line.
std::string found(std::string_view text, const DateContext& ctx = {}) {
  const auto date = find_date(text, ctx);
  return date ? date->to_iso() : "none";
}

std::string labelled(std::string_view text, const DateContext& ctx = {}) {
  const auto date = find_labelled_date(text, ctx);
  return date ? date->to_iso() : "none";
}

std::string from_url(std::string_view url) {
  const auto date = date_from_url(url);
  return date ? date->to_iso() : "none";
}

std::string machine(std::string_view text) {
  const auto date = parse_machine_date(text);
  return date ? date->to_iso() : "none";
}

DateContext reference(int year, int month, int day) { return DateContext{Date{year, month, day}}; }

}  // namespace

TEST_SUITE("parsers/dates") {
  TEST_CASE("Date::is_valid follows the real calendar within 1900..2100") {
    CHECK(Date{2023, 6, 13}.is_valid());
    CHECK(Date{2024, 2, 29}.is_valid());
    CHECK(Date{2000, 2, 29}.is_valid());
    CHECK_FALSE(Date{2023, 2, 29}.is_valid());
    CHECK_FALSE(Date{1900, 2, 29}.is_valid());
    CHECK_FALSE(Date{2023, 2, 30}.is_valid());
    CHECK_FALSE(Date{2023, 4, 31}.is_valid());
    CHECK_FALSE(Date{2023, 13, 1}.is_valid());
    CHECK_FALSE(Date{2023, 0, 1}.is_valid());
    CHECK_FALSE(Date{2023, 1, 0}.is_valid());
    CHECK(Date{1900, 1, 1}.is_valid());
    CHECK(Date{2100, 12, 31}.is_valid());
    CHECK_FALSE(Date{1899, 12, 31}.is_valid());
    CHECK_FALSE(Date{2101, 1, 1}.is_valid());
  }

  TEST_CASE("Date::days_since_epoch counts real days") {
    CHECK(Date{1970, 1, 1}.days_since_epoch() == 0);
    CHECK(Date{2000, 3, 1}.days_since_epoch() - Date{2000, 2, 28}.days_since_epoch() == 2);
    CHECK(Date{2024, 1, 1}.days_since_epoch() - Date{2023, 1, 1}.days_since_epoch() == 365);
    CHECK(Date{1969, 12, 31}.days_since_epoch() == -1);
  }

  TEST_CASE("to_iso formats dates, times and offsets") {
    CHECK(Date{2023, 6, 3}.to_iso() == "2023-06-03");
    DateTime dt{Date{2023, 6, 13}, {}, {}, {}, 480};
    CHECK(dt.to_iso() == "2023-06-13");
    dt.hour = 8;
    dt.minute = 5;
    CHECK(dt.to_iso() == "2023-06-13T08:05+08:00");
    dt.second = 9;
    CHECK(dt.to_iso() == "2023-06-13T08:05:09+08:00");
    dt.utc_offset_minutes = -300;
    CHECK(dt.to_iso() == "2023-06-13T08:05:09-05:00");
    dt.utc_offset_minutes = 0;
    CHECK(dt.to_iso() == "2023-06-13T08:05:09+00:00");
    dt.utc_offset_minutes = 330;
    CHECK(dt.to_iso() == "2023-06-13T08:05:09+05:30");
  }

  TEST_CASE("numeric dates with -, / and .") {
    CHECK(found("2023-06-13") == "2023-06-13");
    CHECK(found("2023/6/13") == "2023-06-13");
    CHECK(found("日期 2022.01.20 16:31 来源") == "2022-01-20T16:31+08:00");
    CHECK(found("安徽工人日报社\n\n2023-06-13\n报刊:安徽工人日报") == "2023-06-13");
    CHECK(found("２０２３－０６－１３") == "2023-06-13");
  }

  TEST_CASE("年月日 dates, spaced and split by tags") {
    CHECK(found("2023年6月13日") == "2023-06-13");
    CHECK(found("2023 年 6 月 13 日") == "2023-06-13");
    CHECK(found("2017  年   10 月 9 日") == "2017-10-09");
    CHECK(found("2023年06月13号") == "2023-06-13");
    CHECK(found("２０２３年６月１３日") == "2023-06-13");
    CHECK(found("2023年6月13日 星期二") == "2023-06-13");
  }

  TEST_CASE("dates in Chinese numerals") {
    CHECK(found("二〇二三年六月十三日") == "2023-06-13");
    CHECK(found("二○二二年十二月三十一日") == "2022-12-31");
    CHECK(found("二零二一年十月二十日") == "2021-10-20");
    CHECK(found("二〇二三年一月一日") == "2023-01-01");
    CHECK(found("二〇二三年十一月十日") == "2023-11-10");
    CHECK(found("二〇二三年二月三十日") == "none");
  }

  TEST_CASE("dates with times") {
    CHECK(found("2022-02-11 14:59:02  来源:盐城市总工会") == "2022-02-11T14:59:02+08:00");
    CHECK(found("2019年10月31日 23:00") == "2019-10-31T23:00+08:00");
    CHECK(found("2005-04-05 06:40更新") == "2005-04-05T06:40+08:00");
    CHECK(found("2022-02-11　14：59") == "2022-02-11T14:59+08:00");
    CHECK(found("2023年6月13日 星期二 08:30") == "2023-06-13T08:30+08:00");
    CHECK(found("2023年6月13日14时30分") == "2023-06-13T14:30+08:00");
    CHECK(found("2023年6月13日 下午3:30") == "2023-06-13T15:30+08:00");
  }

  TEST_CASE("an ISO timestamp keeps its explicit offset") {
    const auto dt = find_date("发布 2023-06-13T08:30:00+08:00");
    REQUIRE(dt);
    CHECK(dt->utc_offset_minutes == 480);
    CHECK(dt->to_iso() == "2023-06-13T08:30:00+08:00");
    CHECK(found("2023-06-13T00:30:00Z") == "2023-06-13T00:30:00+00:00");
    CHECK(found("2023-06-13T08:30-05:00") == "2023-06-13T08:30-05:00");
  }

  TEST_CASE("a time is taken only when valid and directly after the date") {
    CHECK(found("2023-06-13 25:00") == "2023-06-13");
    CHECK(found("2023-06-13 12:60") == "2023-06-13");
    CHECK(found("2023-06-13 12:30:61") == "2023-06-13");
    CHECK(found("2023-06-13 2183家") == "2023-06-13");
    CHECK(found("2023-06-13 来源:本站 14:00") == "2023-06-13");
    CHECK(found("2023年6月13日 9时") == "2023-06-13");
    // A range in running text is not a time zone.
    CHECK(found("2023-06-13 09:00-10:00") == "2023-06-13T09:00+08:00");
  }

  TEST_CASE("not dates: document numbers, phones, ICP, issues, counts") {
    CHECK(found("吉政明电〔2022〕1号") == "none");
    CHECK(found("联系电话:0839-3262473") == "none");
    CHECK(found("蜀ICP备2021007964号-1") == "none");
    CHECK(found("期次:第8100期") == "none");
    CHECK(found("覆盖小微企业2183家") == "none");
    CHECK(found("截至2024 年底") == "none");
    CHECK(found("截至2020年底,现行标准下") == "none");
    CHECK(found("版本 V2023.06.13") == "none");
    CHECK(found("version 1.2.3 and 10.0.19041.1") == "none");
    CHECK(found("build 2023.1.2.5") == "none");
    CHECK(found("file 2023-06-13-1") == "none");
    CHECK(found("549.87万户") == "none");
    CHECK(found("2019-2020学年") == "none");
  }

  TEST_CASE("impossible dates are refused") {
    CHECK(found("2023-02-30") == "none");
    CHECK(found("2023-13-01") == "none");
    CHECK(found("2023年2月29日") == "none");
    CHECK(found("2024年2月29日") == "2024-02-29");
    CHECK(found("1850年6月9日") == "none");
    // A refused year must not leave its month-day behind as a date.
    CHECK(found("1850年6月9日", reference(2023, 6, 13)) == "none");
  }

  TEST_CASE("the first date in the text wins, skipping refused ones") {
    CHECK(found("2023-02-30 然后 2023-03-01") == "2023-03-01");
    CHECK(found("第8100期 2023年6月13日 2021-06-01") == "2023-06-13");
  }

  TEST_CASE("month-day dates need a reference date") {
    CHECK(found("摘要:6月9日,淮北市总工会") == "none");
    CHECK(found("摘要:6月9日,淮北市总工会", reference(2023, 6, 13)) == "2023-06-09");
    CHECK(found("6月 9 日", reference(2023, 6, 13)) == "2023-06-09");
    // Up to a week after the reference stays in its year; later is last year's.
    CHECK(found("6月20日", reference(2023, 6, 13)) == "2023-06-20");
    CHECK(found("6月21日", reference(2023, 6, 13)) == "2022-06-21");
    CHECK(found("12月30日", reference(2024, 1, 2)) == "2023-12-30");
    CHECK(found("1月3日", reference(2023, 12, 31)) == "2023-01-03");
    CHECK(found("2月29日", reference(2025, 1, 3)) == "2024-02-29");
    CHECK(found("2月30日", reference(2024, 3, 1)) == "none");
    CHECK(found("5月31日电 5月31日", reference(2021, 6, 1)) == "2021-05-31");
  }

  TEST_CASE("labelled publication dates") {
    CHECK(labelled("發布時間:2023-07-06  點擊量:2432") == "2023-07-06");
    CHECK(labelled("发布时间：2023-07-06 10:20") == "2023-07-06T10:20+08:00");
    CHECK(labelled("发布时间: 2023-07-06") == "2023-07-06");
    CHECK(labelled("发布日期：2022年3月1日") == "2022-03-01");
    CHECK(labelled("日期:2023/06/13") == "2023-06-13");
    CHECK(labelled("时间：2019年10月31日 23:00") == "2019-10-31T23:00+08:00");
    CHECK(labelled("发稿时间：2023-06-13 08:00") == "2023-06-13T08:00+08:00");
    CHECK(labelled("發佈日期：2023-06-13") == "2023-06-13");
    CHECK(labelled("時間：2023-06-13") == "2023-06-13");
    CHECK(labelled("更新时间:2023-06-14") == "2023-06-14");
    CHECK(labelled("时间：6月9日", reference(2023, 6, 13)) == "2023-06-09");
  }

  TEST_CASE("labelled dates skip unlabelled and non-publication dates") {
    CHECK(labelled("2023-01-01 首页 发布时间：2023-06-13") == "2023-06-13");
    CHECK(labelled("成文日期：2022-01-01 发布日期：2022-01-05") == "2022-01-05");
    CHECK(labelled("活动时间：2023-07-01 发布时间：2023-06-13") == "2023-06-13");
    CHECK(labelled("更新时间：2023-06-14 发布时间：2023-06-13") == "2023-06-13");
    CHECK(labelled("发布时间：点击量 2023-06-13") == "none");
    CHECK(labelled("2023-06-13") == "none");
    CHECK(labelled("时间：吉政明电〔2022〕1号") == "none");
  }

  TEST_CASE("dates in URL paths") {
    CHECK(from_url("http://epaper.example.cn/html/2023-06/13/node_1.htm") == "2023-06-13");
    CHECK(from_url("https://x.cn/html/202306/13/node_A01.html") == "2023-06-13");
    CHECK(from_url("https://x.cn/a/20230613/b.html") == "2023-06-13");
    CHECK(from_url("https://x.cn/papers/grrb/2023/06/13/1/page.html") == "2023-06-13");
    CHECK(from_url("http://paper.people.com.cn/rmrb/html/nw.D110000renmrb_20230613_1-01.htm") ==
          "2023-06-13");
    CHECK(from_url("http://x.cn/content/20230613/Page01HO.htm") == "2023-06-13");
    CHECK(from_url("/art/2023/6/3/art_1_2.html") == "2023-06-03");
    CHECK(from_url("http://www.gov.cn/xinwen/202306/t20230613_12345.html") == "2023-06-13");
    CHECK(from_url("html/2023-06/13/content_8100123.htm?div=-1") == "2023-06-13");
  }

  TEST_CASE("URL numbers that are not dates") {
    CHECK(from_url("http://x.cn/html/content_8100123.htm") == "none");
    CHECK(from_url("http://x.cn/content_20230613.htm") == "none");
    CHECK(from_url("http://x.cn/a/202306131234/b.htm") == "none");
    CHECK(from_url("http://x.cn/a/20231345/b.htm") == "none");
    CHECK(from_url("http://x.cn/a/18990101/b.htm") == "none");
    CHECK(from_url("http://x.cn/html/2023-02/30/node_1.htm") == "none");
    CHECK(from_url("http://20230613.example.cn/index.htm") == "none");
    CHECK(from_url("http://x.cn/index.htm?date=20230613/") == "none");
    CHECK(from_url("http://x.cn/nbs.D110000renmrb_01.htm") == "none");
    CHECK(from_url("") == "none");
  }

  TEST_CASE("machine dates from meta tags and enpproperty") {
    CHECK(machine("2023-06-13") == "2023-06-13");
    CHECK(machine(" 2023-06-13 14:59:02 ") == "2023-06-13T14:59:02+08:00");
    CHECK(machine("2023-06-13 14:59") == "2023-06-13T14:59+08:00");
    CHECK(machine("2023-06-13T14:59:02+08:00") == "2023-06-13T14:59:02+08:00");
    CHECK(machine("2023-06-13T14:59:02.123+0800") == "2023-06-13T14:59:02+08:00");
    CHECK(machine("2023/06/13 14:59") == "2023-06-13T14:59+08:00");
    CHECK(machine("20230613") == "2023-06-13");
    CHECK(machine("2023年06月13日") == "2023-06-13");
  }

  TEST_CASE("machine dates keep an explicit Z as offset 0") {
    const auto dt = parse_machine_date("2023-06-13T06:59:02Z");
    REQUIRE(dt);
    CHECK(dt->utc_offset_minutes == 0);
    CHECK(dt->to_iso() == "2023-06-13T06:59:02+00:00");
  }

  TEST_CASE("enpproperty dates: trailing :0/.0 ignored, an all-zero time kept as given") {
    const auto dt = parse_machine_date("2022-02-13 00:00:00:0");
    REQUIRE(dt);
    // Decision: the time is kept; whether 00:00:00 means "no time" is the caller's call.
    CHECK(dt->has_time());
    CHECK(dt->to_iso() == "2022-02-13T00:00:00+08:00");
    CHECK(machine("2022-02-13 00:00:00.0") == "2022-02-13T00:00:00+08:00");
    CHECK(machine("2022-02-13 09:30:15:0") == "2022-02-13T09:30:15+08:00");
  }

  TEST_CASE("machine dates refuse junk") {
    CHECK(machine("") == "none");
    CHECK(machine("0") == "none");
    CHECK(machine("1686640742") == "none");
    CHECK(machine("2023-02-30") == "none");
    CHECK(machine("2023-06-13 25:00:00") == "none");
    CHECK(machine("2023-06-13 14:59:02 garbage") == "none");
    CHECK(machine("2023-06-13T14:59:02+99:00") == "none");
    CHECK(machine("编辑部") == "none");
  }

  TEST_CASE("finding dates in a long text stays linear") {
    std::string text;
    for (int i = 0; i < 200000; ++i) {
      text += "2023年 1234567 二〇二 6月 ";
    }
    text += "2023-06-13";
    CHECK(found(text) == "2023-06-13");
    CHECK(labelled(std::string(500000, '9') + "发布时间:2023-06-13") == "2023-06-13");
  }
}
