#include "store/retention.hpp"

#include "store/search_index.hpp"

#include <filesystem>

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
// WARC export read), and each URL's current body (what a 304 is answered from).
constexpr std::string_view k_kept_bodies =
    "SELECT f.body_sha256 FROM versions v JOIN fetches f ON f.id = v.fetch_id "
    "WHERE f.body_sha256 IS NOT NULL "
    "UNION SELECT body_sha256 FROM pages WHERE body_sha256 IS NOT NULL";

}  // namespace

GcReport collect_garbage(sqlite::Database& db, const GcOptions& options) {
  GcReport report;
  report.file_bytes_before = file_bytes(db.path());
  report.incremental = scalar(db, "PRAGMA auto_vacuum") == 2;
  {
    sqlite::Transaction transaction(db);
    if (options.keep_versions) {
      // Version numbers stay as they were: history shows which ones are gone.
      auto drop = db.prepare(
          "DELETE FROM versions WHERE id IN (SELECT v.id FROM versions v WHERE v.version <= "
          "(SELECT max(version) FROM versions WHERE article_id = v.article_id) - ?1)");
      drop.bind(1, *options.keep_versions).run();
      report.versions_deleted = db.changes();
    }
    db.execute("CREATE TEMP TABLE kept_bodies (sha256 TEXT PRIMARY KEY) WITHOUT ROWID");
    db.execute("INSERT INTO kept_bodies " + std::string(k_kept_bodies));
    report.body_bytes_freed = scalar(db,
                                     "SELECT coalesce(sum(length(data)), 0) FROM bodies "
                                     "WHERE sha256 NOT IN (SELECT sha256 FROM kept_bodies)");
    // The fetch log keeps every attempt (when, status, size); only the bytes go.
    db.execute(
        "UPDATE fetches SET body_sha256 = NULL WHERE body_sha256 IS NOT NULL "
        "AND body_sha256 NOT IN (SELECT sha256 FROM kept_bodies)");
    report.fetches_unlinked = db.changes();
    db.execute("DELETE FROM bodies WHERE sha256 NOT IN (SELECT sha256 FROM kept_bodies)");
    report.bodies_deleted = db.changes();
    db.execute("DROP TABLE temp.kept_bodies");
    transaction.commit();
  }
  if (options.reindex) {
    report.reindexed = rebuild_search_index(db);
  }
  if (options.vacuum) {
    // Also turns an archive made before incremental vacuum into one that has it.
    db.execute("PRAGMA auto_vacuum = INCREMENTAL");
    db.execute("VACUUM");
    report.incremental = true;
  } else if (report.incremental) {
    const std::int64_t free_before = scalar(db, "PRAGMA freelist_count");
    db.execute("PRAGMA incremental_vacuum");
    report.pages_freed = free_before - scalar(db, "PRAGMA freelist_count");
  }
  db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  report.file_bytes_after = file_bytes(db.path());
  return report;
}

}  // namespace archiver
