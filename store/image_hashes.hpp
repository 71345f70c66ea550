#pragma once
// Schema 9 made an article's pictures (their URLs and captions) part of its content hash. The
// newest version of each article with pictures gets its hash recomputed, so that the next fetch
// of an unchanged article finds it unchanged rather than making a version nobody edited.

#include "store/sqlite.hpp"

#include <cstdint>

namespace archiver {

// Returns the versions rehashed. Runs inside the migration's transaction.
std::int64_t rehash_versions_with_images(sqlite::Database& db);

}  // namespace archiver
