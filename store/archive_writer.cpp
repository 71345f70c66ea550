#include "store/archive_writer.hpp"

#include "change/fingerprint.hpp"
#include "parsers/version.hpp"
#include "store/article_queries.hpp"
#include "store/outbox.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"
#include "util/clock.hpp"
#include "util/compression.hpp"
#include "util/sha256.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace archiver {
namespace {

std::optional<std::string> non_empty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

ArchiveWriter::ArchiveWriter(const std::filesystem::path& path)
    : m_db(path, sqlite::Database::Mode::read_write_create) {
  if (m_db.read_only()) {
    // SQLite falls back to reading a file it may not write; the writer must not.
    throw sqlite::StoreError(8 /* SQLITE_READONLY */,
                             "the archive is read-only here (no permission to write it): "
                             "queries work, fetching and crawling need write access");
  }
  // Readers in other processes wait instead of failing while a batch commits.
  m_db.execute("PRAGMA busy_timeout = 10000");
  // The views, the search index and its trigger call these (and the migration, through them).
  m_dictionaries.define_sql_functions();
  define_search_functions(m_db);
  migrate(m_db);
  m_db.execute("PRAGMA journal_mode = WAL");
  // Members of the archive's group read it with no right to create files in its folder: the
  // -wal and -shm files must outlive the writer (SQLite's rule for read-only WAL access).
  m_db.keep_wal_files();
  // The kept -wal file is cut back to this at each checkpoint, not left as large as it grew.
  m_db.execute("PRAGMA journal_size_limit = 16777216");
  // WAL with synchronous=NORMAL survives process crashes (kill -9) without corruption; only an
  // OS crash or power loss can drop the last commits.
  m_db.execute("PRAGMA synchronous = NORMAL");
  m_db.execute("PRAGMA foreign_keys = ON");
}

void ArchiveWriter::limit_size(std::optional<std::uint64_t> bytes) {
  auto page_size = m_db.prepare("PRAGMA page_size");
  const std::int64_t page = page_size.step() ? page_size.column_int(0) : 4096;
  // SQLite's own ceiling when there is no cap.
  constexpr std::int64_t k_no_cap = 4'294'967'294;
  const std::int64_t pages =
      bytes ? std::max<std::int64_t>(1, static_cast<std::int64_t>(*bytes) / page) : k_no_cap;
  m_db.execute("PRAGMA max_page_count = " + std::to_string(pages));
}

PageState ArchiveWriter::page_state(std::string_view url) {
  auto query = m_db.prepare(
      "SELECT etag, last_modified, body_sha256, first_fetched FROM pages WHERE url = ?1");
  query.bind(1, url);
  PageState state;
  if (query.step()) {
    state.etag = query.column_optional_text(0);
    state.last_modified = query.column_optional_text(1);
    state.body_sha256 = query.column_optional_text(2);
    state.first_fetched = query.column_optional_text(3);
  }
  return state;
}

std::int64_t ArchiveWriter::insert_fetch(const FetchRecord& fetch, Outcome outcome,
                                         const std::optional<std::string>& body_sha256) {
  auto insert = m_db.prepare(
      "INSERT INTO fetches (url, final_url, site, fetched_at, http_status, outcome, bytes, "
      "duration_ms, body_sha256, content_type, charset, charset_reason, request_headers, "
      "response_headers, error, not_published, asset_kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
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
      .bind(15, fetch.error)
      .bind(16, std::int64_t{fetch.not_published ? 1 : 0})
      .bind(17, fetch.asset_kind ? std::optional<std::string>(to_string(*fetch.asset_kind))
                                 : std::nullopt);
  insert.run();
  return m_db.last_insert_rowid();
}

PackedBody pack_body(std::string_view body, const ZstdDictionary* dictionary) {
  return {.sha256 = sha256_hex(body),
          .zstd = dictionary != nullptr ? dictionary->compress(body) : zstd_compress(body),
          .dictionary_id = dictionary != nullptr ? dictionary->id() : 0};
}

std::shared_ptr<const ZstdDictionary> ArchiveWriter::page_dictionary(
    const std::optional<std::string>& site) {
  return m_dictionaries.newest(site, DictionaryKind::page);
}

void ArchiveWriter::store_body(const std::string& sha256, std::string_view body,
                               const PackedBody* packed, const std::optional<std::string>& site) {
  auto exists = m_db.prepare("SELECT 1 FROM bodies WHERE sha256 = ?1");
  exists.bind(1, sha256);
  if (exists.step()) {
    return;  // content-addressed: identical bytes are stored once
  }
  auto insert = m_db.prepare(
      "INSERT INTO bodies (sha256, size, compression, data) VALUES (?1, ?2, 'zstd', ?3)");
  const auto dictionary = m_dictionaries.newest(site, DictionaryKind::page);
  const std::uint32_t wanted = dictionary ? dictionary->id() : 0;
  const std::string compressed = packed != nullptr && packed->dictionary_id == wanted
                                     ? packed->zstd
                                     : pack_body(body, dictionary.get()).zstd;
  insert.bind(1, sha256).bind(2, static_cast<std::int64_t>(body.size())).bind_blob(3, compressed);
  insert.run();
  if (!dictionary && site) {
    learn(*site, DictionaryKind::page, sha256, body);
  }
}

void ArchiveWriter::learn(const std::string& site, DictionaryKind kind, const std::string& key,
                          std::string_view bytes) {
  if (!m_trainer.offer(site, kind, key, bytes)) {
    return;
  }
  const auto made = m_dictionaries.train(site, kind, m_trainer.take(site, kind), now_utc_iso());
  if (!made) {
    spdlog::warn("site {}: no {} dictionary ({}); its {}s are stored without one", site,
                 to_string(kind), made.error(), to_string(kind));
    m_trainer.give_up(site, kind);
  }
}

void ArchiveWriter::update_page(const FetchRecord& fetch,
                                const std::optional<std::string>& body_sha256,
                                std::int64_t fetch_id, std::optional<std::string_view> parser) {
  // A 304 keeps the validators and body we had; a 200 replaces them.
  auto upsert = m_db.prepare(
      "INSERT INTO pages (url, site, etag, last_modified, body_sha256, first_fetched, "
      "last_fetched, last_fetch_id, parser) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8) "
      "ON CONFLICT (url) DO UPDATE SET site = excluded.site, "
      "etag = coalesce(excluded.etag, CASE WHEN ?5 IS NULL THEN etag END), "
      "last_modified = coalesce(excluded.last_modified, CASE WHEN ?5 IS NULL THEN last_modified "
      "END), body_sha256 = coalesce(excluded.body_sha256, body_sha256), "
      "last_fetched = excluded.last_fetched, last_fetch_id = excluded.last_fetch_id, "
      "parser = coalesce(excluded.parser, parser)");
  upsert.bind(1, fetch.url)
      .bind(2, fetch.site)
      .bind(3, non_empty(fetch.etag))
      .bind(4, non_empty(fetch.last_modified))
      .bind(5, body_sha256)
      .bind(6, fetch.fetched_at)
      .bind(7, fetch_id);
  if (parser) {
    upsert.bind(8, *parser);
  }
  upsert.run();
}

StoreResult ArchiveWriter::record_failure(const FetchRecord& fetch) {
  sqlite::Transaction transaction(m_db);
  insert_fetch(fetch, Outcome::error, std::nullopt);
  transaction.commit();
  return {.outcome = Outcome::error, .articles = {}};
}

StoreResult ArchiveWriter::record_not_modified(const FetchRecord& fetch) {
  sqlite::Transaction transaction(m_db);
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::not_modified, std::nullopt);
  update_page(fetch, std::nullopt, fetch_id);
  StoreResult result{.outcome = Outcome::not_modified, .articles = {}};
  // The page's articles: its URL, or its URL with a fragment when it holds several.
  auto find = m_db.prepare(
      "SELECT a.id, a.url, v.version FROM articles a "
      "JOIN versions v ON v.article_id = a.id AND v.version = "
      "(SELECT max(version) FROM versions WHERE article_id = a.id) "
      "WHERE a.url = ?1 OR (a.url > ?1 || '#' AND a.url < ?1 || '$') ORDER BY a.id");
  find.bind(1, fetch.url);
  auto touch_article = m_db.prepare("UPDATE articles SET last_seen = ?2 WHERE id = ?1");
  auto touch_version =
      m_db.prepare("UPDATE versions SET last_seen = ?3 WHERE article_id = ?1 AND version = ?2");
  while (find.step()) {
    ArticleResult article{.url = find.column_text(1),
                          .outcome = Outcome::not_modified,
                          .article_id = find.column_int(0),
                          .version = find.column_int(2)};
    touch_article.bind(1, article.article_id).bind(2, fetch.fetched_at).run();
    touch_version.bind(1, article.article_id).bind(2, article.version).bind(3, fetch.fetched_at);
    touch_version.run();
    result.articles.push_back(std::move(article));
  }
  result.due_assets = assets_seen_again(fetch.url);
  transaction.commit();
  return result;
}

StoreResult ArchiveWriter::record_unparsed(const FetchRecord& fetch, std::string_view body,
                                           const PackedBody* packed) {
  const std::string sha256 = packed != nullptr ? packed->sha256 : sha256_hex(body);
  sqlite::Transaction transaction(m_db);
  store_body(sha256, body, packed, fetch.site);
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::error, sha256);
  update_page(fetch, sha256, fetch_id);
  auto forget = m_db.prepare("UPDATE pages SET etag = NULL, last_modified = NULL WHERE url = ?1");
  forget.bind(1, fetch.url).run();
  transaction.commit();
  return {.outcome = Outcome::error, .articles = {}};
}

