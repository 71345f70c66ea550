// A 版面 keeps its PDF and its scan, and the scan's image map ties each article to its place on
// the printed page. Templates list every 版面's PDF on each page: the page's own is the one its
// number names.

#include "parsers/epaper.hpp"
#include "parsers/generic.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace archiver {
namespace {

ParsedPage parse(std::string_view url, std::string_view html) {
  return parse_epaper(
      {.url = url, .html = html, .reference_date = {}, .selectors = nullptr, .listed_in = nullptr});
}

// A Founder 版面 of an old template: unquoted attributes, the page list with a PDF icon per
// page, the scan in the page's image folder with its map, a 下载本版PDF link as well.
constexpr std::string_view k_founder_page = R"(<html><head><meta charset=utf-8>
<title>淮畔职工报</title></head><body>
<table><tr><td class=pagelist>
<a id=pageLink href=node_2.htm>第01版：要　闻</a> <a href=../../../images/2023-02/10/01/hpzgb2023021001.pdf><img src=../../../img/pdf.gif></a><br>
<a id=pageLink href=node_3.htm>第02版：工会新闻</a> <a href=../../../images/2023-02/10/02/hpzgb2023021002.pdf><img src=../../../img/pdf.gif></a><br>
<a id=pageLink href=node_4.htm>第03版：职工生活</a> <a href=../../../images/2023-02/10/03/hpzgb2023021003.pdf><img src=../../../img/pdf.gif></a>
</td></tr></table>
<div id=pageimg><img src=../../../images/2023-02/10/02/b_hpzgb2023021002.jpg border=0 usemap=#PagePicMap width=480></div>
<map name=PagePicMap>
<area shape=polygon coords="12,30,470,30,470,210,12,210" href="content_9871.htm?div=-1">
<area shape=rect coords="12,220,240,520" href=content_9872.htm>
<area coords="250,220,470,520" href=content_9873.htm?div=0>
</map>
<ul class=titlelist><li><a href=content_9871.htm?div=-1>全市职工技能大赛启动</a></li>
<li><a href=content_9872.htm>困难职工帮扶中心春节慰问</a></li></ul>
<a href=../../../images/2023-02/10/02/hpzgb2023021002.pdf>下载本版PDF</a>
</body></html>)";

