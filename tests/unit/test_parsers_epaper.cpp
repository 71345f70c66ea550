// The epaper family beyond the golden files: a whole 版面 printed flat and without class names
// (as seed 004 reads), or at an address of its own with linked titles; an article whose sections
// have sub-headings, or whose 副题 ranks with its title (neither a whole 版面); and 期次.

#include "parsers/epaper.hpp"
#include "parsers/epaper_links.hpp"
#include "parsers/registry.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace archiver {
namespace {

ParsedPage parse(std::string_view url, std::string_view html) {
  return parse_epaper(
      {.url = url, .html = html, .reference_date = {}, .selectors = nullptr, .listed_in = nullptr});
}

// Seed 004's order: kicker, title, paragraphs, credit; a photo with 王玉玉/摄; a commentary whose
// first paragraph stands before its title; a column name as kicker. No wrappers, no classes.
constexpr std::string_view k_flat_page = R"(<html><body>
<div class="top"><a href="node_01.html">第01版:要闻</a> <a href="node_02.html">第02版:工会新闻</a></div>
<div id="main">
<h3>学习取经『走出去』先进经验『引进来』</h3>
<h2>肥西县总工会赴巢湖亚父街道学习工会联盟经验</h2>
<p>5月14日上午，肥西县总工会一行15人参观学习巢湖市亚父街道工会联盟的先进经验。</p>
<p>通过学习参观，调研组一致认为，亚父街道工会联盟工作扎实有效，很多方面具有很好的借鉴作用。(胡章勤)</p>
<h2>心理拓展释放压力</h2>
<p>5月21日，淮北矿业集团朱仙庄矿工会举办心理拓展活动，增加职工凝聚力和责任感。 王玉玉/摄</p>
<h3>芜湖市总工会</h3>
<h2>党史学习培训班开班</h2>
<p>本报讯 5月20日，芜湖市第一期党史学习教育专题培训班在市职工服务中心开班。</p>
<p>据悉，本轮党史学习教育专题培训共举办两期。(潘柳全 徐飞)</p>
<p>近日，青海省总工会正在全省范围内开展模范职工之家“结对共建”试点活动。</p>
<h3>他山之石</h3>
<h2>职工之家“结对共建”值得推广</h2>
<p>创新是工会工作的灵魂，没有创新就没有发展，没有创新就没有生命力。(董柏云)</p>
</div></body></html>)";

}  // namespace