StoreResult ArchiveWriter::record_page(const FetchRecord& fetch, std::string_view body,
                                       const ParsedPage& page, std::string_view parser,
                                       const PackedBody* packed, const AssetKinds& keep) {
  const std::string sha256 = packed != nullptr ? packed->sha256 : sha256_hex(body);
  const PageState before = page_state(fetch.url);

  sqlite::Transaction transaction(m_db);
  // The fetch row is written first with a provisional outcome and body so that versions can
  // point at it; both are settled below.
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::unchanged, std::nullopt);
  // A 版面 or list page keeps its list; an article page's copy of its 版面's 标题导航 would
  // repeat that list once per article (it was the largest table of the benchmark archive).
  store_headlines(fetch.url, page.articles.empty() ? page.headlines : std::vector<Headline>{});

  StoreResult result;
  const auto add_due = [&](const std::vector<AssetRef>& refs) {
    for (const AssetRef& ref : refs) {
      if (std::ranges::find(result.due_assets, ref) == result.due_assets.end()) {
        result.due_assets.push_back(ref);
      }
    }
  };
  for (const Article& article : page.articles) {
    const std::string url = article.anchor ? fetch.url + "#" + *article.anchor : fetch.url;
    result.articles.push_back(store_article(fetch, url, article, parser, fetch_id, sha256));
    if (keep.contains(AssetKind::image)) {
      std::vector<AssetRef> photos;
      for (const ArticleImage& image : article.images) {
        photos.push_back({.kind = AssetKind::image, .url = image.url});
      }
      add_due(refer_to_assets(url, fetch.site, photos, {AssetKind::image}, fetch.fetched_at));
    }
  }
  // A 版面's PDF and scan, and where its articles are printed on the scan.
  std::vector<AssetRef> page_assets;
  for (const PageAsset& asset : page.assets) {
    if (keep.contains(asset.kind)) {
      page_assets.push_back({.kind = asset.kind, .url = asset.url});
    }
  }
  if (!page.assets.empty() || !page.areas.empty()) {
    add_due(refer_to_assets(fetch.url, fetch.site, page_assets,
                            {AssetKind::pdf, AssetKind::page_image}, fetch.fetched_at));
    store_page_areas(fetch.url, page.areas);
  }
  const auto any = [&](Outcome outcome) {
    return std::ranges::any_of(result.articles,
                               [&](const ArticleResult& a) { return a.outcome == outcome; });
  };
  if (!result.articles.empty()) {
    result.outcome = any(Outcome::created)   ? Outcome::created
                     : any(Outcome::changed) ? Outcome::changed
                                             : Outcome::unchanged;
  } else if (!before.body_sha256) {
    result.outcome = Outcome::created;
  } else {
    result.outcome = *before.body_sha256 == sha256 ? Outcome::unchanged : Outcome::changed;
  }
  // Unchanged content stores no new bytes: a page whose only change is a 点击量 counter or a
  // related-articles list keeps pointing at the body already archived for that content.
  const bool keep_old_body = result.outcome == Outcome::unchanged && before.body_sha256;
  const std::string& kept = keep_old_body ? *before.body_sha256 : sha256;
  if (!keep_old_body) {
    store_body(sha256, body, packed, fetch.site);
  }
  update_page(fetch, kept, fetch_id, parser);
  auto settle = m_db.prepare(
      "UPDATE fetches SET outcome = ?2, body_sha256 = ?3, received_sha256 = ?4 WHERE id = ?1");
  settle.bind(1, fetch_id)
      .bind(2, to_string(result.outcome))
      .bind(3, kept)
      .bind(4, keep_old_body ? std::optional<std::string>(sha256) : std::nullopt)
      .run();
  transaction.commit();
  return result;
}

