#pragma once
// Schema 12's work on an archive stored before it: every version's body text compressed into
// body_zstd, and every site's pages and texts compressed with a dictionary trained on its first
// ones (store/dictionaries), as a new archive stores them from the start.

#include "store/sqlite.hpp"

namespace archiver {

// In the migration's transaction, after `versions.body_zstd` was added and before
// `versions.body` goes. Needs archiver_text() on the connection (Dictionaries).
void compress_stored_texts(sqlite::Database& db);

}  // namespace archiver
