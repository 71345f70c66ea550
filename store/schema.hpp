#pragma once
// The archive's schema: ordered migrations keyed by PRAGMA user_version, under a fixed
// application_id so that archiver never writes into somebody else's SQLite file.

#include "store/sqlite.hpp"

#include <cstdint>

namespace archiver {

// 'ARCV' as a big-endian 32-bit integer; `PRAGMA application_id` in the sqlite3 shell shows it.
inline constexpr std::int32_t k_application_id = 0x41524356;

// The schema version this build writes.
[[nodiscard]] int latest_schema_version();

// The first schema whose versions record the parser revision that made them.
inline constexpr int k_provenance_version = 10;

// Checks that db is an archiver archive (or a new, empty file) and brings it to the latest
// schema, each migration in its own transaction. Throws NotAnArchive or StoreError.
void migrate(sqlite::Database& db);

// Checks, without writing, that db is an archiver archive at a version this build can read.
void check_readable(sqlite::Database& db);

// The database is not ours, or comes from a newer archiver: exit code 3, never modified.
class NotAnArchive : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace archiver
