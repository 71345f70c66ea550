// `archiver run` as systemd runs it: READY=1 on a NOTIFY_SOCKET, schedules that fire, SIGHUP with
// a bad and then a good config, SIGTERM while a transfer hangs, exit 0.

#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"
#include "util/clock.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <fstream>

namespace archiver {
namespace {

std::string sample_config(testing::TestServer& server, std::string_view gyghw_schedule) {
  std::string text = testing::read_file(std::filesystem::path(ARCHIVER_SOURCE_DIR) / "samples" /
                                        "archiver.toml.in");
  std::string base = server.url("");
  base.pop_back();
  for (auto pos = text.find("@BASE@"); pos != std::string::npos; pos = text.find("@BASE@")) {
    text.replace(pos, 6, base);
  }
  // Only gyghw runs on a schedule here; the others are manual.
  for (const char* schedule :
       {"schedule = \"30 7 * * *\"\n", "schedule = \"0 8 * * *\"\n", "schedule = \"every 2h\"\n"}) {
    text.erase(text.find(schedule), std::strlen(schedule));
  }
  const std::string six_hours = "schedule = \"every 6h\"";
  text.replace(text.find(six_hours), six_hours.size(),
               "schedule = \"" + std::string(gyghw_schedule) + "\"");
  return text;
}

std::int64_t crawls_of(const std::filesystem::path& database, const std::string& site) {
  std::error_code error;
  if (!std::filesystem::exists(database, error)) {
    return 0;
  }
  try {
    auto tables = testing::archive_sql(database);
    auto count =
        tables.prepare("SELECT count(*) FROM crawls WHERE site = ?1 AND finished_at IS NOT NULL");
    count.bind(1, site);
    return count.step() ? count.column_int(0) : 0;
  } catch (const std::exception&) {
    return 0;  // not created yet
  }
}

}  // namespace

TEST_SUITE("integration/daemon") {
  TEST_CASE("schedules fire, SIGHUP keeps a bad config out and takes a good one, SIGTERM exits 0") {
    testing::TestServer server;
    server.serve_directory(testing::samples_root());
    testing::TempDir dir;
    const auto config = dir / "archiver.toml";
    std::ofstream(config) << sample_config(server, "every 2s");
    testing::NotifySocket notify(dir / "notify.sock");
    testing::ChildProcess daemon(
        ARCHIVER_BINARY,
        {"--config", config.string(), "--db", (dir / "archive.db").string(), "run"}, dir.path(),
        {"NOTIFY_SOCKET=" + (dir / "notify.sock").string()});
    REQUIRE(daemon.started());
    REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));

    // "every 2s": the first crawl at once, then again and again.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (crawls_of(dir / "archive.db", "gyghw") < 3 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(crawls_of(dir / "archive.db", "gyghw") >= 3);
    CHECK(ArchiveReader(dir / "archive.db").articles({.site = "gyghw"}).size() == 15);
    CHECK(notify.wait_for("STATUS=", std::chrono::seconds(5)));

    // A config with a typo: logged, not taken, still running.
    std::string typo = sample_config(server, "every 2s");
    typo.replace(typo.find("timeout = \"10s\""), 7, "timout");
    std::ofstream(config) << typo;
    daemon.signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1", std::chrono::seconds(5)));
    CHECK(notify.wait_for("READY=1", std::chrono::seconds(5)));
    CHECK_FALSE(daemon.wait_for(std::chrono::milliseconds(300)).has_value());
    CHECK(daemon.err().find("still running on the previous config") != std::string::npos);
    CHECK(daemon.err().find("timout") != std::string::npos);

    // A good one: gyghw moves to once a day, so no more crawls come.
    std::ofstream(config) << sample_config(server, "every 1d");
    daemon.signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1", std::chrono::seconds(5)));
    CHECK(notify.wait_for("READY=1", std::chrono::seconds(5)));
    // The daemon says what it plans: idle, gyghw next due a day after its last run (not in
    // seconds), once the reload has rescheduled it.
    const std::string plan = "STATUS=idle; next: gyghw at ";
    REQUIRE(notify.wait_for(plan, std::chrono::seconds(10)));
    const auto due = parse_utc_iso(notify.seen().back().substr(plan.size(), 20));
    REQUIRE(due.has_value());
    CHECK(*due > now_seconds() + std::chrono::hours(23));
    const auto settled = crawls_of(dir / "archive.db", "gyghw");

    daemon.signal(SIGTERM);
    const auto code = daemon.wait_for(std::chrono::seconds(10));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(notify.wait_for("STOPPING=1", std::chrono::seconds(1)));
    CHECK(crawls_of(dir / "archive.db", "gyghw") == settled);  // none after the reload
    // The archive is sound after the stop.
    auto tables = testing::archive_sql(dir / "archive.db");
    auto check = tables.prepare("PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.column_text(0) == "ok");
  }

  TEST_CASE("SIGTERM while a transfer hangs: out within 10 seconds, exit 0") {
    testing::TestServer server;
    server.serve_directory(testing::samples_root());
    server.route("/gyghw/news/index.html", [](const testing::Request&) {
      return testing::Response{.mode = testing::Response::Mode::hang};
    });
    testing::TempDir dir;
    const auto config = dir / "archiver.toml";
    std::string text = sample_config(server, "every 10s");  // at once (jitter under a second)
    text.replace(text.find("timeout = \"10s\""), 15, "timeout = \"120s\"");
    std::ofstream(config) << text;
    testing::NotifySocket notify(dir / "notify.sock");
    testing::ChildProcess daemon(
        ARCHIVER_BINARY,
        {"--config", config.string(), "--db", (dir / "archive.db").string(), "run"}, dir.path(),
        {"NOTIFY_SOCKET=" + (dir / "notify.sock").string()});
    REQUIRE(notify.wait_for("READY=1", std::chrono::seconds(10)));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.request_count("/gyghw/news/index.html") == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(server.request_count("/gyghw/news/index.html") == 1);
    const auto stopping = std::chrono::steady_clock::now();
    daemon.signal(SIGTERM);
    const auto code = daemon.wait_for(std::chrono::seconds(10));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(10));
  }
}

}  // namespace archiver
