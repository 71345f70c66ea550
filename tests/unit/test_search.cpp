// Chinese full-text search: folding, queries, snippets, and the index kept by the writer.

#include "search/fold.hpp"
#include "search/query.hpp"
#include "search/rank.hpp"
#include "search/snippet.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"
#include "store/search_index.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/sample_articles.hpp"
#include "tests/support/temp_dir.hpp"
#include "util/utf8.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace archiver {
namespace {

using testing::fetch_of;
using testing::page_with;

std::vector<std::string> urls_of(const SearchResults& results) {
  std::vector<std::string> urls;
  for (const auto& hit : results.hits) {
    urls.push_back(hit.article.url);
  }
  return urls;
}

using testing::sql_scalar;

// A small archive: traditional and simplified texts, one-character words, an edited article.
struct SearchArchive {
  testing::TempDir dir;
  ArchiveWriter writer{dir / "archive.db"};
  ArchiveReader reader{dir / "archive.db"};  // searches what the writer committed

  SearchArchive() {
    store("http://a/1.html", "全國總工會召開勞模座談會", {"會議強調，要弘揚勞模精神。"},
          "2023-06-13");
    store("http://a/2.html", "职工书屋建设", {"合肥市总工会为基层职工送去图书。", "工会干部参加。"},
          "2023-06-14");
    store("http://a/3.html", "春季运动会", {"工人们在会场上比赛。"}, "2023-07-01");
    store("http://b/4.html", "Union News 2023", {"ACFTU 发布新规，职工权益得到保障。"},
          "2023-08-01", "portal");
  }

  void store(const std::string& url, const std::string& title, std::vector<std::string> body,
             const std::string& published, const std::string& site = "cms") {
    auto fetch = fetch_of(url, "2026-11-01T00:00:00Z");
    fetch.site = site;
    writer.record_page(fetch, "<p>page</p>", page_with(title, std::move(body), published),
                       "generic");
  }

  SearchResults find(std::string_view text, SearchRequest request = {}) {
    request.terms = search::query_terms(text);
    return reader.search(request);
  }
};

}  // namespace

TEST_SUITE("search/fold") {
  TEST_CASE("traditional characters fold to simplified, one code point for one") {
    CHECK(search::fold("全國總工會") == "全国总工会");
    CHECK(search::fold("勞模 職工 會議") == "劳模 职工 会议");
    CHECK(search::fold("全国总工会") == "全国总工会");
    const std::string mixed = "臺灣工會，ＡＣＦＴＵ（Union）２０２３年";
    const std::string folded = search::fold(mixed);
    CHECK(folded == "台湾工会,acftu(union)2023年");
    CHECK(utf8::count_code_points(folded) == utf8::count_code_points(mixed));
  }

  TEST_CASE("folding twice is folding once (OpenCC's chains are followed to their end)") {
    std::size_t changed = 0;
    for (char32_t cp = 0x3400; cp <= 0x9FFF; ++cp) {
      const char32_t once = search::fold(cp);
      REQUIRE(search::fold(once) == once);
      changed += once != cp ? 1 : 0;
    }
    CHECK(changed > 2000);  // the traditional characters in common use alone are more
    CHECK(search::fold(U'薴') == search::fold(U'苧'));
  }

  TEST_CASE("index text makes every ideograph a word and keeps Latin words whole") {
    CHECK(search::index_text("全國總工會") == "全 国 总 工 会");
    CHECK(search::index_text("2023年ACFTU大會") == "2023 年 acftu 大 会");
    CHECK(search::index_text("工会，劳模") == "工 会 , 劳 模");
    CHECK(search::index_text("") == "");
    // Against the rule spelled out a code point at a time: every script, stray bytes (each
    // U+FFFD), full-width forms, supplementary ideographs, spaces of every kind.
    const auto by_the_rule = [](std::string_view text) {
      std::string out;
      bool after_cjk = false;
      for (std::size_t pos = 0; pos < text.size();) {
        const auto cp = utf8::decode(text, pos);
        pos += cp.length;
        const char32_t folded = search::fold(cp.value);
        const bool cjk = utf8::is_cjk(folded);
        if ((cjk || after_cjk) && !out.empty() && out.back() != ' ') {
          out += ' ';
        }
        utf8::append(out, folded);
        after_cjk = cjk;
      }
      return out;
    };
    for (const std::string& text :
         {std::string("臺灣省總工會2024年第3期《職工》雜誌：ＡＣＦＴＵ　Ｎｏ．１２"),
          std::string("\xE5\xB7\xFF工\x80\x80会 Ä Ω ж \U00020000\U0002A6D6 \u4DC0\u3400 "),
          std::string("  ,, 〇一二  \t\n劳模。\xF0\x9F\x98\x80ok"), std::string(300, '\x80')}) {
      CHECK(search::index_text(text) == by_the_rule(text));
    }
  }
}

