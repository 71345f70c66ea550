// Every fault of the Reliability issue, served from 127.0.0.1 (tests/support/fault_server), met by
// `archiver fetch` and by the daemon: a clear error per URL in the log and in `fetch --json`,
// bounded time and memory, no crash, and an archive that still holds what it held before.

#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/fault_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <thread>

namespace archiver {
namespace {

using namespace std::chrono_literals;
using testing::FaultServer;

// The plain build holds the bound (200 MB; measured 74 MB). Under ASan the peak also counts
// its quarantine of freed memory, which the 1 GiB gzip bomb fills to its default 256 MiB, and
// its shadow memory: measured 524 MB on 2026-12-03.
#if defined(__SANITIZE_ADDRESS__)
constexpr long k_rss_limit_kb = 640L * 1024;
#else
constexpr long k_rss_limit_kb = 200L * 1024;
#endif

struct FaultSetup {
  FaultServer faults;
  testing::TempDir dir;
  std::filesystem::path config = dir / "archiver.toml";
  std::filesystem::path database = dir / "archive.db";

  explicit FaultSetup(std::string_view schedule = "") {
    std::ofstream(config) << "[fetch]\ntimeout = \"3s\"\ndelay_per_host = \"0s\"\n"
                          << "obey_robots = false\nretries = 1\nretry_backoff = \"100ms\"\n"
                          << "max_retry_wait = \"2s\"\n\n[[site]]\nname = \"faults\"\n"
                          << "parser = \"cms\"\nstart_urls = [\""
                          << faults.url(FaultServer::list_path.substr(1)) << "\"]\nscope = [\""
                          << faults.url("site/") << "\"]\n"
                          << (schedule.empty() ? ""
                                               : "schedule = \"" + std::string(schedule) + "\"\n");
  }

  testing::ProcessResult run(std::vector<std::string> args) {
    std::vector<std::string> full{"--config", config.string(), "--db", database.string()};
    full.insert(full.end(), args.begin(), args.end());
    return testing::run_process(ARCHIVER_BINARY, full, dir.path());
  }

  std::string integrity() {
    auto tables = testing::archive_sql(database);
    auto check = tables.prepare("PRAGMA integrity_check");
    REQUIRE(check.step());
    return check.column_text(0);
  }
};

}  // namespace

TEST_SUITE("integration/faults") {
  TEST_CASE("archiver fetch: each fault a clear error, bounded time and memory, nothing lost") {
    FaultSetup setup;
    const std::string good_url = setup.faults.url(FaultServer::good_path.substr(1));
    const auto good = setup.run({"fetch", "--json", good_url});
    REQUIRE_MESSAGE(good.exit_code == 0, good.err);
    const auto before = ArchiveReader(setup.database).articles({});
    REQUIRE(before.size() == 1);

    std::vector<std::string> args{"fetch", "--json"};
    for (const auto& fault : FaultServer::faults()) {
      args.push_back(setup.faults.url(fault.path.substr(1)));
    }
    const auto fetched = setup.run(args);
    CHECK(fetched.exit_code == 1);  // some failed, every URL was tried
    // Bounded: the hanging and dripping servers cost a timeout each (3 s), nothing more.
    CHECK(fetched.seconds < 40.0);
    // The gzip bomb (1 GiB) and the 50 MB page stop at max_body (20 MiB).
    MESSAGE("peak RSS " << fetched.max_rss_kb << " KB");
    CHECK(fetched.max_rss_kb < k_rss_limit_kb);
    const auto lines = fetched.lines();
    REQUIRE(lines.size() == FaultServer::faults().size());
    std::map<std::string, nlohmann::json> by_url;
    for (const auto& line : lines) {
      const auto report = nlohmann::json::parse(line);
      by_url[report["url"].get<std::string>()] = report;
    }
    for (const auto& fault : FaultServer::faults()) {
      const std::string url = setup.faults.url(fault.path.substr(1));
      INFO(fault.path);
      REQUIRE(by_url.contains(url));
      const auto& report = by_url[url];
      if (fault.expected.empty()) {
        CHECK(report["status"] == "new");
        CHECK(report["error"].is_null());
        continue;
      }
      CHECK(report["status"] == "error");
      REQUIRE(report["error"].is_string());
      CHECK(report["error"].get<std::string>().find(fault.expected) != std::string::npos);
      // The log names the URL with its error.
      CHECK(fetched.err.find(url) != std::string::npos);
    }
    // The lying charset is seen through; the broken bytes are replaced and reported.
    CHECK(by_url[setup.faults.url("site/liar")]["title"] == "工会新闻");
    CHECK(fetched.err.find(setup.faults.url("site/nul")) != std::string::npos);

    // What was archived before is still there, unchanged, and the file is sound.
    CHECK(setup.integrity() == "ok");
    ArchiveReader reader(setup.database);
    const auto kept = reader.article(good_url, {});
    REQUIRE(kept.has_value());
    CHECK(kept->version == 1);
    CHECK(kept->article.title == before[0].article.title);
    CHECK(kept->article.body == before[0].article.body);
  }

  TEST_CASE("the daemon crawls through every fault, records each, and keeps running") {
    FaultSetup setup("every 5s");  // at once: no jitter on so short an interval
    testing::ChildProcess daemon(
        ARCHIVER_BINARY,
        {"--config", setup.config.string(), "--db", setup.database.string(), "run"},
        setup.dir.path(), {});
    REQUIRE(daemon.started());
    const auto finished = [&] {
      if (!std::filesystem::exists(setup.database)) {
        return false;
      }
      try {
        auto tables = testing::archive_sql(setup.database);
        auto done = tables.prepare(
            "SELECT count(*) FROM crawls WHERE site = 'faults' AND finished_at IS NOT NULL");
        return done.step() && done.column_int(0) > 0;
      } catch (const std::exception&) {
        return false;
      }
    };
    const auto deadline = std::chrono::steady_clock::now() + 90s;
    while (!finished() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(100ms);
    }
    const std::string log = daemon.err();
    REQUIRE_MESSAGE(finished(), log.substr(log.size() > 4000 ? log.size() - 4000 : 0));
    CHECK_FALSE(daemon.wait_for(200ms).has_value());  // still running

    ArchiveReader reader(setup.database);
    auto tables = testing::archive_sql(setup.database);
    const auto crawl = reader.recent_crawls("faults", 1).at(0);
    CHECK(crawl.stats.result == "partial");
    // The good article, the page with broken bytes and the one whose charset lies.
    CHECK(reader.articles({.site = "faults"}).size() == 3);
    for (const auto& fault : FaultServer::faults()) {
      if (fault.expected.empty()) {
        continue;
      }
      INFO(fault.path);
      auto logged = tables.prepare(
          "SELECT error FROM fetches WHERE url = ?1 AND outcome = 'error' ORDER BY id DESC");
      logged.bind(1, setup.faults.url(fault.path.substr(1)));
      REQUIRE(logged.step());
      CHECK(logged.column_text(0).find(fault.expected) != std::string::npos);
      // And the daemon's log (journald, under systemd) names the URL with its error.
      CHECK(log.find(setup.faults.url(fault.path.substr(1)) + ": ") != std::string::npos);
    }
    daemon.signal(SIGTERM);
    const auto code = daemon.wait_for(10s);
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(setup.integrity() == "ok");
  }
}

}  // namespace archiver
