#pragma once
// Bringing the URLs an archive stored before schema 8 into the normal form of util/url.hpp, so
// that lookups made with normal URLs find them.

#include "store/sqlite.hpp"

#include <cstdint>

namespace archiver {

// Rewrites every stored URL that is not in normal form (an article's "#anchor" kept). Where the
// normal form is already taken by another row (two spellings archived as two articles), the row
// keeps its old spelling rather than merging histories. Returns the rows rewritten. Runs inside
// the migration's transaction.
std::int64_t normalize_stored_urls(sqlite::Database& db);

}  // namespace archiver