TEST_SUITE("search/query") {
  TEST_CASE("each term is a phrase of its characters, all required") {
    const auto terms = search::query_terms("  全國總工會   劳模 ");
    REQUIRE(terms.size() == 2);
    CHECK(terms[0] == "全国总工会");
    CHECK(terms[1] == "劳模");
    CHECK(search::match_expression(terms) == "\"全 国 总 工 会\" \"劳 模\"");
  }

  TEST_CASE("operators and quotes in the user's text stay literal") {
    const auto terms = search::query_terms("工会\" OR NOT * NEAR(a b) title:x");
    CHECK(search::match_expression(terms) ==
          "\"工 会\" \"or\" \"not\" \"near\" \"a\" \"b\" \"title\" \"x\"");
  }

  TEST_CASE("punctuation splits terms: a quoted word is the word") {
    CHECK(search::query_terms("“劳模”") == std::vector<std::string>{"劳模"});
    CHECK(search::query_terms("全国总工会，劳模") ==
          std::vector<std::string>{"全国总工会", "劳模"});
    CHECK(search::query_terms("《工人日报》2023年") ==
          std::vector<std::string>{"工人日报", "2023年"});
  }

  TEST_CASE("control characters separate terms, none reaches FTS5") {
    const std::string typed("\xe5\xb7\xa5\x00\x00\xe4\xbc\x9a\x18GL\x7f\xe5\x8a\xb3", 15);
    const auto terms = search::query_terms(typed);
    REQUIRE(terms.size() == 4);
    CHECK(terms[0] == "工");
    CHECK(terms[1] == "会");
    CHECK(terms[2] == "gl");
    CHECK(terms[3] == "劳");
    sqlite::Database db(":memory:", sqlite::Database::Mode::read_write_create);
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body)");
    auto query = db.prepare("SELECT count(*) FROM t WHERE t MATCH ?1");
    query.bind(1, search::match_expression(terms));
    CHECK(query.step());
  }

  TEST_CASE("punctuation alone is no term") {
    CHECK(search::query_terms("，。！ ...  ——").empty());
    CHECK(search::match_expression({}).empty());
  }
}

TEST_SUITE("search/snippet") {
  TEST_CASE("a simplified term marks the traditional original") {
    const auto snippet = search::make_snippet("大會強調，要弘揚勞模精神。", {"劳模"});
    CHECK(snippet.text == "大會強調，要弘揚勞模精神。");
    REQUIRE(snippet.marks.size() == 1);
    CHECK(snippet.marks[0].start == 8);
    CHECK(snippet.marks[0].length == 2);
    CHECK(search::render(snippet, "[", "]") == "大會強調，要弘揚[勞模]精神。");
  }

  TEST_CASE("a long text is cut around the first match, with ellipses") {
    std::string text;
    for (int i = 0; i < 60; ++i) {
      text += "前文";
    }
    text += "工会\n活动";
    for (int i = 0; i < 60; ++i) {
      text += "后文";
    }
    const auto snippet = search::make_snippet(text, {"工会"}, 30);
    CHECK(snippet.text.starts_with("…"));
    CHECK(snippet.text.ends_with("…"));
    CHECK(snippet.text.find("工会 活动") != std::string::npos);  // the line break is a space
    REQUIRE(snippet.marks.size() == 1);
    CHECK(search::render(snippet, "<", ">").find("<工会>") != std::string::npos);
    CHECK(utf8::count_code_points(snippet.text) == 32);
  }

  TEST_CASE("every occurrence in the window is marked, overlaps merged") {
    const auto snippet = search::make_snippet("工会工会和工人", {"工会", "会工", "工人"});
    CHECK(search::render(snippet, "[", "]") == "[工会工会]和[工人]");
  }
}

