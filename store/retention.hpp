#pragma once
// `archiver gc`: what the archive can let go of. Raw bodies that no article version and no
// page's current state refers to, and optionally all but the newest N versions of each
// article. Freed space goes back to the disk by incremental vacuum; a full VACUUM (which
// rewrites the whole file) runs only when asked for.

#include "store/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace archiver {

struct GcOptions {
  std::optional<std::int64_t> keep_versions;  // keep this many newest versions of each article
  bool vacuum = false;                        // VACUUM after: rewrites the file
  bool reindex = false;                       // build the search index again
};

struct GcReport {
  std::int64_t versions_deleted = 0;
  std::int64_t bodies_deleted = 0;
  std::int64_t body_bytes_freed = 0;  // as stored (compressed)
  std::int64_t fetches_unlinked = 0;  // fetch-log rows that no longer keep their bytes
  std::int64_t pages_freed = 0;       // file pages handed back by incremental vacuum
  std::int64_t reindexed = 0;
  std::int64_t file_bytes_before = 0;
  std::int64_t file_bytes_after = 0;
  bool incremental = false;      // the archive uses incremental auto-vacuum
  std::int64_t bodies_left = 0;  // unreferenced bodies not deleted (gc stopped early)
  // Why gc stopped before the end (a full disk): what it did until then is in the counts.
  std::optional<std::string> error;
  bool disk_full = false;
};

// Deletes in small transactions, so that it makes progress on a nearly full disk (each one's
// WAL pages are reused after a checkpoint) and what it did stays done when a later step fails:
// then error says why, and the counts say what was deleted.
GcReport collect_garbage(sqlite::Database& db, const GcOptions& options);

}  // namespace archiver
