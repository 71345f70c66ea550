// The archive store: content-addressed bodies, versions only on content change, the schema's
// identity checks, and read-only readers.

#include "parsers/version.hpp"
#include "search/query.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/sample_articles.hpp"
#include "tests/support/schema_rewind.hpp"
#include "tests/support/temp_dir.hpp"
#include "util/clock.hpp"
#include "util/compression.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>

namespace archiver {
namespace {

using testing::fetch_of;
using testing::page_with;

// Rows in a table of the archive, as committed.
std::int64_t count(const std::filesystem::path& archive, const std::string& table) {
  auto tables = testing::archive_sql(archive);
  return testing::sql_scalar(tables, "SELECT count(*) FROM " + table);
}

}  // namespace

TEST_SUITE("store/archive") {
  TEST_CASE("new, unchanged and changed versions, bodies stored once") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string url = "http://127.0.0.1/a.html";

    const auto first = writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>v1</p>",
                                          page_with("标题", {"第一段。", "第二段。"}), "generic");
    CHECK(first.outcome == Outcome::created);
    CHECK(first.articles.at(0).version == 1);

    // Same bytes again: no new body, no new version, last_seen moves.
    const auto again = writer.record_page(fetch_of(url, "2026-01-02T00:00:00Z"), "<p>v1</p>",
                                          page_with("标题", {"第一段。", "第二段。"}), "generic");
    CHECK(again.outcome == Outcome::unchanged);
    CHECK(again.articles.at(0).version == 1);
    CHECK(count(dir / "archive.db", "bodies") == 1);

    // Different bytes (a view counter) with the same extracted content: no new version.
    const auto counter = writer.record_page(fetch_of(url, "2026-01-03T00:00:00Z"),
                                            "<p>v1</p><span>点击量:2433</span>",
                                            page_with("标题", {"第一段。", "第二段。"}), "generic");
    CHECK(counter.outcome == Outcome::unchanged);
    CHECK(count(dir / "archive.db", "versions") == 1);

    // Whitespace noise is not a change either.
    const auto spaced =
        writer.record_page(fetch_of(url, "2026-01-04T00:00:00Z"), "<p>v1 </p>",
                           page_with("标题 ", {"第一段。\u3000", "第二段。"}), "generic");
    CHECK(spaced.outcome == Outcome::unchanged);

    const auto edited =
        writer.record_page(fetch_of(url, "2026-01-05T00:00:00Z"), "<p>v2</p>",
                           page_with("标题", {"第一段，已更正。", "第二段。"}), "generic");
    CHECK(edited.outcome == Outcome::changed);
    CHECK(edited.articles.at(0).version == 2);
    CHECK(count(dir / "archive.db", "versions") == 2);
    CHECK(count(dir / "archive.db", "fetches") == 5);

