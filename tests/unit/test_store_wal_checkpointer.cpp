// The WAL copied back into the archive file by a thread of its own while a connection goes on
// committing, and the hook that tells it how far the WAL has grown.

#include "store/sqlite.hpp"
#include "store/wal_checkpointer.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace archiver {
namespace {

// A WAL database whose own automatic checkpoint is off: only what the test does copies back.
sqlite::Database wal_database(const std::filesystem::path& path) {
  sqlite::Database db(path, sqlite::Database::Mode::read_write_create);
  db.execute("PRAGMA journal_mode = WAL");
  db.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB)");
  return db;
}

void insert_page(sqlite::Database& db, int id) {
  // 8 KiB that do not compress or repeat: two or three pages of the file each.
  std::string body(8192, '\0');
  for (std::size_t at = 0; at < body.size(); ++at) {
    body[at] = static_cast<char>((at * 2654435761U + static_cast<std::size_t>(id) * 97U) >> 7U);
  }
  auto insert = db.prepare("INSERT INTO pages (id, body) VALUES (?1, ?2)");
  insert.bind(1, std::int64_t{id}).bind_blob(2, body).run();
}

// Waits until done() holds, for 10 s at most (the copies it waits for take milliseconds);
// returns whether it held.
template <class Done>
bool wait_until(Done done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

// A WAL archive whose commits a checkpointer hears, as ArchiveWriter's hook makes it hear
// them, and how many frames the WAL held after each commit.
struct HeardWal {
  HeardWal(int copy_every, std::chrono::milliseconds after_quiet)
      : db(wal_database(path)), checkpointer(path, copy_every, after_quiet) {
    db.execute("PRAGMA wal_autocheckpoint = 0");  // only the checkpointer copies
    db.on_wal_commit([this](int frames) {
      heard.push_back(frames);
      checkpointer.wal_grew(frames);
    });
  }
  ~HeardWal() { db.on_wal_commit({}); }
  HeardWal(const HeardWal&) = delete;
  HeardWal& operator=(const HeardWal&) = delete;

  void insert() { insert_page(db, ++pages); }
  // Pages until the WAL holds this many frames (a copy comes due at each step).
  void insert_until(int frames) {
    do {
      insert();
    } while (heard.back() < frames);
  }
  [[nodiscard]] int frames() const { return heard.back(); }

  testing::TempDir dir;
  std::filesystem::path path = dir / "archive.db";
  sqlite::Database db;
  WalCheckpointer checkpointer;
  std::vector<int> heard;
  int pages = 0;
};

// A reader's snapshot, begun on what the archive holds now: no copy goes past its last frame
// while it lasts, as a writer that goes on committing keeps a copy from its last frames.
class ReaderSnapshot {
 public:
  explicit ReaderSnapshot(const std::filesystem::path& path)
      : m_db(path, sqlite::Database::Mode::read_only) {
    m_db.execute("BEGIN");
    auto count = m_db.prepare("SELECT count(*) FROM pages");
    REQUIRE(count.step());
  }
  void end() { m_db.execute("COMMIT"); }

 private:
  sqlite::Database m_db;
};

}  // namespace

