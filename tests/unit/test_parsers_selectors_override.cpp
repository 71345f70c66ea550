// [site.selectors] steer every family: a layout the heuristics misread is parsed right with
// config alone.

#include "parsers/registry.hpp"

#include <doctest/doctest.h>

namespace archiver {
namespace {

// The site name is the <h1>, the title hides in a plain div, and a long introduction of the
// union in the sidebar outweighs the short article text.
constexpr std::string_view k_odd_article = R"(<html><head><title>某某县总工会</title></head><body>
<h1>某某县总工会</h1>
<div class="side"><p>某某县总工会成立于1950年，是全县职工的群众组织，下设基层工会三百余个，会员五万余人。工会坚持以职工为中心，围绕中心、服务大局，在维护职工合法权益、推动经济社会发展中发挥了重要作用，多次被评为全省先进县级工会。</p>
<p>县总工会机关设办公室、组织部、权益保障部、经费审查委员会办公室等部门，承担全县工会工作的组织、协调和指导职责，联系电话见页面底部。</p></div>
<div class="tt">县总工会慰问环卫工人</div>
<div class="xx"><span class="rq">2024年7月8日</span> <span class="ly">县总工会办公室</span> <span class="zz">撰稿 李红</span></div>
<div class="wz"><p>7月8日，县总工会为一线环卫工人送去清凉慰问品。</p><p>慰问组一行走访了三个环卫站点。</p></div>
</body></html>)";

constexpr std::string_view k_odd_list = R"(<html><body>
<div class="menu"><a href="/a/1.html">栏目一的链接</a><a href="/a/2.html">栏目二的链接</a><a href="/a/3.html">栏目三的链接</a></div>
<div class="lb"><span><a href="/news/88.html">工会新闻八十八</a></span><span><a href="/news/87.html">工会新闻八十七</a></span></div>
<div class="fy"><a class="xyy" href="/news/list_2.html">更多</a></div>
</body></html>)";

ParsedPage parse(ParserKind kind, std::string_view html,
                 const std::map<std::string, std::string>& selectors) {
  return parse_page(kind, {.url = "http://union.example.cn/news/90.html",
                           .html = html,
                           .reference_date = Date{2024, 7, 10},
                           .selectors = &selectors,
                           .listed_in = nullptr});
}

}  // namespace

TEST_SUITE("parsers/selectors") {
  TEST_CASE("without selectors the odd layout is misread") {
    const auto page = parse(ParserKind::cms, k_odd_article, {});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles[0].title != "县总工会慰问环卫工人");
  }

  TEST_CASE("article selectors fix title, date, source, author and body") {
    const std::map<std::string, std::string> selectors = {
        {"title", "div.tt"},   {"date", "span.rq"}, {"source", "span.ly"},
        {"author", "span.zz"}, {"body", "div.wz"},  {"kicker", "div.yt"}};
    for (const auto kind : {ParserKind::cms, ParserKind::portal, ParserKind::generic}) {
      const auto page = parse(kind, k_odd_article, selectors);
      REQUIRE(page.articles.size() == 1);
      const Article& article = page.articles[0];
      CHECK(article.title == "县总工会慰问环卫工人");
      CHECK(article.published == "2024-07-08");
      CHECK(article.source == "县总工会办公室");
      CHECK(article.author == "李红");
      CHECK(article.body ==
            std::vector<std::string>{"7月8日，县总工会为一线环卫工人送去清凉慰问品。",
                                     "慰问组一行走访了三个环卫站点。"});
      CHECK_FALSE(article.kicker.has_value());  // a selector that matches nothing: none
    }
  }

  TEST_CASE("list selectors fix the entries and the next page") {
    const std::map<std::string, std::string> selectors = {{"headlines", "div.lb a"},
                                                          {"next_page", "a.xyy"}};
    const auto page = parse(ParserKind::cms, k_odd_list, selectors);
    REQUIRE(page.headlines.size() == 2);
    CHECK(page.headlines[0].url == "http://union.example.cn/news/88.html");
    CHECK(page.headlines[1].title == "工会新闻八十七");
    CHECK(page.next_page == "http://union.example.cn/news/list_2.html");
  }

  TEST_CASE("e-paper selectors name the 版面 links and the headlines") {
    constexpr std::string_view page_html = R"(<html><body>
<div class="bm"><a href="p1.htm">要闻</a> <a href="p2.htm">工会</a></div>
<div class="bt"><a href="a1.htm">第一篇报道的标题</a><a href="a2.htm">第二篇报道的标题</a></div>
</body></html>)";
    const auto page =
        parse(ParserKind::epaper, page_html, {{"pages", "div.bm a"}, {"headlines", "div.bt a"}});
    REQUIRE(page.pages.size() == 2);
    CHECK(page.pages[1].title == "工会");
    CHECK(page.pages[1].url == "http://union.example.cn/news/p2.htm");
    REQUIRE(page.headlines.size() == 2);
    CHECK(page.headlines[0].title == "第一篇报道的标题");
  }
}

}  // namespace archiver