TEST_SUITE("search/index") {
  TEST_CASE("one- and two-character words and long phrases are found") {
    SearchArchive archive;
    CHECK(urls_of(archive.find("劳模")) == std::vector<std::string>{"http://a/1.html"});
    // 运动会 has 会 but not 工会; 工人们在会场 has both characters, apart.
    const auto union_hits = urls_of(archive.find("工会"));
    CHECK(union_hits.size() == 2);
    CHECK(std::ranges::count(union_hits, "http://a/3.html") == 0);
    CHECK(archive.find("会").hits.size() == 3);
    CHECK(archive.find("屋").hits.size() == 1);
    CHECK(urls_of(archive.find("为基层职工送去图书")) ==
          std::vector<std::string>{"http://a/2.html"});
    CHECK(archive.find("基层职工送书").hits.empty());
    // 工，会 are side by side as tokens, but not a word.
    archive.store("http://a/6.html", "技术比武", {"钳工，会计和电工同场竞技。"}, "2023-06-20");
    CHECK(archive.find("工会").hits.size() == 2);
  }

  TEST_CASE("simplified and traditional forms find each other") {
    SearchArchive archive;
    CHECK(urls_of(archive.find("全国总工会")) == std::vector<std::string>{"http://a/1.html"});
    CHECK(urls_of(archive.find("全國總工會")) == std::vector<std::string>{"http://a/1.html"});
    const auto traditional = urls_of(archive.find("工會"));
    CHECK(traditional.size() == 2);
    CHECK(std::ranges::count(traditional, "http://a/1.html") == 1);
    CHECK(archive.find("職工").hits.size() == 2);
  }

  TEST_CASE("Latin words match whole and without regard to case or width") {
    SearchArchive archive;
    CHECK(urls_of(archive.find("acftu")) == std::vector<std::string>{"http://b/4.html"});
    CHECK(urls_of(archive.find("ＵＮＩＯＮ")) == std::vector<std::string>{"http://b/4.html"});
    CHECK(archive.find("2023").hits.size() == 1);
    CHECK(archive.find("uni").hits.empty());
  }

  TEST_CASE("all terms must occur") {
    SearchArchive archive;
    CHECK(urls_of(archive.find("工会 图书")) == std::vector<std::string>{"http://a/2.html"});
    CHECK(archive.find("工会 比赛").hits.empty());
  }

  TEST_CASE("site, date and limit filters") {
    SearchArchive archive;
    CHECK(archive.find("职工", {.filters = {.site = "portal"}}).hits.size() == 1);
    CHECK(archive.find("职工", {.filters = {.site = "cms"}}).hits.size() == 1);
    CHECK(archive.find("会", {.filters = {.since = "2023-06-14"}}).hits.size() == 2);
    CHECK(archive.find("会", {.filters = {.until = "2023-06-13"}}).hits.size() == 1);
    CHECK(archive.find("会", {.filters = {.limit = 2}}).hits.size() == 2);
  }

  TEST_CASE("a match in the title ranks above one in the body") {
    SearchArchive archive;
    archive.store("http://a/5.html", "书香", {"职工书屋里，职工在读书。"}, "2023-09-01");
    const auto hits = urls_of(archive.find("书屋"));
    REQUIRE(hits.size() == 2);
    CHECK(hits[0] == "http://a/2.html");  // 书屋 in its title
  }

  TEST_CASE("the latest version by default, old versions on request") {
    SearchArchive archive;
    archive.store("http://a/2.html", "职工书屋建设", {"合肥市总工会为基层职工送去新书。"},
                  "2023-06-14");
    CHECK(archive.find("图书").hits.empty());
    const auto old = archive.find("图书", {.all_versions = true});
    REQUIRE(old.hits.size() == 1);
    CHECK(old.hits[0].article.version == 1);
    const auto both = archive.find("职工书屋", {.all_versions = true});
    CHECK(both.hits.size() == 2);
  }

  TEST_CASE("only the newest matches are ranked when a window is set") {
    SearchArchive archive;
    for (int i = 0; i < 5; ++i) {
      archive.store("http://c/" + std::to_string(i) + ".html", "工会新闻",
                    {"工会活动" + std::to_string(i)}, "2023-10-01");
    }
    const auto windowed = archive.find("工会", {.window = 3});
    CHECK(windowed.window_full);
    REQUIRE(windowed.hits.size() == 3);
    // The window is the newest matches: c/2, c/3 and c/4, the last three stored.
    for (const auto& hit : windowed.hits) {
      CHECK(hit.article.url >= "http://c/2.html");
    }
    const auto all = archive.find("工会", {.window = -1});
    CHECK_FALSE(all.window_full);
    CHECK(all.hits.size() == 7);
  }

  TEST_CASE("a writer sets the index to merge eight segments at a time, on older archives too") {
    const auto automerge = [](sqlite::Database& db) {
      // FTS5's default, four, when the index has no row for it.
      return sql_scalar(
          db, "SELECT coalesce((SELECT v FROM search_index_config WHERE k = 'automerge'), 4)");
    };
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    {
      ArchiveWriter writer(path);
      writer.record_page(fetch_of("http://a/1.html", "2026-11-01T00:00:00Z"), "<p>page</p>",
                         page_with("劳模座谈会", {"弘扬劳模精神。"}, "2023-06-13"), "generic");
      auto db = testing::archive_sql_to_change(path);
      CHECK(automerge(db) == 8);
      // An archive made before the setting: FTS5's default.
      db.execute("DELETE FROM search_index_config WHERE k = 'automerge'");
      CHECK(automerge(db) == 4);
    }
    {
      // A reader changes nothing, and finds what it did.
      ArchiveReader reader(path);
      SearchRequest request;
      request.terms = search::query_terms("劳模");
      CHECK(reader.search(request).hits.size() == 1);
      auto db = testing::archive_sql(path);
      CHECK(automerge(db) == 4);
    }
    const auto version = [&] {
      auto db = testing::archive_sql(path);
      return sql_scalar(db, "PRAGMA user_version");
    }();
    {
      const ArchiveWriter writer(path);
      auto db = testing::archive_sql(path);
      CHECK(automerge(db) == 8);
      CHECK(sql_scalar(db, "PRAGMA user_version") == version);  // no schema step
    }
    auto db = testing::archive_sql_to_change(path);
    db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)");
    ArchiveReader reader(path);
    SearchRequest request;
    request.terms = search::query_terms("劳模");
    CHECK(reader.search(request).hits.size() == 1);
  }

  TEST_CASE("the index moves with the versions, in their transaction") {
    SearchArchive archive;
    auto db = testing::archive_sql_to_change(archive.dir / "archive.db");
    CHECK(sql_scalar(db, "SELECT count(*) FROM search_index") ==
          sql_scalar(db, "SELECT count(*) FROM versions"));
    {
      auto abandoned = archive.writer.begin_batch();
      archive.store("http://a/9.html", "不存", {"劳模事迹。"}, "2023-06-15");
      CHECK(archive.writer.is_archived("http://a/9.html"));
    }  // rolled back: the version and its index row are gone together
    CHECK(archive.find("劳模").hits.size() == 1);
    db.execute(
        "DELETE FROM versions WHERE article_id = (SELECT id FROM articles WHERE url = "
        "'http://a/1.html')");
    CHECK(archive.find("劳模").hits.empty());
    CHECK(sql_scalar(db, "SELECT count(*) FROM search_index") ==
          sql_scalar(db, "SELECT count(*) FROM versions"));
    db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)");
    CHECK(rebuild_search_index(db) == sql_scalar(db, "SELECT count(*) FROM versions"));
    CHECK(archive.find("职工书屋").hits.size() == 1);
  }
}

}  // namespace archiver

