#include "store/archive_reader.hpp"

#include "store/article_queries.hpp"
#include "store/schema.hpp"
#include "util/url.hpp"

#include <charconv>
#include <system_error>

namespace archiver {
namespace {

std::int64_t file_size_or_zero(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<std::int64_t>(size);
}

}  // namespace

ArchiveReader::ArchiveReader(const std::filesystem::path& path)
    : m_db(path, sqlite::Database::Mode::read_only) {
  m_db.execute("PRAGMA busy_timeout = 10000");
  check_readable(m_db);
}

std::vector<StoredArticle> ArchiveReader::articles(const ArticleQuery& query) {
  // Dates compare on the first 10 characters of `published` (YYYY-MM-DD).
  auto statement =
      m_db.prepare("SELECT " + std::string(k_article_columns) +
                   " FROM articles a JOIN versions v ON v.article_id = a.id "
                   "AND v.version = (SELECT max(version) FROM versions WHERE article_id = a.id) "
                   "WHERE (?1 IS NULL OR a.site = ?1) "
                   "AND (?2 IS NULL OR substr(v.published, 1, 10) >= ?2) "
                   "AND (?3 IS NULL OR substr(v.published, 1, 10) <= ?3) "
                   "ORDER BY v.published IS NULL, v.published DESC, a.id DESC LIMIT ?4");
  statement.bind(1, query.site).bind(2, query.since).bind(3, query.until).bind(4, query.limit);
  std::vector<StoredArticle> result;
  while (statement.step()) {
    result.push_back(read_article_row(statement));
  }
  return result;
}

void ArchiveReader::each_article(const ArticleQuery& query, bool all_versions,
                                 const std::function<void(const StoredArticle&)>& visit) {
  auto statement = m_db.prepare("SELECT " + std::string(k_article_columns) +
                                " FROM articles a JOIN versions v ON v.article_id = a.id "
                                "WHERE (?5 OR v.version = (SELECT max(version) FROM versions "
                                "WHERE article_id = a.id)) "
                                "AND (?1 IS NULL OR a.site = ?1) "
                                "AND (?2 IS NULL OR substr(v.published, 1, 10) >= ?2) "
                                "AND (?3 IS NULL OR substr(v.published, 1, 10) <= ?3) "
                                "ORDER BY a.id, v.version LIMIT ?4");
  statement.bind(1, query.site)
      .bind(2, query.since)
      .bind(3, query.until)
      .bind(4, query.limit)
      .bind(5, std::int64_t{all_versions ? 1 : 0});
  while (statement.step()) {
    visit(read_article_row(statement));
  }
}

std::optional<std::int64_t> ArchiveReader::resolve_id(std::string_view id_or_url) {
  std::int64_t id = 0;
  const auto* end = id_or_url.data() + id_or_url.size();
  const auto parsed = std::from_chars(id_or_url.data(), end, id);
  if (parsed.ec == std::errc{} && parsed.ptr == end) {
    return id;
  }
  // As typed, else in the normal form the archive stores URLs in.
  auto find =
      m_db.prepare("SELECT id FROM articles WHERE url = ?1 OR url = ?2 ORDER BY url = ?1 DESC");
  find.bind(1, id_or_url).bind(2, normal_or_same(id_or_url));
  if (find.step()) {
    return find.column_int(0);
  }
  return std::nullopt;
}

std::optional<StoredArticle> ArchiveReader::article(std::string_view id_or_url,
                                                    std::optional<std::int64_t> version) {
  const auto id = resolve_id(id_or_url);
  if (!id) {
    return std::nullopt;
  }
  return read_stored_article(m_db, *id, version);
}

std::vector<VersionSummary> ArchiveReader::history(std::int64_t article_id) {
  auto statement = m_db.prepare(
      "SELECT version, first_seen, last_seen, content_hash, title FROM versions "
      "WHERE article_id = ?1 ORDER BY version");
  statement.bind(1, article_id);
  std::vector<VersionSummary> versions;
  while (statement.step()) {
    versions.push_back({.version = statement.column_int(0),
                        .first_seen = statement.column_text(1),
                        .last_seen = statement.column_text(2),
                        .content_hash = statement.column_text(3),
                        .title = statement.column_text(4)});
  }
  return versions;
}

ArchiveStats ArchiveReader::stats() {
  ArchiveStats stats;
  const auto count = [&](std::string_view sql) {
    auto statement = m_db.prepare(sql);
    return statement.step() ? statement.column_int(0) : 0;
  };
  stats.articles = count("SELECT count(*) FROM articles");
  stats.versions = count("SELECT count(*) FROM versions");
  stats.fetches = count("SELECT count(*) FROM fetches");
  // A day an e-paper did not publish is logged, not a failure.
  stats.fetch_errors =
      count("SELECT count(*) FROM fetches WHERE outcome = 'error' AND NOT not_published");
  stats.bodies = count("SELECT count(*) FROM bodies");
  stats.raw_bytes = count("SELECT coalesce(sum(size), 0) FROM bodies");
  stats.compressed_bytes = count("SELECT coalesce(sum(length(data)), 0) FROM bodies");
  stats.schema_version = static_cast<int>(count("PRAGMA user_version"));
  auto last = m_db.prepare("SELECT max(fetched_at) FROM fetches");
  if (last.step()) {
    stats.last_fetch = last.column_optional_text(0);
  }
  const auto& path = m_db.path();
  stats.database_bytes = file_size_or_zero(path) + file_size_or_zero(path.string() + "-wal");
  return stats;
}

std::vector<FetchErrorRow> ArchiveReader::recent_errors(std::int64_t limit) {
  auto statement = m_db.prepare(
      "SELECT fetched_at, url, http_status, coalesce(error, '') FROM fetches "
      "WHERE outcome = 'error' AND NOT not_published ORDER BY id DESC LIMIT ?1");
  statement.bind(1, limit);
  std::vector<FetchErrorRow> rows;
  while (statement.step()) {
    FetchErrorRow row;
    row.fetched_at = statement.column_text(0);
    row.url = statement.column_text(1);
    if (!statement.is_null(2)) {
      row.http_status = statement.column_int(2);
    }
    row.error = statement.column_text(3);
    rows.push_back(std::move(row));
  }
  return rows;
}

SiteActivity ArchiveReader::site_activity(const std::string& site) {
  SiteActivity activity;
  auto articles = m_db.prepare("SELECT count(*) FROM articles WHERE site = ?1");
  articles.bind(1, site);
  activity.articles = articles.step() ? articles.column_int(0) : 0;
  auto fetches = m_db.prepare(
      "SELECT max(fetched_at), coalesce(sum(outcome = 'error' AND NOT not_published), 0), "
      "coalesce(sum(not_published), 0) FROM fetches WHERE site = ?1");
  fetches.bind(1, site);
  if (fetches.step()) {
    activity.last_fetch = fetches.column_optional_text(0);
    activity.fetch_errors = fetches.column_int(1);
    activity.not_published = fetches.column_int(2);
  }
  return activity;
}

std::optional<CrawlRecord> ArchiveReader::last_parsing_crawl(const std::string& site) {
  auto crawls = read_recent_crawls(m_db, site, 1, true);
  if (crawls.empty()) {
    return std::nullopt;
  }
  return std::move(crawls.front());
}

std::vector<CrawlRecord> ArchiveReader::recent_crawls(const std::string& site, std::int64_t limit) {
  return read_recent_crawls(m_db, site, limit);
}

std::optional<std::string> ArchiveReader::body(std::string_view sha256) {
  return load_body(m_db, sha256);
}

}  // namespace archiver
