#include "store/exchanges.hpp"

#include "store/article_queries.hpp"

namespace archiver {

void each_exchange(sqlite::Database& db, const ExchangeQuery& query,
                   const std::function<void(const ArchivedExchange&)>& visit) {
  auto fetches = db.prepare(
      "SELECT f.id, coalesce(f.final_url, f.url), f.fetched_at, f.http_status, f.outcome, "
      "b.sha256, coalesce(f.request_headers, ''), coalesce(f.response_headers, ''), "
      "f.received_sha256, coalesce(f.content_type, '') "
      "FROM fetches f LEFT JOIN bodies b ON b.id = f.body_id "
      "WHERE (f.body_id IS NOT NULL OR f.outcome = 'not-modified') "
      "AND (?1 IS NULL OR f.site = ?1) "
      "AND (?2 IS NULL OR substr(f.fetched_at, 1, 10) >= ?2) "
      "AND (?3 IS NULL OR substr(f.fetched_at, 1, 10) <= ?3) ORDER BY f.id");
  fetches.bind(1, query.site).bind(2, query.since).bind(3, query.until);
  while (fetches.step()) {
    visit({.fetch_id = fetches.column_int(0),
           .url = fetches.column_text(1),
           .fetched_at = fetches.column_text(2),
           .http_status = fetches.is_null(3) ? std::nullopt
                                             : std::optional<std::int64_t>(fetches.column_int(3)),
           .outcome = fetches.column_text(4),
           .body_sha256 = fetches.column_optional_text(5),
           .request_headers = fetches.column_text(6),
           .response_headers = fetches.column_text(7),
           .received_sha256 = fetches.column_optional_text(8),
           .content_type = fetches.column_text(9)});
  }
}

std::vector<StoredArticle> versions_from_fetch(sqlite::Database& db, std::int64_t fetch_id) {
  auto versions = db.prepare("SELECT " + std::string(k_article_columns) +
                             " FROM versions v JOIN articles a ON a.id = v.article_id "
                             "WHERE v.fetch_id = ?1 ORDER BY v.id");
  versions.bind(1, fetch_id);
  std::vector<StoredArticle> made;
  while (versions.step()) {
    made.push_back(read_article_row(versions));
  }
  return made;
}

}  // namespace archiver
