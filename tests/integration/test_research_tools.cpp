// The archive as a research tool, end to end through the binary against the sample sites on
// 127.0.0.1: search in Chinese (简/繁), diff of an edited article, JSONL and WARC export (read
// back by warcio, an independent reader from npm), edition completeness, and gc.

#include "tests/support/archive_sql.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sample_sites.hpp"
#include "tests/support/schema_rewind.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace archiver {
namespace {

using testing::ProcessResult;
using testing::SampleSites;

std::vector<nlohmann::json> json_lines(const ProcessResult& result) {
  std::vector<nlohmann::json> objects;
  for (const auto& line : result.lines()) {
    objects.push_back(nlohmann::json::parse(line));
  }
  return objects;
}

// The sample sites served from a copy, so that a test can edit pages between crawls.
struct EditableSites {
  testing::TempDir www_dir;
  std::filesystem::path www = copy_samples(www_dir);
  SampleSites sites{www};

  static std::filesystem::path copy_samples(const testing::TempDir& dir) {
    const auto root = dir / "www";
    std::filesystem::copy(testing::samples_root(), root, std::filesystem::copy_options::recursive);
    return root;
  }

  // Replaces text in a served file (UTF-8 pages only).
  void edit(const std::string& relative, const std::string& from, const std::string& to) {
    const auto path = www / relative;
    std::string text = testing::read_file(path);
    const auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from << " not in " << relative);
    text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  std::string url(const std::string& relative) { return sites.server.url(relative); }

  // The fixture sites, archived as the README's demo does, plus the older ahgrb editions.
  void archive_all() {
    for (const std::vector<std::string>& crawl : {
             std::vector<std::string>{"fetch", "--site", "ahgrb", "--date", "2023-06-13"},
             std::vector<std::string>{"fetch", "--site", "ahgrb", "--from", "2021-05-24", "--to",
                                      "2021-06-01"},
             std::vector<std::string>{"fetch", "--site", "haidai-grb", "--date", "2022-02-13"},
             std::vector<std::string>{"fetch", "--site", "gyghw"},
             std::vector<std::string>{"fetch", "--site", "portal"},
         }) {
      const auto result = sites.run(crawl);
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    }
  }
};

// A query through the sqlite3 C API, as a user's script would.
std::vector<std::vector<std::string>> query(const std::filesystem::path& db,
                                            const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  testing::load_archive_functions(handle);  // as the sqlite3 shell reads the views
  std::vector<std::vector<std::string>> rows;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      handle, sql.c_str(),
      [](void* out, int columns, char** values, char**) {
        std::vector<std::string> row;
        for (int i = 0; i < columns; ++i) {
          row.emplace_back(values[i] != nullptr ? values[i] : "NULL");
        }
        static_cast<std::vector<std::vector<std::string>>*>(out)->push_back(std::move(row));
        return 0;
      },
      &rows, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(handle);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
  return rows;
}

std::set<std::int64_t> ids_of(const std::vector<nlohmann::json>& articles) {
  std::set<std::int64_t> ids;
  for (const auto& article : articles) {
    ids.insert(article["id"].get<std::int64_t>());
  }
  return ids;
}

std::string searchable_text(const nlohmann::json& article) {
  std::string text =
      article["title"].get<std::string>() + "\n" + article["body"].get<std::string>();
  for (const char* field : {"kicker", "subtitle"}) {
    if (article.contains(field) && article[field].is_string()) {
      text += "\n" + article[field].get<std::string>();
    }
  }
  return text;
}

}  // namespace

