// Bad input beyond the network, through the real binary: every kind of config mistake is
// reported as file:line: key: what is wrong, with exit 2 and nothing fetched; a database that is
// not an archive, is from a newer archiver or cannot be written gives exit 3 and stays as it was.

#include "store/archive_writer.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"
#include "util/sha256.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace archiver {
namespace {

struct Mistake {
  std::string name;
  std::string config;    // the whole file
  std::string location;  // "archiver.toml:LINE: KEY"
  std::string message;   // words of what is wrong
};

// A valid site first, then the mistake: nothing may run on the half that is valid.
std::string with_good_site(const testing::TestServer& server, const std::string& rest) {
  return "[[site]]\nname = \"good\"\nparser = \"cms\"\nstart_urls = [\"" + server.url("list.html") +
         "\"]\nschedule = \"every 5s\"\n\n" + rest;
}

std::string file_sha256(const std::filesystem::path& path) {
  return sha256_hex(testing::read_file(path));
}

// archiver as a user without privileges: when the tests run as root (root reads and writes any
// file), through setpriv as nobody, in a folder everyone may use.
testing::ProcessResult run_unprivileged(const std::vector<std::string>& args,
                                        const std::filesystem::path& dir) {
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  if (geteuid() != 0) {
    return testing::run_process(ARCHIVER_BINARY, args, dir);
  }
  // A copy in the open folder: nobody may not be allowed into the build tree's parents.
  const auto binary = dir / "archiver";
  if (!std::filesystem::exists(binary)) {
    std::filesystem::copy_file(ARCHIVER_BINARY, binary);
  }
  std::vector<std::string> full{"--reuid=65534", "--regid=65534", "--clear-groups",
                                binary.string()};
  full.insert(full.end(), args.begin(), args.end());
  return testing::run_process("/usr/bin/setpriv", full, dir);
}

}  // namespace