    ArchiveReader reader(dir / "archive.db");
    const auto latest = reader.article(url);
    REQUIRE(latest.has_value());
    CHECK(latest->version == 2);
    CHECK(latest->article.body.front() == "第一段，已更正。");
    CHECK(latest->first_seen == "2026-01-01T00:00:00Z");
    CHECK(latest->last_seen == "2026-01-05T00:00:00Z");
    const auto history = reader.history(latest->id);
    REQUIRE(history.size() == 2);
    CHECK(history[0].first_seen == "2026-01-01T00:00:00Z");
    CHECK(history[0].last_seen == "2026-01-04T00:00:00Z");
    const auto old = reader.article(std::to_string(latest->id), 1);
    REQUIRE(old.has_value());
    CHECK(old->article.body.front() == "第一段。");
    CHECK_FALSE(reader.body("0000").has_value());
  }

  TEST_CASE("an article packed in the parse pool is stored as the writer would store it") {
    const ParsedPage page =
        page_with("全市职工技能大赛开幕", {"第一段：劳模工匠登台。", "第二段。"});
    const std::string url = "http://127.0.0.1/packed.html";
    const auto stored = [&](const std::vector<PackedArticle>* packed) {
      testing::TempDir dir;
      {
        ArchiveWriter writer(dir / "archive.db");
        writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>v1</p>", page, "generic",
                           nullptr, {}, packed);
      }
      auto db = testing::archive_sql(dir / "archive.db");
      return std::vector<std::string>{
          testing::sql_text(db, "SELECT content_hash FROM versions"),
          testing::sql_text(db, "SELECT archiver_text(body_zstd) FROM versions"),
          std::to_string(testing::sql_scalar(
              db, "SELECT count(*) FROM search_index WHERE search_index MATCH '\"劳 模 工 匠\"'")),
          std::to_string(
              testing::sql_scalar(db,
                                  "SELECT count(*) FROM search_index WHERE search_index MATCH "
                                  "'title : \"技 能 大 赛\"'")),
          std::to_string(testing::sql_scalar(db,
                                             "SELECT count(*) FROM search_index WHERE search_index "
                                             "MATCH '鑫'"))};
    };
    const auto by_writer = stored(nullptr);
    CHECK(by_writer[1] == "第一段：劳模工匠登台。\n第二段。");
    CHECK(by_writer[2] == "1");
    CHECK(by_writer[3] == "1");
    const std::vector<PackedArticle> packed{pack_article(page.articles.front())};
    CHECK(stored(&packed) == by_writer);
    // What the pool packed is what the writer writes (not made a second time): a mark added to
    // the packed index text is found.
    std::vector<PackedArticle> marked = packed;
    marked.front().index_body += " 鑫";
    CHECK(by_writer[4] == "0");
    CHECK(stored(&marked)[4] == "1");
    // Packed with another dictionary than the one the writer uses now: made again.
    std::vector<PackedArticle> stale = packed;
    stale.front().dictionary_id = 40000;
    stale.front().body_zstd = "not a frame";
    CHECK(stored(&stale) == by_writer);
  }

  TEST_CASE("a page is read again from the fetch that received its stored bytes") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string url = "http://127.0.0.1/b.html";
    writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>v1</p>",
                       page_with("标题", {"第一段。"}), "generic");
    // A counter changed the bytes, not the content: the body stored stays the first one.
    writer.record_page(fetch_of(url, "2026-01-02T00:00:00Z"), "<p>v1</p><span>点击量:9</span>",
                       page_with("标题", {"第一段。"}), "generic");
    auto tables = testing::archive_sql(dir / "archive.db");
    auto first_fetch = tables.prepare("SELECT min(id), max(id) FROM fetches WHERE url = ?1");
    first_fetch.bind(1, url);
    REQUIRE(first_fetch.step());
    const auto pages = writer.stored_pages(std::nullopt, std::nullopt);
    REQUIRE(pages.size() == 1);
    // A version reparse makes from the first bytes points at the fetch that received them, so a
    // later fetch of the counter's bytes is not taken for the same bytes read again.
    CHECK(pages[0].fetch_id == first_fetch.column_int(0));
    CHECK(pages[0].fetch_id != first_fetch.column_int(1));
  }

  TEST_CASE("a reader of an archive older than schema 12 says how to bring it up to date") {
    testing::TempDir dir;
    {
      ArchiveWriter writer(dir / "archive.db");
      writer.record_page(fetch_of("http://127.0.0.1/c.html", "2026-01-01T00:00:00Z"), "<p>c</p>",
                         page_with("标题", {"第一段。"}), "generic");
    }
    testing::rewind_to_schema_11(dir / "archive.db");
    // Texts are read as schema 12 keeps them; the reader may not write, so it cannot upgrade.
    CHECK_THROWS_WITH_AS(ArchiveReader(dir / "archive.db"),
                         doctest::Contains("has schema version 11 and this archiver reads 12 or "
                                           "later: run any writing command once (for example "
                                           "`archiver gc`)"),
                         NotAnArchive);
    { ArchiveWriter upgraded(dir / "archive.db"); }
    ArchiveReader reader(dir / "archive.db");
    const auto stored = reader.article("http://127.0.0.1/c.html");
    REQUIRE(stored.has_value());
    CHECK(stored->article.body == std::vector<std::string>{"第一段。"});
    const auto versions = reader.history(stored->id);
    REQUIRE(versions.size() == 1);
    CHECK(versions[0].origin == "fetch");
  }

  TEST_CASE("raw bodies round-trip through zstd byte for byte") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    std::string body = "<html>";
    for (int i = 0; i < 2000; ++i) {
      body += "<p>工会新闻 " + std::to_string(i) + "</p>\xB9\xA4";  // GBK bytes too
    }
    writer.record_page(fetch_of("http://127.0.0.1/big.html", "2026-01-01T00:00:00Z"), body,
                       ParsedPage{}, "generic");
    ArchiveReader reader(dir / "archive.db");
    auto tables = testing::archive_sql(dir / "archive.db");
    auto statement = tables.prepare("SELECT sha256, size, length(data) FROM bodies");
    REQUIRE(statement.step());
    CHECK(statement.column_int(1) == static_cast<std::int64_t>(body.size()));
    CHECK(statement.column_int(2) < statement.column_int(1) / 4);
    CHECK(reader.body(statement.column_text(0)) == body);
  }

  TEST_CASE("a site's first pages train its dictionary and are stored again with it") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    // 400 版面-like pages of one site: the same furniture, different headlines and numbers.
    std::vector<std::string> bodies;
    for (int i = 0; i < 400; ++i) {
      std::string body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>职工日报 第" +
                         std::to_string(i % 8 + 1) +
                         "版</title><link rel=\"stylesheet\" href=\"/s.css\"></head>"
                         "<body><div class=\"nav\"><a href=\"node_1.htm\">第01版：要闻</a>"
                         "<a href=\"node_2.htm\">第02版：工会新闻</a></div><ul class=\"titles\">";
      for (int j = 0; j < 12; ++j) {
        body += "<li><a href=\"content_" + std::to_string(i * 100 + j) + ".htm\">劳模工匠第" +
                std::to_string((i * 7 + j * 13) % 97) + "期 职工技能竞赛</a></li>";
      }
      body += "</ul><div class=\"foot\">版权所有 职工日报社 电话：0551-" +
              std::to_string(620000 + i) + "</div></body></html>";
      auto fetch = fetch_of("http://127.0.0.1/html/2024-01/" + std::to_string(i) + ".htm",
                            "2026-01-01T00:00:00Z");
      fetch.site = "zgrb";
      writer.record_page(fetch, body, ParsedPage{}, "epaper");
      bodies.push_back(std::move(body));
    }
    auto tables = testing::archive_sql(dir / "archive.db");
    CHECK(testing::sql_scalar(tables,
                              "SELECT count(*) FROM dictionaries WHERE site = 'zgrb' AND "
                              "kind = 'page' AND samples = 400") == 1);
    // Every page, the samples included, is a frame of that dictionary, and reads back whole.
    const auto dictionary_id =
        k_first_dictionary_id +
        static_cast<std::uint32_t>(testing::sql_scalar(tables, "SELECT id FROM dictionaries"));
    ArchiveReader reader(dir / "archive.db");
    auto rows = tables.prepare("SELECT sha256, data FROM bodies");
    std::set<std::string> read;
    std::size_t stored_bytes = 0;
    while (rows.step()) {
      const std::string frame = rows.column_blob(1);
      CHECK(zstd_frame_dictionary_id(frame) == dictionary_id);
      stored_bytes += frame.size();
      read.insert(reader.body(rows.column_text(0)).value_or(""));
    }
    CHECK(read == std::set<std::string>(bodies.begin(), bodies.end()));
    std::size_t page_bytes = 0;
    for (const auto& body : bodies) {
      page_bytes += body.size();
    }
    // zstd alone makes 3.1x of these pages one by one, with a dictionary trained on them some
    // 15x (measured with the zstd command): more than 5x means the dictionary is used.
    CHECK(stored_bytes * 5 < page_bytes);
  }

  TEST_CASE("304 keeps the validators and touches the article") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string url = "http://127.0.0.1/etag.html";
    auto record = fetch_of(url, "2026-01-01T00:00:00Z");
    record.etag = "\"abc\"";
    record.last_modified = "Tue, 13 Jun 2023 08:00:00 GMT";
    writer.record_page(record, "<p>x</p>", page_with("标题", {"正文。"}), "generic");
    auto not_modified = fetch_of(url, "2026-01-02T00:00:00Z");
    not_modified.http_status = 304;
    const auto result = writer.record_not_modified(not_modified);
    CHECK(result.outcome == Outcome::not_modified);
    REQUIRE(result.articles.size() == 1);
    CHECK(result.articles[0].version == 1);
    const PageState state = writer.page_state(url);
    CHECK(state.etag == "\"abc\"");
    CHECK(state.last_modified == "Tue, 13 Jun 2023 08:00:00 GMT");
    ArchiveReader reader(dir / "archive.db");
    CHECK(reader.article(url)->last_seen == "2026-01-02T00:00:00Z");
    CHECK(reader.stats().fetches == 2);
  }

  TEST_CASE("errors are logged without touching archived content") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string url = "http://127.0.0.1/gone.html";
    writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>x</p>",
                       page_with("标题", {"正文。"}), "generic");
    auto failure = fetch_of(url, "2026-01-02T00:00:00Z");
    failure.http_status = 500;
    failure.error = "HTTP 500";
    CHECK(writer.record_failure(failure).outcome == Outcome::error);
    ArchiveReader reader(dir / "archive.db");
    const auto article = reader.article(url);
    REQUIRE(article.has_value());
    CHECK(article->article.body == std::vector<std::string>{"正文。"});
    const auto errors = reader.recent_errors(5);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].error == "HTTP 500");
  }

  TEST_CASE("a file that is not an archive is refused and left untouched") {
    testing::TempDir dir;
    const auto path = dir / "other.db";
    {
      sqlite::Database other(path, sqlite::Database::Mode::read_write_create);
      other.execute("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
    }
    CHECK_THROWS_AS(ArchiveWriter{path}, NotAnArchive);
    CHECK_THROWS_AS(ArchiveReader{path}, NotAnArchive);
    sqlite::Database check(path, sqlite::Database::Mode::read_only);
    auto statement = check.prepare("SELECT text FROM notes");
    REQUIRE(statement.step());
    CHECK(statement.column_text(0) == "mine");

    const auto text_file = dir / "notes.txt";
    std::ofstream(text_file) << "this is not a database at all, just some text\n";
    CHECK_THROWS(ArchiveWriter{text_file});
  }

  TEST_CASE("an archive from a newer archiver is refused") {
    testing::TempDir dir;
    const auto path = dir / "future.db";
    { ArchiveWriter writer(path); }
    {
      sqlite::Database db(path, sqlite::Database::Mode::read_write_create);
      db.execute("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
    }
    CHECK_THROWS_AS(ArchiveWriter{path}, NotAnArchive);
    CHECK_THROWS_AS(ArchiveReader{path}, NotAnArchive);
  }

  TEST_CASE("a writer left open while a newer archiver upgrades the archive stores no more") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    ArchiveWriter writer(path);
    writer.record_page(fetch_of("http://h/1.html", "2026-01-01T00:00:00Z"), "<p>1</p>",
                       page_with("一", {"正文一。"}), "generic");
    {
      // What a newer archiver's migration step does, as far as this writer can see: a column
      // it does not know, and the version that says so.
      sqlite::Database newer(path, sqlite::Database::Mode::read_write_create);
      newer.execute(
          "ALTER TABLE fetches ADD COLUMN from_a_newer_schema TEXT; PRAGMA user_version = " +
          std::to_string(latest_schema_version() + 1));
    }
    try {
      auto batch = writer.begin_batch();
      FAIL("a batch began on an archive of a schema this writer does not know");
    } catch (const StoreError& error) {
      CHECK(error.is_schema_changed());
      CHECK_FALSE(error.is_full());
      const std::string message = error.what();
      INFO(message);
      CHECK(message.find("from schema version " + std::to_string(latest_schema_version()) + " to " +
                         std::to_string(latest_schema_version() + 1)) != std::string::npos);
      CHECK(message.find("everything stored so far is kept") != std::string::npos);
    }
    // A page stored on its own (a transaction of its own) is refused the same way.
    try {
      writer.record_page(fetch_of("http://h/2.html", "2026-01-02T00:00:00Z"), "<p>2</p>",
                         page_with("二", {"正文二。"}), "generic");
      FAIL("a page was stored in an archive of a schema this writer does not know");
    } catch (const StoreError& error) {
      CHECK(error.is_schema_changed());
    }
    // SQLite's own SQLITE_SCHEMA (a statement that kept failing to prepare again) is an
    // ordinary error, not this one.
    CHECK_FALSE(StoreError(17, "prepare: database schema has changed").is_schema_changed());
    // Nothing is left open: the write lock is free for the archiver that upgraded it, and what
    // was stored before is there.
    CHECK_FALSE(writer.in_transaction());
    sqlite::Database newer(path, sqlite::Database::Mode::read_write_create);
    newer.execute("BEGIN IMMEDIATE; UPDATE fetches SET from_a_newer_schema = 'x'; COMMIT");
    CHECK(count(path, "fetches") == 1);
    CHECK(count(path, "articles") == 1);
  }

  TEST_CASE("the schema carries archiver's identity and the documented views") {
    testing::TempDir dir;
    { ArchiveWriter writer(dir / "archive.db"); }
    auto db = testing::archive_sql(dir / "archive.db");  // as the sqlite3 shell reads the views
    auto id = db.prepare("PRAGMA application_id");
    REQUIRE(id.step());
    CHECK(id.column_int(0) == k_application_id);
    auto version = db.prepare("PRAGMA user_version");
    REQUIRE(version.step());
    CHECK(version.column_int(0) == latest_schema_version());
    auto journal = db.prepare("PRAGMA journal_mode");
    REQUIRE(journal.step());
    CHECK(journal.column_text(0) == "wal");
    auto page_size = db.prepare("PRAGMA page_size");
    REQUIRE(page_size.step());
    CHECK(page_size.column_int(0) == 8192);
    for (const char* view : {"latest_articles", "article_versions", "fetch_log"}) {
      auto statement = db.prepare(std::string("SELECT count(*) FROM ") + view);
      CHECK(statement.step());
    }
  }

  TEST_CASE("an archive of 4 KiB pages keeps them, and its writer stores and finds as before") {
    testing::TempDir dir;
    {
      // What an archiver before 8 KiB pages left at its start: the file's first page written.
      sqlite::Database db(dir / "archive.db", sqlite::Database::Mode::read_write_create);
      db.execute("PRAGMA page_size = 4096");
      db.execute("PRAGMA journal_mode = WAL");
    }
    {
      ArchiveWriter writer(dir / "archive.db");
      const auto stored =
          writer.record_page(fetch_of("http://127.0.0.1/a.html", "2026-01-01T00:00:00Z"),
                             "<p>v1</p>", page_with("标题", {"第一段。"}), "generic");
      CHECK(stored.outcome == Outcome::created);
    }
    auto db = testing::archive_sql(dir / "archive.db");
    auto page_size = db.prepare("PRAGMA page_size");
    REQUIRE(page_size.step());
    CHECK(page_size.column_int(0) == 4096);
    page_size.reset();
    ArchiveReader reader(dir / "archive.db");
    const auto article = reader.article("http://127.0.0.1/a.html");
    REQUIRE(article.has_value());
    CHECK(article->article.body.front() == "第一段。");
  }

  TEST_CASE("an archive written before a migration is brought up to date and keeps working") {
    testing::TempDir dir;
    {
      ArchiveWriter writer(dir / "archive.db");
      writer.record_page(fetch_of("http://h/old.html", now_utc_iso()), "<p>old</p>",
                         page_with("全國總工會召開會議", {"勞模代表發言。"}), "generic");
      // A URL an older archiver kept as the page spelled it.
      writer.record_page(fetch_of("HTTP://H:80/a/%7euser/../x%2ehtml", now_utc_iso()), "<p>x</p>",
                         page_with("工会", {"正文。"}), "generic");
    }
    testing::rewind_to_schema_11(dir / "archive.db");
    {
      // What an archiver from before schema 6 left: no `known` column, no index by site, no
      // search index; nor the tables and columns of schema 8.
      auto tables = testing::archive_sql_to_change(dir / "archive.db");
      tables.execute(
          "DROP TABLE outbox; ALTER TABLE versions DROP COLUMN parser_version; "
          "DROP VIEW asset_files; DROP TABLE page_areas; DROP TABLE asset_refs; DROP TABLE assets; "
          "ALTER TABLE bodies DROP COLUMN media_type; ALTER TABLE fetches DROP COLUMN asset_kind; "
          "ALTER TABLE crawls DROP COLUMN assets; ALTER TABLE crawls DROP COLUMN asset_errors; "
          "DROP TABLE site_leases; DROP TABLE list_progress; "
          "ALTER TABLE fetches DROP COLUMN not_published; ALTER TABLE pages DROP COLUMN parser; "
          "DROP TRIGGER versions_leave_search_index; DROP TABLE search_index; "
          "DROP INDEX versions_by_fetch; DROP INDEX versions_by_edition; DROP TABLE edition_pages; "
          "DROP INDEX fetches_by_body; DROP INDEX pages_by_body; "
          "ALTER TABLE fetches DROP COLUMN received_sha256; "
          "DROP INDEX fetches_by_site; ALTER TABLE crawls DROP COLUMN known; "
          "PRAGMA user_version = 5");
    }
    ArchiveWriter writer(dir / "archive.db");
    ArchiveReader migrated(dir / "archive.db");
    CHECK(migrated.schema_version() == latest_schema_version());
    // The article stored before the search index existed is found through it.
    const auto found = migrated.search({.terms = search::query_terms("劳模"), .filters = {}});
    REQUIRE(found.hits.size() == 1);
    CHECK(found.hits[0].article.url == "http://h/old.html");
    // Old spellings are in normal form now, in the articles and the fetch log alike.
    CHECK(writer.is_archived("http://h/a/x.html"));
    CHECK_FALSE(writer.is_archived("HTTP://H:80/a/%7euser/../x%2ehtml"));
    CHECK(writer.page_state("http://h/a/x.html").body_sha256.has_value());
    const auto crawl = writer.begin_crawl("ahgrb", "2023-06-13");
    CrawlStats stats;
    stats.known = 7;
    stats.result = "ok";
    writer.finish_crawl(crawl.id, stats);
    CHECK(writer.recent_crawls("ahgrb", 1).at(0).stats.known == 7);
    // A version from before schema 10 does not know the parser revision that made it; a new
    // one does, and says where it came from.
    ArchiveReader reader(dir / "archive.db");
    const auto old = reader.article("http://h/old.html");
    REQUIRE(old.has_value());
    const auto before = reader.history(old->id);
    REQUIRE(before.size() == 1);
    CHECK_FALSE(before[0].parser_version.has_value());
    CHECK(before[0].origin == "fetch");
    writer.record_page(fetch_of("http://h/old.html", now_utc_iso()), "<p>old, edited</p>",
                       page_with("全国总工会召开会议", {"劳模代表发言。"}), "generic");
    const auto after = reader.history(old->id);
    REQUIRE(after.size() == 2);
    CHECK(after[1].parser_version == k_parser_version);
    CHECK(after[1].origin == "fetch");
    CHECK(after[1].parser == "generic");
  }

  TEST_CASE(
      "an archive of schema 12 gets a search index without column sizes, which finds the same") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    {
      ArchiveWriter writer(path);
      writer.record_page(fetch_of("http://h/a.html", "2026-01-01T00:00:00Z"), "<p>a</p>",
                         page_with("全國總工會表彰劳模", {"劳模代表在大会上发言。"}), "generic");
      writer.record_page(fetch_of("http://h/b.html", "2026-01-01T00:00:00Z"), "<p>b</p>",
                         page_with("职工技能竞赛", {"比赛在合肥举行。"}), "generic");
    }
    // Schema 12's index: FTS5 kept each version's column sizes.
    const auto index_tables = [&] {
      auto tables = testing::archive_sql(path);
      return testing::sql_scalar(
          tables, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'search_index_%'");
    };
    testing::rewind_to_schema_15(path);
    {
      auto tables = testing::archive_sql_to_change(path);
      tables.execute(
          "DROP TRIGGER versions_leave_search_index; DROP TABLE search_index; "
          "CREATE VIRTUAL TABLE search_index USING fts5(title, body, content = 'search_text', "
          "content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'); "
          "INSERT INTO search_index (search_index) VALUES ('rebuild'); "
          "CREATE TRIGGER versions_leave_search_index AFTER DELETE ON versions BEGIN "
          "INSERT INTO search_index (search_index, rowid, title, body) VALUES ('delete', old.id, "
          "archiver_index_text(old.title || coalesce(char(10) || nullif(old.kicker, ''), '') || "
          "coalesce(char(10) || nullif(old.subtitle, ''), '')), "
          "archiver_index_text(archiver_text(old.body_zstd))); "
          "END; PRAGMA user_version = 12");
    }
    CHECK(index_tables() == 4);  // data, idx, docsize, config
    { ArchiveWriter writer(path); }
    CHECK(index_tables() == 3);  // no docsize
    ArchiveReader migrated(path);
    CHECK(migrated.schema_version() == latest_schema_version());
    // Traditional characters found by the simplified query, as before.
    const auto found = migrated.search({.terms = search::query_terms("总工会"), .filters = {}});
    REQUIRE(found.hits.size() == 1);
    CHECK(found.hits[0].article.url == "http://h/a.html");
    CHECK(migrated.search({.terms = search::query_terms("技能"), .filters = {}}).hits.size() == 1);
    // The rebuilt index agrees with the text it was built from.
    auto tables = testing::archive_sql_to_change(path);
    CHECK_NOTHROW(tables.execute(
        "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)"));
  }

  TEST_CASE("an archive of schema 13 gets an index of the unfinished crawls, which a start uses") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    std::int64_t older = 0;
    std::int64_t newer = 0;
    {
      ArchiveWriter writer(path);
      // Finished crawls of other editions, and two cut short of the same one (the older one
      // from before a crash in the middle of the next start, say).
      for (const char* edition : {"2024-01-01", "2024-01-02", "2024-01-03"}) {
        writer.finish_crawl(writer.begin_crawl("zgrb", edition).id, CrawlStats{});
      }
      older = writer.begin_crawl("zgrb", "2024-01-04").id;
      writer.add_to_frontier(older, {{.url = "http://h/old.html", .listed_in = {}}});
      auto tables = testing::archive_sql_to_change(path);
      // (begin_crawl would close the older one: a second unfinished row as a crash leaves it.)
      tables.execute(
          "INSERT INTO crawls (site, target, started_at) VALUES ('zgrb', '2024-01-04', "
          "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
      newer = testing::sql_scalar(tables, "SELECT max(id) FROM crawls");
      writer.add_to_frontier(newer, {{.url = "http://h/new.html", .listed_in = {}}});
    }
    testing::rewind_to_schema_15(path);
    {
      auto tables = testing::archive_sql_to_change(path);
      tables.execute("DROP INDEX crawls_unfinished; PRAGMA user_version = 13");
    }
    ArchiveWriter writer(path);
    auto tables = testing::archive_sql(path);
    CHECK(testing::sql_scalar(tables, "PRAGMA user_version") == latest_schema_version());
    CHECK(testing::sql_scalar(tables,
                              "SELECT count(*) FROM sqlite_schema WHERE name = "
                              "'crawls_unfinished'") == 1);
    // A start finds its target's unfinished crawl through the index, not among all crawls.
    auto plan = tables.prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM crawls WHERE site = 'zgrb' AND target = '2024-01-04' "
        "AND finished_at IS NULL ORDER BY id DESC LIMIT 1");
    std::string steps;
    while (plan.step()) {
      steps += plan.column_text(3) + "\n";
    }
    CHECK(steps.find("crawls_unfinished") != std::string::npos);
    // The newer crawl's frontier is taken over; the older one, closed too, leaves nothing behind.
    const CrawlStart start = writer.begin_crawl("zgrb", "2024-01-04");
    REQUIRE(start.pending.size() == 1);
    CHECK(start.pending[0].url == "http://h/new.html");
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM crawls WHERE finished_at IS NULL") ==
          1);
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM frontier WHERE crawl_id = " +
                                          std::to_string(older)) == 0);
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM frontier") == 1);
    CHECK(newer > older);
  }

  TEST_CASE("an archive of schema 15 numbers its bodies, and its fetches and pages keep theirs") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    const std::string a = "http://h/a.html";
    const std::string b = "http://h/b.html";
    {
      ArchiveWriter writer(path);
      writer.record_page(fetch_of(a, "2026-01-01T00:00:00Z"), "<p>a</p>",
                         page_with("职工技能竞赛", {"比赛在合肥举行。"}), "generic");
      writer.record_page(fetch_of(b, "2026-01-01T00:00:00Z"), "<p>b</p>",
                         page_with("劳模表彰", {"大会表彰劳模。"}), "generic");
      // An edit (a second body), a counter's change (the first body kept), a 304.
      writer.record_page(fetch_of(b, "2026-01-02T00:00:00Z"), "<p>b, edited</p>",
                         page_with("劳模表彰大会", {"大会表彰劳模。"}), "generic");
      writer.record_page(fetch_of(a, "2026-01-02T00:00:00Z"), "<p>a</p><!-- 点击量 12 -->",
                         page_with("职工技能竞赛", {"比赛在合肥举行。"}), "generic");
      writer.record_not_modified(fetch_of(a, "2026-01-03T00:00:00Z"));
    }
    // What each fetch and page points at, by SHA-256, and the bodies in the order they came.
    const auto pointed_at = [&] {
      auto db = testing::archive_sql(path);
      return testing::sql_text(db,
                               "SELECT group_concat(x, ' ') FROM (SELECT f.id || ':' || "
                               "coalesce(b.sha256, '-') AS x FROM fetches f LEFT JOIN bodies b "
                               "ON b.id = f.body_id ORDER BY f.id)") +
             " | " +
             testing::sql_text(db,
                               "SELECT group_concat(x, ' ') FROM (SELECT p.url || ':' || b.sha256 "
                               "AS x FROM pages p JOIN bodies b ON b.id = p.body_id ORDER BY "
                               "p.url)") +
             " | " +
             testing::sql_text(db,
                               "SELECT group_concat(sha256, ' ') FROM (SELECT sha256 FROM "
                               "bodies ORDER BY id)");
    };
    // Every other column of the fetch log and of pages, as it was.
    const auto the_rest = [&] {
      auto db = testing::archive_sql(path);
      return testing::sql_text(
                 db,
                 "SELECT group_concat(x, char(10)) FROM (SELECT quote(id) || ' ' || "
                 "quote(url) || ' ' || quote(final_url) || ' ' || quote(site) || ' ' || "
                 "quote(fetched_at) || ' ' || quote(http_status) || ' ' || quote(outcome) "
                 "|| ' ' || quote(bytes) || ' ' || quote(duration_ms) || ' ' || "
                 "quote(content_type) || ' ' || quote(charset) || ' ' || "
                 "quote(charset_reason) || ' ' || quote(request_headers) || ' ' || "
                 "quote(response_headers) || ' ' || quote(error) || ' ' || "
                 "quote(received_sha256) || ' ' || quote(not_published) || ' ' || "
                 "quote(asset_kind) AS x FROM fetches ORDER BY id)") +
             "\n" +
             testing::sql_text(
                 db,
                 "SELECT group_concat(x, char(10)) FROM (SELECT quote(url) || ' ' || "
                 "quote(site) || ' ' || quote(etag) || ' ' || quote(last_modified) || ' ' "
                 "|| quote(first_fetched) || ' ' || quote(last_fetched) || ' ' || "
                 "quote(last_fetch_id) || ' ' || quote(parser) AS x FROM pages ORDER BY "
                 "url)");
    };
    const std::string before = pointed_at();
    const std::string rest_before = the_rest();
    REQUIRE(before.find(":-") != std::string::npos);  // the 304 has no body of its own
    REQUIRE(rest_before.find("'not-modified'") != std::string::npos);
    testing::rewind_to_schema_15(path);
    {
      auto old = testing::archive_sql_to_change(path);
      REQUIRE(testing::sql_scalar(old,
                                  "SELECT count(*) FROM fetches WHERE body_sha256 IS NOT "
                                  "NULL") == 4);
      // A row that names bytes the archive does not hold (only an archive edited by hand has
      // one): it names none after the upgrade, which goes on.
      // (The sqlite3 shell keeps foreign keys off unless told.)
      old.execute("PRAGMA foreign_keys = OFF");
      old.execute("UPDATE fetches SET body_sha256 = 'not stored' WHERE outcome = 'not-modified'");
      // A view of a user's own that reads the fetch log stops the step, which says so and
      // leaves the archive as it was; without it the upgrade goes through.
      old.execute("CREATE VIEW my_errors AS SELECT url FROM fetches WHERE outcome = 'error'");
    }
    std::string refusal;
    try {
      const ArchiveWriter refused(path);
    } catch (const sqlite::StoreError& error) {
      refusal = error.what();
    }
    CHECK(refusal.find("upgrading " + path.string() + " from schema version 15 to 16") !=
          std::string::npos);
    CHECK(refusal.find("error in view my_errors") != std::string::npos);
    CHECK(refusal.find("the archive is left as it was") != std::string::npos);
    {
      auto old = testing::archive_sql_to_change(path);
      CHECK(testing::sql_scalar(old, "PRAGMA user_version") == 15);
      CHECK(testing::sql_scalar(old,
                                "SELECT count(*) FROM fetches WHERE body_sha256 IS NOT NULL") == 5);
      old.execute("DROP VIEW my_errors");
    }
    ArchiveWriter writer(path);
    auto tables = testing::archive_sql_to_change(path);
    CHECK(testing::sql_scalar(tables, "PRAGMA user_version") == latest_schema_version());
    CHECK(pointed_at() == before);
    CHECK(the_rest() == rest_before);
    CHECK(testing::sql_text(tables, "PRAGMA integrity_check") == "ok");
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    // The indexes by body are by number now; only `bodies` is keyed by SHA-256.
    CHECK(testing::sql_text(tables,
                            "SELECT group_concat(x, ' ') FROM (SELECT s.name || '(' || c.name "
                            "|| ')' AS x FROM sqlite_schema s, pragma_index_info(s.name) c "
                            "WHERE s.name IN ('fetches_by_body', 'pages_by_body') "
                            "ORDER BY s.name)") ==
          "fetches_by_body(body_id) pages_by_body(body_id)");
    // The views were made again and read the new tables.
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM fetch_log") == 5);
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM asset_files") == 0);
    // A body something points at cannot go: gc's guard against a crawl beside it.
    tables.execute("PRAGMA foreign_keys = ON");
    CHECK_THROWS_AS(
        tables.execute("DELETE FROM bodies WHERE id = (SELECT body_id FROM pages WHERE url = "
                       "'http://h/b.html')"),
        sqlite::StoreError);
    // The writer goes on: gc drops b's first body once its version is gone, keeps the rest.
    const std::string first_b = testing::sql_text(
        tables,
        "SELECT b.sha256 FROM fetches f JOIN bodies b ON b.id = f.body_id WHERE f.url = "
        "'http://h/b.html' ORDER BY f.id LIMIT 1");
    const GcReport gc = writer.collect_garbage({.keep_versions = 1});
    CHECK(gc.versions_deleted == 1);
    CHECK(gc.bodies_deleted == 1);
    CHECK(gc.fetches_unlinked == 1);
    CHECK_FALSE(writer.body(first_b).has_value());
    CHECK(count(path, "bodies") == 2);
    CHECK(writer.page_state(b).body_sha256.has_value());
    CHECK(writer.body(*writer.page_state(b).body_sha256) == "<p>b, edited</p>");
    writer.record_page(fetch_of(b, "2026-01-04T00:00:00Z"), "<p>b, edited again</p>",
                       page_with("劳模表彰大会召开", {"大会表彰劳模。"}), "generic");
    CHECK(count(path, "bodies") == 3);
    CHECK(testing::sql_scalar(tables, "SELECT max(id) FROM bodies") == 4);  // at the end
  }

  TEST_CASE("an archive of schema 14 gets the table of pages' links, which go with their body") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    const std::string url = "http://127.0.0.1/paper/node_01.html";
    {
      ArchiveWriter writer(path);
      writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<ul><li>第一篇</li></ul>",
                         ParsedPage{}, "epaper");
    }
    testing::rewind_to_schema_15(path);
    {
      auto tables = testing::archive_sql_to_change(path);
      tables.execute("DROP TABLE page_links; PRAGMA user_version = 14");
    }
    ArchiveWriter writer(path);
    CHECK(count(path, "page_links") == 0);
    const std::string body = writer.page_state(url).body_sha256.value_or("");
    REQUIRE_FALSE(body.empty());
    CHECK_FALSE(writer.kept_links(url, body, "key-a"));
    writer.keep_links(url, body, "key-a", "links of the first body");
    CHECK(writer.kept_links(url, body, "key-a") == "links of the first body");
    CHECK_FALSE(writer.kept_links(url, body, "key-b"));  // read under other conditions
    CHECK_FALSE(writer.kept_links(url, "an older body", "key-a"));
    writer.keep_links(url, body, "key-b", "read again");  // one row per page: replaced
    CHECK(count(path, "page_links") == 1);
    CHECK(writer.kept_links(url, body, "key-b") == "read again");
    // Links of bytes that are not the page's stored body (record_page kept the body before for
    // unchanged content), or of a page with no body stored, are not kept.
    writer.keep_links(url, "other bytes", "key-c", "links of bytes not stored");
    CHECK(writer.kept_links(url, body, "key-b") == "read again");
    writer.keep_links("http://127.0.0.1/never-fetched.html", body, "key-a", "nothing to go with");
    CHECK(count(path, "page_links") == 1);
    // The links go with their page.
    auto tables = testing::archive_sql_to_change(path);
    tables.execute("DELETE FROM pages");
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM page_links") == 0);
  }
}