TEST_SUITE("integration/research") {
  TEST_CASE("search 工会 lists every article with 工会 or 工會, 简 and 繁 find each other") {
    EditableSites archive;
    archive.archive_all();
    auto& sites = archive.sites;
    const auto all = json_lines(sites.run({"export", "--format", "jsonl"}));
    REQUIRE(all.size() > 40);

    std::set<std::int64_t> expected;
    std::int64_t traditional_only = 0;
    for (const auto& article : all) {
      const std::string text = searchable_text(article);
      const bool simplified = text.find("工会") != std::string::npos;
      const bool traditional = text.find("工會") != std::string::npos;
      if (simplified || traditional) {
        expected.insert(article["id"].get<std::int64_t>());
      }
      traditional_only += traditional && !simplified ? 1 : 0;
    }
    CHECK(traditional_only >= 1);  // gyghw prints one article in traditional characters

    const auto found = sites.run({"search", "工会", "--json"});
    REQUIRE_MESSAGE(found.exit_code == 0, found.err);
    const auto hits = json_lines(found);
    CHECK(ids_of(hits) == expected);
    for (const auto& hit : hits) {
      CHECK(hit["snippet"].get<std::string>().size() > 0);
      CHECK(hit["highlights"].size() >= 1);
      CHECK(hit.contains("score"));
      CHECK(hit.contains("published"));
    }
    CHECK(ids_of(json_lines(sites.run({"search", "工會", "--json"}))) == expected);

    // 全國總工會 in traditional finds the GB18030 e-paper page printing 全国总工会.
    const auto federation = json_lines(sites.run({"search", "全國總工會", "--json"}));
    REQUIRE_FALSE(federation.empty());
    CHECK(ids_of(federation) == ids_of(json_lines(sites.run({"search", "全国总工会", "--json"}))));

    // Filters and the plain-text form.
    const auto gyghw = json_lines(sites.run({"search", "工会", "--site", "gyghw", "--json"}));
    CHECK_FALSE(gyghw.empty());
    CHECK(std::ranges::all_of(gyghw, [](const auto& hit) { return hit["site"] == "gyghw"; }));
    CHECK(json_lines(sites.run({"search", "工会", "--limit", "3", "--json"})).size() == 3);
    const auto june = json_lines(
        sites.run({"search", "工会", "--since", "2023-06-01", "--until", "2023-06-30", "--json"}));
    CHECK_FALSE(june.empty());
    for (const auto& hit : june) {
      const auto day = hit["published"].get<std::string>().substr(0, 10);
      CHECK(day >= "2023-06-01");
      CHECK(day <= "2023-06-30");
    }
    const auto plain = sites.run({"search", "工会", "--limit", "1"});
    CHECK(plain.out.find("[工会]") != std::string::npos);
    CHECK(sites.run({"search", "，。"}).exit_code == 2);
    CHECK(sites.run({"search", "工会", "--since", "June"}).exit_code == 2);
    const auto nothing = sites.run({"search", "一个不存在的词组"});
    CHECK(nothing.exit_code == 0);
    CHECK(nothing.out.empty());

    // The same search from the sqlite3 shell, as docs/schema.md shows it.
    const auto rows = query(sites.database,
                            "SELECT DISTINCT l.id FROM search_index s "
                            "JOIN versions v ON v.id = s.rowid "
                            "JOIN latest_articles l ON l.id = v.article_id "
                            "AND l.version = v.version "
                            "WHERE search_index MATCH '\"工 会\"'");
    std::set<std::int64_t> shell_ids;
    for (const auto& row : rows) {
      shell_ids.insert(std::stoll(row[0]));
    }
    CHECK(shell_ids == expected);
  }

  TEST_CASE("diff: an edited article shows its character-level change, --all-versions search") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    const std::string page = "gyghw/news/2023/0608/1185.html";
    archive.edit(page, "活动吸引了500余名职工群众参与", "活动吸引了600余名职工群众踊跃参与");
    const auto refetch = json_lines(sites.run({"fetch", archive.url(page), "--json"}));
    REQUIRE(refetch.size() == 1);
    CHECK(refetch[0]["status"] == "changed");

    const auto diff = sites.run({"diff", archive.url(page)});
    REQUIRE(diff.exit_code == 0);
    CHECK(diff.out.find("[-5-]{+6+}") != std::string::npos);
    CHECK(diff.out.find("{+踊跃+}") != std::string::npos);
    CHECK(diff.out.find("\x1b[") == std::string::npos);  // plain when piped
    const auto ops = json_lines(sites.run({"diff", archive.url(page), "--json"})).at(0);
    const auto replaced = std::ranges::find(ops["body"], "replace", [](const auto& op) {
      return op["op"].template get<std::string>();
    });
    REQUIRE(replaced != ops["body"].end());
    bool inserted = false;
    for (const auto& op : (*replaced)["chars"]) {
      inserted = inserted || (op["op"] == "insert" && op["text"] == "踊跃");
    }
    CHECK(inserted);

    // Coloured on a terminal: the same diff under a pseudo-terminal (script(1)).
    const auto tty =
        testing::run_process("/usr/bin/script",
                             {"-qec",
                              std::string(ARCHIVER_BINARY) + " --db " + sites.database.string() +
                                  " diff " + archive.url(page),
                              "/dev/null"},
                             sites.dir.path());
    CHECK(tty.out.find("\x1b[31m") != std::string::npos);
    CHECK(tty.out.find("\x1b[32m") != std::string::npos);

    // The old wording is found only among old versions.
    const auto latest_only = sites.run({"search", "500余名"});
    CHECK(latest_only.exit_code == 0);
    CHECK(latest_only.out.empty());
    const auto old = json_lines(sites.run({"search", "500余名", "--all-versions", "--json"}));
    REQUIRE(old.size() == 1);
    CHECK(old[0]["version"] == 1);
  }

  TEST_CASE("export jsonl: one article a line with the contract's fields, --all-versions") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    REQUIRE(sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13"}).exit_code == 0);
    const std::string page = "gyghw/news/2023/0608/1185.html";
    archive.edit(page, "500余名", "600余名");
    REQUIRE(sites.run({"fetch", archive.url(page)}).exit_code == 0);

    const auto latest = json_lines(sites.run({"export", "--format", "jsonl"}));
    const auto listed = json_lines(sites.run({"articles", "--json"}));
    CHECK(latest.size() == listed.size());
    for (const auto& article : latest) {
      for (const char* field : {"id", "site", "url", "title", "published", "author", "source",
                                "body", "version", "first_seen", "last_seen"}) {
        CHECK_MESSAGE(article.contains(field), field);
      }
    }
    const auto epaper = json_lines(sites.run({"export", "--format", "jsonl", "--site", "ahgrb"}));
    REQUIRE_FALSE(epaper.empty());
    for (const auto& article : epaper) {
      CHECK(article["edition"] == "2023-06-13");
      CHECK(article["issue"].is_string());
      CHECK(article["page"].is_string());
    }
    const auto every = json_lines(sites.run({"export", "--format", "jsonl", "--all-versions"}));
    CHECK(every.size() == latest.size() + 1);

    const auto file = sites.dir / "articles.jsonl";
    REQUIRE(sites.run({"export", "--format", "jsonl", "-o", file.string()}).exit_code == 0);
    CHECK(testing::read_file(file) == sites.run({"export", "--format", "jsonl"}).out);
    CHECK_FALSE(std::filesystem::exists(file.string() + ".part"));
    CHECK(sites.run({"export", "--format", "csv"}).exit_code == 2);
  }

  TEST_CASE("export warc: warcio reads every record back, payloads byte-identical") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13"}).exit_code == 0);
    REQUIRE(sites.run({"fetch", "--site", "haidai-grb", "--date", "2022-02-13"}).exit_code == 0);
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    // 304s (revisits, server-not-modified), a changed article (a second response), and a page
    // whose counter alone changed (a 200 whose bytes the archive did not keep: a revisit of
    // archiver's own profile, equivalent content, no payload digest claimed).
    REQUIRE(
        sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13", "--refetch"}).exit_code ==
        0);
    archive.edit("gyghw/news/2023/0608/1185.html", "500余名", "600余名");
    archive.edit("gyghw/news/2023/0718/1245.html", "<span id=\"hits\">87</span>",
                 "<span id=\"hits\">88</span>");
    const auto refetched =
        json_lines(sites.run({"fetch", archive.url("gyghw/news/2023/0608/1185.html"),
                              archive.url("gyghw/news/2023/0718/1245.html"), "--json"}));
    REQUIRE(refetched.size() == 2);
    CHECK(refetched[0]["status"] == "changed");
    CHECK(refetched[1]["status"] == "unchanged");

    const auto warc = sites.dir / "archive.warc.gz";
    const auto exported = sites.run({"export", "--format", "warc", "-o", warc.string()});
    REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
    CHECK(exported.out.empty());

    const auto read = testing::run_process(
        "/usr/bin/env", {"node", ARCHIVER_WARC_READER, warc.string()}, sites.dir.path());
    REQUIRE_MESSAGE(read.exit_code == 0,
                    "warcio could not read the export (scripts/test installs it): " << read.err);
    const auto records = json_lines(read);
    REQUIRE(records.size() > 10);
    CHECK(records[0]["type"] == "warcinfo");

    // Every body the archive holds for a URL, by SHA-256: what the payloads must be.
    std::multimap<std::string, std::string> bodies_by_url;
    for (const auto& row : query(sites.database,
                                 "SELECT coalesce(f.final_url, f.url), b.sha256 FROM fetches f "
                                 "JOIN bodies b ON b.id = f.body_id "
                                 "WHERE f.outcome IN ('new', 'changed', 'error')")) {
      bodies_by_url.emplace(row[0], row[1]);
    }
    std::map<std::string, std::int64_t> types;
    std::set<std::string> response_ids;
    std::set<std::string> profiles;
    for (const auto& record : records) {
      const std::string type = record["type"];
      ++types[type];
      CHECK(record["version"] == "WARC/1.1");
      CHECK_MESSAGE(record["block_digest_ok"] == true, record.dump());
      if (type == "response") {
        CHECK(record["payload_digest_ok"] == true);
        CHECK(record["http_status"] == 200);
        const auto [first, last] = bodies_by_url.equal_range(record["uri"]);
        const bool identical = std::any_of(first, last, [&](const auto& entry) {
          return entry.second == record["payload_sha256"];
        });
        CHECK_MESSAGE(identical, "payload of " << record["uri"] << " is not an archived body");
        response_ids.insert(record["id"]);
      } else if (type == "request") {
        CHECK(response_ids.contains(record["concurrent_to"].get<std::string>()));
      } else if (type == "revisit") {
        const std::string profile = record["profile"];
        profiles.insert(profile);
        CHECK(response_ids.contains(record["refers_to"].get<std::string>()));
        CHECK(record["payload_length"] == 0);
        if (profile.ends_with("server-not-modified")) {
          CHECK(record["http_status"] == 304);
        } else {
          CHECK(record["http_status"] == 200);
          CHECK(record["payload_digest_ok"].is_null());  // nothing claimed about the bytes
        }
      } else if (type == "metadata") {
        const auto fields = nlohmann::json::parse(record["payload_text"].get<std::string>());
        CHECK(fields["url"] == record["uri"]);
        CHECK(fields["title"].is_string());
        CHECK(response_ids.contains(record["refers_to"].get<std::string>()));
      }
    }
    CHECK(types["response"] == static_cast<std::int64_t>(bodies_by_url.size()));
    CHECK(types["request"] == types["response"]);
    CHECK(types["metadata"] ==
          std::stoll(query(sites.database, "SELECT count(*) FROM versions")[0][0]));
    CHECK(profiles.contains("http://netpreserve.org/warc/1.1/revisit/server-not-modified"));
    CHECK(profiles.contains("urn:x-archiver:revisit:same-article-content"));

    // Filters: one site's exchanges only.
    const auto only = sites.dir / "gyghw.warc.gz";
    REQUIRE(sites.run({"export", "--format", "warc", "--site", "gyghw", "-o", only.string()})
                .exit_code == 0);
    const auto gyghw = json_lines(testing::run_process(
        "/usr/bin/env", {"node", ARCHIVER_WARC_READER, only.string()}, sites.dir.path()));
    for (const auto& record : gyghw) {
      if (record["type"] != "warcinfo") {
        CHECK(record["uri"].get<std::string>().find("/gyghw/") != std::string::npos);
      }
    }
  }

  TEST_CASE("editions: found, 版面, articles, missing headlines, back-filled by fetch --site") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "haidai-grb", "--date", "2022-02-13"}).exit_code == 0);
    const auto report = json_lines(sites.run({"editions", "--site", "haidai-grb", "--from",
                                              "2022-02-12", "--to", "2022-02-14", "--json"}));
    REQUIRE(report.size() == 3);
    CHECK(report[0]["found"] == false);
    CHECK(report[0]["crawl"].is_null());
    const auto& edition = report[1];
    CHECK(edition["edition"] == "2022-02-13");
    CHECK(edition["found"] == true);
    CHECK(edition["crawl"] == "ok");
    CHECK(edition["pages"].get<int>() >= 2);
    CHECK(edition["articles"].get<int>() >= 5);
    CHECK(edition["headlines"] == edition["articles"]);
    CHECK(edition["missing"].empty());

    // An article the crawl could not store (its fetch failed) is a gap, named with its headline
    // and 版面: here its rows are removed, as if it had never been fetched.
    const auto gone = query(sites.database,
                            "SELECT url FROM articles WHERE site = 'haidai-grb' ORDER BY id "
                            "LIMIT 1")[0][0];
    {
      sqlite3* handle = nullptr;
      REQUIRE(sqlite3_open(sites.database.c_str(), &handle) == SQLITE_OK);
      testing::load_archive_functions(handle);  // the index's trigger reads what it forgets
      const std::string sql = "PRAGMA foreign_keys = ON; DELETE FROM articles WHERE url = '" +
                              gone + "'; DELETE FROM pages WHERE url = '" + gone + "'";
      CHECK(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(handle);
    }
    const auto gap = json_lines(sites.run({"editions", "--site", "haidai-grb", "--from",
                                           "2022-02-13", "--to", "2022-02-13", "--json"}));
    REQUIRE(gap.at(0)["missing"].size() == 1);
    CHECK(gap[0]["missing"][0]["url"] == gone);
    CHECK(gap[0]["missing"][0]["title"].get<std::string>().size() > 0);
    CHECK(gap[0]["missing"][0]["page"].is_string());
    const auto text = sites.run({"editions", "--site", "haidai-grb"});
    CHECK(text.out.find("missing: ") != std::string::npos);
    CHECK(text.out.find("archiver fetch --site haidai-grb") != std::string::npos);

    REQUIRE(sites.run({"fetch", "--site", "haidai-grb", "--date", "2022-02-13"}).exit_code == 0);
    const auto filled = json_lines(sites.run({"editions", "--site", "haidai-grb", "--json"}));
    REQUIRE(filled.size() == 1);
    CHECK(filled[0]["missing"].empty());

    CHECK(sites.run({"editions", "--site", "gyghw"}).exit_code == 2);
    CHECK(
        sites
            .run({"editions", "--site", "haidai-grb", "--from", "2022-02-14", "--to", "2022-02-13"})
            .exit_code == 2);
  }

  TEST_CASE("an archive from before search: a clear message, then any writer upgrades it") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    testing::rewind_to_schema_11(sites.database);
    {
      sqlite3* handle = nullptr;
      REQUIRE(sqlite3_open(sites.database.c_str(), &handle) == SQLITE_OK);
      // What an archiver of schema 6 left.
      CHECK(sqlite3_exec(handle,
                         "DROP TABLE outbox; ALTER TABLE versions DROP COLUMN "
                         "parser_version; DROP VIEW asset_files; DROP TABLE page_areas; DROP TABLE "
                         "asset_refs; "
                         "DROP TABLE assets; ALTER TABLE bodies DROP COLUMN media_type; "
                         "ALTER TABLE fetches DROP COLUMN asset_kind; ALTER TABLE crawls DROP "
                         "COLUMN assets; ALTER TABLE crawls DROP COLUMN asset_errors; "
                         "DROP TABLE site_leases; DROP TABLE list_progress; "
                         "ALTER TABLE fetches DROP COLUMN not_published; "
                         "ALTER TABLE pages DROP COLUMN parser; "
                         "DROP TRIGGER versions_leave_search_index; DROP TABLE search_index; "
                         "DROP INDEX versions_by_fetch; DROP INDEX versions_by_edition; "
                         "DROP INDEX fetches_by_body; DROP INDEX pages_by_body; "
                         "DROP TABLE edition_pages; ALTER TABLE fetches DROP COLUMN "
                         "received_sha256; PRAGMA user_version = 6",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(handle);
    }
    const auto refused = sites.run({"search", "工会"});
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("archiver gc") != std::string::npos);
    // Every reader reads texts as schema 12 stores them: the others say the same.
    const auto listed = sites.run({"articles"});
    CHECK(listed.exit_code != 0);
    CHECK(listed.err.find("archiver gc") != std::string::npos);
    REQUIRE(sites.run({"gc"}).exit_code == 0);
    CHECK(json_lines(sites.run({"search", "工会", "--json"})).size() >= 5);
  }

  TEST_CASE("an archive of schema 15: the WARC export and a dry run ask for the upgrade") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    const auto articles = json_lines(sites.run({"articles", "--json"})).size();
    REQUIRE(articles >= 5);
    testing::rewind_to_schema_15(sites.database);
    const auto warc = sites.database.parent_path() / "old.warc.gz";
    const auto refused = sites.run({"export", "--format", "warc", "-o", warc.string()});
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("schema version 15") != std::string::npos);
    CHECK(refused.err.find("archiver gc") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(warc));  // no empty file left behind
    // So does a dry run of reparse, which reads the stored pages by their bodies' numbers.
    const auto dry_run = sites.run({"reparse", "--dry-run"});
    CHECK(dry_run.exit_code == 3);
    CHECK(dry_run.err.find("reparse --dry-run") != std::string::npos);
    CHECK(dry_run.err.find("archiver gc") != std::string::npos);
    CHECK(json_lines(sites.run({"articles", "--json"})).size() == articles);
    CHECK(query(sites.database, "PRAGMA user_version")[0][0] == "15");  // readers change nothing
    REQUIRE(sites.run({"gc"}).exit_code == 0);
    CHECK(query(sites.database, "PRAGMA user_version")[0][0] == "16");
    CHECK(sites.run({"export", "--format", "warc", "-o", warc.string()}).exit_code == 0);
    CHECK(std::filesystem::file_size(warc) > 1000);
    CHECK(sites.run({"reparse", "--dry-run"}).exit_code == 0);
  }

  TEST_CASE("gc: unreferenced bodies and old versions go, the archive keeps working") {
    EditableSites archive;
    auto& sites = archive.sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    const std::string page = "gyghw/news/2023/0608/1185.html";
    const std::string url = archive.url(page);
    archive.edit(page, "500余名", "600余名");
    REQUIRE(sites.run({"fetch", url}).exit_code == 0);
    archive.edit(page, "600余名", "700余名");
    REQUIRE(sites.run({"fetch", url}).exit_code == 0);
    // A list page changes: its old body is referenced by nothing but the fetch log.
    archive.edit("gyghw/news/index.html", "</body>", "<!-- edited --></body>");
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    const auto count = [&](const std::string& sql) {
      return std::stoll(query(sites.database, sql)[0][0]);
    };
    CHECK(count("PRAGMA auto_vacuum") == 2);  // incremental, from the start
    const auto bodies_before = count("SELECT count(*) FROM bodies");

    const auto plain = json_lines(sites.run({"gc", "--json"})).at(0);
    CHECK(plain["versions_deleted"] == 0);
    CHECK(plain["bodies_deleted"].get<int>() >= 1);
    CHECK(count("SELECT count(*) FROM bodies") ==
          bodies_before - plain["bodies_deleted"].get<std::int64_t>());
    CHECK(count("SELECT count(*) FROM versions WHERE article_id = (SELECT id FROM articles "
                "WHERE url = '" +
                url + "')") == 3);

    const auto trimmed = json_lines(sites.run({"gc", "--keep-versions", "1", "--json"})).at(0);
    CHECK(trimmed["versions_deleted"] == 2);
    CHECK(trimmed["bodies_deleted"] == 2);
    const auto history = json_lines(sites.run({"history", url, "--json"}));
    REQUIRE(history.size() == 1);
    CHECK(history[0]["version"] == 3);
    const auto trimmed_search = sites.run({"search", "500余名", "--all-versions"});
    CHECK(trimmed_search.exit_code == 0);
    CHECK(trimmed_search.out.empty());
    CHECK(json_lines(sites.run({"search", "700余名", "--json"})).size() == 1);
    CHECK(query(sites.database, "PRAGMA integrity_check")[0][0] == "ok");
    CHECK(count("SELECT count(*) FROM fetches f LEFT JOIN bodies b ON b.id = f.body_id "
                "WHERE f.body_id IS NOT NULL AND b.id IS NULL") == 0);
    // Every body a version or a page needs is still there: a re-crawl reads its 304 list pages
    // from them, reparse reads every page, the WARC export every response.
    const auto again = sites.run({"fetch", "--site", "gyghw", "--json"});
    CHECK(again.exit_code == 0);
    const auto statuses = json_lines(again);
    REQUIRE_FALSE(statuses.empty());
    for (const auto& status : statuses) {
      CHECK_MESSAGE(status["status"] == "not-modified", status.dump());
    }
    const auto reparse = sites.run({"reparse"});
    CHECK(reparse.exit_code == 0);
    CHECK(reparse.err.find("error") == std::string::npos);
    const auto warc = sites.dir / "after-gc.warc.gz";
    CHECK(sites.run({"export", "--format", "warc", "-o", warc.string()}).exit_code == 0);

    const auto vacuumed = json_lines(sites.run({"gc", "--vacuum", "--reindex", "--json"})).at(0);
    CHECK(vacuumed["vacuumed"] == true);
    CHECK(vacuumed["reindexed"] == count("SELECT count(*) FROM versions"));
    CHECK(json_lines(sites.run({"search", "700余名", "--json"})).size() == 1);
    CHECK(sites.run({"gc", "--keep-versions", "0"}).exit_code == 2);
  }
}

}  // namespace archiver
