#include "parsers/boilerplate.hpp"
#include "parsers/generic.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace archiver;

TEST_SUITE("parsers/boilerplate") {
  TEST_CASE("a stop line begins with a furniture word, in either script or full width") {
    CHECK(is_stop_line("关键词：职工 劳模"));
    CHECK(is_stop_line("  相關閱讀"));
    CHECK(is_stop_line("上一篇：全省职工技能大赛开幕"));
    CHECK(is_stop_line("责任编辑：王某"));
    CHECK(is_stop_line("编辑：李某"));
    CHECK(is_stop_line("编辑:李某"));
    CHECK(is_stop_line("Copyright © 2024 某某市总工会"));
    CHECK(is_stop_line("【关闭】"));
    // The same words further into a sentence do not stop the article.
    CHECK_FALSE(is_stop_line("他是这篇报道的责任编辑。"));
    CHECK_FALSE(is_stop_line("会议讨论了下一篇章的工作重点"));
  }

  TEST_CASE("a registration number stops the article wherever it sits, even in a long line") {
    CHECK(is_stop_line("主办单位：某某市总工会 地址：某某路1号 皖ＩＣＰ备05001234号"));
    std::string long_footer(200, 'x');
    long_footer += " 备案号：12345。";
    CHECK(is_stop_line(long_footer));
    CHECK(is_stop_line("備案號 12345"));
  }

  TEST_CASE("footer words stop only a short line that is no sentence") {
    CHECK(is_stop_line("首页 上一页 1 2 3 下一页 尾页"));
    CHECK(is_stop_line("技术支持：某某网络公司"));
    CHECK(is_stop_line("您是第 12345 位访客"));
    CHECK_FALSE(is_stop_line("公司以技术支持的名义为职工培训。"));
    // Long enough to be prose without a full stop.
    std::string long_line;
    for (int i = 0; i < 30; ++i) {
      long_line += "职工";
    }
    CHECK_FALSE(is_stop_line(long_line + "技术支持" + long_line));
    CHECK(is_stop_line("职工技术支持"));
  }

  TEST_CASE("an address block needs an address and a way to reach it") {
    CHECK(is_stop_line("地址：合肥市某某路1号 电话：0551-1234567"));
    CHECK(is_stop_line("地 址：合肥市 邮编：230001。"));
    CHECK(is_stop_line("通讯地址 合肥 電話 0551"));
    CHECK_FALSE(is_stop_line("地址：合肥市某某路1号"));
    CHECK_FALSE(is_stop_line("请拨打电话咨询"));
  }

  TEST_CASE("organisers stop a short line, or any line that ends with 主办") {
    CHECK(is_stop_line("主办单位：某某市总工会"));
    CHECK(is_stop_line("承办单位：某某区总工会"));
    CHECK_FALSE(is_stop_line("本次比赛的主办单位是市总工会。"));
    CHECK(is_stop_line("某某市总工会 主办"));
    CHECK(is_stop_line("本次比赛由市总工会主办"));
  }

  TEST_CASE("block headings stop only when they are the whole line") {
    CHECK(is_stop_line("热点"));
    CHECK(is_stop_line(" 图片 "));
    CHECK(is_stop_line("相关阅读:"));
    CHECK(is_stop_line("评论"));
    CHECK_FALSE(is_stop_line("热点问题"));
    CHECK_FALSE(is_stop_line("职工书屋建设推进会在合肥召开"));
    CHECK_FALSE(is_stop_line(""));
  }

  TEST_CASE("an info line is a short line with a metadata label") {
    CHECK(is_info_line("发布时间：2024-05-27 10:00 点击量：123"));
    CHECK(is_info_line("來源：工人日報"));
    CHECK(is_info_line("来源:安徽工人日报"));
    CHECK(is_info_line("作者：王某 字号：大 中 小"));
    CHECK(is_info_line("期次：第1234期"));
    CHECK(is_info_line("浏览次数：56"));
    CHECK_FALSE(is_info_line("来源于职工的建议被采纳"));
    CHECK_FALSE(is_info_line("职工书屋建设推进会在合肥召开"));
    std::string long_line;
    for (int i = 0; i < 60; ++i) {
      long_line += "职工";
    }
    CHECK(is_info_line("发布时间：" + long_line.substr(0, 100 * 3)));
    CHECK_FALSE(is_info_line("发布时间：" + long_line + long_line));
  }

  TEST_CASE("a page's boilerplate answers, kept while its lines are read, are the elements' own") {
    const std::string html = R"(<html><head><title>职工书屋</title>
<script>var nav = '<div class="nav">';</script></head><body>
<div class="top-nav"><a href="/">首页</a> <a href="/news/">工会要闻</a></div>
<div id="main" class="main-content"><h1>职工书屋建设</h1>
<p>本报讯 全市新建职工书屋四十家，覆盖一线班组，职工借阅图书两万余册，书屋由企业工会管理。</p>
<div class="share bdshare"><a href="#">分享到</a></div>
<p style="display:none">隐藏的文字</p><form><input name="q"></form></div>
<noscript><div class="footer">不执行脚本时</div></noscript>
<div id="footer" class="copyright">版权所有 某某市总工会</div></body></html>)";
    const PageAnalysis analysis(html, "http://union.example.cn/news/1.html");
    int answered = 0;
    int boilerplate = 0;
    html::walk(analysis.document.root(), [&](const GumboNode* node) {
      if (html::is_element(node)) {
        ++answered;
        const bool own = is_boilerplate_element(node);
        boilerplate += own ? 1 : 0;
        INFO("tag " << html::tag(node) << ": class \"" << html::attribute(node, "class") << '"');
        CHECK(analysis.boilerplate.contains(node) == own);
      }
      return true;
    });
    // Kept: the menu, the share bar, the hidden paragraph, the form, the footer; and the
    // elements of the head and of <noscript>, which the lines skip, are answered all the same.
    CHECK(boilerplate >= 5);
    CHECK(answered > boilerplate);
  }
}