TEST_SUITE("parsers/page-assets") {
  TEST_CASE("a Founder 版面: its own PDF among all pages', its scan, the map's areas") {
    const ParsedPage page =
        parse("http://hpzgb.example.cn/html/2023-02/10/node_3.htm", k_founder_page);
    REQUIRE(page.assets.size() == 2);
    CHECK(page.assets[0].kind == AssetKind::pdf);
    CHECK(page.assets[0].url == "http://hpzgb.example.cn/images/2023-02/10/02/hpzgb2023021002.pdf");
    CHECK(page.assets[1].kind == AssetKind::page_image);
    CHECK(page.assets[1].url ==
          "http://hpzgb.example.cn/images/2023-02/10/02/b_hpzgb2023021002.jpg");
    REQUIRE(page.areas.size() == 3);
    CHECK(page.areas[0].article_url == "http://hpzgb.example.cn/html/2023-02/10/content_9871.htm");
    CHECK(page.areas[0].shape == "polygon");
    CHECK(page.areas[0].coords == "12,30,470,30,470,210,12,210");
    CHECK(page.areas[2].shape == "rect");  // no shape given: HTML's default
    CHECK(page.areas[2].article_url == "http://hpzgb.example.cn/html/2023-02/10/content_9873.htm");
  }

  TEST_CASE("A01 page names, a scan without a map beside the PDF, a PDF named by its text") {
    constexpr std::string_view html = R"(<html><body>
<div class="paper-nav"><a href="node_A01.html">A01：头版</a> <a href="node_A02.html">A02：要闻</a></div>
<div class="pic"><img src="/res/2024/05/09/A02/page.png" alt=""></div>
<div class="tools"><a href="/res/2024/05/09/A02/20240509A02.pdf">PDF下载</a>
<a href="/res/2024/05/09/A01/20240509A01.pdf">上一版PDF</a></div>
<ul class="list"><li><a href="content_1.html">劳模工匠进校园</a></li></ul>
</body></html>)";
    const ParsedPage page = parse("https://paper.example.com/html/2024-05/09/node_A02.html", html);
    REQUIRE(page.assets.size() == 2);
    CHECK(page.assets[0].url == "https://paper.example.com/res/2024/05/09/A02/20240509A02.pdf");
    CHECK(page.assets[1].url == "https://paper.example.com/res/2024/05/09/A02/page.png");
    CHECK(page.areas.empty());
  }

  TEST_CASE("several PDFs and none named: better none than another page's") {
    constexpr std::string_view html = R"(<html><body>
<a href="node_1.html">要闻</a><a href="node_2.html">综合</a>
<a href="/files/a.pdf">下载</a> <a href="/files/b.pdf">下载</a>
<ul><li><a href="content_7.html">一线职工的新春</a></li></ul></body></html>)";
    const ParsedPage page = parse("http://paper.example.org/2024/0509/node_2.html", html);
    CHECK(std::ranges::none_of(page.assets,
                               [](const PageAsset& a) { return a.kind == AssetKind::pdf; }));
  }

  TEST_CASE("an article page keeps no 版面 assets (its photos are the article's)") {
    constexpr std::string_view html = R"(<html><body>
<div class="nav"><a href="node_01.html">第01版:要闻</a></div>
<h1>厂矿职工书屋建设全覆盖</h1>
<div id="ozoom"><p>本报讯 全市厂矿企业职工书屋建设实现全覆盖，新建书屋62个，配送图书三万余册。</p>
<p>职工们表示，下班后能就近借书读书，业余生活更充实了。（记者 周文）</p></div>
<a href="/pdf/2024-05-09/01.pdf">PDF</a></body></html>)";
    const ParsedPage page = parse("http://paper.example.org/2024-05/09/content_55.html", html);
    CHECK(page.assets.empty());
  }
}

TEST_SUITE("parsers/photos") {
  TEST_CASE("the caption printed under a photo, lazy-loaded sources, data: URLs kept") {
    constexpr std::string_view html =
        R"(<html><head><meta charset="utf-8"><title>技能比武现场-市总工会</title></head><body>
<div class="article"><h1>技能比武现场</h1>
<div class="info">发布时间：2024-05-09 10:20 来源：市总工会</div>
<div class="content">
<p style="text-align:center"><img src="/static/loading.gif" data-original="/upload/2024/05/p1.jpg" width="600"></p>
<p style="text-align:center">图为焊工组选手在比赛中。（记者 刘洋 摄）</p>
<p>5月8日，全市职工职业技能大赛焊工组决赛在市技师学院举行，来自全市32家企业的68名选手同台竞技。</p>
<p>比赛分理论考试和实际操作两部分，实际操作要求选手在规定时间内完成板对接焊接。</p>
<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" width="400"></p>
<p>大赛共设焊工、电工、钳工等8个工种，获奖选手将获评市技术能手称号。</p>
</div></div></body></html>)";
    const ParsedPage page =
        parse_generic({.url = "https://ghw.example.gov.cn/news/2024/0509/123.html",
                       .html = html,
                       .reference_date = {},
                       .selectors = nullptr,
                       .listed_in = nullptr});
    REQUIRE(page.articles.size() == 1);
    const Article& article = page.articles.front();
    REQUIRE(article.images.size() == 2);
    CHECK(article.images[0].url == "https://ghw.example.gov.cn/upload/2024/05/p1.jpg");
    CHECK(article.images[0].caption == "图为焊工组选手在比赛中。（记者 刘洋 摄）");
    CHECK(article.images[1].url.starts_with("data:image/png;base64,"));
    // The caption is the photo's, not a paragraph of the body.
    CHECK(std::ranges::none_of(article.body,
                               [](const std::string& p) { return p.starts_with("图为"); }));
  }
}

}  // namespace
}  // namespace archiver
