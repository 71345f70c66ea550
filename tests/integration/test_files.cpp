// Files outside the archive, through the real binary: `export -o` writes through FIFOs,
// devices and symlinks and replaces a regular file only when complete; many processes opening
// one new archive at once all succeed; a member of the archive's group reads it after the
// writer has gone; a database in a missing folder is named as such.

#include "tests/support/process.hpp"
#include "tests/support/sample_sites.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <grp.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <thread>

namespace archiver {
namespace {

namespace fs = std::filesystem;

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Files in dir whose name contains text (temporary files left behind).
std::size_t files_named(const fs::path& dir, std::string_view text) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    count += entry.path().filename().string().find(text) != std::string::npos ? 1U : 0U;
  }
  return count;
}

}  // namespace

TEST_SUITE("integration/files") {
  TEST_CASE(
      "export -o: regular files replaced when complete, FIFOs, devices and links written through") {
    testing::SampleSites sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    const auto all = sites.run({"export", "--format", "jsonl"});
    REQUIRE(all.exit_code == 0);
    const std::size_t articles = line_count(all.out);
    REQUIRE(articles >= 5);
    const fs::path out_dir = sites.dir / "out";
    fs::create_directories(out_dir);

    // A new file, and an existing one (its mode kept).
    const fs::path plain = out_dir / "gyghw.jsonl";
    CHECK(sites.run({"export", "--format", "jsonl", "-o", plain.string()}).exit_code == 0);
    CHECK(testing::slurp(plain) == all.out);
    fs::permissions(plain, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    CHECK(sites.run({"export", "--format", "jsonl", "--site", "gyghw", "-o", plain.string()})
              .exit_code == 0);
    CHECK(fs::status(plain).permissions() ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    CHECK(files_named(out_dir, ".part") == 0);

    // A symlink stays a symlink; the file it points to gets the export.
    const fs::path target = out_dir / "real.jsonl";
    const fs::path link = out_dir / "latest.jsonl";
    std::ofstream(target) << "old\n";
    fs::create_symlink("real.jsonl", link);
    CHECK(sites.run({"export", "--format", "jsonl", "-o", link.string()}).exit_code == 0);
    CHECK(fs::is_symlink(link));
    CHECK(testing::slurp(target) == all.out);

    // A FIFO is written through to whoever reads it, and stays a FIFO.
    const fs::path fifo = out_dir / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto reader = std::async(std::launch::async, [&] { return testing::slurp(fifo); });
    CHECK(sites.run({"export", "--format", "jsonl", "-o", fifo.string()}).exit_code == 0);
    CHECK(reader.get() == all.out);
    CHECK(fs::is_fifo(fifo));

    // A device stays the device, even for root. Root makes its own null device here, so that a
    // regression could not replace the system's /dev/null.
    fs::path device = "/dev/null";
    if (::geteuid() == 0 &&
        ::mknod((out_dir / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
      device = out_dir / "null";
    }
    CHECK(sites.run({"export", "--format", "warc", "-o", device.string()}).exit_code == 0);
    CHECK(fs::is_character_file(device));
    // /dev/stdout is this process's standard output: what the shell redirected it to.
    const auto to_stdout = sites.run({"export", "--format", "jsonl", "-o", "/dev/stdout"});
    CHECK(to_stdout.exit_code == 0);
    CHECK(to_stdout.out == all.out);

    // Two exports to one path at once: both succeed, and the file is one of them, whole.
    const fs::path shared = out_dir / "both.jsonl";
    auto first = std::async(std::launch::async, [&] {
      return sites.run({"export", "--format", "jsonl", "-o", shared.string()});
    });
    const auto second = testing::run_process(
        ARCHIVER_BINARY,
        {"--config", sites.config.string(), "--db", sites.database.string(), "--log-level", "warn",
         "export", "--format", "jsonl", "-o", shared.string()},
        out_dir);
    CHECK(first.get().exit_code == 0);
    CHECK(second.exit_code == 0);
    CHECK(testing::slurp(shared) == all.out);
    CHECK(files_named(out_dir, ".part") == 0);

    // A folder that is not there: a clear error, nothing written anywhere.
    const auto missing = sites.run(
        {"export", "--format", "jsonl", "-o", (out_dir / "no-such" / "x.jsonl").string()});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("no-such") != std::string::npos);
  }

  TEST_CASE("twelve processes opening one new archive at once all succeed") {
    testing::TempDir dir;
    const fs::path database = dir / "new.db";
    std::vector<std::unique_ptr<testing::ChildProcess>> children;
    for (int i = 0; i < 12; ++i) {
      const fs::path scratch = dir / ("p" + std::to_string(i));
      fs::create_directories(scratch);
      children.push_back(std::make_unique<testing::ChildProcess>(
          ARCHIVER_BINARY, std::vector<std::string>{"--db", database.string(), "gc", "--json"},
          scratch, std::vector<std::string>{}));
    }
    for (auto& child : children) {
      const auto code = child->wait_for(std::chrono::seconds(60));
      REQUIRE(code.has_value());
      CHECK_MESSAGE(*code == 0, child->err());
    }
    const auto status = testing::run_process(
        ARCHIVER_BINARY, {"--db", database.string(), "status", "--json"}, dir.path());
    CHECK(status.exit_code == 0);
  }

  TEST_CASE("a member of the archive's group reads it once the writer has gone") {
    if (::geteuid() != 0) {
      MESSAGE("not root: archiver cannot be run as another user here (setpriv); CI runs as root");
      return;
    }
    testing::SampleSites sites;
    // The installed layout: the folder 0750, the files 0640, owned by root here and readable by
    // the group (nogroup stands in for the archiver group).
    const gid_t group = ::getgrnam("nogroup") != nullptr ? ::getgrnam("nogroup")->gr_gid : 65534;
    const fs::path folder = sites.dir / "state";
    fs::create_directories(folder);
    const fs::path database = folder / "archive.db";
    const mode_t old_mask = ::umask(0027);
    const auto crawl = testing::run_process(
        ARCHIVER_BINARY,
        {"--config", sites.config.string(), "--db", database.string(), "fetch", "--site", "gyghw"},
        sites.dir.path());
    ::umask(old_mask);
    REQUIRE(crawl.exit_code == 0);
    fs::permissions(sites.dir.path(), fs::perms::all);  // the test's own folder: open to all
    REQUIRE(::chown(folder.c_str(), 0, group) == 0);
    fs::permissions(folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    for (const auto& entry : fs::directory_iterator(folder)) {
      REQUIRE(::chown(entry.path().c_str(), 0, group) == 0);
      CHECK((fs::status(entry).permissions() & fs::perms::others_all) == fs::perms::none);
    }
    // The writer has gone: the WAL files it kept let readers in.
    CHECK(fs::exists(database.string() + "-wal"));
    CHECK(fs::exists(database.string() + "-shm"));
    const fs::path binary = sites.dir / "archiver";
    fs::copy_file(ARCHIVER_BINARY, binary);
    fs::permissions(binary, fs::perms::all);
    const std::string gid = std::to_string(group);
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"status", "--json"}, std::vector<std::string>{"articles"},
          std::vector<std::string>{"search", "工会"}}) {
      std::vector<std::string> args{"--reuid=65534", "--regid=" + gid, "--clear-groups",
                                    binary.string(), "--db",           database.string()};
      args.insert(args.end(), command.begin(), command.end());
      const auto result =
          ::geteuid() == 0 ? testing::run_process("/usr/bin/setpriv", args, sites.dir.path())
                           : testing::run_process(binary.string(), {args.begin() + 4, args.end()},
                                                  sites.dir.path());
      CAPTURE(command.front());
      CHECK_MESSAGE(result.exit_code == 0, result.err);
      CHECK(result.err.find("readonly") == std::string::npos);
      CHECK_FALSE(result.out.empty());
    }
    // Nothing the readers did changed the archive's files' owner.
    for (const auto& entry : fs::directory_iterator(folder)) {
      struct stat info {};
      REQUIRE(::stat(entry.path().c_str(), &info) == 0);
      CHECK(info.st_uid == 0);
    }
  }

  TEST_CASE("a database in a folder that does not exist is named as such") {
    testing::TempDir dir;
    const fs::path database = dir / "no-such-folder" / "archive.db";
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"gc"},
          std::vector<std::string>{"fetch", "http://127.0.0.1:9/x.html"},
          std::vector<std::string>{"status"}}) {
      std::vector<std::string> args{"--db", database.string()};
      args.insert(args.end(), command.begin(), command.end());
      const auto result = testing::run_process(ARCHIVER_BINARY, args, dir.path());
      CAPTURE(command.front());
      CHECK(result.exit_code == 3);
      const bool named = result.err.find("the folder") != std::string::npos &&
                         result.err.find("no-such-folder") != std::string::npos &&
                         result.err.find("does not exist") != std::string::npos;
      CHECK_MESSAGE(named, result.err);
    }
    CHECK_FALSE(fs::exists(dir / "no-such-folder"));
  }
}

}  // namespace archiver

