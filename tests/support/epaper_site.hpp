#pragma once
// A small e-paper (数字报) on the 安徽工人日报 platform, written into a folder for a test to
// serve: per edition date a folder YYYY-MM/DD with node_01.html, node_02.html (版面导航,
// 标题导航 with 摘要, 期次) and the articles' content pages (引题, 标题, body), in UTF-8 or
// GB18030. Tests publish the editions they need, on the dates they need (today's too).

#include "tests/support/asset_bytes.hpp"
#include "tests/support/union_site.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace archiver::testing {

struct EpaperEdition {
  std::chrono::year_month_day day;
  int issue = 8100;
  int articles_per_page = 3;  // two 版面, each with this many articles
  std::string charset = "utf-8";
  // Whether an article's page lists its 版面's 标题导航 beside it, as Founder pages do; else
  // the list is there and empty.
  bool titles_beside_articles = false;
};

inline std::string epaper_folder(std::chrono::year_month_day day) {
  return fmt::format("{:04}-{:02}/{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

inline std::string epaper_date(std::chrono::year_month_day day) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

// The content page of article n of an edition: "content_ISSUE_N.html".
inline std::string epaper_article_name(const EpaperEdition& edition, int n) {
  return fmt::format("content_{}_{}.html", edition.issue, n);
}

inline std::string epaper_article_title(const EpaperEdition& edition, int n) {
  return fmt::format("{}第{}篇：职工技能竞赛点燃创新热情", epaper_date(edition.day), n);
}

// Writes the edition under root/prefix (e.g. prefix "paper/"); its first page is
// prefix + YYYY-MM/DD/node_01.html.
inline void write_epaper_edition(const std::filesystem::path& root, const std::string& prefix,
                                 const EpaperEdition& edition) {
  const std::string folder = prefix + epaper_folder(edition.day) + "/";
  const std::string date = epaper_date(edition.day);
  const std::array<std::string, 2> page_names{"第01版:要闻", "第02版:工会新闻"};
  int article = 0;
  for (int page = 1; page <= 2; ++page) {
    std::string pages_nav;
    for (int other = 1; other <= 2; ++other) {
      pages_nav += fmt::format(
          "<li{}><a class=\"page-tit\" href=\"node_0{}.html\">{}</a><a class=\"page-pdf\" "
          "href=\"/pdf/{}/0{}.pdf\" title=\"下载PDF\">PDF</a></li>\n",
          other == page ? " class=\"on\"" : "", other,
          page_names[static_cast<std::size_t>(other - 1)], date, other);
    }
    const int first_article = article + 1;
    std::string titles;
    for (int n = first_article; n < first_article + edition.articles_per_page; ++n) {
      titles += fmt::format(
          "<li><a class=\"nav-tit\" href=\"{}\">{}</a><p class=\"nav-abs\">摘要:{}，"
          "各地工会组织职工开展岗位练兵和技能比武，一批技术能手脱颖而出。</p></li>\n",
          epaper_article_name(edition, n), epaper_article_title(edition, n), date);
    }
    for (int i = 0; i < edition.articles_per_page; ++i) {
      ++article;
      const std::string content = fmt::format(
          "<!DOCTYPE html><html><head><meta charset=\"{0}\"><title>{1}-安徽工人日报</title>"
          "</head><body><div class=\"paper-head\"><div class=\"logo-name\">安徽工人日报社</div>"
          "<span class=\"paper-date\">{2}</span></div><div class=\"paper-left\"><div "
          "class=\"title-nav\"><h3>标题导航</h3><ul>{3}</ul></div></div>"
          "<div class=\"paper-right\"><div class=\"article-tools\"><a "
          "href=\"javascript:void(0);\">放大</a> <a href=\"javascript:void(0);\">缩小</a></div>"
          "<div class=\"article\"><h3 class=\"art-yinti\">市总工会</h3><h1 "
          "class=\"art-title\">{1}</h1><h3 class=\"art-futi\"></h3><div "
          "class=\"art-info\">期次:第{4}期</div><div class=\"art-page\">{5}</div>"
          "<div id=\"ozoom\" class=\"art-content\">"
          "<p>　　本报讯 {2}，市总工会举办职工技能竞赛，来自全市各行业的200余名职工参赛，"
          "比赛设置电工、焊工、数控车工等项目。</p>"
          "<p>　　竞赛以赛促学、以赛促练，进一步激发了广大职工学技术、钻业务的热情。"
          "获奖选手将按规定获得相应荣誉。（记者 王晓丹）</p></div></div></div>"
          "<div class=\"paper-foot\">安徽工人日报社版权所有 未经书面授权禁止使用</div>"
          "</body></html>",
          edition.charset, epaper_article_title(edition, article), date,
          edition.titles_beside_articles ? titles : std::string(), edition.issue,
          page_names[static_cast<std::size_t>(page - 1)]);
      write_page(root, folder + epaper_article_name(edition, article), content, edition.charset);
    }
    const std::string node = fmt::format(
        "<!DOCTYPE html><html><head><meta charset=\"{0}\"><title>{1}-安徽工人日报</title></head>"
        "<body><div class=\"paper-head\"><div class=\"logo-name\">安徽工人日报社</div>"
        "<span class=\"paper-date\" id=\"paperDate\">{2}</span></div>"
        "<div class=\"paper-left\"><div class=\"page-nav\"><h3 class=\"box-tit\">版面导航</h3>"
        "<ul id=\"pageNav\">{3}</ul></div><div class=\"title-nav\"><h3 "
        "class=\"box-tit\">标题导航</h3><ul id=\"titleNav\">{4}</ul></div></div>"
        "<div class=\"paper-right\"><div class=\"page-bar\"><span class=\"page-name\">{1}</span>"
        "<span class=\"page-issue\">期次:第{5}期</span></div><div class=\"page-pic\"><img "
        "src=\"/images/{2}/0{6}.jpg\" usemap=\"#pagemap\"></div></div>"
        "<div class=\"paper-foot\">安徽工人日报社版权所有</div></body></html>",
        edition.charset, page_names[static_cast<std::size_t>(page - 1)], date, pages_nav, titles,
        edition.issue, page);
    write_page(root, folder + fmt::format("node_0{}.html", page), node, edition.charset);
    // The 版面's PDF and scan, which a crawl keeps too.
    write_page(root, fmt::format("pdf/{}/0{}.pdf", date, page),
               pdf_document(fmt::format("Anhui Workers Daily {} page {}", date, page)));
    write_page(root, fmt::format("images/{}/0{}.jpg", date, page),
               jpeg_bytes(4096, static_cast<unsigned>(edition.issue * 10 + page)));
  }
}

// The edition's article URLs under base (a server URL ending in "/"), in order.
inline std::vector<std::string> epaper_article_urls(const std::string& base,
                                                    const std::string& prefix,
                                                    const EpaperEdition& edition) {
  std::vector<std::string> urls;
  for (int n = 1; n <= 2 * edition.articles_per_page; ++n) {
    urls.push_back(base + prefix + epaper_folder(edition.day) + "/" +
                   epaper_article_name(edition, n));
  }
  return urls;
}

}  // namespace archiver::testing
