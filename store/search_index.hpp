#pragma once
// The full-text index (`search_index`, schema 7; external content since schema 12) and the
// queries on it. Each article version has one row, rowid = versions.id, indexing its text as
// search::index_text() folds it; the text itself is read from the versions (the view
// search_text), never kept twice.

#include "store/archive_reader.hpp"
#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace archiver {

// The index rows of the versions a transaction stores, added in one statement just before it
// commits. FTS5 (SQLite 3.40) writes the terms it holds in memory to disk at every savepoint: a
// page's in a list crawl's batch, and the statement savepoint SQLite opens around each write
// that may fail midway (in every batch): rows added as each version is stored became a segment
// each (and their merging a fifth of a crawl's time). The writer's, on its thread.
class SearchIndexQueue {
 public:
  // One version's row (body_text: article.body_text(), as stored). Outside a transaction it is
  // written at once.
  void add(sqlite::Database& db, std::int64_t version_id, const Article& article,
           std::string_view body_text);
  // The same, folded already (index_title and index_text below).
  void add(sqlite::Database& db, std::int64_t version_id, std::string title, std::string body);
  // In the transaction, before its COMMIT: the rows of the versions it still holds (a page's
  // savepoint rolled back took its versions with it; a version id used again after that is
  // indexed as it is now).
  void write(sqlite::Database& db);
  // The same once the rows hold 256 KiB of text: a batch's rows are indexed as it goes, not all
  // at its commit, when nothing else is stored, and a batch of big pages is not all held twice.
  // Only between pages: rows written inside a page's savepoint would go with it if it rolled
  // back, those of the pages before included.
  void write_if_large(sqlite::Database& db);
  // Some sixty articles. Each write is a segment (FTS5 flushes its terms at the next
  // savepoint, the next page's at the latest), and rows held to the COMMIT are indexed while the
  // parse pool waits for the batch to end. Measured on the benchmark crawl: 4 MiB
  // (one write per batch, at its commit) 10.54-10.80 s, 256 KiB 9.88-9.92 s and 4 MB less peak RSS,
  // 32 KiB 10.40-10.48 s (more segments to merge); the index ends the same size.
  static constexpr std::size_t k_write_mark = 256U << 10U;
  void clear() noexcept {
    m_rows.clear();
    m_bytes = 0;
  }

 private:
  struct Row {
    std::int64_t version_id;
    std::string title;  // folded (search::index_text)
    std::string body;
  };
  std::vector<Row> m_rows;
  std::size_t m_bytes = 0;
};

// An article's two columns of the index, folded: the title with 引题 and 副题, and the body
// (body_text: article.body_text()).
[[nodiscard]] std::string index_title(const Article& article);
[[nodiscard]] std::string index_body(std::string_view body_text);

// FTS5 writes the terms of the rows added since the last savepoint or commit as a segment of
// their own, and merges segments as they pile up: by default four at a time. A crawl writes
// hundreds of small segments (one per 256 KiB of index text, SearchIndexQueue), each term then
// rewritten once per level; eight at a time means fewer levels (bench/fts_merge.py: 17% less
// time in FTS5 for the benchmark crawl's articles, the index 0.2% larger, search at a million
// articles as fast; BENCHMARKS.md). The setting is kept in the index (search_index_config):
// the writer sets it when it opens an archive that lacks it. Not a schema step: readers, of
// this binary or an older one, use the index as before.
void set_search_merging(sqlite::Database& db);

// Empties the index and builds it again from the versions (FTS5's 'rebuild', through the view
// search_text), e.g. after an OpenCC upgrade changed how characters fold. Returns how many
// versions it holds.
std::int64_t rebuild_search_index(sqlite::Database& db);

// archiver_index_text(text): index_text() for SQL, on this connection. The view search_text and
// the trigger that takes a deleted version out of the index use it; it needs load_folding().
// And the index's tokenizer, unicode61 with words of one ideograph taken first
// (store/search_tokenizer.hpp).
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
