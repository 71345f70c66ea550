#include "store/search_index.hpp"

#include "search/fold.hpp"
#include "search/query.hpp"
#include "search/rank.hpp"
#include "store/article_queries.hpp"
#include "store/search_tokenizer.hpp"
#include "util/text_parts.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <utility>

namespace archiver {
namespace {

std::string title_text(const std::string& title, const std::optional<std::string>& kicker,
                       const std::optional<std::string>& subtitle) {
  std::string text = title;
  for (const auto* part : {&kicker, &subtitle}) {
    if (*part && !(*part)->empty()) {
      text += '\n';
      text += **part;
    }
  }
  return text;
}

// How common each term is: a phrase is at most as common as its rarest token (one CJK
// character, or a word of letters and digits), and a token's documents are estimated from its
// newest matches (search::estimate_holding): a walk of a few thousand rowids in FTS5's order,
// where counting them all reads the token's whole doclist.
search::TermStatistics term_statistics(sqlite::Database& db,
                                       const std::vector<std::string>& terms) {
  constexpr std::int64_t k_sample = 2000;
  search::TermStatistics statistics;
  // (From versions: a scan of an external-content index reads every row's text.)
  auto rows = db.prepare("SELECT coalesce(max(id), 0) FROM versions");
  statistics.documents = rows.step() ? static_cast<double>(rows.column_int(0)) : 0.0;
  auto newest_matches = db.prepare(
      "SELECT count(*), min(rowid) FROM (SELECT rowid FROM search_index WHERE search_index "
      "MATCH ?1 ORDER BY rowid DESC LIMIT ?2)");
  for (const auto& term : terms) {
    double rarest = statistics.documents;
    const std::string tokens = search::index_text(term);
    for (const std::string_view token : text_parts(tokens, " ")) {
      if (token.empty()) {
        continue;
      }
      newest_matches.bind(1, search::match_expression({std::string(token)})).bind(2, k_sample);
      if (newest_matches.step()) {
        rarest = std::min(
            rarest, search::estimate_holding(static_cast<double>(newest_matches.column_int(0)),
                                             static_cast<double>(k_sample),
                                             static_cast<double>(newest_matches.column_int(1)),
                                             statistics.documents));
      }
      newest_matches.reset();
    }
    statistics.holding.push_back(rarest);
  }
  return statistics;
}

}  // namespace

std::string index_title(const Article& article) {
  return search::index_text(title_text(article.title, article.kicker, article.subtitle));
}

std::string index_body(std::string_view body_text) { return search::index_text(body_text); }

void SearchIndexQueue::add(sqlite::Database& db, std::int64_t version_id, const Article& article,
                           std::string_view body_text) {
  add(db, version_id, index_title(article), index_body(body_text));
}

void SearchIndexQueue::add(sqlite::Database& db, std::int64_t version_id, std::string title,
                           std::string body) {
  m_rows.push_back({version_id, std::move(title), std::move(body)});
  m_bytes += m_rows.back().title.size() + m_rows.back().body.size();
  if (!db.in_transaction()) {
    write(db);
  }
}

void SearchIndexQueue::write(sqlite::Database& db) {
  if (m_rows.empty()) {
    return;
  }
  // The last row of each version id is its version's (an earlier one was rolled back).
  std::map<std::int64_t, const Row*> newest;
  for (const Row& row : m_rows) {
    newest[row.version_id] = &row;
  }
  // A row at a time: the rows are not copied again (a JSON array of them was, twice). Every
  // row goes into FTS5's in-memory table, which writes a segment when the transaction commits
  // or a savepoint begins: so this runs after the batch's pages, before its COMMIT, and each
  // row is one plain VALUES insert (an INSERT ... SELECT opens a statement savepoint, and FTS5
  // would write a segment for every row).
  auto exists = db.prepare("SELECT 1 FROM versions WHERE id = ?1");
  auto insert = db.prepare("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)");
  for (const auto& [id, row] : newest) {
    exists.bind(1, id);
    const bool stored = exists.step();
    exists.reset();
    if (stored) {
      insert.bind(1, id).bind(2, row->title).bind(3, row->body).run();
    }
  }
  clear();
}

void SearchIndexQueue::write_if_large(sqlite::Database& db) {
  if (m_bytes > k_write_mark) {
    write(db);
  }
}

void set_search_merging(sqlite::Database& db) {
  constexpr std::int64_t k_segments_merged = 8;
  auto current = db.prepare("SELECT v FROM search_index_config WHERE k = 'automerge'");
  const bool set = current.step() && current.column_int(0) == k_segments_merged;
  current.reset();
  if (set) {
    return;
  }
  try {
    sqlite::Transaction transaction(db);
    auto setting =
        db.prepare("INSERT INTO search_index (search_index, rank) VALUES ('automerge', ?1)");
    setting.bind(1, k_segments_merged).run();
    transaction.commit();
  } catch (const sqlite::StoreError& error) {
    // (Another writer's batch past the busy timeout, a full disk: the next writer sets it;
    // until then FTS5 merges four at a time, as it did.)
    spdlog::warn("{}: the search index keeps merging four segments at a time for now: {}",
                 db.path().string(), error.what());
  }
}

std::int64_t rebuild_search_index(sqlite::Database& db) {
  // FTS5 reads every version's text through the view search_text (schema 12): decompressed and
  // folded as SearchIndexQueue folds it.
  sqlite::Transaction transaction(db);
  db.execute("INSERT INTO search_index (search_index) VALUES ('rebuild')");
  auto count = db.prepare("SELECT count(*) FROM versions");
  const std::int64_t indexed = count.step() ? count.column_int(0) : 0;
  count.reset();
  transaction.commit();
  return indexed;
}

void define_search_functions(sqlite::Database& db) {
  use_quick_search_tokenizer(db);
  db.define_function("archiver_index_text",
                     [](std::string_view text) { return search::index_text(text); });
}

SearchResults search_archive(sqlite::Database& db, const SearchRequest& request) {
  SearchResults results;
  const std::string match = search::match_expression(request.terms);
  if (match.empty()) {
    return results;
  }
  // The candidates: the index walked newest version first (FTS5 serves rowid order without
  // sorting), filtered, stopped after `window` matches plus one that only tells whether there
  // were more.
  auto candidates = db.prepare(
      "SELECT v.article_id, v.version, v.title, v.kicker, v.subtitle, archiver_text(v.body_zstd) "
      "FROM search_index s JOIN versions v ON v.id = s.rowid JOIN articles a ON a.id = "
      "v.article_id WHERE search_index MATCH ?1 "
      "AND (?5 OR v.version = (SELECT max(version) FROM versions WHERE article_id = a.id)) "
      "AND (?2 IS NULL OR a.site = ?2) "
      "AND (?3 IS NULL OR substr(v.published, 1, 10) >= ?3) "
      "AND (?4 IS NULL OR substr(v.published, 1, 10) <= ?4) "
      "ORDER BY s.rowid DESC LIMIT ?6");
  candidates.bind(1, match)
      .bind(2, request.filters.site)
      .bind(3, request.filters.since)
      .bind(4, request.filters.until)
      .bind(5, std::int64_t{request.all_versions ? 1 : 0})
      .bind(6, request.window < 0 ? std::int64_t{-1} : request.window + 1);
  struct Candidate {
    std::int64_t article_id;
    std::int64_t version;
    std::string title;  // folded
    std::string body;   // folded
  };
  std::vector<Candidate> found;
  std::int64_t matched = 0;
  while (candidates.step()) {
    if (request.window >= 0 && matched++ == request.window) {
      results.window_full = true;
      break;
    }
    Candidate candidate{
        candidates.column_int(0), candidates.column_int(1),
        search::fold(title_text(candidates.column_text(2), candidates.column_optional_text(3),
                                candidates.column_optional_text(4))),
        search::fold(candidates.column_text(5))};
    if (search::holds_all_terms({candidate.title, candidate.body}, request.terms)) {
      found.push_back(std::move(candidate));
    }
  }

  std::vector<search::RankedText> texts;
  texts.reserve(found.size());
  for (const auto& candidate : found) {
    texts.push_back({candidate.title, candidate.body});
  }
  const std::vector<double> scores =
      search::bm25_scores(texts, request.terms, term_statistics(db, request.terms));
  // Best first; among equals, the newest (candidates come newest first).
  std::vector<std::size_t> order(found.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::stable_sort(order,
                           [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  if (request.filters.limit >= 0 && std::cmp_less(request.filters.limit, order.size())) {
    order.resize(static_cast<std::size_t>(request.filters.limit));
  }
  for (const std::size_t index : order) {
    auto article = read_stored_article(db, found[index].article_id, found[index].version);
    if (article) {
      results.hits.push_back({std::move(*article), scores[index]});
    }
  }
  return results;
}

}  // namespace archiver