std::optional<std::string> ArchiveWriter::body(std::string_view sha256) {
  return load_body(m_db, sha256);
}

ArticleResult ArchiveWriter::store_article(const FetchRecord& fetch, const std::string& url,
                                           const Article& article, std::string_view parser,
                                           std::int64_t fetch_id, const std::string& body_sha256) {
  const std::string hash = content_hash(article);
  std::string_view origin = "fetch";
  ArticleResult result{.url = url, .outcome = Outcome::created, .article_id = 0, .version = 1};

  auto find = m_db.prepare("SELECT id FROM articles WHERE url = ?1");
  find.bind(1, url);
  auto touch =
      m_db.prepare("UPDATE articles SET last_seen = ?2, site = coalesce(?3, site) WHERE id = ?1");
  if (find.step()) {
    result.article_id = find.column_int(0);
    // With the bytes the latest version was read from: the same bytes read differently is a
    // change of the extraction (a newer parser, other selectors), not an edit by the publisher.
    auto latest = m_db.prepare(
        "SELECT v.version, v.content_hash, coalesce(f.received_sha256, f.body_sha256) "
        "FROM versions v LEFT JOIN fetches f ON f.id = v.fetch_id WHERE v.article_id = ?1 "
        "ORDER BY v.version DESC LIMIT 1");
    latest.bind(1, result.article_id);
    touch.bind(1, result.article_id).bind(2, fetch.fetched_at).bind(3, fetch.site).run();
    if (latest.step() && latest.column_text(1) == hash) {
      // Same content: the article and its latest version were seen again, nothing new stored.
      result.outcome = Outcome::unchanged;
      result.version = latest.column_int(0);
      auto touch_version =
          m_db.prepare("UPDATE versions SET last_seen = ?3 WHERE article_id = ?1 AND version = ?2");
      touch_version.bind(1, result.article_id).bind(2, result.version).bind(3, fetch.fetched_at);
      touch_version.run();
      return result;
    }
    result.version = latest.column_int(0) + 1;
    result.outcome = Outcome::changed;
    if (!latest.is_null(2) && latest.column_text(2) == body_sha256) {
      origin = "reparse";
    }
  } else {
    auto insert = m_db.prepare(
        "INSERT INTO articles (url, site, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)");
    insert.bind(1, url).bind(2, fetch.site).bind(3, fetch.fetched_at).run();
    result.article_id = m_db.last_insert_rowid();
  }
  // A photo archived already (the same URL in the version before) keeps its bytes' hash.
  Article stored = article;
  fill_known_hashes(stored.images);
  insert_version(result, hash, stored, parser, fetch_id, fetch.fetched_at, origin);
  return result;
}

