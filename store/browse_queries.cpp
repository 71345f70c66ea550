#include "store/browse_queries.hpp"

#include "store/article_queries.hpp"

namespace archiver {

std::vector<EditionSheet> read_edition_sheets(sqlite::Database& db, const std::string& site,
                                              const std::string& edition) {
  std::vector<EditionSheet> sheets;
  auto pages = db.prepare(
      "SELECT url, name FROM edition_pages WHERE site = ?1 AND edition = ?2 ORDER BY position");
  pages.bind(1, site).bind(2, edition);
  while (pages.step()) {
    sheets.push_back({.url = pages.column_text(0), .name = pages.column_optional_text(1)});
  }
  // An article stored as URL#anchor (one of several printed on a page) stands for its URL.
  auto headlines = db.prepare(
      "SELECT h.title, h.url, h.summary, (SELECT a.id FROM articles a WHERE a.url = h.url OR "
      "(a.url > h.url || '#' AND a.url < h.url || '$') ORDER BY a.url LIMIT 1) "
      "FROM headlines h WHERE h.page_url = ?1 ORDER BY h.position");
  for (auto& sheet : sheets) {
    sheet.assets = read_page_assets(db, sheet.url);
    headlines.bind(1, sheet.url);
    while (headlines.step()) {
      sheet.headlines.push_back({.title = headlines.column_text(0),
                                 .url = headlines.column_text(1),
                                 .summary = headlines.column_optional_text(2),
                                 .article = headlines.is_null(3)
                                                ? std::nullopt
                                                : std::optional(headlines.column_int(3))});
    }
    headlines.reset();
  }
  return sheets;
}

std::vector<StoredArticle> read_recent_versions(sqlite::Database& db,
                                                const std::optional<std::string>& site,
                                                std::int64_t limit) {
  auto statement = db.prepare("SELECT " + std::string(k_article_columns) +
                              " FROM versions v JOIN articles a ON a.id = v.article_id "
                              "WHERE (?1 IS NULL OR a.site = ?1) "
                              "ORDER BY v.id DESC LIMIT ?2");
  statement.bind(1, site).bind(2, limit);
  std::vector<StoredArticle> versions;
  while (statement.step()) {
    versions.push_back(read_article_row(statement));
  }
  return versions;
}

std::int64_t read_newest_version_id(sqlite::Database& db) {
  auto statement = db.prepare("SELECT coalesce(max(id), 0) FROM versions");
  return statement.step() ? statement.column_int(0) : 0;
}

std::optional<std::string> read_edition_issue(sqlite::Database& db, const std::string& site,
                                              const std::string& edition) {
  // versions_by_edition finds the edition's versions without walking the others.
  auto statement = db.prepare(
      "SELECT v.issue FROM versions v JOIN articles a ON a.id = v.article_id "
      "WHERE v.edition = ?2 AND a.site = ?1 AND v.issue IS NOT NULL LIMIT 1");
  statement.bind(1, site).bind(2, edition);
  return statement.step() ? std::optional(statement.column_text(0)) : std::nullopt;
}

std::optional<std::string> read_newest_edition(sqlite::Database& db, const std::string& site) {
  auto statement = db.prepare("SELECT max(edition) FROM edition_pages WHERE site = ?1");
  statement.bind(1, site);
  return statement.step() ? statement.column_optional_text(0) : std::nullopt;
}

std::optional<FetchedPage> read_version_page(sqlite::Database& db, std::int64_t article_id,
                                             std::int64_t version) {
  auto from_version = db.prepare(
      "SELECT b.sha256, coalesce(f.content_type, ''), coalesce(f.final_url, f.url), "
      "coalesce(f.charset, '') "
      "FROM versions v JOIN fetches f ON f.id = v.fetch_id JOIN bodies b ON b.id = f.body_id "
      "WHERE v.article_id = ?1 AND v.version = ?2");
  from_version.bind(1, article_id).bind(2, version);
  if (from_version.step()) {
    return FetchedPage{.sha256 = from_version.column_text(0),
                       .content_type = from_version.column_text(1),
                       .charset = from_version.column_text(3),
                       .url = from_version.column_text(2)};
  }
  // An article of several on one page is archived as URL#anchor; its page is the URL.
  auto newest = db.prepare(
      "SELECT b.sha256, coalesce(f.content_type, ''), coalesce(f.final_url, f.url), "
      "coalesce(f.charset, '') "
      "FROM articles a JOIN fetches f ON f.url = (CASE WHEN instr(a.url, '#') > 0 "
      "THEN substr(a.url, 1, instr(a.url, '#') - 1) ELSE a.url END) "
      "JOIN bodies b ON b.id = f.body_id WHERE a.id = ?1 ORDER BY f.id DESC LIMIT 1");
  newest.bind(1, article_id);
  if (newest.step()) {
    return FetchedPage{.sha256 = newest.column_text(0),
                       .content_type = newest.column_text(1),
                       .charset = newest.column_text(3),
                       .url = newest.column_text(2)};
  }
  return std::nullopt;
}

}  // namespace archiver
