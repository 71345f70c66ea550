#include "parsers/selector.hpp"

#include "parsers/html_document.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace archiver;

namespace {

// A Founder-style e-paper page: 版面 links, headline list, and the article in #ozoom.
constexpr std::string_view k_epaper = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>工人日报 第02版</title></head>
<body>
<div class="header"><a href="../../index.htm" class="logo">工人日报</a></div>
<div class="main">
  <div class="bmname">
    <a id="pageLink" href="node_1.htm">第01版：要闻</a>
    <a href="node_2.htm" class="current">第02版：新闻</a>
    <a href="node_3.htm">第03版：工会</a>
  </div>
  <div class="news-list">
    <ul>
      <li><a href="content_101.htm" title="一线职工">一线职工技能比武</a></li>
      <li><a href="content_102.htm" title="劳模工匠">劳模工匠进校园</a></li>
      <li><a href="content_103.htm" title="工会驿站">户外劳动者有了“歇脚地”</a></li>
    </ul>
  </div>
  <div id="ozoom" class="article" data-enpproperty="founder">
    <h3 class="kicker">引题：聚焦产业工人队伍建设改革</h3>
    <h1>让技能人才既有“面子”又有“里子”</h1>
    <h2>副题：多地出台措施提高技术工人待遇</h2>
    <founder-content>
      <p>第一段正文。</p>
      <p class="note">第二段正文。</p>
      <p>第三段正文。</p>
    </founder-content>
  </div>
</div>
</body></html>)";

// A union CMS article in the old table layout, no doctype.
constexpr std::string_view k_cms = R"(<html><head><title>市总工会</title></head><body>
<table width="100%" class="layout" border="0">
  <tr><td class="art_title">市总工会召开全委会议</td></tr>
  <tr><td class="art_title_sub">副标题</td></tr>
  <tr><td class="art_info" lang="zh-CN">来源：市总工会 作者：张三 发布时间：2024-04-02</td></tr>
  <tr><td class="art_content main-text" id="zoom"><p>会议指出。</p><p>会议要求。</p></td></tr>
</table>
<div class="page">
  <a href="list_1.html">首页</a>
  <a href="list_1.html" class="prev">上一页</a>
  <span class="current">2</span>
  <a href="list_3.html" class="next" title="">下一页</a>
  <a href="LIST_9.HTML" class="last">尾页</a>
</div>
</body></html>)";

// A list page of a union website.
constexpr std::string_view k_list = R"(<html><body>
<div class="nav"><ul class="menu"><li><a href="/">首页</a></li></ul></div>
<ul class="list">
  <li><a href="/news/2024/0402/123.html">第一条新闻</a><span class="date">2024-04-02</span></li>
  <li><a href="/news/2024/0401/122.html">第二条新闻</a><span class="date">2024-04-01</span></li>
  <li><a href="/news/2024/0331/121.html">第三条新闻</a><span class="date">2024-03-31</span></li>
  <li><a href="/news/2024/0330/120.html">第四条新闻</a><span class="date">2024-03-30</span></li>
  <li><a href="https://other.example.cn/x.html">外链新闻</a><span class="date">2024-03-29</span></li>
</ul>
</body></html>)";

Selector must_parse(std::string_view text) {
  auto selector = Selector::parse(text);
  INFO(text);
  REQUIRE_MESSAGE(selector.has_value(), selector.error());
  return *selector;
}

// The visible text of every match, joined with '|'.
std::string texts(const HtmlDocument& document, std::string_view selector) {
  std::string joined;
  for (const GumboNode* node : must_parse(selector).select(document.root())) {
    if (!joined.empty()) {
      joined += '|';
    }
    joined += html::text(node);
  }
  return joined;
}

std::size_t count(const HtmlDocument& document, std::string_view selector) {
  return must_parse(selector).select(document.root()).size();
}

// The tag names of every match, joined with ' '.
std::string tags(const HtmlDocument& document, std::string_view selector) {
  std::string joined;
  for (const GumboNode* node : must_parse(selector).select(document.root())) {
    if (!joined.empty()) {
      joined += ' ';
    }
    joined += html::tag_name(node);
  }
  return joined;
}