TEST_SUITE("integration/bad-input") {
  TEST_CASE("config mistakes: file:line: key: what is wrong, exit 2, nothing crawled") {
    testing::TestServer server;
    server.set_fallback([](const testing::Request&) {
      return testing::Response{.body = "<html><body>list</body></html>"};
    });
    const std::vector<Mistake> mistakes = {
        {"unknown key", "[fetch]\ndelay_per_hots = \"1s\"\n",
         "archiver.toml:8: fetch.delay_per_hots", "unknown key"},
        {"wrong type", "[fetch]\nconnections_per_host = \"two\"\n",
         "archiver.toml:8: fetch.connections_per_host", "expected an integer"},
        {"bad cron",
         "[[site]]\nname = \"b\"\nparser = \"cms\"\nstart_urls = [\"http://127.0.0.1/\"]\n"
         "schedule = \"61 7 * * *\"\n",
         "archiver.toml:11: site \"b\".schedule", "minute"},
        {"bad URL template",
         "[[site]]\nname = \"b\"\nparser = \"epaper\"\n"
         "edition_url = \"http://127.0.0.1/{yyyy}-{mon}/node.htm\"\n",
         "archiver.toml:10: site \"b\".edition_url", "{mon}"},
        {"duplicate site name",
         "[[site]]\nname = \"good\"\nparser = \"cms\"\nstart_urls = [\"http://127.0.0.1/\"]\n",
         "archiver.toml:8: site \"good\".name", "duplicate site name"},
        {"selector syntax error",
         "[[site]]\nname = \"b\"\nparser = \"cms\"\nstart_urls = [\"http://127.0.0.1/\"]\n"
         "[site.selectors]\nbody = \"div[class=\"\n",
         "archiver.toml:12: site \"b\".selectors.body", "not a CSS selector"},
    };
    for (const auto& mistake : mistakes) {
      CAPTURE(mistake.name);
      testing::TempDir dir;
      const auto config = dir / "archiver.toml";
      std::ofstream(config) << with_good_site(server, mistake.config);
      const auto checked = testing::run_process(
          ARCHIVER_BINARY, {"--config", config.string(), "check-config"}, dir.path());
      CHECK(checked.exit_code == 2);
      CHECK_MESSAGE(checked.err.find(mistake.location) != std::string::npos, checked.err);
      CHECK_MESSAGE(checked.err.find(mistake.message) != std::string::npos, checked.err);
      // Neither the daemon nor a crawl starts on it.
      const auto daemon = testing::run_process(
          ARCHIVER_BINARY, {"--config", config.string(), "--db", (dir / "a.db").string(), "run"},
          dir.path());
      CHECK(daemon.exit_code == 2);
      const auto crawl = testing::run_process(
          ARCHIVER_BINARY,
          {"--config", config.string(), "--db", (dir / "a.db").string(), "fetch", "--site", "good"},
          dir.path());
      CHECK(crawl.exit_code == 2);
      CHECK_FALSE(std::filesystem::exists(dir / "a.db"));
    }
    CHECK(server.requests().empty());
  }

  TEST_CASE("an unreadable config names the file, exit 2") {
    testing::TempDir dir;
    const auto missing = testing::run_process(
        ARCHIVER_BINARY, {"--config", (dir / "nope.toml").string(), "check-config"}, dir.path());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("nope.toml") != std::string::npos);
    const auto locked = dir / "locked.toml";
    std::ofstream(locked) << "[fetch]\n";
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    const auto denied = run_unprivileged({"--config", locked.string(), "check-config"}, dir.path());
    CHECK(denied.exit_code == 2);
    CHECK(denied.err.find("locked.toml") != std::string::npos);
    const auto folder = testing::run_process(
        ARCHIVER_BINARY, {"--config", dir.path().string(), "check-config"}, dir.path());
    CHECK(folder.exit_code == 2);
  }

  TEST_CASE("databases archiver must not touch: exit 3, a message, the file unchanged") {
    testing::TestServer server;
    server.set_fallback([](const testing::Request&) {
      return testing::Response{
          .headers = {{"Content-Type", "text/html; charset=utf-8"}},
          .body =
              "<html><head><title>职工疗休养活动启动</title></head><body>"
              "<h1>职工疗休养活动启动</h1><p>发布时间：2024-04-02</p>"
              "<p>市总工会2024年度劳模和一线职工疗休养活动正式启动，首批80名职工参加。</p>"
              "<p>疗休养活动分批进行，全年计划安排职工1200人次，重点向一线职工倾斜。</p>"
              "</body></html>"};
    });
    testing::TempDir dir;
    const auto page = server.url("a.html");

    // Not an archive: another program's SQLite database.
    const auto other = dir / "other.db";
    {
      sqlite::Database db(other, sqlite::Database::Mode::read_write_create);
      db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
    }
    // From a newer archiver: a schema version past ours.
    const auto newer = dir / "newer.db";
    { ArchiveWriter writer(newer); }
    {
      sqlite::Database db(newer, sqlite::Database::Mode::read_write_create);
      db.execute("PRAGMA user_version = 999");
    }
    for (const auto& [database, words] :
         {std::pair{other, std::string("not an archiver database")},
          std::pair{newer, std::string("newer than this archiver")}}) {
      CAPTURE(database);
      const auto before = file_sha256(database);
      for (const auto& args :
           {std::vector<std::string>{"fetch", page}, std::vector<std::string>{"articles"},
            std::vector<std::string>{"status"}}) {
        std::vector<std::string> full{"--db", database.string()};
        full.insert(full.end(), args.begin(), args.end());
        const auto result = testing::run_process(ARCHIVER_BINARY, full, dir.path());
        CHECK(result.exit_code == 3);
        CHECK(result.err.find(database.filename().string()) != std::string::npos);
        CHECK(result.err.find(words) != std::string::npos);
      }
      CHECK(file_sha256(database) == before);
    }

    // Read-only: queries work, writing is refused with exit 3, the file stays as it was.
    const auto archive = dir / "archive.db";
    CHECK(
        testing::run_process(ARCHIVER_BINARY, {"--db", archive.string(), "fetch", page}, dir.path())
            .exit_code == 0);
    std::filesystem::permissions(archive, std::filesystem::perms::owner_read |
                                              std::filesystem::perms::group_read |
                                              std::filesystem::perms::others_read);
    const auto before = file_sha256(archive);
    const auto read =
        run_unprivileged({"--db", archive.string(), "articles", "--json"}, dir.path());
    CHECK_MESSAGE(read.exit_code == 0, read.err);
    CHECK(read.lines().size() == 1);
    const auto write = run_unprivileged({"--db", archive.string(), "fetch", page}, dir.path());
    CHECK(write.exit_code == 3);
    CHECK(write.err.find("archive.db") != std::string::npos);
    CHECK(write.err.find("read-only") != std::string::npos);
    CHECK(file_sha256(archive) == before);
    CHECK(server.requests().size() == 1);  // only the fetch that made the archive
  }
}

}  // namespace archiver