TEST_SUITE("parsers/epaper") {
  TEST_CASE("版面 labels of the platforms seen") {
    for (const char* label : {"第02版:工会新闻", "第02版：工会新闻", "第A01版：头版", "A01：头版",
                              "A01 头版", "A01", "01版：要闻", "第 3 版"}) {
      CHECK_MESSAGE(is_page_label(label), label);
    }
    for (const char* text :
         {"2024", "A1234 头版", "01 要闻", "头版", "第一版", "A01头版", "G20 峰会开幕", "C919 首飞",
          "F1 上海站", "G7", "B20 杭州亚运会开幕式"}) {
      CHECK_FALSE_MESSAGE(is_page_label(text), text);
    }
  }

  TEST_CASE("a long text is a 版面 label by its first characters, or by all of them") {
    // Past the 32 bytes looked at first: a label followed by more, a lettered label with a wide
    // gap, numbers that run on, and paragraphs.
    // Written around a gap of 40 spaces. (Appended, not added up: GCC 12 at -O2 takes
    // "A01" + gap for a copy out of bounds.)
    const auto around_gap = [](std::string_view before, std::string_view after) {
      std::string text(before);
      text.append(40, ' ');
      text.append(after);
      return text;
    };
    std::string forty_ones(40, '1');
    forty_ones.append("版");
    for (const std::string& label : std::vector<std::string>{
             "第02版：工会新闻 本版责任编辑 张三 美术编辑 李四", around_gap("A01", "头版"),
             around_gap("第", "3 版"), "第　　　　　　　　　　　　０２版：要闻　本版编辑"}) {
      CHECK_MESSAGE(is_page_label(label), label);
    }
    for (const std::string& text : std::vector<std::string>{
             std::string("近日，青海省总工会正在全省范围内开展模范职工之家“结对共建”试点活动。"),
             around_gap("A01", "头版头条新闻今天发布"), around_gap("B20", "杭州亚运会开幕式"),
             around_gap("第", "一版"), around_gap("A1234 ", "头版"), forty_ones}) {
      CHECK_FALSE_MESSAGE(is_page_label(text), text);
    }
  }

  TEST_CASE("headlines a 人民日报-style page writes by script, or names only in a hidden copy") {
    const std::string html = R"(<html><head><meta charset="utf-8"></head><body>
<div class="date">2024年05月09日 星期四 <a href="../../../paperindex.htm">往期回顾</a></div>
<div class="swiper"><a id="pageLink" href="nbs.D110000bjrb_01.htm">01版：要闻</a>
<a id="pageLink" href="nbs.D110000bjrb_02.htm">02版：要闻</a></div>
<ul class="news-list">
<li><a href="nw.D110000bjrb_20240509_1-01.htm"><script>document.write(view("职工技能大赛开幕&lt;br&gt;万名职工同台竞技"))</script></a></li>
<li><a href="nw.D110000bjrb_20240509_2-01.htm"><script>document.write(view(t2))</script></a></li>
</ul>
<div style="display:none"><a href="nw.D110000bjrb_20240509_2-01.htm">劳模工匠宣讲团走进企业</a>
<a href="nw.D110000bjrb_20240509_9-01.htm">不在本版的隐藏条目</a></div>
</body></html>)";
    const std::string base = "http://paper.example.cn/html/2024-05/09/";
    const ParsedPage page = parse_epaper({.url = base + "nbs.D110000bjrb_01.htm",
                                          .html = html,
                                          .reference_date = Date{2024, 5, 9},
                                          .selectors = nullptr});
    CHECK(page.edition.page == "01版：要闻");
    CHECK(page.edition.edition == "2024-05-09");
    REQUIRE(page.headlines.size() == 2);  // 往期回顾 is the paper's furniture
    CHECK(page.headlines[0].title == "职工技能大赛开幕 万名职工同台竞技");
    CHECK(page.headlines[1].title == "劳模工匠宣讲团走进企业");
    CHECK(page.headlines[1].url == base + "nw.D110000bjrb_20240509_2-01.htm");
  }

  TEST_CASE("a whole 版面 printed flat, without class names") {
    const auto page = parse("http://paper.example.cn/2021-05/24/node_02_full.html", k_flat_page);
    REQUIRE(page.articles.size() == 4);
    CHECK(page.articles[0].kicker == "学习取经『走出去』先进经验『引进来』");
    CHECK(page.articles[0].title == "肥西县总工会赴巢湖亚父街道学习工会联盟经验");
    CHECK(page.articles[0].author == "胡章勤");
    CHECK(page.articles[0].body.size() == 2);
    CHECK(page.articles[1].title == "心理拓展释放压力");
    CHECK(page.articles[1].author == "王玉玉");
    CHECK_FALSE(page.articles[1].kicker.has_value());
    CHECK(page.articles[2].kicker == "芜湖市总工会");
    CHECK(page.articles[2].author == "潘柳全 徐飞");
    CHECK(page.articles[2].body.back() == "据悉，本轮党史学习教育专题培训共举办两期。");
    // The paragraph before a title belongs to that article.
    CHECK(page.articles[3].title == "职工之家“结对共建”值得推广");
    CHECK(page.articles[3].kicker == "他山之石");
    CHECK(page.articles[3].body.front().starts_with("近日，青海省总工会"));
    CHECK(page.articles[3].author == "董柏云");
    for (const auto& article : page.articles) {
      CHECK(article.edition == "2021-05-24");
      CHECK(article.anchor.has_value());
    }
  }

  TEST_CASE("an article whose sections have sub-headings stays one article") {
    constexpr std::string_view html = R"(<html><body>
<h1>县总工会“五个强化”推动工会改革</h1>
<div id="ozoom">
<section><h3>强化队伍建设</h3><p>县总工会积极发挥党组织领导作用，实现工会组织应建尽建全覆盖。</p></section>
<section><h3>强化组织保障</h3><p>县总工会以新时代职工多元需求为导向，着力构建一中心三层级体系。</p></section>
<section><h3>强化服务效能</h3><p>县总工会还广泛开展主题劳动和技能竞赛，有效助力高质量发展。(李四)</p></section>
</div></body></html>)";
    const auto page = parse("http://paper.example.cn/2023-06/13/content_4.html", html);
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles[0].title == "县总工会“五个强化”推动工会改革");
    CHECK(page.articles[0].author == "李四");
    CHECK_FALSE(page.articles[0].anchor.has_value());
  }

  TEST_CASE("a page that is not a 版面 prints a whole 版面 when its titles link to the articles") {
    // A 版面全文 view at an address of its own: no 版面 link names it, and its name is none of
    // the platforms' 版面 names. Only the titles' links make it a whole 版面.
    constexpr std::string_view html = R"(<html><head><title>第03版全文--职工日报</title></head>
<body><div class="top"><a href="node_1.htm">第01版:要闻</a> <a href="node_3.htm">第03版:工会新闻</a></div>
<div class="quanwen">
<h2><a href="content_3_1.htm">县总工会开展夏季送清凉活动</a></h2>
<p>连日来，县总工会深入建筑工地和户外作业点，为一线职工送去防暑降温物资。</p>
<p>此次活动共慰问职工1200余人次。(通讯员 张明)</p>
<h3>他山之石</h3>
<h2><a href="content_3_2.htm">职工书屋建设的三点经验</a></h2>
<p>近年来，各级工会把职工书屋建设作为服务职工的重要抓手。(李华)</p>
</div>
<div id="footer">版权所有 职工日报社　联系电话：0551-12345678</div></body></html>)";
    const auto page = parse("http://paper.example.cn/2024-07/15/quanwen_3.htm", html);
    REQUIRE(page.articles.size() == 2);
    CHECK(page.articles[0].title == "县总工会开展夏季送清凉活动");
    CHECK(page.articles[0].author == "张明");
    CHECK(page.articles[0].anchor == "content_3_1");
    CHECK(page.articles[1].title == "职工书屋建设的三点经验");
    CHECK(page.articles[1].kicker == "他山之石");
    CHECK(page.articles[1].author == "李华");
    CHECK(page.articles[1].anchor == "content_3_2");
  }

  TEST_CASE("an article whose 副题 is a second heading of a title's rank stays one article") {
    constexpr std::string_view html =
        R"(<html><head><title>女职工权益保护专项行动启动--职工日报</title></head>
<body><div class="paper-info"><span class="issue">第8144期</span> <a href="node_5.htm">返回本版</a></div>
<div class="article">
<h3 class="yinti">聚焦特殊劳动保护</h3>
<h1 class="title">女职工权益保护专项行动启动</h1>
<h2 class="futi">首批覆盖全省300家企业</h2>
<div id="ozoom" class="content">
<p>　　本报讯（记者 王芳）7月10日，省总工会启动女职工权益保护专项行动。</p>
<p>　　行动将持续到年底，重点检查孕期、产期、哺乳期保护规定的落实情况。</p>
</div>
<div class="prevnext"><a href="content_5_1.htm">上一篇</a> <a href="content_5_3.htm">下一篇</a></div>
</div></body></html>)";
    const auto page = parse("http://paper.example.cn/2024-07/15/content_5_2.htm", html);
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles[0].title == "女职工权益保护专项行动启动");
    CHECK(page.articles[0].kicker == "聚焦特殊劳动保护");
    CHECK(page.articles[0].subtitle == "首批覆盖全省300家企业");
    CHECK(page.articles[0].body.size() == 2);
    CHECK_FALSE(page.articles[0].anchor.has_value());
  }

  // A Founder article page: the 版面 list, the article, and beside it the 标题导航 of its 版面.
  constexpr std::string_view k_article_beside_headlines = R"(<html><head><meta charset="utf-8">
