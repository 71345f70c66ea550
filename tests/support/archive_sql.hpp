#pragma once
// The tests' own SQL on an archive file: to check what was stored, and to make the archives an
// older archiver left. The writer and reader give no connection out (only store/ talks to
// SQLite), so a test opens one of its own on the file, beside them.

#include "store/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace archiver::testing {

// Read-only: what the archive holds, as committed (a writer's open batch is not seen).
inline sqlite::Database archive_sql(const std::filesystem::path& archive) {
  sqlite::Database db(archive, sqlite::Database::Mode::read_only);
  db.execute("PRAGMA busy_timeout = 10000");
  return db;
}

// Read-write, to change the archive behind its writer (while the writer holds no transaction),
// with the writer's foreign keys in force.
inline sqlite::Database archive_sql_to_change(const std::filesystem::path& archive) {
  sqlite::Database db(archive, sqlite::Database::Mode::read_write_create);
  db.execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON");
  return db;
}

// The first column of a query's first row.
inline std::int64_t sql_scalar(sqlite::Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  return statement.step() ? statement.column_int(0) : -1;
}

}  // namespace archiver::testing
