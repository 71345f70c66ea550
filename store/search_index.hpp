#pragma once
// The full-text index (`search_index`, schema 7; external content since schema 12) and the
// queries on it. Each article version has one row, rowid = versions.id, indexing its text as
// search::index_text() folds it; the text itself is read from the versions (the view
// search_text), never kept twice.

#include "store/archive_reader.hpp"
#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace archiver {

// Adds one version's row (body_text: article.body_text(), as stored); call in the transaction
// that stores the version.
void index_version(sqlite::Database& db, std::int64_t version_id, const Article& article,
                   std::string_view body_text);

// Empties the index and builds it again from the versions (FTS5's 'rebuild', through the view
// search_text), e.g. after an OpenCC upgrade changed how characters fold. Returns how many
// versions it holds.
std::int64_t rebuild_search_index(sqlite::Database& db);

// archiver_index_text(text): index_text() for SQL, on this connection. The view search_text and
// the trigger that takes a deleted version out of the index use it; it needs load_folding().
void define_search_functions(sqlite::Database& db);

struct SearchRequest {
  std::vector<std::string> terms;  // folded, as search::query_terms() gives them
  ArticleQuery filters;            // site, published dates, limit
  bool all_versions = false;       // old versions too, not only each article's latest
  // How many of the newest matches are ranked (each is read and scored); the newest matches
  // are found in index order at once, however many there are. Negative: every match.
  std::int64_t window = 2000;
};

struct SearchHit {
  StoredArticle article;
  double score = 0;  // BM25 (search::bm25_scores): higher is better
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best first
  bool window_full = false;     // more matches exist than were ranked
};

[[nodiscard]] SearchResults search_archive(sqlite::Database& db, const SearchRequest& request);

}  // namespace archiver
