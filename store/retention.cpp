#include "store/retention.hpp"

#include "store/search_index.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace archiver {
namespace {

std::int64_t scalar(sqlite::Database& db, std::string_view sql) {
  auto statement = db.prepare(sql);
  return statement.step() ? statement.column_int(0) : 0;
}

std::int64_t file_bytes(const std::filesystem::path& path) {
  std::int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path.string() + suffix, error);
    total += error ? 0 : static_cast<std::int64_t>(size);
  }
  return total;
}

// The bodies still needed: those of the fetches that made a version (what `reparse` and the
// WARC export read), each URL's current body (what a 304 is answered from), each asset's newest
// bytes, and the photos every kept version showed.
constexpr std::string_view k_kept_bodies =
    "SELECT f.body_id FROM versions v JOIN fetches f ON f.id = v.fetch_id "
    "WHERE f.body_id IS NOT NULL "
    "UNION SELECT body_id FROM pages WHERE body_id IS NOT NULL "
    "UNION SELECT b.id FROM assets a JOIN bodies b ON b.sha256 = a.sha256 "
    "UNION SELECT b.id FROM versions v, json_each(v.images) j "
    "JOIN bodies b ON b.sha256 = json_extract(j.value, '$.sha256') WHERE v.images != '[]'";

// Rows per transaction at first: small enough that a nearly full disk holds the WAL of one.
// When the disk is too full even for that, the step is tried again with fewer rows.
constexpr std::int64_t k_chunk = 200;

// One step of gc in transactions of `chunk` rows (SQL with ?1 as the row limit) until it
// changes nothing more; the WAL is emptied after each, so its room on disk is used again.
// Returns the rows changed; throws StoreError when even one row does not fit.
std::int64_t in_chunks(sqlite::Database& db, std::string_view sql) {
  std::int64_t total = 0;
  std::int64_t chunk = k_chunk;
  for (;;) {
    std::int64_t changed = 0;
    try {
      sqlite::Transaction transaction(db);
      auto statement = db.prepare(sql);
      statement.bind(1, chunk).run();
      changed = db.changes();
      transaction.commit();
    } catch (const sqlite::StoreError& error) {
      if (!error.is_full() || chunk == 1) {
        throw;
      }
      chunk = std::max<std::int64_t>(1, chunk / 4);  // fewer rows: a smaller WAL
      db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      continue;
    }
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    total += changed;
    if (changed < chunk) {
      return total;
    }
  }
}

void collect(sqlite::Database& db, const GcOptions& options, GcReport& report) {
  // Debian's SQLite zeroes every freed page (SECURE_DELETE), which writes each deleted body to
  // the WAL once more: on a nearly full disk gc could not start. FAST zeroes only what costs no
  // extra writes. Temporary tables stay in memory, not in a file on the full disk.
  db.execute("PRAGMA secure_delete = FAST");
  db.execute("PRAGMA temp_store = MEMORY");
  if (options.keep_versions) {
    // Version numbers stay as they were: history shows which ones are gone.
    const std::string keep = std::to_string(*options.keep_versions);
    report.versions_deleted += in_chunks(
        db,
        "DELETE FROM versions WHERE id IN (SELECT v.id FROM versions v WHERE v.version <= "
        "(SELECT max(version) FROM versions WHERE article_id = v.article_id) - " +
            keep + " LIMIT ?1)");
  }
  db.execute("CREATE TEMP TABLE kept_bodies (id INTEGER PRIMARY KEY)");
  db.execute("INSERT INTO kept_bodies " + std::string(k_kept_bodies));
  report.bodies_left = scalar(db,
                              "SELECT count(*) FROM bodies WHERE id NOT IN "
                              "(SELECT id FROM kept_bodies)");
  // The fetch log keeps every attempt (when, status, size); only the bytes go.
  report.fetches_unlinked +=
      in_chunks(db,
                "UPDATE fetches SET body_id = NULL WHERE id IN (SELECT id FROM fetches WHERE "
                "body_id IS NOT NULL AND body_id NOT IN (SELECT id FROM kept_bodies) LIMIT ?1)");
  // Bodies in the order they came, a chunk at a time from where the last one ended: each step
  // reads only its own rows (and those kept among them), not the archive from the start.
  std::int64_t after = 0;
  std::int64_t deleted = 0;
  std::int64_t chunk = k_chunk;
  auto next = db.prepare(
      "SELECT id, length(data) FROM bodies WHERE id > ?1 AND id NOT IN "
      "(SELECT id FROM kept_bodies) ORDER BY id LIMIT ?2");
  auto drop = db.prepare("DELETE FROM bodies WHERE id = ?1");
  for (;;) {
    std::vector<std::int64_t> ids;
    std::int64_t bytes = 0;
    next.bind(1, after).bind(2, chunk);
    while (next.step()) {
      ids.push_back(next.column_int(0));
      bytes += next.column_int(1);
    }
    next.reset();
    if (ids.empty()) {
      break;
    }
    try {
      sqlite::Transaction transaction(db);
      for (const std::int64_t id : ids) {
        drop.bind(1, id).run();
      }
      transaction.commit();
    } catch (const sqlite::StoreError& error) {
      if (!error.is_full() || chunk == 1) {
        throw;
      }
      chunk = std::max<std::int64_t>(1, chunk / 4);  // fewer rows: a smaller WAL
      db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      continue;
    }
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    deleted += static_cast<std::int64_t>(ids.size());
    report.body_bytes_freed += bytes;
    after = ids.back();
  }
  report.bodies_deleted += deleted;
  report.bodies_left -= deleted;
  db.execute("DROP TABLE temp.kept_bodies");
  if (options.reindex) {
    report.reindexed = rebuild_search_index(db);
  }
  if (options.vacuum) {
    // Also turns an archive made before incremental vacuum into one that has it.
    db.execute("PRAGMA auto_vacuum = INCREMENTAL");
    db.execute("VACUUM");
    report.incremental = true;
  } else if (report.incremental) {
    // 256 KiB of pages at a time (64 of 4 KiB, 32 of 8 KiB): moving pages writes them to the
    // WAL, emptied after each step, so a nearly full disk needs room for that much.
    const std::int64_t page_size = std::max<std::int64_t>(512, scalar(db, "PRAGMA page_size"));
    const std::int64_t pages_a_step = (std::int64_t{256} << 10U) / page_size;
    const std::string step = "PRAGMA incremental_vacuum(" + std::to_string(pages_a_step) + ")";
    const std::int64_t free_before = scalar(db, "PRAGMA freelist_count");
    for (std::int64_t free = free_before; free > 0;) {
      db.execute(step);
      db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      const std::int64_t now = scalar(db, "PRAGMA freelist_count");
      if (now >= free) {
        break;
      }
      free = now;
    }
    report.pages_freed = free_before - scalar(db, "PRAGMA freelist_count");
  }
  db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace

GcReport collect_garbage(sqlite::Database& db, const GcOptions& options) {
  GcReport report;
  report.file_bytes_before = file_bytes(db.path());
  report.incremental = scalar(db, "PRAGMA auto_vacuum") == 2;
  try {
    collect(db, options, report);
  } catch (const sqlite::StoreError& error) {
    report.error = error.what();
    report.disk_full = error.is_full();
    try {
      db.execute("DROP TABLE IF EXISTS temp.kept_bodies");
    } catch (const sqlite::StoreError&) {
      // The connection closes soon: the temporary table goes with it.
    }
  }
  report.file_bytes_after = file_bytes(db.path());
  return report;
}

}  // namespace archiver
