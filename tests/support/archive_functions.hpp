#pragma once
// A test's own SQL on an archive reads the views and deletes versions the way the sqlite3 shell
// does: with archiver's SQLite extension loaded (store/sqlite_extension.cpp), which gives the
// functions the views, the search index and its trigger call.

#include "store/sqlite.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

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

}  // namespace archiver::testing