TEST_SUITE("store/frontier") {
  TEST_CASE("an edition a crawl read in part stays incomplete when a later one stops early") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const auto all = [](const std::string&) { return true; };
    const auto status = [&] {
      return std::string(
          writer.edition_reports("paper", "2024-01-02", "2024-01-02", all).at(0).status());
    };
    CHECK(status() == "missing");  // never crawled
    // The first crawl reads the first 版面; the second fails: partial.
    auto crawl = writer.begin_crawl("paper", "2024-01-02");
    writer.record_edition_pages("paper", "2024-01-02", {{.url = "http://p/node_01.html"}}, false);
    CrawlStats stats;
    stats.pages = 1;
    stats.errors = 1;
    stats.result = "partial";
    writer.finish_crawl(crawl.id, stats);
    CHECK(status() == "incomplete");
    // The next crawl cannot even read the first page (a 503): still incomplete, not complete.
    crawl = writer.begin_crawl("paper", "2024-01-02");
    CrawlStats failed;
    failed.errors = 1;
    failed.result = "failed";
    writer.finish_crawl(crawl.id, failed);
    CHECK(status() == "incomplete");
    // Read whole at last.
    crawl = writer.begin_crawl("paper", "2024-01-02");
    writer.record_edition_pages(
        "paper", "2024-01-02", {{.url = "http://p/node_01.html"}, {.url = "http://p/node_02.html"}},
        true);
    CrawlStats whole;
    whole.pages = 2;
    whole.result = "ok";
    writer.finish_crawl(crawl.id, whole);
    CHECK(status() == "complete");
  }

  TEST_CASE("a crawl cut short hands its frontier and what it fetched to the next") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const CrawlStart first = writer.begin_crawl("ahgrb", "2023-06-13");
    CHECK(first.pending.empty());
    CHECK(first.done_before.empty());
    const EditionContext page{.edition = "2023-06-13", .page = "第01版:要闻", .issue = "8100"};
    writer.add_to_frontier(first.id, {{.url = "http://h/a.html", .listed_in = page},
                                      {.url = "http://h/b.html", .listed_in = page},
                                      {.url = "http://h/c.html", .listed_in = {}}});
    // Added twice (a resumed listing): still once.
    writer.add_to_frontier(first.id, {{.url = "http://h/b.html", .listed_in = page}});
    // a.html is stored, and leaves the frontier in the same transaction.
    {
      auto batch = writer.begin_batch();
      FetchRecord fetched = fetch_of("http://h/a.html", now_utc_iso());
      fetched.site = "ahgrb";
      writer.record_page(fetched, "<p>a</p>", page_with("甲", {"正文。"}), "epaper");
      writer.remove_from_frontier(first.id, "http://h/a.html");
      batch.commit();
    }
    // Killed here. The next crawl of the same target takes over.
    const CrawlStart second = writer.begin_crawl("ahgrb", "2023-06-13");
    CHECK(second.id != first.id);
    REQUIRE(second.pending.size() == 2);
    CHECK(second.pending[0].url == "http://h/b.html");
    CHECK(second.pending[0].listed_in.page == "第01版:要闻");
    CHECK(second.pending[0].listed_in.issue == "8100");
    CHECK(second.pending[1].url == "http://h/c.html");
    CHECK(second.pending[1].listed_in.empty());
    CHECK(second.done_before.contains("http://h/a.html"));
    CHECK(writer.recent_crawls("ahgrb", 5).at(1).stats.result == "interrupted");
    // Another target's crawl has nothing to do with it.
    CHECK(writer.begin_crawl("ahgrb", "2023-06-14").pending.empty());
    // Finishing clears what is left (it failed in this crawl).
    writer.finish_crawl(second.id, CrawlStats{});
    CHECK(writer.frontier(second.id).empty());
    CHECK(count(dir / "archive.db", "frontier") == 0);
  }

  TEST_CASE("the daemon finds the crawls a kill cut short") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const auto done = writer.begin_crawl("gyghw", "lists");
    writer.finish_crawl(done.id, CrawlStats{});
    const auto cut = writer.begin_crawl("ahgrb", "2023-06-13");
    const auto unfinished = writer.unfinished_crawls();
    REQUIRE(unfinished.size() == 1);
    CHECK(unfinished[0].id == cut.id);
    CHECK(unfinished[0].site == "ahgrb");
    CHECK(unfinished[0].target == "2023-06-13");
  }

  TEST_CASE("inside a batch each page is a savepoint: one failure undoes only itself") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    {
      auto batch = writer.begin_batch();
      writer.record_page(fetch_of("http://h/1.html", now_utc_iso()), "<p>1</p>",
                         page_with("一", {"正文一。"}), "generic");
      bool failed = false;
      try {
        auto page = writer.begin_page();
        // A store that succeeds, and is seen inside the batch...
        writer.record_page(fetch_of("http://h/2.html", now_utc_iso()), "<p>2</p>",
                           page_with("二", {"正文二。"}), "generic");
        REQUIRE(writer.is_archived("http://h/2.html"));
        // ...then one that SQLite refuses (a frontier row of no crawl): the savepoint undoes
        // the first.
        writer.add_to_frontier(404, {{.url = "http://h/x.html", .listed_in = {}}});
        page.commit();
      } catch (const StoreError&) {
        failed = true;  // rolled back to the savepoint by page's destructor
      }
      REQUIRE(failed);
      CHECK_FALSE(writer.is_archived("http://h/2.html"));
      CHECK(writer.in_transaction());  // the batch itself goes on
      writer.record_page(fetch_of("http://h/3.html", now_utc_iso()), "<p>3</p>",
                         page_with("三", {"正文三。"}), "generic");
      batch.commit();
    }
    CHECK(writer.is_archived("http://h/1.html"));
    CHECK_FALSE(writer.is_archived("http://h/2.html"));
    CHECK(writer.is_archived("http://h/3.html"));
  }

  TEST_CASE("a page without a savepoint: the batch's own, and a failure inside spoils the batch") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    {
      auto batch = writer.begin_batch();
      {
        auto page = writer.begin_unguarded_page();
        writer.record_page(fetch_of("http://h/1.html", now_utc_iso()), "<p>1</p>",
                           page_with("一", {"正文一。"}), "generic");
        page.end();
      }
      bool refused = false;
      {
        auto page = writer.begin_unguarded_page();
        writer.record_page(fetch_of("http://h/2.html", now_utc_iso()), "<p>2</p>",
                           page_with("二", {"正文二。"}), "generic");
        // A scope inside that fails, caught and let go: with no savepoint, nothing undoes it...
        CHECK_THROWS_AS(writer.add_to_frontier(404, {{.url = "http://h/x.html", .listed_in = {}}}),
                        StoreError);
        CHECK(writer.is_archived("http://h/2.html"));
        // ...so the page cannot end well, nor the batch commit.
        try {
          page.end();
        } catch (const StoreError&) {
          refused = true;
        }
      }
      REQUIRE(refused);
      CHECK(writer.in_transaction());
      CHECK_THROWS_AS(batch.commit(), StoreError);
    }
    // Nothing of the spoiled batch stays; the next one is a batch like any other.
    CHECK_FALSE(writer.is_archived("http://h/1.html"));
    CHECK_FALSE(writer.is_archived("http://h/2.html"));
    {
      auto batch = writer.begin_batch();
      {
        auto page = writer.begin_page();
        writer.record_page(fetch_of("http://h/3.html", now_utc_iso()), "<p>3</p>",
                           page_with("三", {"正文三。"}), "generic");
        page.commit();
      }
      batch.commit();
    }
    CHECK(writer.is_archived("http://h/3.html"));
    // In a batch without savepoints, a scope between pages that fails and is let go spoils it
    // too: it had none of its own to undo it.
    {
      auto batch = writer.begin_unguarded_batch();
      writer.record_page(fetch_of("http://h/4.html", now_utc_iso()), "<p>4</p>",
                         page_with("四", {"正文四。"}), "generic");
      CHECK_THROWS_AS(writer.add_to_frontier(404, {{.url = "http://h/y.html", .listed_in = {}}}),
                      StoreError);
      CHECK(writer.is_archived("http://h/4.html"));
      CHECK_THROWS_AS(batch.commit(), StoreError);
    }
    CHECK_FALSE(writer.is_archived("http://h/4.html"));
    {
      auto batch = writer.begin_unguarded_batch();
      writer.record_page(fetch_of("http://h/5.html", now_utc_iso()), "<p>5</p>",
                         page_with("五", {"正文五。"}), "generic");
      batch.commit();
    }
    CHECK(writer.is_archived("http://h/5.html"));
  }

  TEST_CASE(
      "bytes archived before under another URL, or earlier at this one, are not stored again") {
    testing::TempDir dir;
    {
      ArchiveWriter writer(dir / "archive.db");
      const std::string bytes = "<p>职工书屋开放</p>";
      // A mirror of the same page, then a page that changes and changes back.
      writer.record_page(fetch_of("http://127.0.0.1/a.html", "2026-01-01T00:00:00Z"), bytes,
                         page_with("职工书屋", {"开放。"}), "generic");
      const auto mirror =
          writer.record_page(fetch_of("http://127.0.0.1/mirror/a.html", "2026-01-01T00:01:00Z"),
                             bytes, page_with("职工书屋", {"开放。"}), "generic");
      CHECK(mirror.outcome == Outcome::created);  // a new article, on bytes archived already
      writer.record_page(fetch_of("http://127.0.0.1/a.html", "2026-01-02T00:00:00Z"),
                         "<p>职工书屋闭馆</p>", page_with("职工书屋", {"闭馆。"}), "generic");
      const auto back =
          writer.record_page(fetch_of("http://127.0.0.1/a.html", "2026-01-03T00:00:00Z"), bytes,
                             page_with("职工书屋", {"开放。"}), "generic");
      CHECK(back.outcome == Outcome::changed);
    }
    CHECK(count(dir / "archive.db", "bodies") == 2);
    auto db = testing::archive_sql(dir / "archive.db");
    // Every fetch row names the bytes it received, and was written with its outcome.
    CHECK(testing::sql_scalar(db, "SELECT count(DISTINCT body_id) FROM fetches") == 2);
    CHECK(testing::sql_scalar(db,
                              "SELECT count(*) FROM fetches f JOIN bodies b ON "
                              "b.id = f.body_id WHERE f.received_sha256 IS NULL") == 4);
    CHECK(testing::sql_text(db,
                            "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM "
                            "fetches ORDER BY id)") == "new,new,changed,changed");
  }

  TEST_CASE("a page that fails takes none of the batch's earlier search index rows with it") {
    // Pages are added until the rows queued for the index pass SearchIndexQueue's mark (256 KiB
    // of folded text), so that the next page writes them out first. Were that inside the next
    // page's savepoint, its failure would undo them too.
    constexpr std::size_t k_queue_mark = SearchIndexQueue::k_write_mark;
    std::string paragraph;
    for (int i = 0; i < 2000; ++i) {
      paragraph += "职工代表大会审议通过了";
    }
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    std::size_t pages = 0;
    {
      auto batch = writer.begin_batch();
      for (std::size_t queued = 0; queued <= k_queue_mark; ++pages) {
        const ParsedPage parsed = page_with("劳模" + std::to_string(pages), {paragraph});
        queued += index_title(parsed.articles[0]).size() + index_body(paragraph).size();
        auto page = writer.begin_page();
        writer.record_page(fetch_of("http://h/" + std::to_string(pages) + ".html", now_utc_iso()),
                           "<p>x</p>", parsed, "generic");
        page.commit();
      }
      try {
        auto page = writer.begin_page();
        writer.record_page(fetch_of("http://h/bad.html", now_utc_iso()), "<p>bad</p>",
                           page_with("坏", {"正文。"}), "generic");
        writer.add_to_frontier(404, {{.url = "http://h/x.html", .listed_in = {}}});  // refused
        page.commit();
      } catch (const StoreError&) {
      }
      batch.commit();
    }
    ArchiveReader reader(dir / "archive.db");
    const auto found = reader.search(
        {.terms = search::query_terms("劳模"), .filters = {.limit = 1000}, .window = -1});
    CHECK(found.hits.size() == pages);
  }

  TEST_CASE("a batch not committed stores nothing") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    {
      auto batch = writer.begin_batch();
      writer.record_page(fetch_of("http://h/1.html", now_utc_iso()), "<p>1</p>",
                         page_with("一", {"正文一。"}), "generic");
      CHECK(writer.in_transaction());
    }
    CHECK_FALSE(writer.in_transaction());
    CHECK_FALSE(writer.is_archived("http://h/1.html"));
    CHECK(count(dir / "archive.db", "fetches") == 0);
  }

  TEST_CASE("prepared statements are reused, also when two of the same text are live") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    for (int i = 0; i < 3; ++i) {
      writer.record_page(fetch_of("http://h/" + std::to_string(i) + ".html", now_utc_iso()),
                         "<p>" + std::to_string(i) + "</p>",
                         page_with("题" + std::to_string(i), {"正文。"}), "generic");
    }
    // The reuse is the connection's: the test's own connection has it as the writer's has.
    auto db = testing::archive_sql(dir / "archive.db");
    const std::string sql = "SELECT url FROM articles ORDER BY id";
    auto outer = db.prepare(sql);
    REQUIRE(outer.step());
    CHECK(outer.column_text(0) == "http://h/0.html");
    {
      auto inner = db.prepare(sql);  // the same text while the first is mid-way
      int rows = 0;
      while (inner.step()) {
        ++rows;
      }
      CHECK(rows == 3);
    }
    REQUIRE(outer.step());
    CHECK(outer.column_text(0) == "http://h/1.html");
    // A statement given back is reset: the next user starts from the first row, unbound.
    { auto first = db.prepare(sql); }
    auto again = db.prepare(sql);
    REQUIRE(again.step());
    CHECK(again.column_text(0) == "http://h/0.html");
  }
}

}  // namespace archiver