namespace archiver {
namespace {

// Runs `archiver gc --json` on a copy of database in a small tmpfs (in a mount namespace of its
// own, so nothing outside the test sees it) whose free space is `room` bytes. The result's out
// is gc's JSON; its err ends with gc's exit code.
testing::ProcessResult gc_on_small_disk(const fs::path& database, const fs::path& dir,
                                        std::uint64_t room) {
  fs::create_directories(dir / "disk");
  const fs::path script = dir / "small-disk.sh";
  std::ofstream(script) << "set -e\n"
                        << "mount -t tmpfs -o size=" << (fs::file_size(database) / 1024 + 512)
                        << "k tmpfs '" << (dir / "disk").string() << "'\n"
                        << "cp '" << database.string() << "' '" << (dir / "disk").string()
                        << "/archive.db'\n"
                        << "dd if=/dev/zero of='" << (dir / "disk").string()
                        << "/filler' bs=4096 2>/dev/null || true\n"
                        << "truncate -s -" << room << " '" << (dir / "disk").string()
                        << "/filler'\n"
                        << "set +e\n'" << ARCHIVER_BINARY << "' --db '" << (dir / "disk").string()
                        << "/archive.db' gc --json\n"
                        << "echo \"exit $?\" >&2\n";
  return testing::run_process("/usr/bin/unshare", {"-m", "/bin/sh", script.string()}, dir);
}

}  // namespace

TEST_SUITE("integration/files") {
  TEST_CASE("gc on a full disk exits 1 saying so, and on a nearly full one frees the space") {
    if (::geteuid() != 0) {
      MESSAGE("not root: a small disk cannot be mounted here; CI runs as root");
      return;
    }
    testing::SampleSites sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    {
      // 300 raw bodies nothing refers to any more (8 KiB each, incompressible).
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(sites.database.c_str(), &db) == SQLITE_OK);
      REQUIRE(sqlite3_exec(db,
                           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                           "WHERE i < 300) INSERT INTO bodies (sha256, size, compression, data) "
                           "SELECT lower(hex(randomblob(32))), 8192, 'zstd', randomblob(8192) "
                           "FROM n; PRAGMA wal_checkpoint(TRUNCATE);",
                           nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
    }
    // Not a byte free: the archive cannot even be opened for writing, and gc says why.
    const auto none = gc_on_small_disk(sites.database, sites.dir / "none", 0);
    CHECK_MESSAGE(none.err.find("exit 3") != std::string::npos, none.err);
    CHECK(none.err.find("the disk holding it is full") != std::string::npos);
    // A few pages free (no room for the WAL of one deletion): gc starts, stops, exits 1 and says
    // what it did and what is left.
    const auto full = gc_on_small_disk(sites.database, sites.dir / "full", 48 * 1024);
    CHECK_MESSAGE(full.err.find("exit 1") != std::string::npos, full.err);
    CHECK(full.err.find("the disk is full") != std::string::npos);
    CHECK(full.err.find("unreferenced bodies are left") != std::string::npos);
    CHECK(full.err.find("rollback failed") == std::string::npos);
    const auto full_report = nlohmann::json::parse(full.out);
    CHECK(full_report["error"].is_string());
    CHECK(full_report["bodies_deleted"].get<int>() + full_report["bodies_left"].get<int>() == 300);
    // 128 KiB free: gc works in small steps, finishes, and gives the space back.
    const auto tight = gc_on_small_disk(sites.database, sites.dir / "tight", 128 * 1024);
    CHECK_MESSAGE(tight.err.find("exit 0") != std::string::npos, tight.err);
    const auto tight_report = nlohmann::json::parse(tight.out);
    CHECK(tight_report["bodies_deleted"] == 300);
    CHECK(tight_report["bodies_left"] == 0);
    CHECK(tight_report["body_bytes_freed"].get<std::int64_t>() >= 300 * 8192);
    CHECK(tight_report["body_bytes_freed"].get<std::int64_t>() < 310 * 8192);
    CHECK(tight_report["file_bytes_after"].get<std::int64_t>() <
          tight_report["file_bytes_before"].get<std::int64_t>() - 300 * 8192);
  }
}

}  // namespace archiver
