#include "store/archive_writer.hpp"

#include "change/fingerprint.hpp"
#include "store/schema.hpp"
#include "util/compression.hpp"
#include "util/sha256.hpp"

namespace archiver {
namespace {

std::optional<std::string> non_empty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::created:
      return "new";
    case Outcome::changed:
      return "changed";
    case Outcome::unchanged:
      return "unchanged";
    case Outcome::not_modified:
      return "not-modified";
    case Outcome::error:
      return "error";
  }
  return "error";
}

ArchiveWriter::ArchiveWriter(const std::filesystem::path& path)
    : m_db(path, sqlite::Database::Mode::read_write_create) {
  // Readers in other processes wait instead of failing while a batch commits.
  m_db.execute("PRAGMA busy_timeout = 10000");
  migrate(m_db);
  m_db.execute("PRAGMA journal_mode = WAL");
  // WAL with synchronous=NORMAL survives process crashes (kill -9) without corruption; only an
  // OS crash or power loss can drop the last commits.
  m_db.execute("PRAGMA synchronous = NORMAL");
  m_db.execute("PRAGMA foreign_keys = ON");
}

PageState ArchiveWriter::page_state(std::string_view url) {
  auto query = m_db.prepare("SELECT etag, last_modified, body_sha256 FROM pages WHERE url = ?1");
  query.bind(1, url);
  PageState state;
  if (query.step()) {
    state.etag = query.column_optional_text(0);
    state.last_modified = query.column_optional_text(1);
    state.body_sha256 = query.column_optional_text(2);
  }
  return state;
}

std::int64_t ArchiveWriter::insert_fetch(const FetchRecord& fetch, Outcome outcome,
                                         const std::optional<std::string>& body_sha256) {
  auto insert = m_db.prepare(
      "INSERT INTO fetches (url, final_url, site, fetched_at, http_status, outcome, bytes, "
      "duration_ms, body_sha256, content_type, charset, charset_reason, request_headers, "
      "response_headers, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
      "?14, ?15)");
  insert.bind(1, fetch.url)
      .bind(2, non_empty(fetch.final_url))
      .bind(3, fetch.site)
      .bind(4, fetch.fetched_at)
      .bind(5, fetch.http_status)
      .bind(6, to_string(outcome))
      .bind(7, fetch.bytes)
      .bind(8, fetch.duration_ms)
      .bind(9, body_sha256)
      .bind(10, non_empty(fetch.content_type))
      .bind(11, non_empty(fetch.charset))
      .bind(12, non_empty(fetch.charset_reason))
      .bind(13, non_empty(fetch.request_headers))
      .bind(14, non_empty(fetch.response_headers))
      .bind(15, fetch.error);
  insert.run();
  return m_db.last_insert_rowid();
}

void ArchiveWriter::store_body(const std::string& sha256, std::string_view body) {
  auto exists = m_db.prepare("SELECT 1 FROM bodies WHERE sha256 = ?1");
  exists.bind(1, sha256);
  if (exists.step()) {
    return;  // content-addressed: identical bytes are stored once
  }
  auto insert = m_db.prepare(
      "INSERT INTO bodies (sha256, size, compression, data) VALUES (?1, ?2, 'zstd', ?3)");
  const std::string compressed = zstd_compress(body);
  insert.bind(1, sha256).bind(2, static_cast<std::int64_t>(body.size())).bind_blob(3, compressed);
  insert.run();
}

void ArchiveWriter::update_page(const FetchRecord& fetch,
                                const std::optional<std::string>& body_sha256,
                                std::int64_t fetch_id) {
  // A 304 keeps the validators and body we had; a 200 replaces them.
  auto upsert = m_db.prepare(
      "INSERT INTO pages (url, site, etag, last_modified, body_sha256, first_fetched, "
      "last_fetched, last_fetch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7) "
      "ON CONFLICT (url) DO UPDATE SET site = excluded.site, "
      "etag = coalesce(excluded.etag, CASE WHEN ?5 IS NULL THEN etag END), "
      "last_modified = coalesce(excluded.last_modified, CASE WHEN ?5 IS NULL THEN last_modified "
      "END), body_sha256 = coalesce(excluded.body_sha256, body_sha256), "
      "last_fetched = excluded.last_fetched, last_fetch_id = excluded.last_fetch_id");
  upsert.bind(1, fetch.url)
      .bind(2, fetch.site)
      .bind(3, non_empty(fetch.etag))
      .bind(4, non_empty(fetch.last_modified))
      .bind(5, body_sha256)
      .bind(6, fetch.fetched_at)
      .bind(7, fetch_id);
  upsert.run();
}

StoreResult ArchiveWriter::record_failure(const FetchRecord& fetch) {
  sqlite::Transaction transaction(m_db);
  insert_fetch(fetch, Outcome::error, std::nullopt);
  transaction.commit();
  return {.outcome = Outcome::error, .article_id = std::nullopt, .version = std::nullopt};
}

