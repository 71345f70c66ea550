#pragma once
// The tests' own SQL on an archive file: to check what was stored, and to make the archives an
// older archiver left. The writer and reader give no connection out (only store/ talks to
// SQLite), so a test opens one of its own on the file, beside them. It reads the views and
// deletes versions the way the sqlite3 shell does: with archiver's SQLite extension loaded
// (store/sqlite_extension.cpp), which gives the functions the views, the search index and its
// trigger call.

#include "store/sqlite.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace archiver::testing {

inline void load_archive_functions(sqlite3* handle) {
  REQUIRE(sqlite3_enable_load_extension(handle, 1) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_load_extension(handle, ARCHIVER_SQLITE_EXTENSION, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

inline void load_archive_functions(sqlite::Database& db) { load_archive_functions(db.handle()); }

// Read-only: what the archive holds, as committed (a writer's open batch is not seen).
inline sqlite::Database archive_sql(const std::filesystem::path& archive) {
  sqlite::Database db(archive, sqlite::Database::Mode::read_only);
  db.execute("PRAGMA busy_timeout = 10000");
  load_archive_functions(db);
  return db;
}

// Read-write, to change the archive behind its writer (while the writer holds no transaction),
// with the writer's foreign keys in force.
inline sqlite::Database archive_sql_to_change(const std::filesystem::path& archive) {
  sqlite::Database db(archive, sqlite::Database::Mode::read_write_create);
  db.execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON");
  load_archive_functions(db);
  return db;
}

// The first column of a query's first row.
inline std::int64_t sql_scalar(sqlite::Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  return statement.step() ? statement.column_int(0) : -1;
}

// The same as text; empty when there is no row.
inline std::string sql_text(sqlite::Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  return statement.step() ? statement.column_text(0) : std::string();
}

}  // namespace archiver::testing
