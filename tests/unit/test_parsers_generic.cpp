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
}

}  // namespace archiver