std::string hrefs(const HtmlDocument& document, std::string_view selector) {
  std::string joined;
  for (const GumboNode* node : must_parse(selector).select(document.root())) {
    if (!joined.empty()) {
      joined += ' ';
    }
    joined += html::attribute(node, "href");
  }
  return joined;
}

std::string parse_error(std::string_view text) {
  const auto selector = Selector::parse(text);
  return selector ? "parsed" : selector.error();
}

}  // namespace

TEST_SUITE("parsers/selector") {
  TEST_CASE("type selectors, custom elements and case-insensitive tag names") {
    const HtmlDocument page{std::string(k_epaper)};
    CHECK(texts(page, "h1") == "让技能人才既有“面子”又有“里子”");
    CHECK(texts(page, "H1") == "让技能人才既有“面子”又有“里子”");
    CHECK(count(page, "founder-content") == 1);
    CHECK(count(page, "Founder-Content") == 1);
    CHECK(texts(page, "founder-content p") == "第一段正文。|第二段正文。|第三段正文。");
    CHECK(count(page, "h4") == 0);
    CHECK(count(page, "founder") == 0);
    CHECK(count(page, "content") == 0);
    CHECK(count(page, "title") == 1);
  }

  TEST_CASE("universal selector") {
    const HtmlDocument page{std::string(k_epaper)};
    CHECK(tags(page, "#ozoom > *") == "h3 h1 h2 founder-content");
    CHECK(tags(page, "founder-content *") == "p p p");
    CHECK(count(page, "*") == count(page, "html, html *"));
  }

  TEST_CASE("ids, classes and compounds") {
    const HtmlDocument cms{std::string(k_cms)};
    CHECK(texts(cms, "#zoom") == "会议指出。 会议要求。");
    CHECK(texts(cms, "td#zoom.art_content") == "会议指出。 会议要求。");
    CHECK(texts(cms, "td.art_content.main-text") == "会议指出。 会议要求。");
    CHECK(texts(cms, ".main-text.art_content#zoom[id]") == "会议指出。 会议要求。");
    // Classes are whole words: art_title does not match art_title_sub.
    CHECK(texts(cms, ".art_title") == "市总工会召开全委会议");
    CHECK(texts(cms, "td.art_title_sub") == "副标题");
    CHECK(count(cms, ".art") == 0);
    CHECK(count(cms, "div.art_content") == 0);
    CHECK(count(cms, ".art_content.missing") == 0);
    CHECK(count(cms, "#zoom#other") == 0);
    // Ids and classes are case-sensitive.
    CHECK(count(cms, "#ZOOM") == 0);
    CHECK(count(cms, ".Art_Title") == 0);
    CHECK(texts(cms, "a.next") == "下一页");
  }

  TEST_CASE("attribute presence and equality") {
    const HtmlDocument cms{std::string(k_cms)};
    CHECK(count(cms, "[lang]") == 1);
    CHECK(count(cms, "table[border]") == 1);
    CHECK(count(cms, "table[width='100%']") == 1);
    CHECK(count(cms, "table[width=\"100%\"]") == 1);
    CHECK(count(cms, "table[width=100]") == 0);
    CHECK(texts(cms, "a[href='list_3.html']") == "下一页");
    // An empty attribute value exists and equals "".
    CHECK(texts(cms, "a[title]") == "下一页");
    CHECK(texts(cms, "a[title='']") == "下一页");
    CHECK(count(cms, "a[rel]") == 0);
    // Attribute names are case-insensitive, values are not.
    CHECK(count(cms, "TABLE[BORDER=\"0\"]") == 1);
    CHECK(count(cms, "a[href='list_9.html']") == 0);
    CHECK(count(cms, "a[href='list_9.html' i]") == 1);
    CHECK(count(cms, "a[href='LIST_9.HTML' s]") == 1);
  }

  TEST_CASE("attribute substring operators") {
    const HtmlDocument epaper{std::string(k_epaper)};
    CHECK(hrefs(epaper, "a[href^=content_]") == "content_101.htm content_102.htm content_103.htm");
    CHECK(hrefs(epaper, "a[href^='node_']") == "node_1.htm node_2.htm node_3.htm");
    CHECK(hrefs(epaper, "a[href$='3.htm']") == "node_3.htm content_103.htm");
    CHECK(hrefs(epaper, "a[href*=\"_10\"]") == "content_101.htm content_102.htm content_103.htm");
    CHECK(hrefs(epaper, "a[href*='index']") == "../../index.htm");
    CHECK(texts(epaper, "a[title='工会驿站']") == "户外劳动者有了“歇脚地”");
    CHECK(texts(epaper, "a[title^=劳模]") == "劳模工匠进校园");
    CHECK(count(epaper, "[data-enpproperty=founder]") == 1);
    // Empty values never match ^= $= *=.
    CHECK(count(epaper, "a[href^='']") == 0);
    CHECK(count(epaper, "a[href$=\"\"]") == 0);
    CHECK(count(epaper, "a[href*='']") == 0);
    // i flag on substring operators.
    const HtmlDocument cms{std::string(k_cms)};
    CHECK(hrefs(cms, "a[href^=list i]") == "list_1.html list_1.html list_3.html LIST_9.HTML");
    CHECK(hrefs(cms, "a[href^=list]") == "list_1.html list_1.html list_3.html");
    CHECK(hrefs(cms, "a[href$='.HTML']") == "LIST_9.HTML");
  }

  TEST_CASE("attribute word and dash operators") {
    const HtmlDocument cms{std::string(k_cms)};
    CHECK(count(cms, "td[class~=main-text]") == 1);
    CHECK(count(cms, "td[class~=art_content]") == 1);
    CHECK(count(cms, "td[class~=main]") == 0);
    CHECK(count(cms, "td[class~='art_content main-text']") == 0);  // a word has no spaces
    CHECK(count(cms, "td[class~='']") == 0);
    CHECK(count(cms, "[lang|=zh]") == 1);
    CHECK(count(cms, "[lang|=zh-CN]") == 1);
    CHECK(count(cms, "[lang|=z]") == 0);
    CHECK(count(cms, "[lang|=CN]") == 0);
  }

  TEST_CASE("descendant and child combinators") {
    const HtmlDocument list{std::string(k_list)};
    CHECK(count(list, "ul.list li a") == 5);
    CHECK(count(list, "ul li a") == 6);
    CHECK(count(list, "ul.list > li > a") == 5);
    CHECK(count(list, "ul.list > a") == 0);
    CHECK(count(list, "body > ul.list") == 1);
    CHECK(count(list, "body > li") == 0);
    CHECK(count(list, "div ul.list") == 0);
    CHECK(hrefs(list, "ul.list li a[href^='/news/']") ==
          "/news/2024/0402/123.html /news/2024/0401/122.html /news/2024/0331/121.html "
          "/news/2024/0330/120.html");
    // Whitespace around combinators is free.
    CHECK(count(list, "ul.list>li>a") == 5);
    CHECK(count(list, "  ul.list >li>   a  ") == 5);
    CHECK(count(list, "ul.list\n\t>\tli\na") == 5);

    const HtmlDocument cms{std::string(k_cms)};
    CHECK(texts(cms, "table tr > td.art_title") == "市总工会召开全委会议");
    CHECK(texts(cms, "table td#zoom > p") == "会议指出。|会议要求。");
    CHECK(count(cms, "table > tr") == 0);  // Gumbo inserts tbody, as browsers do
    CHECK(count(cms, "table > tbody > tr") == 4);
  }

  TEST_CASE("a failed child step retries with a higher ancestor") {
    const HtmlDocument page{std::string(
        "<section class='a'><div class='outer'><div class='inner'><span>命中</span></div></div>"
        "</section><section><div><div><span>不中</span></div></div></section>")};
    // The nearest div's parent is a div, the next one's parent is section.a.
    CHECK(texts(page, "section.a > div span") == "命中");
    CHECK(texts(page, "section.a > div > div > span") == "命中");
    CHECK(texts(page, "section > div.outer span") == "命中");
    CHECK(count(page, "section.a > div > span") == 0);
    CHECK(count(page, "section > span") == 0);
    CHECK(texts(page, "section div > div span") == "命中|不中");
  }

  TEST_CASE("sibling combinators") {
    const HtmlDocument page{std::string(k_epaper)};
    CHECK(texts(page, "h3.kicker + h1") == "让技能人才既有“面子”又有“里子”");
    CHECK(texts(page, "h1 + h2") == "副题：多地出台措施提高技术工人待遇");
    CHECK(count(page, "h3 + h2") == 0);
    CHECK(texts(page, "h3 ~ h2") == "副题：多地出台措施提高技术工人待遇");
    CHECK(count(page, "h2 ~ h1") == 0);
    CHECK(texts(page, "founder-content p + p") == "第二段正文。|第三段正文。");
    CHECK(texts(page, "p.note ~ p") == "第三段正文。");
    CHECK(texts(page, "p.note + p") == "第三段正文。");
    CHECK(texts(page, "p ~ p.note") == "第二段正文。");
    // Siblings skip text nodes; they are elements only.
    CHECK(texts(page, "#pageLink + a") == "第02版：新闻");
    CHECK(texts(page, "#pageLink ~ a") == "第02版：新闻|第03版：工会");
    // Mixed: a later sibling of the thing after h3, inside #ozoom.
    CHECK(tags(page, "#ozoom > h3 + h1 ~ *") == "h2 founder-content");
    CHECK(tags(page, "div#ozoom h3 ~ founder-content > p:first-child") == "p");
    // A '+' failure lets '~' try an earlier candidate.
    const HtmlDocument list{
        std::string("<ul><li class='x'>1</li><li class='y'>2</li><li>3</li>"
                    "<li class='x'>4</li><li>5</li><li>6</li></ul>")};
    CHECK(texts(list, "li.x + li ~ li") == "3|4|5|6");
    CHECK(texts(list, "li.x + li.y ~ li") == "3|4|5|6");
    CHECK(texts(list, "li.y + li ~ li.x ~ li") == "5|6");
    CHECK(texts(list, "li.x + li:not(.y) ~ li") == "6");
  }

  TEST_CASE("groups come back in document order without duplicates") {
    const HtmlDocument page{std::string(k_epaper)};
    CHECK(tags(page, "h2, h1, h3.kicker") == "h3 h1 h2");
    CHECK(tags(page, "h2,h1 ,  h3") == "h3 h1 h2");
    CHECK(count(page, "li a, a[href^=content], .news-list a") == 3);
    CHECK(hrefs(page, "a[href^=content_], .bmname a, a.logo") ==
          "../../index.htm node_1.htm node_2.htm node_3.htm content_101.htm content_102.htm "
          "content_103.htm");
    CHECK(count(page, "p, p, p") == 3);
    CHECK(count(page, "h5, nav, .missing") == 0);
    CHECK(texts(page, "h6, #ozoom h1") == "让技能人才既有“面子”又有“里子”");
  }

  TEST_CASE("first-child, last-child and only-child") {
    const HtmlDocument list{std::string(k_list)};
    CHECK(texts(list, "ul.list li:first-child a") == "第一条新闻");
    CHECK(texts(list, "ul.list li:last-child a") == "外链新闻");
    CHECK(count(list, "ul.list > li > a:first-child") == 5);
    CHECK(count(list, "ul.list > li > a:last-child") == 0);
    CHECK(count(list, "ul.list span:last-child") == 5);
    CHECK(texts(list, "li:only-child") == "首页");
    CHECK(count(list, "ul.list li:only-child") == 0);
    CHECK(count(list, "html:first-child") == 1);
  }

  TEST_CASE("nth-child with integers, odd, even and an+b") {
    const HtmlDocument list{std::string(k_list)};
    CHECK(texts(list, "ul.list li:nth-child(2) a") == "第二条新闻");
    CHECK(texts(list, "ul.list li:nth-child( 3 ) a") == "第三条新闻");
    CHECK(count(list, "ul.list li:nth-child(6)") == 0);
    CHECK(count(list, "ul.list li:nth-child(0)") == 0);
    CHECK(texts(list, "ul.list li:nth-child(odd) > a") == "第一条新闻|第三条新闻|外链新闻");
    CHECK(texts(list, "ul.list li:nth-child(EVEN) > a") == "第二条新闻|第四条新闻");
    CHECK(texts(list, "ul.list li:nth-child(2n+1) > a") == "第一条新闻|第三条新闻|外链新闻");
    CHECK(texts(list, "ul.list li:nth-child(2n + 1) > a") == "第一条新闻|第三条新闻|外链新闻");
    CHECK(texts(list, "ul.list li:nth-child(-n+2) > a") == "第一条新闻|第二条新闻");
    CHECK(texts(list, "ul.list li:nth-child(n+4) > a") == "第四条新闻|外链新闻");
    CHECK(texts(list, "ul.list li:nth-child(3n) > a") == "第三条新闻");
    CHECK(texts(list, "ul.list li:nth-child(2n-1) > a") == "第一条新闻|第三条新闻|外链新闻");
    CHECK(count(list, "ul.list li:nth-child(n)") == 5);
    CHECK(texts(list, "ul.list li:nth-last-child(1) > a") == "外链新闻");
    CHECK(texts(list, "ul.list li:nth-last-child(-n+2) > a") == "第四条新闻|外链新闻");
    CHECK(texts(list, "ul.list li:nth-child(2):nth-last-child(4) > a") == "第二条新闻");
  }

  TEST_CASE("of-type positions count only the same tag") {
    const HtmlDocument page{std::string(k_epaper)};
    CHECK(count(page, "#ozoom h1:first-child") == 0);
    CHECK(count(page, "#ozoom h1:first-of-type") == 1);
    CHECK(count(page, "#ozoom h2:last-of-type") == 1);
    CHECK(count(page, "#ozoom > :only-of-type") == 4);
    CHECK(texts(page, "founder-content p:nth-of-type(2)") == "第二段正文。");
    CHECK(texts(page, "founder-content p:nth-last-of-type(1)") == "第三段正文。");
    CHECK(texts(page, ".bmname a:last-of-type") == "第03版：工会");
    CHECK(tags(page, "#ozoom > founder-content:last-child") == "founder-content");
  }

  TEST_CASE(":not() with simple and compound selectors") {
    const HtmlDocument cms{std::string(k_cms)};
    CHECK(texts(cms, ".page a:not(.next)") == "首页|上一页|尾页");
    CHECK(texts(cms, ".page a:not(.next):not(.prev)") == "首页|尾页");
    CHECK(texts(cms, ".page a:not(.next, .prev, [href$='.HTML'])") == "首页");
    CHECK(texts(cms, ".page :not(a)") == "2");
    CHECK(texts(cms, ".page > :not(a.prev, span.current):nth-child(2n)") == "下一页");
    CHECK(count(cms, "td:not([class])") == 0);
    CHECK(count(cms, ".page :not(*)") == 0);
  }

  TEST_CASE("matches checks one element against any member of the group") {
    const HtmlDocument page{std::string(k_epaper)};
    const Selector heading = must_parse("h3.kicker, #ozoom > h2");
    const Selector body_paragraphs = must_parse("#ozoom founder-content > p");
    const GumboNode* h1 = must_parse("h1").select_first(page.root());
    const GumboNode* h2 = must_parse("h2").select_first(page.root());
    const GumboNode* h3 = must_parse("h3").select_first(page.root());
    REQUIRE(h1 != nullptr);
    REQUIRE(h2 != nullptr);
    REQUIRE(h3 != nullptr);
    CHECK(heading.matches(h3));
    CHECK(heading.matches(h2));
    CHECK_FALSE(heading.matches(h1));
    CHECK_FALSE(body_paragraphs.matches(h1));
    for (const GumboNode* p : must_parse("p").select(page.root())) {
      CHECK(body_paragraphs.matches(p));
    }
    // Text nodes, the document and nullptr are not elements.
    const auto kids = html::children(h1);
    REQUIRE(!kids.empty());
    CHECK(kids[0]->type == GUMBO_NODE_TEXT);
    CHECK_FALSE(must_parse("*").matches(kids[0]));
    CHECK_FALSE(must_parse("*").matches(page.root()));
    CHECK_FALSE(must_parse("*").matches(nullptr));
  }

  TEST_CASE("select searches below its root but combinators may look above it") {
    const HtmlDocument page{std::string(k_epaper)};
    const GumboNode* ozoom = must_parse("#ozoom").select_first(page.root());
    REQUIRE(ozoom != nullptr);
    CHECK(html::attribute(ozoom, "class") == "article");
    // The root itself is not a result.
    CHECK(must_parse("div").select(ozoom).empty());
    CHECK(must_parse("#ozoom").select_first(ozoom) == nullptr);
    // Only descendants of the root.
    CHECK(must_parse("a").select(ozoom).empty());
    CHECK(must_parse("p").select(ozoom).size() == 3);
    // Ancestors outside the root still count for combinators.
    CHECK(must_parse("div.main > #ozoom p").select(ozoom).size() == 3);
    CHECK(must_parse("body h1").select_first(ozoom) != nullptr);
    // select_first is the first in document order, or nullptr.
    const GumboNode* first = must_parse("p, h2, founder-content").select_first(ozoom);
    REQUIRE(first != nullptr);
    CHECK(html::tag_name(first) == "h2");
    CHECK(must_parse("table").select_first(page.root()) == nullptr);
    CHECK(must_parse("p").select(nullptr).empty());
    CHECK(must_parse("p").select_first(nullptr) == nullptr);
  }

  TEST_CASE("identifiers may be non-ASCII, with '-', '_' and digits") {
    const HtmlDocument page{std::string(
        "<div class='正文 art-body_2'><p data-作者='张三'>甲</p><h1>乙</h1><h2>丙</h2></div>")};
    CHECK(texts(page, ".正文 p") == "甲");
    CHECK(texts(page, "div.art-body_2 > p") == "甲");
    CHECK(texts(page, "[data-作者=张三]") == "甲");
    CHECK(texts(page, "h1, h2") == "乙|丙");
  }

  TEST_CASE("text, copies and the shared parsed form") {
    const auto parsed = Selector::parse("  #ozoom > h1 , .kicker ");
    REQUIRE(parsed.has_value());
    CHECK(parsed->text() == "  #ozoom > h1 , .kicker ");
    const Selector copy = *parsed;
    CHECK(copy.text() == parsed->text());
    const HtmlDocument page{std::string(k_epaper)};
    CHECK(copy.select(page.root()) == parsed->select(page.root()));
    CHECK(copy.select(page.root()).size() == 2);
  }

  TEST_CASE("deeply nested documents do not overflow the stack") {
    std::string markup = "<html><body><section class='top'>";
    constexpr int k_depth = 5000;
    for (int i = 0; i < k_depth; ++i) {
      markup += "<div>";
    }
    markup += "<span class='leaf'>底</span>";
    const HtmlDocument page{std::move(markup)};
    CHECK(count(page, "div") == k_depth);
    CHECK(count(page, "section.top > div") == 1);
    CHECK(count(page, "section.top div span.leaf") == 1);
    CHECK(count(page, "section.top > div div > span") == 1);
    CHECK(count(page, "div:first-child:last-child") == k_depth);
    CHECK(count(page, "article div") == 0);  // every div walks all its ancestors in vain
    CHECK(count(page, "article div > span") == 0);
    CHECK(count(page, "section.top ~ div span") == 0);
  }

  TEST_CASE("parse errors name the position and what was expected") {
    CHECK(parse_error("") == "at 1: expected a selector, found end of selector");
    CHECK(parse_error("   ") == "at 4: expected a selector, found end of selector");
    CHECK(parse_error("a,,b") == "at 3: expected a selector after ',', found ','");
    CHECK(parse_error("a, b,") == "at 6: expected a selector after ',', found end of selector");
    CHECK(parse_error(", a") == "at 1: expected a selector, found ','");
    CHECK(parse_error("> p") == "at 1: expected a selector, found '>'");
    CHECK(parse_error("div >") == "at 6: expected a selector after '>', found end of selector");
    CHECK(parse_error("div > > p") == "at 7: expected a selector after '>', found '>'");
    CHECK(parse_error("div + , p") == "at 7: expected a selector after '+', found ','");
    CHECK(parse_error("a[b=c d]") == "at 7: expected ']' after attribute value, found 'd'");
    CHECK(parse_error("a[href") ==
          "at 7: expected ']' or an attribute operator (=, ~=, |=, ^=, $=, *=) after the "
          "attribute name, found end of selector");
    CHECK(parse_error("a[href!=x]") ==
          "at 7: expected ']' or an attribute operator (=, ~=, |=, ^=, $=, *=) after the "
          "attribute name, found '!'");
    CHECK(parse_error("a[href^x]") == "at 8: expected '=' after '^', found 'x'");
    CHECK(parse_error("a[href==x]") ==
          "at 8: expected an attribute value (an identifier or a quoted string), found '='");
    CHECK(parse_error("a[href=]") ==
          "at 8: expected an attribute value (an identifier or a quoted string), found ']'");
    CHECK(parse_error("a[href=x.html]") == "at 9: expected ']' after attribute value, found '.'");
    CHECK(parse_error("a[href='x.html'") ==
          "at 16: expected ']' after attribute value, found end of selector");
    CHECK(parse_error("a[href='x.html]") == "at 8: unterminated quoted attribute value");
    CHECK(parse_error("a[]") == "at 3: expected an attribute name after '[', found ']'");
    CHECK(parse_error("a[=x]") == "at 3: expected an attribute name after '[', found '='");
    CHECK(parse_error("a]") == "at 2: unmatched ']'");
    CHECK(parse_error("p:not(.a))") == "at 10: unmatched ')'");
    CHECK(parse_error("p#") == "at 3: expected an id after '#', found end of selector");
    CHECK(parse_error("p. x") == "at 3: expected a class name after '.', found ' '");
    CHECK(parse_error("div*") ==
          "at 4: expected a combinator, ',' or the end of the selector, found '*'");
    CHECK(parse_error("a{color:red}") ==
          "at 2: expected a combinator, ',' or the end of the selector, found '{'");
    CHECK(parse_error("p:hover") == "at 2: unknown pseudo-class ':hover'");
    CHECK(parse_error("p::before") == "at 2: pseudo-elements ('::') are not supported");
    CHECK(parse_error("p:") ==
          "at 3: expected a pseudo-class name after ':', found end of selector");
    CHECK(parse_error("li:nth-child") ==
          "at 13: expected '(' after ':nth-child', found end of selector");
    CHECK(parse_error("li:nth-child(x)") ==
          "at 14: expected an integer, 'odd', 'even' or an+b in :nth-child(), found 'x'");
    CHECK(parse_error("li:nth-child()") ==
          "at 14: expected an integer, 'odd', 'even' or an+b in :nth-child(), found ')'");
    CHECK(parse_error("li:nth-child(2") ==
          "at 15: expected ')' to close :nth-child(, found end of selector");
    CHECK(parse_error("li:nth-child(2n+)") ==
          "at 17: expected an integer after the sign in :nth-child(), found ')'");
    CHECK(parse_error("li:nth-of-type(12345678901)") == "at 16: number too large");
    CHECK(parse_error("li:first-child(1)") ==
          "at 15: expected a combinator, ',' or the end of the selector, found '('");
    CHECK(parse_error("a:not()") == "at 7: expected a selector inside :not(), found ')'");
    CHECK(parse_error("a:not(.x") ==
          "at 9: expected ',' or ')' in :not() (it takes no combinators), found end of selector");
    CHECK(parse_error("a:not(div p)") ==
          "at 11: expected ',' or ')' in :not() (it takes no combinators), found 'p'");
    CHECK(parse_error("a:not(:not(b))") == "at 7: :not() cannot be nested");
    CHECK(parse_error("a:not") == "at 6: expected '(' after ':not', found end of selector");
    // Columns count characters, not bytes.
    CHECK(parse_error(".正文 >") == "at 6: expected a selector after '>', found end of selector");
    CHECK(parse_error("a\x01") ==
          "at 2: expected a combinator, ',' or the end of the selector, "
          "found U+0001");
  }

  TEST_CASE("valid selectors with unusual but legal spacing and case") {
    for (const std::string_view text :
         {"A[HREF]", "a[ href ]", "a[ href = 'x' ]", "a[href='x'i]", "LI:FIRST-CHILD",
          "li:NTH-CHILD(Odd)", "li:nth-child(+3)", "li:nth-child(-2n+ 3)", "p:not( .a , .b )",
          "*.a", "*", "div\n>\np", "a ~ b + c > d e"}) {
      INFO(text);
      CHECK(Selector::parse(text).has_value());
    }
  }
}