<title>园区工会开设职工夜校--职工日报</title></head><body>
<div class="paper-info"><span>2024年03月12日 星期二</span> <span>第8101期</span>
<span>第03版：基层工会</span></div>
<div class="bmdh"><ul><li><a href="node_1.htm" id="pageLink">第01版：要闻</a></li>
<li><a href="node_3.htm" id="pageLink">第03版：基层工会</a></li></ul></div>
<div class="article"><h1>园区工会开设职工夜校</h1>
<div id="ozoom"><p>本报讯 记者 林晓 三月以来，开发区总工会在十二家企业开设职工夜校，报名职工逾六百人。</p>
<p>夜校每周二、周四晚开课，课程由企业技术骨干和院校教师共同讲授，结业职工可参加技能等级认定。</p></div>
<div class="prevnext"><a href="content_3_1.htm">上一篇</a></div></div>
<div class="btdh"><h4>标题导航</h4><ul>
<li><a href="content_3_1.htm">港口工会为一线职工送清凉</a></li>
<li><a href="content_3_2.htm">园区工会开设职工夜校</a></li>
<li><a href="content_3_3.htm">区总工会举办新业态劳动者座谈会</a></li></ul></div>
<div id="footer">职工日报社 版权所有</div></body></html>)";

  TEST_CASE("an article page's 标题导航 is read only for a caller that asks for it") {
    const std::string base = "http://paper.example.cn/html/2024-03/12/";
    const std::string url = base + "content_3_2.htm";
    const ParsedPage asked = parse(url, k_article_beside_headlines);
    const ParsedPage not_asked = parse_epaper({.url = url,
                                               .html = k_article_beside_headlines,
                                               .reference_date = {},
                                               .selectors = nullptr,
                                               .listed_in = nullptr,
                                               .headlines_beside_article = false});
    REQUIRE(asked.articles.size() == 1);
    REQUIRE(asked.headlines.size() == 2);  // the others of its 版面; its own is no headline
    CHECK(asked.headlines[1].url == base + "content_3_3.htm");
    CHECK(not_asked.headlines.empty());
    // Everything else is read as before.
    REQUIRE(not_asked.articles.size() == 1);
    CHECK(not_asked.articles[0].title == asked.articles[0].title);
    CHECK(not_asked.articles[0].body == asked.articles[0].body);
    CHECK(not_asked.articles[0].issue == asked.articles[0].issue);
    CHECK(not_asked.pages.size() == asked.pages.size());

    // A page without an article is what its headlines are: they are read all the same.
    std::string index_page(k_article_beside_headlines);
    const auto article_start = index_page.find("<div class=\"article\">");
    const auto article_end = index_page.find("<div class=\"btdh\">");
    index_page.erase(article_start, article_end - article_start);
    const ParsedPage listing = parse_epaper({.url = base + "node_3.htm",
                                             .html = index_page,
                                             .reference_date = {},
                                             .selectors = nullptr,
                                             .listed_in = nullptr,
                                             .headlines_beside_article = false});
    CHECK(listing.articles.empty());
    CHECK(listing.headlines.size() == 3);
  }

  TEST_CASE("the generic family reads an article page's 标题导航 whatever the caller wants") {
    // A short piece under a photo: not prose to the generic reading, so the registry asks the
    // epaper family, and the 标题导航 beside it says this is an e-paper's article.
    std::string page(k_article_beside_headlines);
    const auto body_start = page.find("<p>本报讯");
    const auto body_end = page.find("</div>", body_start);
    page.replace(body_start, body_end - body_start,
                 "<p><img src=\"../../../images/2024-03/12/03/p1.jpg\"></p>"
                 "<p>开发区职工夜校首期开课 记者 林晓 摄</p>");
    const std::string url = "http://paper.example.cn/html/2024-03/12/content_3_2.htm";
    const auto read = [&](bool headlines_beside_article) {
      return parse_page(ParserKind::generic,
                        {.url = url,
                         .html = page,
                         .reference_date = Date{2024, 3, 12},
                         .selectors = nullptr,
                         .listed_in = nullptr,
                         .headlines_beside_article = headlines_beside_article});
    };
    const ParsedPage asked = read(true);
    const ParsedPage not_asked = read(false);
    REQUIRE(asked.articles.size() == 1);
    CHECK(asked.articles[0].page == "第03版：基层工会");
    REQUIRE(not_asked.articles.size() == 1);
    CHECK(not_asked.articles[0].title == asked.articles[0].title);
    CHECK(not_asked.articles[0].body == asked.articles[0].body);
    CHECK(not_asked.articles[0].page == asked.articles[0].page);
    CHECK(not_asked.headlines.size() == asked.headlines.size());
  }

  TEST_CASE("期次 as printed") {
    CHECK(find_issue("期次:第8100期") == "8100");
    CHECK(find_issue("   期次：第 7605 期   ") == "7605");
    CHECK(find_issue("淮畔职工报  2023年08月01日  01版：要闻  第 2345 期") == "2345");
    CHECK_FALSE(find_issue("第02版:工会新闻").has_value());
    CHECK_FALSE(find_issue("全县12个重点项目").has_value());
    CHECK(find_issue("第８１００期") == "8100");  // full-width digits
    CHECK_FALSE(find_issue("第二期培训班").has_value());
  }
}

}  // namespace archiver
