#pragma once
// Tests of the migrations from older archives start from an archive the current writer made
// and take it back to the shape an older archiver left.

#include <filesystem>

namespace archiver::testing {

// The archive at `path` (no writer open on it) as schema 15 had it: bodies keyed by their
// SHA-256 alone, the fetch log and pages naming them by it (undoes schema 16).
void rewind_to_schema_15(const std::filesystem::path& path);

// The archive at `path` (no writer open on it, no dictionary trained yet) as schema 11 had it:
// schema 15's shape, then the body text back in `versions.body`, uncompressed, the search index
// with its own copy of the text again, the views as they were, no dictionaries (undoes 12).
void rewind_to_schema_11(const std::filesystem::path& path);

}  // namespace archiver::testing
