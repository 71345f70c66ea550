#include "store/archive_reader.hpp"

#include "store/article_queries.hpp"
#include "store/exchanges.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"
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
  m_dictionaries.define_sql_functions();
  define_search_functions(m_db);
}

std::vector<StoredArticle> ArchiveReader::articles(const ArticleQuery& query) {
  // Newest first, those without a date last (SQLite sorts NULL below every value): the order
  // versions_by_published walks backwards, so a page of the newest reads its rows and no more
  // (200,000 articles: 185 ms with a sort, 3 ms without). The days bound that walk as a range
  // of the same index (`published` starts with its YYYY-MM-DD; "~" sorts after any time that
  // follows it), so the filter is written only when it is given: `?2 IS NULL OR ...` would hide
  // the range from the planner.
  std::string sql = "SELECT " + std::string(k_article_columns) +
                    " FROM articles a JOIN versions v ON v.article_id = a.id "
                    "AND v.version = (SELECT max(version) FROM versions WHERE article_id = a.id) "
                    "WHERE 1";
  if (query.site) {
    sql += " AND a.site = ?1";
  }
  if (query.since) {
    sql += " AND v.published >= ?2";
  }
  if (query.until) {
    sql += " AND v.published < ?3 || '~'";
  }
  sql += " ORDER BY v.published DESC, a.id DESC LIMIT ?4 OFFSET ?5";
  auto statement = m_db.prepare(sql);
  statement.bind(1, query.site)
      .bind(2, query.since)
      .bind(3, query.until)
      .bind(4, query.limit)
      .bind(5, query.offset);
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

std::vector<StoredPage> ArchiveReader::stored_pages(const std::optional<std::string>& site,
                                                    const std::optional<std::string>& since) {
  return read_stored_pages(m_db, site, since);
}

std::vector<VersionSummary> ArchiveReader::history(std::int64_t article_id) {
  // An archive a writer has not yet brought to schema 10 (read beside an older daemon) has no
  // parser revisions: its versions say none.
  auto schema = m_db.prepare("PRAGMA user_version");
  const bool has_revisions = schema.step() && schema.column_int(0) >= k_provenance_version;
  auto statement = m_db.prepare(
      has_revisions ? "SELECT version, first_seen, last_seen, content_hash, title, origin, parser, "
                      "parser_version FROM versions WHERE article_id = ?1 ORDER BY version"
                    : "SELECT version, first_seen, last_seen, content_hash, title, origin, parser, "
                      "NULL FROM versions WHERE article_id = ?1 ORDER BY version");
  statement.bind(1, article_id);
  std::vector<VersionSummary> versions;
  while (statement.step()) {
    versions.push_back({.version = statement.column_int(0),
                        .first_seen = statement.column_text(1),
                        .last_seen = statement.column_text(2),
                        .content_hash = statement.column_text(3),
                        .title = statement.column_text(4),
                        .origin = statement.column_text(5),
                        .parser = statement.column_text(6),
                        .parser_version = statement.is_null(7)
                                              ? std::nullopt
                                              : std::optional(statement.column_int(7))});
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
  stats.fetches = count("SELECT count(*) FROM fetches WHERE asset_kind IS NULL");
  stats.asset_fetches = count("SELECT count(*) FROM fetches WHERE asset_kind IS NOT NULL");
  // A day an e-paper did not publish is logged, not a failure.
  // An asset that could not be had is counted apart: it fails no page.
  stats.fetch_errors = count(
      "SELECT count(*) FROM fetches WHERE outcome = 'error' AND NOT not_published AND asset_kind "
      "IS NULL");
  stats.asset_errors =
      count("SELECT count(*) FROM fetches WHERE outcome = 'error' AND asset_kind IS NOT NULL");
  stats.assets = count("SELECT count(*) FROM assets WHERE sha256 IS NOT NULL");
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

std::int64_t ArchiveReader::article_count() {
  auto count = m_db.prepare("SELECT count(*) FROM articles");
  return count.step() ? count.column_int(0) : 0;
}

int ArchiveReader::schema_version() {
  auto version = m_db.prepare("PRAGMA user_version");
  return version.step() ? static_cast<int>(version.column_int(0)) : 0;
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
      "SELECT max(fetched_at), "
      "coalesce(sum(outcome = 'error' AND NOT not_published AND asset_kind IS NULL), 0), "
      "coalesce(sum(not_published), 0), "
      "coalesce(sum(outcome = 'error' AND asset_kind IS NOT NULL), 0) FROM fetches WHERE site = "
      "?1");
  fetches.bind(1, site);
  if (fetches.step()) {
    activity.last_fetch = fetches.column_optional_text(0);
    activity.fetch_errors = fetches.column_int(1);
    activity.not_published = fetches.column_int(2);
    activity.asset_errors = fetches.column_int(3);
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

namespace {

bool is_sha256(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::optional<PrintedOn> ArchiveReader::printed_on(const std::string& article_url) {
  auto query = m_db.prepare(
      "SELECT page_url, shape, coords FROM page_areas WHERE article_url = ?1 "
      "UNION ALL SELECT h.page_url, NULL, NULL FROM headlines h "
      "JOIN edition_pages p ON p.url = h.page_url WHERE h.url = ?1 LIMIT 1");
  query.bind(1, article_url);
  if (!query.step()) {
    return std::nullopt;
  }
  PrintedOn printed;
  printed.page_url = query.column_text(0);
  if (!query.is_null(1)) {
    printed.area = MapArea{
        .article_url = article_url, .shape = query.column_text(1), .coords = query.column_text(2)};
  }
  query.reset();
  auto name = m_db.prepare("SELECT name FROM edition_pages WHERE url = ?1 LIMIT 1");
  name.bind(1, printed.page_url);
  if (name.step()) {
    printed.page_name = name.column_optional_text(0);
  }
  printed.assets = read_page_assets(m_db, printed.page_url);
  return printed;
}

std::optional<StoredAsset> ArchiveReader::asset(std::string_view sha256_or_url) {
  StoredAsset found;
  std::string sha256;
  if (is_sha256(sha256_or_url)) {
    sha256 = sha256_or_url;
    auto kind = m_db.prepare("SELECT url, kind FROM assets WHERE sha256 = ?1 LIMIT 1");
    kind.bind(1, sha256);
    if (kind.step()) {
      found.url = kind.column_text(0);
      found.kind = asset_kind_named(kind.column_text(1)).value_or(AssetKind::image);
    }
  } else {
    const std::string url = normal_or_same(sha256_or_url);
    auto query = m_db.prepare("SELECT kind, sha256, error FROM assets WHERE url = ?1");
    query.bind(1, url);
    if (!query.step()) {
      return std::nullopt;
    }
    found.url = url;
    found.kind = asset_kind_named(query.column_text(0)).value_or(AssetKind::image);
    found.error = query.column_optional_text(2);
    if (query.is_null(1)) {
      return found;  // known, not archived: sha256 empty
    }
    sha256 = query.column_text(1);
  }
  auto body = m_db.prepare("SELECT coalesce(media_type, ''), size FROM bodies WHERE sha256 = ?1");
  body.bind(1, sha256);
  if (!body.step()) {
    if (found.url.empty()) {
      return std::nullopt;
    }
    return found;
  }
  found.sha256 = sha256;
  found.media_type = body.column_text(0);
  found.bytes = body.column_int(1);
  return found;
}

void ArchiveReader::write_body(std::string_view sha256,
                               const std::function<void(std::string_view)>& chunk) {
  if (uncompressed_body_size(m_db, sha256)) {
    stream_body(m_db, sha256, chunk);
    return;
  }
  const auto bytes = load_body(m_db, sha256);  // compressed ones are pages and small assets
  if (!bytes) {
    throw sqlite::StoreError(0, "no stored bytes with SHA-256 " + std::string(sha256));
  }
  chunk(*bytes);
}

std::optional<std::int64_t> ArchiveReader::body_size_as_stored(std::string_view sha256) {
  return uncompressed_body_size(m_db, sha256);
}

std::string ArchiveReader::body_part(std::string_view sha256, std::int64_t offset,
                                     std::size_t length) {
  return read_body_part(m_db, sha256, offset, length);
}

std::vector<EditionSheet> ArchiveReader::edition_sheets(const std::string& site,
                                                        const std::string& edition) {
  return read_edition_sheets(m_db, site, edition);
}

std::vector<StoredArticle> ArchiveReader::recent_versions(const std::optional<std::string>& site,
                                                          std::int64_t limit) {
  return read_recent_versions(m_db, site, limit);
}

std::optional<FetchedPage> ArchiveReader::version_page(std::int64_t article_id,
                                                       std::int64_t version) {
  return read_version_page(m_db, article_id, version);
}

std::int64_t ArchiveReader::newest_version_id() { return read_newest_version_id(m_db); }

std::optional<std::string> ArchiveReader::edition_issue(const std::string& site,
                                                        const std::string& edition) {
  return read_edition_issue(m_db, site, edition);
}

std::optional<std::string> ArchiveReader::newest_edition(const std::string& site) {
  return read_newest_edition(m_db, site);
}

std::vector<EditionReport> ArchiveReader::edition_reports(
    const std::string& site, const std::optional<std::string>& from,
    const std::optional<std::string>& to, const std::function<bool(const std::string&)>& in_scope) {
  return archiver::edition_reports(m_db, site, from, to, in_scope);
}

SearchResults ArchiveReader::search(const SearchRequest& request) {
  return search_archive(m_db, request);
}

void ArchiveReader::each_exchange(const ExchangeQuery& query,
                                  const std::function<void(const ArchivedExchange&)>& visit) {
  archiver::each_exchange(m_db, query, visit);
}

std::vector<StoredArticle> ArchiveReader::versions_from_fetch(std::int64_t fetch_id) {
  return archiver::versions_from_fetch(m_db, fetch_id);
}

}  // namespace archiver
