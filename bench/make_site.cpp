// archiver-bench-site: writes a deterministic synthetic site for the benchmark: e-paper editions
// (版面 pages with 标题导航 and 摘要, article pages; every third edition in GB18030) and a union
// CMS (paginated lists, article pages), with the scripts, styles, navigation and footers real
// pages carry. With --edit-percent it rewrites that share of the article pages (one paragraph
// changes), as papers correct articles after publication.
//
//   archiver-bench-site --root DIR [--editions 40] [--pages 8] [--articles 20] [--lists 100]
//                       [--edit-percent 0]

#include "decode/charset.hpp"

#include <fmt/format.h>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Options {
  fs::path root;
  int editions = 40;
  int pages = 8;
  int articles = 20;  // per 版面
  int lists = 100;    // CMS list pages, 20 articles each
  int edit_percent = 0;
};

constexpr std::string_view k_words[] = {
    "职工",     "工会",       "劳模",   "技能",   "竞赛",     "服务",   "基层",
    "组织",     "建设",       "驿站",   "困难",   "帮扶",     "权益",   "维护",
    "培训",     "创新",       "工匠",   "精神",   "活动",     "开展",   "县总工会",
    "市总工会", "新就业形态", "劳动者", "送清凉", "金秋助学", "安康杯", "职工之家"};

std::string sentence(std::mt19937& random, int words) {
  std::string text;
  for (int i = 0; i < words; ++i) {
    text += k_words[random() % std::size(k_words)];
    text += (i % 7 == 6) ? "，" : "";
  }
  return text + "。";
}

std::string paragraphs(std::mt19937& random, int count, bool edited) {
  std::string html;
  for (int i = 0; i < count; ++i) {
    std::string text = sentence(random, 18) + sentence(random, 14);
    if (edited && i == 1) {
      text = "（更正）" + text;
    }
    html += "<p>　　" + text + "</p>\n";
  }
  return html;
}

std::string page(std::string_view charset, std::string_view title, std::string_view nav,
                 std::string_view main) {
  return fmt::format(R"(<!DOCTYPE html><html><head><meta charset="{}"><title>{}</title>
<style>body{{font-family:SimSun}} .nav li{{float:left}}</style>
<script>var _hmt=_hmt||[];(function(){{var hm=document.createElement("script");}})();</script>
</head><body><div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news/">工会动态</a></li></ul></div>
{}<div class="main">{}</div>
<div class="footer">版权所有 © 某省总工会 备案号：某ICP备12345678号 技术支持：某某科技</div>
</body></html>)",
                     charset, title, nav, main);
}

void write(const fs::path& path, const std::string& utf8, bool gb18030) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  if (gb18030) {
    out << archiver::encode_utf8_as(utf8, "GB18030").value_or(utf8);
  } else {
    out << utf8;
  }
}

bool edited(std::mt19937& picker, int percent) {
  return percent > 0 && static_cast<int>(picker() % 100) < percent;
}