void ArchiveWriter::store_page_areas(const std::string& page_url,
                                     const std::vector<MapArea>& areas) {
  auto forget = m_db.prepare("DELETE FROM page_areas WHERE page_url = ?1");
  forget.bind(1, page_url).run();
  auto insert = m_db.prepare(
      "INSERT INTO page_areas (page_url, position, article_url, shape, coords) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  std::int64_t position = 0;
  for (const MapArea& area : areas) {
    insert.bind(1, page_url)
        .bind(2, ++position)
        .bind(3, area.article_url)
        .bind(4, area.shape)
        .bind(5, area.coords)
        .run();
  }
}

void ArchiveWriter::insert_version(const ArticleResult& result, const std::string& hash,
                                   const Article& article, std::string_view parser,
                                   std::optional<std::int64_t> fetch_id, const std::string& seen_at,
                                   std::string_view origin) {
  auto insert = m_db.prepare(
      "INSERT INTO versions (article_id, version, content_hash, title, kicker, subtitle, "
      "published, author, source, body_zstd, edition, page, issue, parser, fetch_id, first_seen, "
      "last_seen, origin, images, parser_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17, ?18, ?19)");
  const std::string body_text = article.body_text();
  auto site_of = m_db.prepare("SELECT site FROM articles WHERE id = ?1");
  site_of.bind(1, result.article_id);
  const std::optional<std::string> site =
      site_of.step() ? site_of.column_optional_text(0) : std::nullopt;
  site_of.reset();
  const auto dictionary = m_dictionaries.newest(site, DictionaryKind::text);
  insert.bind(1, result.article_id)
      .bind(2, result.version)
      .bind(3, hash)
      .bind(4, article.title)
      .bind(5, article.kicker)
      .bind(6, article.subtitle)
      .bind(7, article.published)
      .bind(8, article.author)
      .bind(9, article.source)
      .bind_blob(10, dictionary ? dictionary->compress(body_text) : zstd_compress(body_text))
      .bind(11, article.edition)
      .bind(12, article.page)
      .bind(13, article.issue)
      .bind(14, parser)
      .bind(15, fetch_id)
      .bind(16, seen_at)
      .bind(17, origin)
      .bind(18, images_json(article.images))
      .bind(19, k_parser_version);
  insert.run();
  const std::int64_t version_id = m_db.last_insert_rowid();
  index_version(m_db, version_id, article, body_text);
  if (!dictionary && site) {
    learn(*site, DictionaryKind::text, std::to_string(version_id), body_text);
  }
  // In the version's own transaction: a crash loses both or neither.
  enqueue_version_events(m_db, m_routes, version_id, result.article_id, result.version);
}

ArticleResult ArchiveWriter::record_reparsed(const StoredPage& page, const std::string& url,
                                             const Article& article, std::string_view parser) {
  const std::string hash = content_hash(article);
  ArticleResult result{.url = url, .outcome = Outcome::created, .article_id = 0, .version = 1};
  sqlite::Transaction transaction(m_db);
  auto find = m_db.prepare(
      "SELECT a.id, max(v.version), (SELECT content_hash FROM versions WHERE article_id = a.id "
      "ORDER BY version DESC LIMIT 1) FROM articles a LEFT JOIN versions v ON v.article_id = a.id "
      "WHERE a.url = ?1 GROUP BY a.id");
  find.bind(1, url);
  if (find.step()) {
    result.article_id = find.column_int(0);
    result.version = find.column_int(1) + 1;
    if (find.column_text(2) == hash) {
      result.outcome = Outcome::unchanged;
      result.version = find.column_int(1);
      // Same content. Edition, 版面 and 期次 are where the article stood, not what it says: a
      // better reading of them corrects the version in place instead of making a new one.
      auto place = m_db.prepare(
          "UPDATE versions SET edition = coalesce(?3, edition), page = coalesce(?4, page), "
          "issue = coalesce(?5, issue) WHERE article_id = ?1 AND version = ?2");
      place.bind(1, result.article_id)
          .bind(2, result.version)
          .bind(3, article.edition)
          .bind(4, article.page)
          .bind(5, article.issue)
          .run();
      transaction.commit();
      return result;
    }
    result.outcome = Outcome::changed;
  } else {
    // An article the old parser did not find at all (e.g. one of several on a 版面 page).
    auto insert = m_db.prepare(
        "INSERT INTO articles (url, site, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)");
    insert.bind(1, url).bind(2, page.site).bind(3, page.fetched_at).run();
    result.article_id = m_db.last_insert_rowid();
  }
  // The new version describes the same fetch as the old one: it was seen when that fetch was.
  Article stored = article;
  fill_known_hashes(stored.images);  // photos archived already keep their bytes' hash
  insert_version(result, hash, stored, parser, page.fetch_id, page.fetched_at, "reparse");
  transaction.commit();
  return result;
}

std::vector<StoredPage> ArchiveWriter::stored_pages(const std::optional<std::string>& site,
                                                    const std::optional<std::string>& since) {
  return read_stored_pages(m_db, site, since);
}

std::optional<StoredArticle> ArchiveWriter::latest_version(const std::string& url) {
  auto find = m_db.prepare("SELECT id FROM articles WHERE url = ?1");
  find.bind(1, url);
  if (!find.step()) {
    return std::nullopt;
  }
  return read_stored_article(m_db, find.column_int(0), {});
}

std::vector<std::string> ArchiveWriter::due_revisits(const std::string& site,
                                                     const std::string& now, std::int64_t limit) {
  auto query = m_db.prepare(
      "SELECT url FROM articles WHERE site = ?1 AND next_visit IS NOT NULL AND next_visit <= ?2 "
      "ORDER BY next_visit LIMIT ?3");
  query.bind(1, site).bind(2, now).bind(3, limit);
  std::vector<std::string> urls;
  while (query.step()) {
    urls.push_back(query.column_text(0));
  }
  return urls;
}

void ArchiveWriter::plan_revisit(const std::string& url,
                                 const std::optional<std::string>& next_visit, bool count_visit) {
  auto update =
      m_db.prepare("UPDATE articles SET next_visit = ?2, revisits = revisits + ?3 WHERE url = ?1");
  update.bind(1, url).bind(2, next_visit).bind(3, count_visit ? 1 : 0).run();
}

bool ArchiveWriter::is_archived(const std::string& url) {
  auto find = m_db.prepare("SELECT 1 FROM articles WHERE url = ?1");
  find.bind(1, url);
  return find.step();
}

CrawlStart ArchiveWriter::begin_crawl(const std::string& site, const std::string& target) {
  sqlite::Transaction transaction(m_db);
  CrawlStart start;
  auto find = m_db.prepare(
      "SELECT id, started_at FROM crawls WHERE site = ?1 AND target = ?2 AND finished_at IS NULL "
      "AND started_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days') ORDER BY id DESC "
      "LIMIT 1");
  find.bind(1, site).bind(2, target);
  std::optional<std::int64_t> interrupted;
  if (find.step()) {
    interrupted = find.column_int(0);
    const std::string started = find.column_text(1);
    auto fetched = m_db.prepare(
        "SELECT DISTINCT url FROM fetches WHERE site = ?1 AND fetched_at >= ?2 AND outcome != "
        "'error'");
    fetched.bind(1, site).bind(2, started);
    while (fetched.step()) {
      start.done_before.insert(fetched.column_text(0));
    }
  }
  // Every unfinished crawl of this target is over now (older ones too: their work is stale),
  // and frontier rows of finished crawls go.
  auto close = m_db.prepare(
      "UPDATE crawls SET finished_at = ?3, result = 'interrupted' WHERE site = ?1 AND "
      "target = ?2 AND finished_at IS NULL");
  close.bind(1, site).bind(2, target).bind(3, now_utc_iso()).run();
  auto insert = m_db.prepare("INSERT INTO crawls (site, target, started_at) VALUES (?1, ?2, ?3)");
  insert.bind(1, site).bind(2, target).bind(3, now_utc_iso()).run();
  start.id = m_db.last_insert_rowid();
  if (interrupted) {
    // The work the interrupted crawl had left is this one's now.
    auto adopt = m_db.prepare("UPDATE frontier SET crawl_id = ?2 WHERE crawl_id = ?1");
    adopt.bind(1, *interrupted).bind(2, start.id).run();
    start.pending = frontier(start.id);
  }
  m_db.execute(
      "DELETE FROM frontier WHERE crawl_id IN (SELECT id FROM crawls WHERE finished_at IS NOT "
      "NULL)");
  transaction.commit();
  return start;
}

std::vector<UnfinishedCrawl> ArchiveWriter::unfinished_crawls() {
  std::vector<UnfinishedCrawl> crawls;
  auto find = m_db.prepare(
      "SELECT max(id), site, target FROM crawls WHERE finished_at IS NULL AND started_at >= "
      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days') GROUP BY site, target ORDER BY 1");
  while (find.step()) {
    crawls.push_back(
        {.id = find.column_int(0), .site = find.column_text(1), .target = find.column_text(2)});
  }
  return crawls;
}

void ArchiveWriter::add_to_frontier(std::int64_t crawl_id,
                                    const std::vector<FrontierEntry>& entries) {
  sqlite::Transaction transaction(m_db);
  auto last = m_db.prepare("SELECT coalesce(max(position), 0) FROM frontier WHERE crawl_id = ?1");
  last.bind(1, crawl_id);
  std::int64_t position = last.step() ? last.column_int(0) : 0;
  auto insert = m_db.prepare(
      "INSERT OR IGNORE INTO frontier (crawl_id, url, position, edition, page, issue) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const auto& entry : entries) {
    insert.bind(1, crawl_id)
        .bind(2, entry.url)
        .bind(3, ++position)
        .bind(4, entry.listed_in.edition)
        .bind(5, entry.listed_in.page)
        .bind(6, entry.listed_in.issue)
        .run();
  }
  transaction.commit();
}

void ArchiveWriter::record_edition_pages(const std::string& site, const std::string& edition,
                                         const std::vector<EditionPage>& pages, bool complete) {
  sqlite::Transaction transaction(m_db);
  if (complete) {
    auto clear = m_db.prepare("DELETE FROM edition_pages WHERE site = ?1 AND edition = ?2");
    clear.bind(1, site).bind(2, edition).run();
  }
  auto insert = m_db.prepare(
      "INSERT INTO edition_pages (site, edition, url, position, name) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET position = excluded.position, "
      "name = excluded.name");
  std::int64_t position = 0;
  for (const auto& page : pages) {
    insert.bind(1, site).bind(2, edition).bind(3, page.url).bind(4, ++position).bind(5, page.name);
    insert.run();
  }
  transaction.commit();
}

std::vector<FrontierEntry> ArchiveWriter::frontier(std::int64_t crawl_id) {
  std::vector<FrontierEntry> entries;
  auto select = m_db.prepare(
      "SELECT url, edition, page, issue FROM frontier WHERE crawl_id = ?1 ORDER BY position");
  select.bind(1, crawl_id);
  while (select.step()) {
    entries.push_back({.url = select.column_text(0),
                       .listed_in = {.edition = select.column_optional_text(1),
                                     .page = select.column_optional_text(2),
                                     .issue = select.column_optional_text(3)}});
  }
  return entries;
}

void ArchiveWriter::remove_from_frontier(std::int64_t crawl_id, const std::string& url) {
  auto remove = m_db.prepare("DELETE FROM frontier WHERE crawl_id = ?1 AND url = ?2");
  remove.bind(1, crawl_id).bind(2, url).run();
}

void ArchiveWriter::finish_crawl(std::int64_t crawl_id, const CrawlStats& stats) {
  sqlite::Transaction transaction(m_db);
  auto update = m_db.prepare(
      "UPDATE crawls SET finished_at = ?2, result = ?3, pages = ?4, headlines = ?5, "
      "articles = ?6, with_title = ?7, with_date = ?8, with_body = ?9, new_versions = ?10, "
      "errors = ?11, known = ?12, assets = ?13, asset_errors = ?14 WHERE id = ?1");
  update.bind(1, crawl_id)
      .bind(2, now_utc_iso())
      .bind(3, stats.result)
      .bind(4, stats.pages)
      .bind(5, stats.headlines)
      .bind(6, stats.articles)
      .bind(7, stats.with_title)
      .bind(8, stats.with_date)
      .bind(9, stats.with_body)
      .bind(10, stats.new_versions)
      .bind(11, stats.errors)
      .bind(12, stats.known)
      .bind(13, stats.assets)
      .bind(14, stats.asset_errors);
  update.run();
  // What is left failed in this crawl; the next crawl finds it again if it is still listed.
  auto forget = m_db.prepare("DELETE FROM frontier WHERE crawl_id = ?1");
  forget.bind(1, crawl_id).run();
  transaction.commit();
}

ListProgress ArchiveWriter::list_progress(const std::string& site, const std::string& start_url) {
  auto query = m_db.prepare(
      "SELECT resume_url, pages_read, complete FROM list_progress WHERE site = ?1 AND "
      "start_url = ?2");
  query.bind(1, site).bind(2, start_url);
  ListProgress progress;
  if (query.step()) {
    progress.resume_url = query.column_optional_text(0);
    progress.pages_read = query.column_int(1);
    progress.complete = query.column_int(2) != 0;
  }
  return progress;
}

void ArchiveWriter::save_list_progress(const std::string& site, const std::string& start_url,
                                       const ListProgress& progress) {
  auto save = m_db.prepare(
      "INSERT INTO list_progress (site, start_url, resume_url, pages_read, complete, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (site, start_url) DO UPDATE SET "
      "resume_url = excluded.resume_url, pages_read = excluded.pages_read, "
      "complete = excluded.complete, updated_at = excluded.updated_at");
  save.bind(1, site)
      .bind(2, start_url)
      .bind(3, progress.resume_url)
      .bind(4, progress.pages_read)
      .bind(5, std::int64_t{progress.complete ? 1 : 0})
      .bind(6, now_utc_iso())
      .run();
}

std::vector<EditionReport> ArchiveWriter::edition_reports(
    const std::string& site, const std::string& from, const std::string& to,
    const std::function<bool(const std::string&)>& in_scope) {
  return archiver::edition_reports(m_db, site, from, to, in_scope);
}

std::vector<CrawlRecord> ArchiveWriter::recent_crawls(const std::string& site, std::int64_t limit) {
  return read_recent_crawls(m_db, site, limit);
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