TEST_SUITE("store/checkpointer") {
  TEST_CASE("no copy runs while the checkpointer is held, and a held copy runs after") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    auto db = wal_database(path);
    WalCheckpointer checkpointer(path, 16);
    db.on_wal_commit([&](int frames) { checkpointer.wal_grew(frames); });
    const auto file_before = std::filesystem::file_size(path);
    {
      const auto held = checkpointer.hold();
      for (int id = 1; id <= 40; ++id) {
        insert_page(db, id);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      CHECK(checkpointer.copies() == 0);
      // Nothing else checkpoints now: TRUNCATE, as gc runs it, empties the WAL.
      db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      CHECK(std::filesystem::file_size(path.string() + "-wal") == 0);
      CHECK(std::filesystem::file_size(path) > file_before);
    }
    for (int id = 41; id <= 80; ++id) {
      insert_page(db, id);
    }
    CHECK(wait_until([&] { return checkpointer.copies() >= 1; }));
  }

  TEST_CASE("the hook hears how many frames the WAL holds after each commit") {
    testing::TempDir dir;
    auto db = wal_database(dir / "archive.db");
    // SQLite's own checkpoint every two frames, which the hook replaces: with it the WAL
    // would start over after every commit.
    db.execute("PRAGMA wal_autocheckpoint = 2");
    std::vector<int> heard;
    db.on_wal_commit([&](int frames) { heard.push_back(frames); });
    for (int id = 1; id <= 5; ++id) {
      insert_page(db, id);
    }
    REQUIRE(heard.size() == 5);
    for (std::size_t at = 1; at < heard.size(); ++at) {
      CHECK(heard[at] > heard[at - 1]);  // nothing copied it back and started it over
    }
    CHECK(db.checkpoint_passive() == sqlite::Database::Copied::all);
  }

  TEST_CASE("a thread of its own copies the WAL into the file while commits go on") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    auto db = wal_database(path);
    WalCheckpointer checkpointer(path, 64);
    db.on_wal_commit([&](int frames) { checkpointer.wal_grew(frames); });
    const auto file_before = std::filesystem::file_size(path);
    for (int id = 1; id <= 200; ++id) {
      insert_page(db, id);
    }
    // The pages reach the file itself, not only the WAL (200 pages of 8 KiB; a copy takes what
    // was committed when it began, so the last may still be on its way).
    CHECK(
        wait_until([&] { return std::filesystem::file_size(path) > file_before + 1024U * 1024U; }));
    CHECK(checkpointer.copies() >= 1);
    // And the connection that wrote them still reads them all.
    auto count = db.prepare("SELECT count(*) FROM pages");
    REQUIRE(count.step());
    CHECK(count.column_int(0) == 200);
  }

  TEST_CASE("once the commits pause, the WAL is copied whole and the next commit starts it over") {
    HeardWal wal(64, std::chrono::milliseconds(200));
    wal.insert();
    ReaderSnapshot reader(wal.path);
    wal.insert_until(64);
    CHECK(wait_until([&] { return wal.checkpointer.copies() == 1; }));
    reader.end();
    // A commit after the copy: the WAL goes on from where it was, frames still uncopied.
    wal.insert();
    CHECK(wal.frames() > 64);
    // The pause: a copy of every frame, and the next commit starts the WAL over.
    CHECK(wait_until([&] { return wal.checkpointer.copies() == 2; }));
    wal.insert();
    CHECK(wal.frames() < 8);  // this commit's frames only
    auto count = wal.db.prepare("SELECT count(*) FROM pages");
    REQUIRE(count.step());
    CHECK(count.column_int(0) == wal.pages);
  }

  TEST_CASE("a copy kept from the last frames by a reader is tried again while the commits pause") {
    HeardWal wal(64, std::chrono::milliseconds(200));
    wal.insert();
    ReaderSnapshot reader(wal.path);
    wal.insert_until(64);
    // The copy that came due stops at the reader's snapshot; with no commit since, it is tried
    // again after the quiet time, and again, while the reader stays.
    CHECK(wait_until([&] { return wal.checkpointer.copies() >= 2; }));
    reader.end();
    const auto copies = wal.checkpointer.copies();
    CHECK(wait_until([&] { return wal.checkpointer.copies() > copies; }));
    wal.insert();
    CHECK(wal.frames() < 8);  // every frame was copied: the WAL started over
  }

  TEST_CASE("no copy before the writer has been quiet for the time given") {
    HeardWal wal(64, std::chrono::seconds(5));
    wal.insert();
    ReaderSnapshot reader(wal.path);
    wal.insert_until(64);
    CHECK(wait_until([&] { return wal.checkpointer.copies() == 1; }));
    reader.end();
    for (int more = 0; more < 3; ++more) {
      wal.insert();
    }
    // Frames left to copy, commits just made: the next copy waits for five quiet seconds (the
    // checkpointer going away ends the wait).
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(wal.checkpointer.copies() == 1);
  }

  TEST_CASE("a WAL shorter than the copies' step is not copied when the commits pause") {
    HeardWal wal(64, std::chrono::milliseconds(50));
    // Once past the step (the thread starts), copied whole, and started over.
    wal.insert_until(64);
    CHECK(wait_until([&] { return wal.checkpointer.copies() == 1; }));
    wal.insert();
    REQUIRE(wal.frames() < 8);
    // A few commits, far from the step, then a pause six times the quiet time.
    for (int more = 0; more < 4; ++more) {
      wal.insert();
    }
    REQUIRE(wal.frames() < 64);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(wal.checkpointer.copies() == 1);
  }

  TEST_CASE("nothing is copied before the WAL has grown by the given number of frames") {
    testing::TempDir dir;
    const auto path = dir / "archive.db";
    auto db = wal_database(path);
    db.execute("PRAGMA wal_autocheckpoint = 2");  // replaced by the hook below
    WalCheckpointer checkpointer(path, 1'000'000);
    db.on_wal_commit([&](int frames) { checkpointer.wal_grew(frames); });
    const auto file_before = std::filesystem::file_size(path);
    for (int id = 1; id <= 20; ++id) {
      insert_page(db, id);
    }
    // Time for a copy that should not have been asked for (one takes milliseconds).
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(checkpointer.copies() == 0);
    CHECK(std::filesystem::file_size(path) == file_before);
  }
}

}  // namespace archiver