void make_epaper(const Options& options) {
  std::mt19937 picker(7);  // which articles are edited: the same ones on every run
  for (int e = 0; e < options.editions; ++e) {
    const int day_of_year = e;  // editions on consecutive days from 2024-01-01
    const auto date =
        std::chrono::sys_days{std::chrono::year{2024} / 1 / 1} + std::chrono::days{day_of_year};
    const std::chrono::year_month_day ymd{date};
    const std::string dir =
        fmt::format("paper/{:04}-{:02}/{:02}", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    const bool gb = e % 3 == 2;
    const std::string charset = gb ? "gb2312" : "utf-8";
    std::string pages_nav = "<div class=\"page-nav\"><h3>版面导航</h3><ul>";
    for (int p = 1; p <= options.pages; ++p) {
      pages_nav +=
          fmt::format("<li><a href=\"node_{:02}.html\">第{:02}版:工会新闻{}</a></li>", p, p, p);
    }
    pages_nav += "</ul></div>";
    for (int p = 1; p <= options.pages; ++p) {
      std::string headlines = "<div class=\"title-nav\"><h3>标题导航</h3><ul>";
      for (int a = 0; a < options.articles; ++a) {
        std::mt19937 random(static_cast<std::uint32_t>(e * 100000 + p * 1000 + a));
        const std::string title = sentence(random, 5);
        const int id = (e * options.pages + p) * 1000 + a;
        headlines += fmt::format("<li><a href=\"content_{}.html\">{}</a><p>摘要:{}</p></li>", id,
                                 title, sentence(random, 12));
        const bool change = edited(picker, options.edit_percent);
        std::mt19937 body_random(static_cast<std::uint32_t>(id));
        const std::string article = fmt::format(
            "<div class=\"art-page\">第{:02}版:工会新闻{}</div><h1>{}</h1>"
            "<div class=\"art-info\">期次:第{}期</div><div id=\"ozoom\">{}<p>（记者 "
            "王明）</p></div>",
            p, p, title, 8000 + e, paragraphs(body_random, 6, change));
        write(options.root / dir / fmt::format("content_{}.html", id),
              page(charset, title, pages_nav + headlines + "</ul></div>", article), gb);
      }
      headlines += "</ul></div>";
      write(options.root / dir / fmt::format("node_{:02}.html", p),
            page(charset, fmt::format("第{:02}版", p), pages_nav + headlines,
                 fmt::format(
                     "<div class=\"page-name\">第{:02}版:工会新闻{}</div><div>期次:第{}期</div>", p,
                     p, 8000 + e)),
            gb);
    }
  }
}

void make_cms(const Options& options) {
  std::mt19937 picker(11);
  for (int l = 1; l <= options.lists; ++l) {
    std::string list = "<ul class=\"list_news\">";
    for (int a = 0; a < 20; ++a) {
      const int id = l * 100 + a;
      std::mt19937 random(static_cast<std::uint32_t>(id));
      const std::string title = sentence(random, 6);
      list += fmt::format("<li><a href=\"art/{}.html\">{}</a><span>2024-03-{:02}</span></li>", id,
                          title, 1 + l % 28);
      const bool change = edited(picker, options.edit_percent);
      const std::string article = fmt::format(
          "<h1 class=\"title\">{}</h1><div class=\"info\">发布时间:2024-03-{:02} 09:30  点击量:{}  "
          "来源:市总工会</div><div id=\"zoom\">{}</div>",
          title, 1 + l % 28, id * 7 % 5000, paragraphs(random, 5, change));
      write(options.root / "cms" / "art" / fmt::format("{}.html", id),
            page("utf-8", title, "", article), false);
    }
    list += "</ul>";
    if (l < options.lists) {
      list += fmt::format("<div class=\"pages\"><a href=\"list_{}.html\">下一页</a></div>", l + 1);
    }
    write(options.root / "cms" / fmt::format("list_{}.html", l),
          page("utf-8", "工会动态", "", list), false);
  }
}

int number(const char* text) {
  int value = 0;
  std::from_chars(text, text + std::char_traits<char>::length(text), value);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--root") {
      options.root = argv[i + 1];
    } else if (flag == "--editions") {
      options.editions = number(argv[i + 1]);
    } else if (flag == "--pages") {
      options.pages = number(argv[i + 1]);
    } else if (flag == "--articles") {
      options.articles = number(argv[i + 1]);
    } else if (flag == "--lists") {
      options.lists = number(argv[i + 1]);
    } else if (flag == "--edit-percent") {
      options.edit_percent = number(argv[i + 1]);
    } else {
      std::cerr << "unknown option " << flag << '\n';
      return 2;
    }
  }
  if (options.root.empty()) {
    std::cerr << "usage: archiver-bench-site --root DIR [--editions N] [--pages N] "
                 "[--articles N] [--lists N] [--edit-percent P]\n";
    return 2;
  }
  make_epaper(options);
  make_cms(options);
  return 0;
}
