// The list pages of the cms and portal families: links resolve against <base href>, and a list
// of any length is read in time linear in its size.

#include "parsers/registry.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

namespace archiver {
namespace {

// A union CMS 栏目 page of n entries (title, date, a short 摘要 on every third), between the
// usual navigation, a 热点 box and a footer.
std::string union_list_page(std::size_t n, std::string_view head_extra = {}) {
  std::string html = fmt::format(
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\">{}<title>工会动态 - 某市总工会</title>"
      "</head><body><div class=\"nav\"><a href=\"/index.html\">首页</a> <a "
      "href=\"/gzdt/\">工作动态</a> <a href=\"/ztbd/\">专题报道</a></div>"
      "<div class=\"hot\"><h3>热点</h3><a href=\"/zt/2024/5.html\">劳动模范座谈会召开</a></div>"
      "<div class=\"main\"><ul class=\"list\">\n",
      head_extra);
  for (std::size_t i = 0; i < n; ++i) {
    // Every third entry prints its 摘要 on a line of its own, the others beside the title.
    html += fmt::format(
        "<li><a href=\"{0}/{1}.html\" title=\"市总工会开展第{1}期职工技能培训活动\">"
        "市总工会开展第{1}期职工技能培训活动</a><span class=\"date\">2024-0{2}-1{3}</span>{4}"
        "</li>\n",
        i % 2 == 0 ? "2024" : "art/2024", i, 1 + i % 9, i % 10,
        i % 3 == 0 ? "<p>为提升职工技能水平，市总工会组织开展技能培训，参训职工积极踊跃。</p>"
                   : "<span>各基层工会积极组织职工参加，培训内容涵盖安全生产、技能提升和劳动保护等"
                     "方面，受到广大职工欢迎。</span>");
  }
  html +=
      "</ul><div class=\"page\"><a href=\"list_2.html\">下一页</a></div></div>"
      "<div class=\"footer\">版权所有 某市总工会 备案号 皖ICP备00000000号</div></body></html>";
  return html;
}

}  // namespace

TEST_SUITE("parsers/list-page") {
  TEST_CASE("links resolve against <base href>, the page's own host counting too") {
    const std::string html =
        union_list_page(12, "<base href=\"http://union.example.cn/news/\" target=\"_blank\">");
    for (const ParserKind kind : {ParserKind::cms, ParserKind::portal}) {
      const ParsedPage page =
          parse_page(kind, {.url = "http://union.example.cn/list/index_1.html", .html = html});
      REQUIRE(page.headlines.size() == 12);
      CHECK(page.headlines[0].url == "http://union.example.cn/news/2024/0.html");
      CHECK(page.headlines[1].url == "http://union.example.cn/news/art/2024/1.html");
      CHECK(page.next_page == "http://union.example.cn/news/list_2.html");
    }
    // A relative <base href> resolves against the page first.
    const ParsedPage relative =
        parse_page(ParserKind::cms, {.url = "http://union.example.cn/list/index_1.html",
                                     .html = union_list_page(3, "<base href=\"../gzdt/\">")});
    REQUIRE(relative.headlines.size() == 3);
    CHECK(relative.headlines[0].url == "http://union.example.cn/gzdt/2024/0.html");
    // Without one, the page's own address.
    const ParsedPage plain = parse_page(
        ParserKind::cms,
        {.url = "http://union.example.cn/list/index_1.html", .html = union_list_page(3)});
    REQUIRE(plain.headlines.size() == 3);
    CHECK(plain.headlines[0].url == "http://union.example.cn/list/2024/0.html");
  }

  // Each paragraph was compared with every entry: 100,000 entries took half a minute, 200,000
  // minutes. Linear work needs a few seconds (more under the sanitizers); the limit is between.
  // Under the sanitizers (a memory check, several times slower) a smaller list: 40,000 entries
  // read quadratically would still take minutes there.
#ifdef ARCHIVER_SANITIZED_BUILD
  constexpr double k_limit_seconds = 90;
  constexpr std::size_t k_entries = 40'000;
#else
  constexpr double k_limit_seconds = 20;
  constexpr std::size_t k_entries = 100'000;
#endif
  TEST_CASE("a list of 100,000 entries is read whole, in linear time" *
            doctest::timeout(k_limit_seconds)) {
    const std::string html = union_list_page(k_entries);
    const ParsedPage page = parse_page(
        ParserKind::cms, {.url = "http://union.example.cn/list/index_1.html", .html = html});
    REQUIRE(page.headlines.size() == k_entries);
    CHECK(page.articles.empty());
    CHECK(page.headlines.back().url ==
          fmt::format("http://union.example.cn/list/art/2024/{}.html", k_entries - 1));
    CHECK(page.headlines[3].summary ==
          "为提升职工技能水平，市总工会组织开展技能培训，参训职工积极踊跃。");
    CHECK(page.next_page == "http://union.example.cn/list/list_2.html");
  }
}

}  // namespace archiver
