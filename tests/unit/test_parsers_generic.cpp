// Golden files: every sample page modelled on the seeds, in its own charset and transcoded to the
// other one (UTF-8 <-> GB18030), must give exactly the fields in its NAME.expected.json.
// A field-by-field score table is printed so that a parser change shows what it moved.

#include "decode/charset.hpp"
#include "parsers/dates.hpp"
#include "parsers/generic.hpp"
#include "tests/support/fixtures.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <array>
#include <iostream>
#include <map>

namespace archiver {
namespace {

using testing::SamplePage;

constexpr std::array<const char*, 7> k_fields = {"title",  "kicker", "subtitle", "published",
                                                 "author", "source", "body"};

nlohmann::json extracted_json(const ParsedPage& page) {
  if (page.articles.size() != 1) {
    return nlohmann::json::object();
  }
  const Article& article = page.articles.front();
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  return {{"title", article.title},
          {"kicker", optional(article.kicker)},
          {"subtitle", optional(article.subtitle)},
          {"published", optional(article.published)},
          {"author", optional(article.author)},
          {"source", optional(article.source)},
          {"body", article.body}};
}

ParsedPage parse_bytes(const SamplePage& sample, std::string_view bytes,
                       std::string_view content_type) {
  const std::string url = "http://127.0.0.1:8080/" + sample.relative;
  const DecodedText decoded = decode_to_utf8(
      {.bytes = bytes, .content_type = content_type, .override_charset = {}, .url = url});
  return parse_generic({.url = url,
                        .html = decoded.utf8,
                        .reference_date = date_from_url(url),
                        .selectors = nullptr});
}

struct Score {
  int matched = 0;
  int total = 0;
};

}  // namespace

TEST_SUITE("parsers/generic") {
  TEST_CASE("golden files: the seed-modelled pages in both charsets give their expected fields") {
    auto samples = testing::sample_pages("article");
    std::erase_if(samples,
                  [](const SamplePage& page) { return !testing::is_seed_page(page.relative); });
    REQUIRE(samples.size() == 8);
    std::map<std::string, Score> scores;
    for (const auto& sample : samples) {
      std::string other_type;
      const std::string other = testing::transcoded(sample, other_type);
      const std::string original = testing::read_file(sample.file);
      for (const auto& [label, bytes, type] :
           {std::tuple{"original", std::string_view(original),
                       std::string_view(sample.content_type)},
            std::tuple{"transcoded", std::string_view(other), std::string_view(other_type)}}) {
        const nlohmann::json got = extracted_json(parse_bytes(sample, bytes, type));
        for (const char* field : k_fields) {
          const nlohmann::json want = sample.expected.value(field, nlohmann::json());
          const nlohmann::json have = got.value(field, nlohmann::json());
          Score& score = scores[field];
          ++score.total;
          score.matched += want == have ? 1 : 0;
          CHECK_MESSAGE(want == have, sample.relative, " (", label, ") ", field, ": got ",
                        have.dump(), " expected ", want.dump());
        }
      }
    }
    std::string table = "generic parser golden-file score:\n";
    for (const char* field : k_fields) {
      const Score& score = scores[field];
      table += fmt::format("  {:<10} {:>3}/{:<3}\n", field, score.matched, score.total);
    }
    std::cout << table;
  }

  TEST_CASE("navigation, tools, footers and related lists stay out of the body") {
    const std::string html =
        R"(<html><head><title>职工书屋建设推进会召开_某市总工会</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/news/">工会新闻</a></div>
<div class="location">当前位置：首页 > 工会新闻</div>
<h1>职工书屋建设推进会召开</h1>
<div class="info">发布时间：2024年3月5日 10:20　来源：市总工会宣教部　作者：李明</div>
<div class="content">
<p>本报讯 3月4日，市总工会召开全市职工书屋建设推进会，总结去年工作，部署今年任务。</p>
<p>会议要求，各级工会要把职工书屋建设作为服务职工精神文化需求的重要抓手，持续推进。</p>
<p>【字体：大 中 小】 打印本页 关闭窗口</p>
<p>上一篇：<a href="/1.html">劳模工匠进校园</a></p>
<p>下一篇：<a href="/3.html">春送岗位活动启动</a></p>
</div>
<div class="related"><h3>相关阅读</h3><ul><li><a href="/9.html">全市工会系统开展读书月活动的通知已经下发到各单位</a></li></ul></div>
<div class="footer">版权所有：某市总工会 备案号：京ICP备12345678号 技术支持：某网络公司</div>
</body></html>)";
    const ParsedPage page = parse_generic({.url = "http://union.example.cn/news/2.html",
                                           .html = html,
                                           .reference_date = Date{2024, 3, 10},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    const Article& article = page.articles.front();
    CHECK(article.title == "职工书屋建设推进会召开");
    CHECK(article.published == "2024-03-05T10:20+08:00");
    CHECK(article.source == "市总工会宣教部");
    CHECK(article.author == "李明");
    REQUIRE(article.body.size() == 2);
    CHECK(article.body[0].starts_with("本报讯 3月4日"));
    CHECK(article.body[1].ends_with("持续推进。"));
  }

  TEST_CASE("a page with no article text gives no body and no crash") {
    for (const std::string_view html :
         {std::string_view(""), std::string_view("<html>"), std::string_view("<<<>>>&&&"),
          std::string_view("<table><tr><td><div><p><span>未闭合")}) {
      const ParsedPage page = parse_generic(
          {.url = "http://example.cn/", .html = html, .reference_date = {}, .selectors = nullptr});
      CHECK(page.articles.size() <= 1);
      for (const auto& article : page.articles) {
        CHECK(article.body.size() <= 1);
      }
    }
  }

  TEST_CASE("deeply nested markup is walked without recursion") {
    std::string html = "<html><body>";
    for (int i = 0; i < 5000; ++i) {
      html += "<div>";
    }
    html += "<p>深层嵌套的页面里也有一段足够长的正文文字，用来确认解析不会溢出栈。</p>";
    const ParsedPage page = parse_generic(
        {.url = "http://example.cn/", .html = html, .reference_date = {}, .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles.front().body.size() == 1);
  }

  // ---- What real pages showed (bench/realpages): each class with a page of its own ----

  TEST_CASE("the byline under the text: the portal's 本文来源 line and a reporter line") {
    const std::string html = R"(<html><head><meta charset="utf-8">
<title>多地出台稳岗补贴新政_网易财经</title></head><body>
<div class="post_crumb"><a href="/">网易首页</a> &gt; <a href="/money/">财经</a> &gt; 正文</div>
<div class="post_content_main"><h1>多地出台稳岗补贴新政</h1>
<div class="post_time_source">2015-03-12 08:14:37　来源: <a href="#">江淮晨报</a></div>
<div class="post_text" id="endText">
<p class="otitle">（原标题：稳岗补贴来了 这些企业可以申领）</p>
<p>　　近日，多地人社部门相继出台稳岗补贴新政，对不裁员或少裁员的企业给予失业保险费返还。</p>
<p>　　据介绍，符合条件的企业可在线提交申请，审核通过后补贴资金将直接拨付至企业账户，企业以技术支持的名义申报的费用不在补贴范围之内。</p>
<p>　　业内人士认为，这一政策将有效减轻企业负担，稳定职工队伍。</p>
<div class="ep-source cDGray"><span class="left"><a href="/"><img src="/icon.png" alt="林琳" width="13"></a> 本文来源：江淮晨报 作者：骆佳 陈星</span>
<span class="ep-editor">责任编辑：林琳_NF012</span></div>
</div></div>
<div class="post_comment"><h3>热门跟贴</h3><p>网友评论：补贴什么时候能到账？</p></div>
</body></html>)";
    const ParsedPage page = parse_generic({.url = "http://money.example.com/15/0312/08/AKD1.html",
                                           .html = html,
                                           .reference_date = Date{2015, 3, 12},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    const Article& article = page.articles.front();
    CHECK(article.author == "骆佳 陈星");
    CHECK(article.published == "2015-03-12T08:14:37+08:00");
    REQUIRE(article.body.size() == 3);
    CHECK(article.body[0].starts_with("近日，多地人社部门"));
    // A footer's words inside a sentence do not end the text.
    CHECK(article.body[1].find("技术支持的名义") != std::string::npos);

    const std::string reporter_last = R"(<html><body><h1>夜市经济点亮城市烟火气</h1>
<div class="info">2019年06月15日 08:18　来源：新京报</div>
<div class="content"><p>入夏以来，本市多个夜市陆续开市，吸引大批市民前往消费，周边商户营业额明显增长。</p>
<p>业内人士表示，夜间经济已成为拉动消费的新引擎，但也需要在管理上下更多功夫。</p>
<p>新京报记者 司马南</p></div></body></html>)";
    const ParsedPage night = parse_generic({.url = "http://example.cn/2019/0615/1.html",
                                            .html = reporter_last,
                                            .reference_date = Date{2019, 6, 15},
                                            .selectors = nullptr});
    REQUIRE(night.articles.size() == 1);
    CHECK(night.articles.front().author == "司马南");
    CHECK(night.articles.front().published == "2019-06-15T08:18+08:00");
    CHECK(night.articles.front().body.size() == 2);
  }

  TEST_CASE("the info line inside the text box gives the author, not the body") {
    const std::string html = R"(<html><body><h1>阿里回应网传消息：已报案</h1>
<div class="content"><p>来源：IT之家作者：骑士责编：骑士</p>
<p>IT之家9月20日消息 今天上午，某公司官方微博发文，称网传消息系恶意诽谤，公司已向警方报案。</p>
<p>公司表示，将依法追究造谣者的法律责任。</p></div></body></html>)";
    const ParsedPage page = parse_generic({.url = "http://tech.example.com/18/0920/1.html",
                                           .html = html,
                                           .reference_date = Date{2018, 9, 20},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles.front().author == "骑士");
    CHECK(page.articles.front().body.front().starts_with("IT之家9月20日消息"));
  }

  TEST_CASE("a dateline's credit, and a time in another zone as the page names it") {
    const std::string html = R"(<html><head><meta name="publishdate" content="2024-05-09">
<title>长三角铁路假期发送旅客创新高-新华网</title></head><body>
<h1><span class="title">长三角铁路假期发送旅客创新高</span></h1>
<div class="info">2024-05-09 22:27:02 <span>来源：新华网</span></div>
<div id="detail"><p>　　新华社合肥5月9日电（记者 陈晨　王磊）记者从铁路部门获悉，今年假期长三角铁路累计发送旅客2087万人次。</p>
<p>　　铁路部门将持续关注客流变化，动态调整运力安排。</p></div>
<div class="editor">【责任编辑：周舟】</div></body></html>)";
    const ParsedPage page = parse_generic({.url = "http://www.example.cn/20240509/c.html",
                                           .html = html,
                                           .reference_date = Date{2024, 5, 9},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    // The meta tag has the day alone; the page shows the time beside it.
    CHECK(page.articles.front().published == "2024-05-09T22:27:02+08:00");
    CHECK(page.articles.front().author == "陈晨 王磊");

    const std::string gmt = R"(<html><body><h1>港府公布新一轮防疫措施</h1>
<p class="date">更新时间 2012年12月10日, 格林尼治标准时间10:41</p>
<div class="bodytext"><p>香港特区政府周一公布新一轮措施，要求所有入境人士接受检测，并加强社区筛查工作。</p></div>
</body></html>)";
    const ParsedPage bbc = parse_generic({.url = "http://news.example.co.uk/zhongwen/1.shtml",
                                          .html = gmt,
                                          .reference_date = Date{2012, 12, 10},
                                          .selectors = nullptr});
    REQUIRE(bbc.articles.size() == 1);
    CHECK(bbc.articles.front().published == "2012-12-10T10:41+00:00");
  }

  TEST_CASE("a hidden copy of the info line loses to the one shown, and never credits the editor") {
    const std::string html = R"(<html><body><h1>深刻把握新时代经济工作规律</h1>
<div class="headtitle" style="display:none">2020-07-04 12:10:24 来源：求是网 作者：陈海峰 责任编辑：陈海峰</div>
<div class="appellation">2020年07月04日 12:10　来源：求是网</div>
<div class="highlight"><p>编者按：本文从实践出发，系统梳理了新时代经济工作的主要规律。</p>
<p>2020年5月14日，中共中央政治局常务委员会召开会议，提出深化供给侧结构性改革，充分发挥超大规模市场优势和内需潜力。</p></div>
<div class="fs-text">【编辑：陈海峰】</div></body></html>)";
    const ParsedPage page = parse_generic({.url = "http://www.example.cn/2020-07/04/c.htm",
                                           .html = html,
                                           .reference_date = Date{2020, 7, 4},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles.front().published == "2020-07-04T12:10+08:00");
    CHECK_FALSE(page.articles.front().author.has_value());
  }

  TEST_CASE("a wrapper whose class says nav still holds the article") {
    const std::string html = R"(<html><body>
<div id="site-nav"><ul><li><a href="/">首页</a></li><li><a href="/news/">新闻</a></li></ul></div>
<div id="page-container" class="lang-zh int-nav">
<div class="story-body"><h1 class="story-header">港特首就住宅违建事件道歉</h1>
<p>香港行政长官在各方压力下到立法会接受质询，就其大宅的违章建筑问题向公众道歉，并承诺尽快处理。</p>
<p>多名议员在会上要求他进一步解释事件经过。</p></div></div>
<div class="footer">版权所有</div></body></html>)";
    const ParsedPage page = parse_generic({.url = "http://news.example.co.uk/1.shtml",
                                           .html = html,
                                           .reference_date = Date{2012, 12, 10},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles.front().title == "港特首就住宅违建事件道歉");
    CHECK(page.articles.front().body.size() == 2);
  }

  TEST_CASE("a gov notice: field labels are no headline, the headline atop the text no body") {
    const std::string html = R"(<html><head>
<title>滨江市人民政府办公厅关于印发《滨江市职工技能提升行动方案》的通知_滨江市人民政府网</title></head><body>
<div class="xxgk-table"><h2>发文机关：</h2><p>滨江市人民政府办公厅</p>
<h2>标　　题：</h2><p>滨江市人民政府办公厅关于印发《滨江市职工技能提升行动方案》的通知</p>
<h2>发布日期：</h2><p>2024年03月18日</p></div>
<div class="pages_content">
<p style="text-align:center"><strong>滨江市人民政府办公厅</strong></p>
<p style="text-align:center"><strong>关于印发《滨江市职工技能提升行动方案》的通知</strong></p>
<p>各区人民政府，市政府各部门，有关单位：</p>
<p>《滨江市职工技能提升行动方案》已经市政府同意，现印发给你们，请认真贯彻执行。</p>
<p>滨江市人民政府办公厅</p><p>2024年3月15日</p></div></body></html>)";
    const ParsedPage page = parse_generic({.url = "http://www.example.gov.cn/zwgk/2024/0318/1.html",
                                           .html = html,
                                           .reference_date = Date{2024, 3, 18},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    const Article& article = page.articles.front();
    CHECK(article.title == "滨江市人民政府办公厅关于印发《滨江市职工技能提升行动方案》的通知");
    REQUIRE_FALSE(article.body.empty());
    CHECK(article.body.front() == "各区人民政府，市政府各部门，有关单位：");
  }

  TEST_CASE("an old table page: the date below a row of tools, in a line of its own") {
    const std::string html = R"html(<html><body><table width="760">
<tr><td class="title"><b>城区供水管网改造工程全面完工</b></td></tr>
<tr><td>【<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td><a href="javascript:print()">打印</a></td></tr>
<tr><td><a href="/mail">推荐给朋友</a></td></tr>
<tr><td><a href="/bbs">发表评论</a></td></tr>
<tr><td><a href="/sms">手机订阅</a></td></tr>
<tr><td><img src="/images/line.gif"> <span>图片新闻</span></td></tr>
<tr><td class="f12">2005-04-05 06:40更新　江南日报</td></tr>
<tr><td class="content"><p>　　记者昨日从市建委获悉，历时两年的城区供水管网改造工程已全面完工，共改造老旧管网一百二十公里。</p>
<p>　　改造完成后，城区供水漏损率明显下降，高层住户水压不足的问题得到解决。</p></td></tr>
</table></body></html>)html";
    const ParsedPage page = parse_generic({.url = "http://www.example.com/news/local/1.shtml",
                                           .html = html,
                                           .reference_date = Date{2005, 4, 6},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles.front().title == "城区供水管网改造工程全面完工");
    CHECK(page.articles.front().published == "2005-04-05T06:40+08:00");
  }

  TEST_CASE("a gov page whose date is only a table cell beside its label, after 成文日期") {
    const std::string html = R"html(<html><head>
<title>关于做好2017年高温津贴发放工作的通知_政策文件_滨江市人民政府</title></head><body>
<table class="xxgk"><tr><th>发文机关：</th><td>滨江市人社局</td><th>成文日期：</th><td>2017-06-08</td></tr>
<tr><th>标　　题：</th><td>关于做好2017年高温津贴发放工作的通知</td></tr>
<tr><th>文　　号：</th><td>滨人社〔2017〕31号</td><th>发布日期：</th><td>2017-06-12</td></tr></table>
<div class="article-content"><p style="text-align:center"><strong>关于做好2017年高温津贴发放工作的通知</strong></p>
<p>各县区人社局，各有关单位：</p>
<p>　　为切实维护高温天气作业劳动者的合法权益，现就做好今年高温津贴发放工作通知如下。</p></div>
</body></html>)html";
    const ParsedPage page = parse_generic({.url = "http://rsj.example.gov.cn/zcwj/1.html",
                                           .html = html,
                                           .reference_date = Date{2017, 6, 12},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    CHECK(page.articles.front().title == "关于做好2017年高温津贴发放工作的通知");
    CHECK(page.articles.front().published == "2017-06-12");
  }

  TEST_CASE("a centred heading after a picture is text, a closing bullet stays, footers stop") {
    const std::string html = R"html(<html><body><h1>市总工会部署全年重点工作</h1>
<div class="info">2024-03-05 10:20　来源：市总工会</div>
<div class="content">
<p style="text-align:center"><img src="/uploads/2024/03/05/1.jpg"></p>
<p style="text-align:center"><strong>一、加强组织领导</strong></p>
<p>各级工会要把全年重点工作摆上重要议事日程，主要负责同志亲自抓，分管负责同志具体抓。</p>
<p>今年市总工会主办单位联席会议将每季度召开一次，通报工作进展。</p>
<p>● 坚持以职工为中心</p>
<p>主办：滨江市总工会 地址：滨江市人民路1号 电话：0553-1234567 皖ICP备05001234号 技术支持：滨江网络</p>
<p>本站文章未经授权不得转载。</p>
</div></body></html>)html";
    const ParsedPage page = parse_generic({.url = "http://www.example.cn/news/2024/0305/1.html",
                                           .html = html,
                                           .reference_date = Date{2024, 3, 5},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    const Article& article = page.articles.front();
    REQUIRE(article.images.size() == 1);
    CHECK_FALSE(article.images[0].caption.has_value());
    REQUIRE(article.body.size() == 4);
    CHECK(article.body[0] == "一、加强组织领导");
    CHECK(article.body[2].find("主办单位联席会议") != std::string::npos);
    CHECK(article.body[3] == "● 坚持以职工为中心");
    CHECK_FALSE(article.author.has_value());
  }

  TEST_CASE("a labelled source: each label, full-width colons, the value cut at the next label") {
    CHECK(find_labelled_source("信息来源：工人日报") == "工人日报");
    CHECK(find_labelled_source("2024-03-05 10:20　來源：滨江市總工會　作者：王平") ==
          "滨江市總工會");
    CHECK(find_labelled_source("出处:《安徽工人日报》 点击：120") == "《安徽工人日报》");
    CHECK(find_labelled_source("稿件来源：市总工会宣教部  编辑：李明") == "市总工会宣教部");
    // 源 without a label, and a label without a value.
    CHECK_FALSE(find_labelled_source("全市水资源丰富，来源广泛。").has_value());
    CHECK_FALSE(find_labelled_source("来源：").has_value());
    CHECK_FALSE(find_labelled_source("全市职工技能大赛落幕").has_value());
  }

  TEST_CASE("a body line repeating the title, spaced otherwise, is not a paragraph") {
    // CMS editors paste the title into the text box again, often with other spacing (here
    // after the lead paragraph, where no heading search reaches it).
    const std::string html = R"html(<html><head><meta charset="utf-8">
<title>市总工会开展  “送清凉”  活动_滨江工会网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news/">工会动态</a></div>
<h1>市总工会开展 “送清凉” 活动</h1>
<div class="info">发布时间：2024-07-12 09:30　来源：市总工会</div>
<div class="content">
<p>7月11日，市总工会走访慰问高温下坚守岗位的一线职工，送去防暑降温物品。</p>
<p><strong>市总工会开展
  “送清凉”   活动</strong></p>
<p>此次活动共慰问环卫、建筑、快递等行业职工1200余人，发放慰问品价值20余万元。</p>
</div></body></html>)html";
    const ParsedPage page = parse_generic({.url = "http://www.example.cn/news/2024/0712/8.html",
                                           .html = html,
                                           .reference_date = Date{2024, 7, 12},
                                           .selectors = nullptr});
    REQUIRE(page.articles.size() == 1);
    const Article& article = page.articles.front();
    CHECK(article.title == "市总工会开展 “送清凉” 活动");
    REQUIRE(article.body.size() == 2);
    CHECK(article.body[0].starts_with("7月11日"));
  }
}

}  // namespace archiver
