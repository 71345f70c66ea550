// `archiver run` crawling a synthetic union CMS (archiver-bench-site) served on 127.0.0.1:
// politeness measured from the server's side, a 429 with Retry-After waited out, and kill -9 at
// random moments, twenty times, with an archive equal to an uninterrupted crawl's at the end.

#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <random>
#include <set>
#include <thread>

namespace archiver {
namespace {

using namespace std::chrono_literals;

// A CMS of `lists` list pages with 20 articles each, written and served for one test.
struct SyntheticCms {
  testing::TempDir dir;
  testing::TestServer server;

  explicit SyntheticCms(int lists) {
    const auto made = testing::run_process(
        ARCHIVER_BENCH_SITE,
        {"--root", (dir / "site").string(), "--editions", "0", "--lists", std::to_string(lists)},
        dir.path());
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    server.serve_directory(dir / "site");
  }

  // A config with one site, "cms", crawled every 5 seconds (the first run at once: no jitter that
  // short).
  std::filesystem::path config(std::string_view fetch_settings) {
    const auto path = dir / "archiver.toml";
    std::ofstream(path) << "[fetch]\n"
                        << fetch_settings << "\nobey_robots = false\n\n[[site]]\nname = \"cms\"\n"
                        << "parser = \"cms\"\nstart_urls = [\"" << server.url("cms/list_1.html")
                        << "\"]\nschedule = \"every 5s\"\n";
    return path;
  }

  testing::ChildProcess daemon(const std::filesystem::path& config,
                               const std::filesystem::path& database,
                               const std::vector<std::string>& env = {}) {
    return testing::ChildProcess(
        ARCHIVER_BINARY,
        {"--config", config.string(), "--db", database.string(), "--log-level", "warn", "run"},
        dir.path(), env);
  }
};

std::int64_t scalar(const std::filesystem::path& database, const std::string& sql) {
  auto tables = testing::archive_sql(database);
  auto query = tables.prepare(sql);
  REQUIRE(query.step());
  return query.column_int(0);
}

std::set<std::string> rows(const std::filesystem::path& database, const std::string& sql) {
  auto tables = testing::archive_sql(database);
  auto query = tables.prepare(sql);
  std::set<std::string> result;
  while (query.step()) {
    result.insert(query.column_text(0));
  }
  return result;
}

// PRAGMA integrity_check of the file as SQLite sees it, archive or not yet (a daemon killed
// while creating the archive leaves a valid, empty database).
std::string integrity(const std::filesystem::path& database) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* check = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr) == SQLITE_OK &&
        sqlite3_step(check) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
    }
    sqlite3_finalize(check);
  }
  sqlite3_close(db);
  return result;
}

bool finished_ok(const std::filesystem::path& database) {
  std::error_code error;
  if (!std::filesystem::exists(database, error)) {
    return false;
  }
  try {
    return scalar(database, "SELECT count(*) FROM crawls WHERE result = 'ok'") > 0;
  } catch (const std::exception&) {
    return false;  // not created yet
  }
}

// For a failure's message: the rows only one side has (a few of each).
std::string difference(const std::set<std::string>& archive,
                       const std::set<std::string>& reference) {
  std::string text;
  const auto list = [&](std::string_view label, const std::set<std::string>& from,
                        const std::set<std::string>& without) {
    int shown = 0;
    for (const std::string& row : from) {
      if (!without.contains(row) && shown++ < 5) {
        text.append(label).append(row).append("\n");
      }
    }
  };
  list("only in the archive: ", archive, reference);
  list("only in the reference: ", reference, archive);
  return text;
}

void wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
}

}  // namespace