namespace archiver {

TEST_SUITE("search/rank") {
  TEST_CASE("BM25 over title and body: title first, more often first, shorter first") {
    const std::vector<std::string> terms{"劳模"};
    const std::string filler(300, 'x');
    const auto scores = search::bm25_scores({{"劳模风采", "正文" + filler},
                                             {"新闻", "劳模" + filler},
                                             {"新闻", "劳模劳模" + filler},
                                             {"新闻", "劳模"}},
                                            terms, {.documents = 1000, .holding = {20}});
    REQUIRE(scores.size() == 4);
    CHECK(scores[0] > scores[2]);  // one occurrence in the title beats two in the body
    CHECK(scores[2] > scores[1]);  // two beat one
    CHECK(scores[3] > scores[1]);  // the same once, in a shorter text
  }

  // Every candidate holds every term (search drops the others first): only the whole index can
  // tell which word is rare. Here 工会 is in most of the archive, 劳模 in few.
  TEST_CASE("a rarer word of several counts more") {
    const std::vector<search::RankedText> candidates{{"", "工会 工会 劳模"},
                                                     {"", "工会 劳模 劳模"}};
    const auto scores = search::bm25_scores(candidates, {"工会", "劳模"},
                                            {.documents = 1000, .holding = {900, 12}});
    CHECK(scores[1] > scores[0]);
    // The other way round when 工会 is the rare one.
    const auto reversed = search::bm25_scores(candidates, {"工会", "劳模"},
                                              {.documents = 1000, .holding = {12, 900}});
    CHECK(reversed[0] > reversed[1]);
  }

  TEST_CASE("a token's documents: counted below the sample, scaled from a full one") {
    // 37 matches when 2,000 were asked: all there are.
    CHECK(search::estimate_holding(37, 2000, 120, 1000000) == 37);
    // 2,000 matches among the newest 10,000 ids of 1,000,000: one in five.
    CHECK(search::estimate_holding(2000, 2000, 990001, 1000000) == doctest::Approx(200000));
    // In every version.
    CHECK(search::estimate_holding(2000, 2000, 998001, 1000000) == doctest::Approx(1000000));
    // A full sample reaching the first id is the count itself.
    CHECK(search::estimate_holding(2000, 2000, 1, 2000) == 2000);
    // Versions stored after `newest` was read: never negative, never fewer than seen.
    CHECK(search::estimate_holding(2000, 2000, 1000500, 1000000) == 2000);
    CHECK(search::estimate_holding(2000, 2000, 1000001, 1000000) == 2000);
  }

  TEST_CASE("search weighs a rarer word by the whole archive, not by the results") {
    SearchArchive archive;
    // 工会 in many articles, 劳模 in few; the two results hold both, the newer one 工会 twice.
    for (int i = 0; i < 30; ++i) {
      archive.store("http://c/" + std::to_string(i) + ".html", "工会新闻" + std::to_string(i),
                    {"市总工会开展工作。"}, "2023-09-01");
    }
    archive.store("http://d/rare.html", "座谈会", {"劳模劳模发言，工会主持。"}, "2023-10-01");
    archive.store("http://d/common.html", "座谈会", {"劳模发言，工会工会主持。"}, "2023-10-02");
    const auto found = archive.find("工会 劳模");
    const auto place = [&](std::string_view url) {
      return std::ranges::find_if(found.hits,
                                  [&](const SearchHit& hit) { return hit.article.url == url; }) -
             found.hits.begin();
    };
    REQUIRE(place("http://d/common.html") < static_cast<std::ptrdiff_t>(found.hits.size()));
    CHECK(place("http://d/rare.html") < place("http://d/common.html"));
  }

  TEST_CASE("the words must be there, not only their characters side by side") {
    CHECK(search::holds_all_terms({"", "全市工会工作会议"}, {"工会"}));
    CHECK_FALSE(search::holds_all_terms({"", "技术工，会议召开"}, {"工会"}));
    CHECK_FALSE(search::holds_all_terms({"工", "会议"}, {"工会"}));
    CHECK(search::holds_all_terms({"劳模", "工会"}, {"工会", "劳模"}));
  }
}

}  // namespace archiver