StoreResult ArchiveWriter::record_not_modified(const FetchRecord& fetch) {
  sqlite::Transaction transaction(m_db);
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::not_modified, std::nullopt);
  update_page(fetch, std::nullopt, fetch_id);
  StoreResult result{.outcome = Outcome::not_modified, .article_id = {}, .version = {}};
  auto find = m_db.prepare(
      "SELECT a.id, max(v.version) FROM articles a JOIN versions v ON v.article_id = a.id "
      "WHERE a.url = ?1 GROUP BY a.id");
  find.bind(1, fetch.url);
  if (find.step()) {
    result.article_id = find.column_int(0);
    result.version = find.column_int(1);
    auto touch_article = m_db.prepare("UPDATE articles SET last_seen = ?2 WHERE id = ?1");
    touch_article.bind(1, *result.article_id).bind(2, fetch.fetched_at).run();
    auto touch_version =
        m_db.prepare("UPDATE versions SET last_seen = ?3 WHERE article_id = ?1 AND version = ?2");
    touch_version.bind(1, *result.article_id).bind(2, *result.version).bind(3, fetch.fetched_at);
    touch_version.run();
  }
  transaction.commit();
  return result;
}

StoreResult ArchiveWriter::record_page(const FetchRecord& fetch, std::string_view body,
                                       const ParsedPage& page, std::string_view parser) {
  const std::string sha256 = sha256_hex(body);
  const PageState before = page_state(fetch.url);

  sqlite::Transaction transaction(m_db);
  store_body(sha256, body);
  // The fetch row is written first with a provisional outcome so that versions can point at it.
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::unchanged, sha256);
  update_page(fetch, sha256, fetch_id);
  store_headlines(fetch.url, page.headlines);

  StoreResult result;
  if (page.article) {
    result = store_article(fetch, *page.article, parser, fetch_id);
  } else if (!before.body_sha256) {
    result.outcome = Outcome::created;
  } else {
    result.outcome = *before.body_sha256 == sha256 ? Outcome::unchanged : Outcome::changed;
  }
  auto set_outcome = m_db.prepare("UPDATE fetches SET outcome = ?2 WHERE id = ?1");
  set_outcome.bind(1, fetch_id).bind(2, to_string(result.outcome)).run();
  transaction.commit();
  return result;
}

StoreResult ArchiveWriter::store_article(const FetchRecord& fetch, const Article& article,
                                         std::string_view parser, std::int64_t fetch_id) {
  const std::string hash = content_hash(article);
  StoreResult result;

  auto find = m_db.prepare("SELECT id FROM articles WHERE url = ?1");
  find.bind(1, fetch.url);
  std::int64_t article_id = 0;
  std::int64_t version = 1;
  if (find.step()) {
    article_id = find.column_int(0);
    auto latest = m_db.prepare(
        "SELECT version, content_hash FROM versions WHERE article_id = ?1 "
        "ORDER BY version DESC LIMIT 1");
    latest.bind(1, article_id);
    if (latest.step() && latest.column_text(1) == hash) {
      // Same content: the article and its latest version were seen again, nothing new stored.
      result.outcome = Outcome::unchanged;
      result.article_id = article_id;
      result.version = latest.column_int(0);
      auto touch = m_db.prepare(
          "UPDATE articles SET last_seen = ?2, site = coalesce(?3, site) "
          "WHERE id = ?1");
      touch.bind(1, article_id).bind(2, fetch.fetched_at).bind(3, fetch.site).run();
      auto touch_version =
          m_db.prepare("UPDATE versions SET last_seen = ?3 WHERE article_id = ?1 AND version = ?2");
      touch_version.bind(1, article_id).bind(2, *result.version).bind(3, fetch.fetched_at).run();
      return result;
    }
    version = latest.column_int(0) + 1;
    result.outcome = Outcome::changed;
    auto touch = m_db.prepare(
        "UPDATE articles SET last_seen = ?2, site = coalesce(?3, site) "
        "WHERE id = ?1");
    touch.bind(1, article_id).bind(2, fetch.fetched_at).bind(3, fetch.site).run();
  } else {
    auto insert = m_db.prepare(
        "INSERT INTO articles (url, site, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)");
    insert.bind(1, fetch.url).bind(2, fetch.site).bind(3, fetch.fetched_at).run();
    article_id = m_db.last_insert_rowid();
    result.outcome = Outcome::created;
  }

  auto insert_version = m_db.prepare(
      "INSERT INTO versions (article_id, version, content_hash, title, kicker, subtitle, "
      "published, author, source, body, edition, page, issue, parser, fetch_id, first_seen, "
      "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
      "?16)");
  const std::string body_text = article.body_text();
  insert_version.bind(1, article_id)
      .bind(2, version)
      .bind(3, hash)
      .bind(4, article.title)
      .bind(5, article.kicker)
      .bind(6, article.subtitle)
      .bind(7, article.published)
      .bind(8, article.author)
      .bind(9, article.source)
      .bind(10, body_text)
      .bind(11, article.edition)
      .bind(12, article.page)
      .bind(13, article.issue)
      .bind(14, parser)
      .bind(15, fetch_id)
      .bind(16, fetch.fetched_at);
  insert_version.run();
  result.article_id = article_id;
  result.version = version;
  return result;
}

void ArchiveWriter::store_headlines(std::string_view page_url,
                                    const std::vector<Headline>& headlines) {
  // The list as last seen; older lists live on in the stored raw bodies.
  auto clear = m_db.prepare("DELETE FROM headlines WHERE page_url = ?1");
  clear.bind(1, page_url).run();
  auto insert = m_db.prepare(
      "INSERT INTO headlines (page_url, position, title, url, summary) VALUES (?1, ?2, ?3, ?4, "
      "?5)");
  std::int64_t position = 0;
  for (const auto& headline : headlines) {
    insert.bind(1, page_url)
        .bind(2, position++)
        .bind(3, headline.title)
        .bind(4, headline.url)
        .bind(5, headline.summary);
    insert.run();
  }
}

}  // namespace archiver