TEST_SUITE("integration/daemon-crawl") {
  TEST_CASE("the daemon keeps delay_per_host and waits out a 429's Retry-After") {
    SyntheticCms site(1);
    std::atomic<int> busy_answers{0};
    const std::string busy_path = "/cms/art/107.html";
    const auto static_site = site.dir / "site";
    site.server.route(busy_path, [&](const testing::Request&) {
      if (busy_answers++ == 0) {
        return testing::Response{
            .status = 429, .headers = {{"Retry-After", "2"}}, .body = "请稍后再试"};
      }
      return testing::Response{
          .headers = {{"Content-Type", "text/html; charset=utf-8"}},
          .body = testing::read_file(static_site / "cms" / "art" / "107.html")};
    });
    const auto config = site.config("delay_per_host = \"150ms\"\nconnections_per_host = 4");
    const auto database = site.dir / "archive.db";
    auto daemon = site.daemon(config, database);
    wait_until([&] { return finished_ok(database); }, 60s);
    REQUIRE(finished_ok(database));
    daemon.signal(SIGTERM);
    const auto code = daemon.wait_for(10s);
    REQUIRE(code.has_value());
    CHECK(*code == 0);

    CHECK(scalar(database, "SELECT count(*) FROM articles") == 20);
    const auto requests = site.server.requests();
    REQUIRE(requests.size() == 22);  // the list, 20 articles, one of them twice
    // Measured at the server: allow for connecting and sending on a loaded machine.
    for (std::size_t i = 1; i < requests.size(); ++i) {
      INFO(testing::describe_times(requests[i - 1], requests[0].received));
      INFO(testing::describe_times(requests[i], requests[0].received));
      CHECK(requests[i].received - requests[i - 1].received >= 120ms);
    }
    CHECK(requests.back().received - requests.front().received >= 21 * 150ms - 20ms);
    // The retry goes out only after the 429 came back: the server's own times bound the wait.
    const auto busy = site.server.handled_times(busy_path);
    REQUIRE(busy.size() == 2);
    CHECK(busy[1] - busy[0] >= 1950ms);
    // Both attempts are in the fetch log.
    CHECK(scalar(database, "SELECT count(*) FROM fetches WHERE http_status = 429") == 1);
  }

  TEST_CASE("kill -9 twenty times mid-crawl: the archive equals an uninterrupted crawl's") {
    SyntheticCms site(30);  // 30 list pages, 600 articles
    const auto config = site.config("delay_per_host = \"10ms\"\nconnections_per_host = 2");

    // The reference: one crawl, never interrupted.
    const auto reference = site.dir / "reference.db";
    const auto once = testing::run_process(ARCHIVER_BINARY,
                                           {"--config", config.string(), "--db", reference.string(),
                                            "--log-level", "warn", "fetch", "--site", "cms"},
                                           site.dir.path());
    REQUIRE_MESSAGE(once.exit_code == 0, once.err);
    REQUIRE(scalar(reference, "SELECT count(*) FROM articles") == 600);

    const auto database = site.dir / "archive.db";
    const auto seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> after_ms(0, 400);
    int killed_mid_crawl = 0;
    // A crawl under way: its record is in the archive (a slow start, under the sanitizers or a
    // loaded machine, must not make every kill land before the crawl began).
    const auto crawl_begun = [&] {
      try {
        return std::filesystem::exists(database) &&
               scalar(database, "SELECT count(*) FROM crawls WHERE finished_at IS NULL") > 0;
      } catch (const std::exception&) {
        return false;
      }
    };
    for (int cycle = 0; cycle < 20; ++cycle) {
      auto daemon = site.daemon(config, database);
      // The first cycles kill it anywhere from its start on; later ones once a crawl is running.
      if (cycle >= 5) {
        wait_until([&] { return crawl_begun() || finished_ok(database); }, 20s);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(after_ms(random)));
      daemon.signal(SIGKILL);
      REQUIRE(daemon.wait_for(5s).has_value());
      if (!std::filesystem::exists(database)) {
        continue;  // killed before it opened the archive
      }
      CHECK(integrity(database) == "ok");
      killed_mid_crawl += finished_ok(database) ? 0 : 1;
    }
    // Most kills landed while the crawl was running (it takes seconds at this pace).
    CHECK(killed_mid_crawl >= 5);

    // Left alone, the daemon finishes what is left (a crawl cut short earlier may be done
    // already: wait until nothing is unfinished and the frontier is empty).
    testing::NotifySocket notify(site.dir / "notify.sock");
    auto daemon =
        site.daemon(config, database, {"NOTIFY_SOCKET=" + (site.dir / "notify.sock").string()});
    const auto all_done = [&] {
      try {
        return finished_ok(database) &&
               scalar(database, "SELECT count(*) FROM crawls WHERE finished_at IS NULL") == 0 &&
               scalar(database, "SELECT count(*) FROM frontier") == 0 &&
               scalar(database, "SELECT count(*) FROM articles") == 600;
      } catch (const std::exception&) {
        return false;
      }
    };
    wait_until(all_done, 90s);
    // What stayed undone, and what the daemon said, if anything did.
    const auto state = [&] {
      try {
        return "finished ok: " + std::to_string(finished_ok(database)) + ", unfinished crawls: " +
               std::to_string(
                   scalar(database, "SELECT count(*) FROM crawls WHERE finished_at IS NULL")) +
               ", frontier: " + std::to_string(scalar(database, "SELECT count(*) FROM frontier")) +
               ", articles: " + std::to_string(scalar(database, "SELECT count(*) FROM articles")) +
               ", killed mid-crawl: " + std::to_string(killed_mid_crawl) + "\n" + daemon.err();
      } catch (const std::exception& error) {
        return std::string("the archive cannot be read: ") + error.what();
      }
    };
    REQUIRE_MESSAGE(all_done(), state());
    // Stopped between two crawls (its schedule starts one every 5 s): a crawl cut short by the
    // stop would rightly stay unfinished, to be resumed. The idle awaited is the end of a crawl
    // begun after what it said before, not the start-up's idle, which may not have come yet.
    static_cast<void>(notify.count_for("STATUS=", 100ms));  // what it said before
    CHECK_MESSAGE(notify.wait_for("STATUS=crawling", 30s), daemon.err());
    CHECK_MESSAGE(notify.wait_for("STATUS=idle", 30s), daemon.err());
    daemon.signal(SIGTERM);
    REQUIRE(daemon.wait_for(10s).has_value());
    REQUIRE_MESSAGE(finished_ok(database), state());

    CHECK(rows(database, "PRAGMA integrity_check") == std::set<std::string>{"ok"});
    // Same articles with the same content, one version each, the same raw pages stored once.
    const std::string latest = "SELECT url || ' ' || content_hash FROM latest_articles";
    const auto latest_here = rows(database, latest);
    const auto latest_there = rows(reference, latest);
    CHECK_MESSAGE(latest_here == latest_there, difference(latest_here, latest_there));
    CHECK(scalar(database, "SELECT count(*) FROM versions") == 600);
    CHECK(scalar(database, "SELECT count(*) FROM articles") == 600);
    const std::string bodies = "SELECT sha256 FROM bodies";
    const auto bodies_here = rows(database, bodies);
    const auto bodies_there = rows(reference, bodies);
    CHECK_MESSAGE(bodies_here == bodies_there, difference(bodies_here, bodies_there));
    CHECK(scalar(database, "SELECT count(*) FROM frontier") == 0);
    CHECK(scalar(database, "SELECT count(*) FROM crawls WHERE finished_at IS NULL") == 0);
  }

  TEST_CASE(
      "readers (archiver and sqlite3) while the daemon writes: never locked, never blocking") {
    SyntheticCms site(20);  // 400 articles, 10 ms apart: seconds of writing to read beside
    const auto config = site.config("delay_per_host = \"10ms\"\nconnections_per_host = 2");
    const auto database = site.dir / "archive.db";
    auto daemon = site.daemon(config, database);
    // From the first crawl record on: before it the archive may still be being created.
    const auto crawling = [&] {
      try {
        return std::filesystem::exists(database) &&
               scalar(database, "SELECT count(*) FROM crawls") > 0;
      } catch (const std::exception&) {
        return false;
      }
    };
    wait_until(crawling, 10s);
    REQUIRE(crawling());
    int reads = 0;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!finished_ok(database) && std::chrono::steady_clock::now() < deadline) {
      const auto listed = testing::run_process(
          ARCHIVER_BINARY, {"--db", database.string(), "articles", "--limit", "3", "--json"},
          site.dir.path());
      CHECK_MESSAGE(listed.exit_code == 0, listed.err);
      CHECK(listed.err.find("locked") == std::string::npos);
      const auto shell = testing::run_process(
          "/usr/bin/sqlite3",
          {"-readonly", "-cmd", std::string(".load ") + ARCHIVER_SQLITE_EXTENSION,
           database.string(), "SELECT count(*) FROM latest_articles"},
          site.dir.path());
      CHECK_MESSAGE(shell.exit_code == 0, shell.err);
      CHECK(shell.err.find("locked") == std::string::npos);
      ++reads;
    }
    REQUIRE(finished_ok(database));
    CHECK(reads >= 3);
    CHECK(scalar(database, "SELECT count(*) FROM articles") == 400);
    daemon.signal(SIGTERM);
    CHECK(daemon.wait_for(10s).has_value());
  }

  TEST_CASE(
      "a full archive: a clear error, the frontier kept, the crawl resumed when room returns") {
    SyntheticCms site(10);  // 200 articles: several MB, far over the cap below
    const auto config = site.config("delay_per_host = \"0s\"\nconnections_per_host = 2");
    std::string text = testing::read_file(config);
    // (An empty archive takes some 400 KiB of 8 KiB pages: the cap leaves room for a start.)
    std::ofstream(config) << "[archive]\nmax_size = \"800KiB\"\n\n" << text;
    const auto database = site.dir / "archive.db";
    auto daemon = site.daemon(config, database);
    const auto failed_crawl = [&] {
      return daemon.err().find("the archive reached [archive] max_size") != std::string::npos;
    };
    wait_until(failed_crawl, 30s);
    REQUIRE_MESSAGE(failed_crawl(), daemon.err());
    CHECK_FALSE(daemon.wait_for(200ms).has_value());  // still running
    const auto stored = scalar(database, "SELECT count(*) FROM articles");
    CHECK(stored < 200);
    CHECK(scalar(database, "SELECT count(*) FROM frontier") > 0);
    CHECK(scalar(database, "SELECT count(*) FROM crawls WHERE result = 'ok'") == 0);
    CHECK(rows(database, "PRAGMA integrity_check") == std::set<std::string>{"ok"});

    // Room again: the reload takes the new cap, the next run resumes and completes.
    std::ofstream(config) << "[archive]\nmax_size = \"256MiB\"\n\n" << text;
    daemon.signal(SIGHUP);
    wait_until([&] { return finished_ok(database); }, 60s);
    REQUIRE(finished_ok(database));
    CHECK(scalar(database, "SELECT count(*) FROM articles") == 200);
    CHECK(scalar(database, "SELECT count(*) FROM versions") == 200);
    CHECK(scalar(database, "SELECT count(*) FROM frontier") == 0);
    CHECK(rows(database, "PRAGMA integrity_check") == std::set<std::string>{"ok"});
    daemon.signal(SIGTERM);
    CHECK(daemon.wait_for(10s) == std::optional<int>(0));
  }

  TEST_CASE(
      "a newer archiver upgrades the archive under the daemon: it stops with exit 3, keeps what "
      "it stored, and is not started again on the newer schema") {
    SyntheticCms site(1);  // 20 articles
    const auto config = site.config("delay_per_host = \"0s\"\nconnections_per_host = 2");
    const auto database = site.dir / "archive.db";
    auto daemon = site.daemon(config, database);
    wait_until([&] { return finished_ok(database); }, 60s);
    REQUIRE_MESSAGE(finished_ok(database), daemon.err());
    REQUIRE(scalar(database, "SELECT count(*) FROM articles") == 20);

    // Between two crawls (one every 5 s), what a newer archiver's migration step does, as far as
    // this daemon can see: a column it does not know, and the version that says so.
    const auto ours = scalar(database, "PRAGMA user_version");
    const auto newer = ours + 1;
    std::int64_t fetches_then = 0;
    std::int64_t crawls_then = 0;
    {
      // In one transaction, as a migration step is (a crawl may be under way: it waits).
      auto tables = testing::archive_sql_to_change(database);
      tables.execute(
          "BEGIN IMMEDIATE; ALTER TABLE fetches ADD COLUMN from_a_newer_schema TEXT; "
          "PRAGMA user_version = " +
          std::to_string(newer) + "; COMMIT");
      fetches_then = testing::sql_scalar(tables, "SELECT count(*) FROM fetches");
      crawls_then = testing::sql_scalar(tables, "SELECT count(*) FROM crawls");
    }
    // Its next crawl finds out, and it stops rather than failing every crawl from then on.
    const auto code = daemon.wait_for(60s);
    REQUIRE_MESSAGE(code.has_value(), daemon.err());
    CHECK(*code == 3);
    const std::string said = daemon.err();
    INFO(said);
    CHECK(said.find("changed from schema version " + std::to_string(ours) + " to " +
                    std::to_string(newer)) != std::string::npos);
    CHECK(said.find("stopping") != std::string::npos);
    // Nothing it stored is lost, and it wrote nothing more into the newer schema.
    CHECK(rows(database, "PRAGMA integrity_check") == std::set<std::string>{"ok"});
    CHECK(scalar(database, "PRAGMA user_version") == newer);
    CHECK(scalar(database, "SELECT count(*) FROM articles") == 20);
    CHECK(scalar(database, "SELECT count(*) FROM fetches") == fetches_then);
    CHECK(scalar(database, "SELECT count(*) FROM crawls") == crawls_then);

    // systemd starts it again: this binary refuses the newer archive at once, naming both.
    const auto again = testing::run_process(
        ARCHIVER_BINARY,
        {"--config", config.string(), "--db", database.string(), "--log-level", "warn", "run"},
        site.dir.path());
    CHECK(again.exit_code == 3);
    CHECK(again.err.find("newer than this archiver understands") != std::string::npos);
    CHECK(scalar(database, "SELECT count(*) FROM articles") == 20);
  }

  TEST_CASE("SIGTERM mid-crawl: exit 0 at once, the crawl left unfinished, resumed on restart") {
    SyntheticCms site(10);  // 200 articles
    const auto config = site.config("delay_per_host = \"20ms\"\nconnections_per_host = 2");
    const auto database = site.dir / "archive.db";
    {
      auto daemon = site.daemon(config, database);
      const auto some_stored = [&] {
        try {
          return std::filesystem::exists(database) &&
                 scalar(database, "SELECT count(*) FROM articles") >= 20;
        } catch (const std::exception&) {
          return false;
        }
      };
      wait_until(some_stored, 30s);
      REQUIRE(some_stored());
      const auto stopping = std::chrono::steady_clock::now();
      daemon.signal(SIGTERM);
      const auto code = daemon.wait_for(10s);
      REQUIRE(code.has_value());
      CHECK(*code == 0);
      CHECK(std::chrono::steady_clock::now() - stopping < 5s);
    }
    CHECK(rows(database, "PRAGMA integrity_check") == std::set<std::string>{"ok"});
    const auto stored = scalar(database, "SELECT count(*) FROM articles");
    CHECK(stored < 200);
    // Not closed as finished: the rest is still in the frontier, no error logged for the stop.
    CHECK(scalar(database, "SELECT count(*) FROM crawls WHERE finished_at IS NULL") == 1);
    CHECK(scalar(database, "SELECT count(*) FROM frontier") == 200 - stored);
    CHECK(scalar(database, "SELECT count(*) FROM fetches WHERE outcome = 'error'") == 0);

    auto daemon = site.daemon(config, database);
    wait_until([&] { return finished_ok(database); }, 60s);
    REQUIRE(finished_ok(database));
    CHECK(scalar(database, "SELECT count(*) FROM articles") == 200);
    CHECK(scalar(database, "SELECT count(*) FROM versions") == 200);
    CHECK(scalar(database, "SELECT count(*) FROM frontier") == 0);
    daemon.signal(SIGTERM);
    CHECK(daemon.wait_for(10s) == std::optional<int>(0));
  }
}

}  // namespace archiver
