#include "store/search_index.hpp"

#include "search/fold.hpp"
#include "search/query.hpp"
#include "store/article_queries.hpp"

namespace archiver {
namespace {

// Titles count ten times as much as the body in the ranking.
constexpr std::string_view k_rank = "bm25(search_index, 10.0, 1.0)";

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

void insert_row(sqlite::Database& db, std::int64_t version_id, std::string_view title,
                std::string_view body) {
  auto insert = db.prepare("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)");
  insert.bind(1, version_id)
      .bind(2, search::index_text(title))
      .bind(3, search::index_text(body))
      .run();
}

}  // namespace

void index_version(sqlite::Database& db, std::int64_t version_id, const Article& article,
                   std::string_view body_text) {
  insert_row(db, version_id, title_text(article.title, article.kicker, article.subtitle),
             body_text);
}

std::int64_t index_all_versions(sqlite::Database& db) {
  auto versions = db.prepare(
      "SELECT id, title, kicker, subtitle, body FROM versions "
      "WHERE id NOT IN (SELECT rowid FROM search_index) ORDER BY id");
  std::int64_t added = 0;
  while (versions.step()) {
    insert_row(db, versions.column_int(0),
               title_text(versions.column_text(1), versions.column_optional_text(2),
                          versions.column_optional_text(3)),
               versions.column_text(4));
    ++added;
  }
  return added;
}

std::int64_t rebuild_search_index(sqlite::Database& db) {
  sqlite::Transaction transaction(db);
  db.execute("DELETE FROM search_index");
  const std::int64_t added = index_all_versions(db);
  transaction.commit();
  return added;
}

SearchResults search_archive(sqlite::Database& db, const SearchRequest& request) {
  SearchResults results;
  const std::string match = search::match_expression(request.terms);
  if (match.empty()) {
    return results;
  }
  // The innermost query walks the index newest version first (FTS5 serves rowid order
  // without sorting), applies the filters, and stops after `window` matches, plus one that only
  // tells whether there were more; only those are scored. The middle ones keep the best `limit`
  // of the window, so that only the rows shown are read in full.
  auto statement = db.prepare(
      "SELECT " + std::string(k_article_columns) +
      ", hits.score, hits.matched FROM ("
      " SELECT version_id, score, matched FROM ("
      "  SELECT version_id, score, count(*) OVER () AS matched,"
      "   row_number() OVER (ORDER BY version_id DESC) AS newest FROM ("
      "   SELECT s.rowid AS version_id, " +
      std::string(k_rank) +
      " AS score FROM search_index s"
      "   JOIN versions v ON v.id = s.rowid JOIN articles a ON a.id = v.article_id"
      "   WHERE search_index MATCH ?1"
      "   AND (?5 OR v.version = (SELECT max(version) FROM versions WHERE article_id = a.id))"
      "   AND (?2 IS NULL OR a.site = ?2)"
      "   AND (?3 IS NULL OR substr(v.published, 1, 10) >= ?3)"
      "   AND (?4 IS NULL OR substr(v.published, 1, 10) <= ?4)"
      "   ORDER BY s.rowid DESC LIMIT ?6"
      "  )"
      " ) WHERE ?8 < 0 OR newest <= ?8 ORDER BY score, version_id DESC LIMIT ?7"
      ") hits JOIN versions v ON v.id = hits.version_id JOIN articles a ON a.id = v.article_id "
      "ORDER BY hits.score, v.id DESC");
  statement.bind(1, match)
      .bind(2, request.filters.site)
      .bind(3, request.filters.since)
      .bind(4, request.filters.until)
      .bind(5, std::int64_t{request.all_versions ? 1 : 0})
      .bind(6, request.window < 0 ? std::int64_t{-1} : request.window + 1)
      .bind(7, request.filters.limit)
      .bind(8, request.window);
  while (statement.step()) {
    results.hits.push_back({read_article_row(statement), statement.column_double(21)});
    results.window_full = request.window >= 0 && statement.column_int(22) > request.window;
  }
  return results;
}

}  // namespace archiver
