#pragma once
// Article reads shared by the reader and the writer (which reports what it just stored).

#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <optional>

namespace archiver {

// The columns read_article_row expects, for "SELECT <columns> FROM articles a JOIN versions v".
extern const std::string_view k_article_columns;

[[nodiscard]] StoredArticle read_article_row(const sqlite::Statement& row);

// One version of an article (the latest when version is empty).
[[nodiscard]] std::optional<StoredArticle> read_stored_article(sqlite::Database& db,
                                                               std::int64_t article_id,
                                                               std::optional<std::int64_t> version);

}  // namespace archiver
