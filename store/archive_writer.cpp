// The writer's opening of the archive and the fetches of pages: each one's fetch-log row, its
// body (once per SHA-256), the page's state, and what the page lists (headlines, the areas of a
// 版面's scan), in one transaction with the articles read from it.

#include "store/archive_writer.hpp"

#include "store/article_queries.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"
#include "util/clock.hpp"
#include "util/compression.hpp"
#include "util/sha256.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace archiver {
namespace {

// The parse pool's packing of a page's index-th article, when there is one.
const PackedArticle* packed_article_at(const std::vector<PackedArticle>* articles,
                                       std::size_t index) {
  return articles != nullptr && index < articles->size() ? &(*articles)[index] : nullptr;
}

std::optional<std::string> non_empty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

// The archive's page size: 8 KiB in a new archive, 4 KiB in one made before (migrate()).
std::int64_t page_size_of(sqlite::Database& db) {
  auto page_size = db.prepare("PRAGMA page_size");
  const std::int64_t page = page_size.step() ? page_size.column_int(0) : 4096;
  page_size.reset();
  return page;
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
  m_db.set_transaction_hooks([this] { m_search_queue.write(m_db); },
                             [this] {
                               m_search_queue.clear();
                               m_trainer.forget();
                             });
  migrate(m_db);
  set_search_merging(m_db);
  m_db.execute("PRAGMA journal_mode = WAL");
  // Members of the archive's group read it with no right to create files in its folder: the
  // -wal and -shm files must outlive the writer (SQLite's rule for read-only WAL access).
  m_db.keep_wal_files();
  // The kept -wal file is cut back to this at each checkpoint, not left as large as it grew.
  m_db.execute("PRAGMA journal_size_limit = 16777216");
  // The writer checkpoints itself only once the WAL holds 256 MiB; every 16 MiB m_checkpointer
  // copies what is there on its own thread. The writer's checkpoint is the one after which the
  // WAL starts over while it keeps committing (SQLite starts it over only at a transaction
  // begun with every frame copied, which the background copy never reaches while commits come).
  // It stops the crawl: the frames since the last copy and two fsyncs (120-170 ms, measured at
  // 64 MiB, where the benchmark crawl of 19,361 pages stopped three times for it), then, at
  // the next commit, cutting the file back to journal_size_limit (some 0.4 ms per MiB: what
  // the kernel takes to drop the file's cached pages; 100 ms from 256 MiB). When the writer
  // pauses for a second, m_checkpointer copies every frame and the next commit starts the WAL
  // over without the checkpoint's stop (the cutting back stays). The cost is disk: a long
  // back-fill's WAL grows to 256 MiB before it starts over.
  // The marks are sizes; SQLite counts frames, one per page.
  constexpr std::int64_t k_checkpoint_bytes = std::int64_t{256} << 20U;
  constexpr std::int64_t k_copy_bytes = std::int64_t{16} << 20U;
  const std::int64_t page = page_size_of(m_db);
  const auto checkpoint_frames = static_cast<int>(k_checkpoint_bytes / page);
  m_checkpointer.set_copy_every(static_cast<int>(k_copy_bytes / page));
  m_db.on_wal_commit([this, checkpoint_frames](int frames) {
    const bool long_wal = frames >= checkpoint_frames;
    m_checkpointer.wal_grew(frames, long_wal);  // every commit: the thread waits for a pause
    if (long_wal) {
      static_cast<void>(m_db.checkpoint_passive());  // busy: the next commit tries again
    }
  });
  // WAL with synchronous=NORMAL survives process crashes (kill -9) without corruption; only an
  // OS crash or power loss can drop the last commits.
  m_db.execute("PRAGMA synchronous = NORMAL");
  m_db.execute("PRAGMA foreign_keys = ON");
  // A page's savepoint keeps the original of every database page it changes (the sub-journal);
  // past 64 KiB SQLite spills it to a temporary file, and a crawl wrote more to those files
  // than to the WAL (a 4-byte number and a page, each its own write). In memory it
  // holds one page's changes at a time, emptied at each release. (Set after the migration,
  // whose index builds may sort more than fits in memory.)
  m_db.execute("PRAGMA temp_store = MEMORY");
  // 8 MiB of pages in memory rather than SQLite's 2 MiB. A batch touches more index and search
  // segment pages than 2 MiB holds: evicted, each was read back from the WAL (220,000 pread
  // calls in the benchmark crawl) or spilled into it mid-batch and written again. The writer is
  // the crawl's busiest thread; in turn with the default, three runs each: 9.44-10.23 s
  // against 9.94-10.70 s, peak RSS 55-56 MB against 52 (16 MiB: 64 MB, past the 60 MB the
  // benchmark allows).
  m_db.execute("PRAGMA cache_size = -8192");
  // A daemon runs for months: a newer archiver may upgrade the archive under it meanwhile.
  m_db.expect_user_version(latest_schema_version());
}

ArchiveWriter::~ArchiveWriter() {
  // The hook calls m_checkpointer, which goes before the connection: a commit made while the
  // members go (a lease given back, say) must find no hook.
  m_db.on_wal_commit({});
}

void ArchiveWriter::limit_size(std::optional<std::uint64_t> bytes) {
  const std::int64_t page = page_size_of(m_db);
  // SQLite's own ceiling when there is no cap.
  constexpr std::int64_t k_no_cap = 4'294'967'294;
  const std::int64_t pages =
      bytes ? std::max<std::int64_t>(1, static_cast<std::int64_t>(*bytes) / page) : k_no_cap;
  m_db.execute("PRAGMA max_page_count = " + std::to_string(pages));
}

PageState ArchiveWriter::page_state(std::string_view url) {
  auto query = m_db.prepare(
      "SELECT p.etag, p.last_modified, b.sha256, p.first_fetched FROM pages p "
      "LEFT JOIN bodies b ON b.id = p.body_id WHERE p.url = ?1");
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

std::optional<std::string> ArchiveWriter::kept_links(std::string_view url,
                                                     std::string_view body_sha256,
                                                     std::string_view parse_key) {
  auto query = m_db.prepare(
      "SELECT links FROM page_links WHERE url = ?1 AND body_sha256 = ?2 AND parse_key = ?3");
  query.bind(1, url).bind(2, body_sha256).bind(3, parse_key);
  if (!query.step()) {
    return std::nullopt;
  }
  return query.column_blob(0);
}

void ArchiveWriter::keep_links(std::string_view url, std::string_view body_sha256,
                               std::string_view parse_key, std::string_view packed) {
  auto keep = m_db.prepare(
      "INSERT INTO page_links (url, body_sha256, parse_key, links) SELECT p.url, b.sha256, ?3, "
      "?4 FROM pages p JOIN bodies b ON b.id = p.body_id WHERE p.url = ?1 AND b.sha256 = ?2 "
      "ON CONFLICT (url) DO UPDATE SET body_sha256 = excluded.body_sha256, "
      "parse_key = excluded.parse_key, links = excluded.links");
  keep.bind(1, url).bind(2, body_sha256).bind(3, parse_key).bind_blob(4, packed).run();
}

std::int64_t ArchiveWriter::insert_fetch(const FetchRecord& fetch, Outcome outcome,
                                         const std::optional<std::string>& body_sha256,
                                         const std::optional<std::string>& received_sha256) {
  // The fetch log points at bodies by number: the row of `bodies` with the SHA-256 ?9. NULL when
  // none is given; -1 (no row: the foreign key fails, and the statement with it) when the bytes
  // are not stored, rather than a row that quietly names no body. update_page does the same.
  auto insert = m_db.prepare(
      "INSERT INTO fetches (url, final_url, site, fetched_at, http_status, outcome, bytes, "
      "duration_ms, body_id, content_type, charset, charset_reason, request_headers, "
      "response_headers, error, not_published, asset_kind, received_sha256) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, ?8, coalesce((SELECT id FROM bodies WHERE sha256 = ?9), "
      "CASE WHEN ?9 IS NOT NULL THEN -1 END), ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
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
                                 : std::nullopt)
      .bind(18, received_sha256);
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

std::shared_ptr<const ZstdDictionary> ArchiveWriter::text_dictionary(
    const std::optional<std::string>& site) {
  return m_dictionaries.newest(site, DictionaryKind::text);
}

void ArchiveWriter::store_body(const std::string& sha256, std::string_view body,
                               const PackedBody* packed, const std::optional<std::string>& site) {
  const auto dictionary = m_dictionaries.newest(site, DictionaryKind::page);
  const std::uint32_t wanted = dictionary ? dictionary->id() : 0;
  const bool packed_fits = packed != nullptr && packed->dictionary_id == wanted;
  std::string made;
  if (!packed_fits) {
    // Compressed here (a dictionary came since the pool packed it): only when not stored yet.
    auto exists = m_db.prepare("SELECT 1 FROM bodies WHERE sha256 = ?1");
    exists.bind(1, sha256);
    if (exists.step()) {
      return;
    }
    exists.reset();
    made = pack_body(body, dictionary.get()).zstd;
  }
  // Content-addressed: identical bytes are stored once. The insert itself finds out, rather
  // than a look-up before it: the key is a SHA-256, a random place in a large index.
  auto insert = m_db.prepare(
      "INSERT INTO bodies (sha256, size, compression, data) VALUES (?1, ?2, 'zstd', ?3) "
      "ON CONFLICT (sha256) DO NOTHING");
  insert.bind(1, sha256)
      .bind(2, static_cast<std::int64_t>(body.size()))
      .bind_blob(3, packed_fits ? std::string_view(packed->zstd) : std::string_view(made));
  insert.run();
  if (m_db.changes() == 0) {
    return;
  }
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
  // A 304 keeps the validators and body we had; a 200 replaces them. The body by number, as
  // insert_fetch finds it.
  auto upsert = m_db.prepare(
      "INSERT INTO pages (url, site, etag, last_modified, body_id, first_fetched, "
      "last_fetched, last_fetch_id, parser) VALUES (?1, ?2, ?3, ?4, "
      "coalesce((SELECT id FROM bodies WHERE sha256 = ?5), CASE WHEN ?5 IS NOT NULL THEN -1 END), "
      "?6, ?6, ?7, ?8) "
      "ON CONFLICT (url) DO UPDATE SET site = excluded.site, "
      "etag = coalesce(excluded.etag, CASE WHEN ?5 IS NULL THEN etag END), "
      "last_modified = coalesce(excluded.last_modified, CASE WHEN ?5 IS NULL THEN last_modified "
      "END), body_id = coalesce(excluded.body_id, body_id), "
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

WriteTransaction ArchiveWriter::begin_page() {
  // Between pages, before this one's savepoint: the search index rows queued so far go in now
  // when they are many. Inside the savepoint, a page rolled back would take them with it.
  m_search_queue.write_if_large(m_db);
  return {m_db, WriteTransaction::Savepoints::inside};
}

UnguardedPage ArchiveWriter::begin_unguarded_page() {
  m_search_queue.write_if_large(m_db);  // between pages, as begin_page
  return UnguardedPage(m_db);
}

StoreResult ArchiveWriter::record_page(const FetchRecord& fetch, std::string_view body,
                                       const ParsedPage& page, std::string_view parser,
                                       const PackedBody* packed, const AssetKinds& keep,
                                       const std::vector<PackedArticle>* articles) {
  const std::string sha256 = packed != nullptr ? packed->sha256 : sha256_hex(body);
  const PageState before = page_state(fetch.url);

  sqlite::Transaction transaction(m_db);
  StoreResult result;
  // Each article against its latest version first: the page's outcome follows from theirs,
  // and the fetch row is then written once, as it stays (rewriting it would change the row and
  // its entries in the fetch log's indexes a second time for every page).
  std::vector<ArticlePlan> plans;
  plans.reserve(page.articles.size());
  for (std::size_t index = 0; index < page.articles.size(); ++index) {
    const Article& article = page.articles[index];
    const std::string url = article.anchor ? fetch.url + "#" + *article.anchor : fetch.url;
    plans.push_back(
        compare_article(fetch, url, article, sha256, packed_article_at(articles, index)));
    result.articles.push_back(plans.back().result);
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
  const std::int64_t fetch_id =
      insert_fetch(fetch, result.outcome, kept,
                   keep_old_body ? std::optional<std::string>(sha256) : std::nullopt);
  // A 版面 or list page keeps its list; an article page's copy of its 版面's 标题导航 would
  // repeat that list once per article (it was the largest table of the benchmark archive).
  store_headlines(fetch.url, page.articles.empty() ? page.headlines : std::vector<Headline>{});

  const auto add_due = [&](const std::vector<AssetRef>& refs) {
    for (const AssetRef& ref : refs) {
      if (std::ranges::find(result.due_assets, ref) == result.due_assets.end()) {
        result.due_assets.push_back(ref);
      }
    }
  };
  for (std::size_t index = 0; index < page.articles.size(); ++index) {
    const Article& article = page.articles[index];
    store_version(plans[index], fetch, article, parser, fetch_id,
                  packed_article_at(articles, index));
    if (keep.contains(AssetKind::image)) {
      std::vector<AssetRef> photos;
      for (const ArticleImage& image : article.images) {
        photos.push_back({.kind = AssetKind::image, .url = image.url});
      }
      add_due(refer_to_assets(plans[index].result.url, fetch.site, photos, {AssetKind::image},
                              fetch.fetched_at));
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
  update_page(fetch, kept, fetch_id, parser);
  transaction.commit();
  return result;
}

std::optional<std::string> ArchiveWriter::body(std::string_view sha256) {
  return load_body(m_db, sha256);
}

GcReport ArchiveWriter::collect_garbage(const GcOptions& options) {
  // Its checkpoints empty the WAL (TRUNCATE), which they cannot while a background copy runs.
  const auto held = m_checkpointer.hold();
  return archiver::collect_garbage(m_db, options);
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
