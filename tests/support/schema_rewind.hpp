#pragma once
// Tests of the migrations from older archives start from an archive the current writer made
// and take it back to the shape an older archiver left. This one undoes schema 12: the body text
// back in `versions.body`, uncompressed, the search index with its own copy of the text again,
// the views as they were, no dictionaries.

#include <filesystem>

namespace archiver::testing {

// The archive at `path` (no writer open on it, no dictionary trained yet) as schema 11 had it.
void rewind_to_schema_11(const std::filesystem::path& path);

}  // namespace archiver::testing
