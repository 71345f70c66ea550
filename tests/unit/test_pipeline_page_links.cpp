#include "pipeline/page_links.hpp"

#include "util/compression.hpp"

#include <doctest/doctest.h>

namespace archiver {

namespace {

// A 版面 as the e-paper parser reads it: 标题导航 entries (one with only a 摘要, one printed
// elsewhere), the edition's 版面, and the edition it belongs to.
ParsedPage a_page() {
  ParsedPage page;
  page.headlines = {
      {.title = "全省职工职业技能大赛决赛开幕",
       .url = "http://epaper.ahgrrb.com/html/2024-05/06/content_7001_1.htm",
       .summary = "本报讯 5月5日，全省职工职业技能大赛决赛在合肥开幕。",
       .on_page_map = true},
      {.title = "",
       .url = "http://epaper.ahgrrb.com/html/2024-05/06/content_7001_2.htm",
       .summary = "（摘要）为一线职工办实事“清单”出炉",
       .on_page_map = false},
      {.title = "劳模工匠进校园 \"quoted\" \\ back",
       .url = "http://epaper.ahgrrb.com/html/2024-05/06/content_7001_3.htm",
       .summary = std::nullopt,
       .on_page_map = true},
  };
  page.pages = {
      {.title = "第01版:要闻", .url = "http://epaper.ahgrrb.com/html/2024-05/06/node_1.htm"},
      {.title = "第02版:工会新闻", .url = "http://epaper.ahgrrb.com/html/2024-05/06/node_2.htm"}};
  page.edition = {.edition = "2024-05-06", .page = "第02版:工会新闻", .issue = std::nullopt};
  return page;
}

}  // namespace

TEST_SUITE("pipeline/page_links") {
  TEST_CASE("a 版面's links come back as they were read, every field") {
    const ParsedPage page = a_page();
    const auto back = unpack_links(pack_links(page));
    REQUIRE(back);
    REQUIRE(back->headlines.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(back->headlines[i].title == page.headlines[i].title);
      CHECK(back->headlines[i].url == page.headlines[i].url);
      CHECK(back->headlines[i].summary == page.headlines[i].summary);
      CHECK(back->headlines[i].on_page_map == page.headlines[i].on_page_map);
    }
    REQUIRE(back->pages.size() == 2);
    CHECK(back->pages[1].title == "第02版:工会新闻");
    CHECK(back->pages[1].url == page.pages[1].url);
    CHECK_FALSE(back->next_page);
    CHECK(back->edition.edition == "2024-05-06");
    CHECK(back->edition.page == "第02版:工会新闻");
    CHECK_FALSE(back->edition.issue);
    CHECK(back->articles.empty());
  }

  TEST_CASE("a list page's next page, and a page with no links at all") {
    ParsedPage list;
    list.next_page = "http://www.hfgh.org.cn/list.php?catid=12&page=2";
    const auto back = unpack_links(pack_links(list));
    REQUIRE(back);
    CHECK(back->next_page == list.next_page);
    CHECK(back->headlines.empty());
    CHECK(back->edition.empty());

    const auto none = unpack_links(pack_links(ParsedPage{}));
    REQUIRE(none);
    CHECK(none->headlines.empty());
    CHECK(none->pages.empty());
  }

  TEST_CASE("a title that is not UTF-8 is packed with its bad bytes replaced, not thrown at") {
    ParsedPage page;
    page.headlines.push_back({.title = "职工\xff之家", .url = "http://h/a.html"});
    const auto back = unpack_links(pack_links(page));
    REQUIRE(back);
    REQUIRE(back->headlines.size() == 1);
    CHECK(back->headlines[0].title == "职工\xEF\xBF\xBD之家");
  }

  TEST_CASE("bytes that are not a pack of links read as none") {
    CHECK_FALSE(unpack_links(""));
    CHECK_FALSE(unpack_links("not zstd at all"));
    CHECK_FALSE(unpack_links(zstd_compress("{\"layout\": 1, \"headlines\": [")));  // cut short
    CHECK_FALSE(unpack_links(zstd_compress("[1, 2, 3]")));                         // not an object
    CHECK_FALSE(unpack_links(zstd_compress(R"({"layout": 999, "headlines": []})")));  // newer
    CHECK_FALSE(unpack_links(zstd_compress(R"({"layout": "1", "headlines": []})")));
    CHECK_FALSE(unpack_links(zstd_compress(
        R"({"layout": 1, "headlines": [{"title": 5}], "pages": [], "edition": {}})")));
  }

  TEST_CASE("the parse key changes with what the links depend on, and only with that") {
    SiteSettings site;
    site.name = "ahgrrb";
    site.parser = ParserKind::epaper;
    const std::string key = links_parse_key(ParserKind::epaper, &site, std::nullopt);
    CHECK(key.size() == 16);
    CHECK(key == links_parse_key(ParserKind::epaper, &site, std::nullopt));
    SiteSettings renamed = site;
    renamed.name = "ahgrrb-copy";  // the name does not change how a page reads
    CHECK(key == links_parse_key(ParserKind::epaper, &renamed, std::nullopt));

    CHECK(key != links_parse_key(ParserKind::cms, &site, std::nullopt));
    CHECK(key != links_parse_key(ParserKind::epaper, nullptr, std::nullopt));
    SiteSettings charset = site;
    charset.charset = "gb18030";
    CHECK(key != links_parse_key(ParserKind::epaper, &charset, std::nullopt));
    SiteSettings selectors = site;
    selectors.selectors["headline_list"] = "#titleList a";
    CHECK(key != links_parse_key(ParserKind::epaper, &selectors, std::nullopt));
    const EditionContext listed{.edition = "2024-05-06", .page = "第01版:要闻", .issue = "5120"};
    CHECK(key != links_parse_key(ParserKind::epaper, &site, listed));
    EditionContext other_issue = listed;
    other_issue.issue = "5121";
    CHECK(links_parse_key(ParserKind::epaper, &site, listed) !=
          links_parse_key(ParserKind::epaper, &site, other_issue));
  }
}

}  // namespace archiver
