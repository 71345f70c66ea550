// The archive's side of assets (PDFs, scans, photos): who refers to them, which are due for a
// fetch, their bytes (stored once by SHA-256, streamed in), and the article versions a photo
// replaced at the same URL makes.

#include "store/archive_writer.hpp"
#include "store/article_queries.hpp"
#include "util/compression.hpp"

#include <algorithm>

namespace archiver {
namespace {

// Assets whose format does not compress itself (BMP, TIFF) are compressed when they are this
// small at most; bigger ones are stored as they came (never whole in memory).
constexpr std::uint64_t k_max_compressed_asset = 16ULL * 1024 * 1024;

}  // namespace

std::vector<AssetRef> ArchiveWriter::refer_to_assets(const std::string& page_url,
                                                     const std::optional<std::string>& site,
                                                     const std::vector<AssetRef>& refs,
                                                     const AssetKinds& replaced,
                                                     const std::string& seen_at) {
  for (const AssetKind kind : replaced) {
    auto forget = m_db.prepare("DELETE FROM asset_refs WHERE page_url = ?1 AND kind = ?2");
    forget.bind(1, page_url).bind(2, to_string(kind)).run();
  }
  auto refer = m_db.prepare(
      "INSERT OR REPLACE INTO asset_refs (page_url, kind, position, url) VALUES (?1, ?2, ?3, ?4)");
  // Referred to again: due for a (conditional) fetch by this crawl.
  auto note = m_db.prepare(
      "INSERT INTO assets (url, kind, site, first_seen, due) VALUES (?1, ?2, ?3, ?4, 1) "
      "ON CONFLICT (url) DO UPDATE SET due = 1, site = coalesce(site, excluded.site)");
  std::vector<AssetRef> due;
  std::int64_t position = 0;
  for (const AssetRef& ref : refs) {
    refer.bind(1, page_url).bind(2, to_string(ref.kind)).bind(3, ++position).bind(4, ref.url);
    refer.run();
    note.bind(1, ref.url).bind(2, to_string(ref.kind)).bind(3, site).bind(4, seen_at).run();
    if (std::ranges::find(due, ref) == due.end()) {
      due.push_back(ref);
    }
  }
  return due;
}

std::vector<AssetRef> ArchiveWriter::assets_seen_again(const std::string& page_url) {
  // The page and the articles on it (its URL, or its URL with a fragment).
  auto refs = m_db.prepare(
      "SELECT DISTINCT r.kind, r.url FROM asset_refs r WHERE r.page_url = ?1 "
      "OR (r.page_url > ?1 || '#' AND r.page_url < ?1 || '$')");
  refs.bind(1, page_url);
  auto note = m_db.prepare("UPDATE assets SET due = 1 WHERE url = ?1");
  std::vector<AssetRef> due;
  while (refs.step()) {
    const auto kind = asset_kind_named(refs.column_text(0));
    if (!kind) {
      continue;
    }
    due.push_back({.kind = *kind, .url = refs.column_text(1)});
    note.bind(1, due.back().url).run();
  }
  return due;
}

void ArchiveWriter::fill_known_hashes(std::vector<ArticleImage>& images) {
  auto known = m_db.prepare("SELECT sha256 FROM assets WHERE url = ?1 AND sha256 IS NOT NULL");
  for (ArticleImage& image : images) {
    if (image.sha256) {
      continue;
    }
    known.bind(1, image.url);
    if (known.step()) {
      image.sha256 = known.column_text(0);
    }
    known.reset();
  }
}

AssetState ArchiveWriter::asset_state(const std::string& url) {
  auto query = m_db.prepare("SELECT etag, last_modified, sha256, site FROM assets WHERE url = ?1");
  query.bind(1, url);
  AssetState state;
  if (query.step()) {
    state.etag = query.column_optional_text(0);
    state.last_modified = query.column_optional_text(1);
    state.sha256 = query.column_optional_text(2);
    state.site = query.column_optional_text(3);
  }
  return state;
}

std::vector<AssetRef> ArchiveWriter::due_assets(const std::optional<std::string>& site,
                                                std::int64_t limit) {
  auto query = m_db.prepare(
      "SELECT kind, url FROM assets WHERE due = 1 AND site IS ?1 ORDER BY rowid LIMIT ?2");
  query.bind(1, site).bind(2, limit);
  std::vector<AssetRef> due;
  while (query.step()) {
    if (const auto kind = asset_kind_named(query.column_text(0))) {
      due.push_back({.kind = *kind, .url = query.column_text(1)});
    }
  }
  return due;
}

void ArchiveWriter::store_asset_body(const AssetBytes& bytes) {
  auto exists = m_db.prepare("SELECT 1 FROM bodies WHERE sha256 = ?1");
  exists.bind(1, bytes.sha256);
  if (exists.step()) {
    return;  // the same logo on 10,000 pages is one row
  }
  if (bytes.compress && bytes.size <= k_max_compressed_asset) {
    std::string whole;
    whole.reserve(bytes.size);
    bytes.read([&](std::string_view chunk) { whole.append(chunk); });
    auto insert = m_db.prepare(
        "INSERT INTO bodies (sha256, size, compression, data, media_type) "
        "VALUES (?1, ?2, 'zstd', ?3, ?4)");
    insert.bind(1, bytes.sha256)
        .bind(2, static_cast<std::int64_t>(bytes.size))
        .bind_blob(3, zstd_compress(whole))
        .bind(4, bytes.media_type)
        .run();
    return;
  }
  // As it came, streamed into a row made to its size.
  auto insert = m_db.prepare(
      "INSERT INTO bodies (sha256, size, compression, data, media_type) "
      "VALUES (?1, ?2, 'none', zeroblob(?2), ?3)");
  insert.bind(1, bytes.sha256)
      .bind(2, static_cast<std::int64_t>(bytes.size))
      .bind(3, bytes.media_type)
      .run();
  m_db.write_blob("bodies", "data", m_db.last_insert_rowid(), bytes.read);
}

AssetResult ArchiveWriter::record_asset(const FetchRecord& fetch, AssetKind kind,
                                        const AssetBytes& bytes) {
  sqlite::Transaction transaction(m_db);
  const AssetState before = asset_state(fetch.url);
  store_asset_body(bytes);
  const bool same = before.sha256 == bytes.sha256;
  const std::int64_t fetch_id = insert_fetch(
      fetch, same ? Outcome::unchanged : (before.sha256 ? Outcome::changed : Outcome::created),
      bytes.sha256);
  auto update = m_db.prepare(
      "INSERT INTO assets (url, kind, site, sha256, etag, last_modified, first_seen, "
      "last_fetched, last_fetch_id, error, tries, due) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, NULL, 0, 0) ON CONFLICT (url) DO UPDATE SET "
      "sha256 = excluded.sha256, etag = excluded.etag, last_modified = excluded.last_modified, "
      "last_fetched = excluded.last_fetched, last_fetch_id = excluded.last_fetch_id, "
      "error = NULL, tries = 0, due = 0");
  update.bind(1, fetch.url)
      .bind(2, to_string(kind))
      .bind(3, fetch.site)
      .bind(4, bytes.sha256)
      .bind(5, fetch.etag.empty() ? std::nullopt : std::optional(fetch.etag))
      .bind(6, fetch.last_modified.empty() ? std::nullopt : std::optional(fetch.last_modified))
      .bind(7, fetch.fetched_at)
      .bind(8, fetch_id)
      .run();
  AssetResult result{
      .outcome = same ? Outcome::unchanged : (before.sha256 ? Outcome::changed : Outcome::created),
      .versions = {}};
  if (!same) {
    result.versions = show_photo_bytes(fetch, bytes.sha256);
  }
  transaction.commit();
  return result;
}

std::vector<ArticleResult> ArchiveWriter::show_photo_bytes(const FetchRecord& fetch,
                                                           const std::string& sha256) {
  std::vector<ArticleResult> versions;
  auto showing = m_db.prepare(
      "SELECT DISTINCT a.id FROM asset_refs r JOIN articles a ON a.url = r.page_url "
      "WHERE r.url = ?1 AND r.kind = 'image'");
  showing.bind(1, fetch.url);
  std::vector<std::int64_t> articles;
  while (showing.step()) {
    articles.push_back(showing.column_int(0));
  }
  for (const std::int64_t article_id : articles) {
    auto latest = read_stored_article(m_db, article_id, std::nullopt);
    if (!latest) {
      continue;
    }
    Article article = latest->article;
    bool filled = false;
    bool replaced = false;
    for (ArticleImage& image : article.images) {
      if (image.url != fetch.url) {
        continue;
      }
      if (!image.sha256) {
        filled = true;  // the photo the version showed, archived now
      } else if (*image.sha256 != sha256) {
        replaced = true;  // another photo than the version showed: the article changed
      }
      image.sha256 = sha256;
    }
    if (replaced) {
      auto origin =
          m_db.prepare("SELECT fetch_id FROM versions WHERE article_id = ?1 AND version = ?2");
      origin.bind(1, article_id).bind(2, latest->version);
      std::optional<std::int64_t> text_fetch;
      if (origin.step() && !origin.is_null(0)) {
        text_fetch = origin.column_int(0);
      }
      ArticleResult result{.url = latest->url,
                           .outcome = Outcome::changed,
                           .article_id = article_id,
                           .version = latest->version + 1};
      // The text is the version's before, from the fetch it was read from; the photo is new.
      insert_version(result, latest->content_hash, article, latest->parser, text_fetch,
                     fetch.fetched_at);
      auto touch = m_db.prepare("UPDATE articles SET last_seen = ?2 WHERE id = ?1");
      touch.bind(1, article_id).bind(2, fetch.fetched_at).run();
      versions.push_back(std::move(result));
    } else if (filled) {
      auto fill =
          m_db.prepare("UPDATE versions SET images = ?3 WHERE article_id = ?1 AND version = ?2");
      fill.bind(1, article_id).bind(2, latest->version).bind(3, images_json(article.images)).run();
    }
  }
  return versions;
}

void ArchiveWriter::record_asset_not_modified(const FetchRecord& fetch) {
  sqlite::Transaction transaction(m_db);
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::not_modified, std::nullopt);
  auto update = m_db.prepare(
      "UPDATE assets SET last_fetched = ?2, last_fetch_id = ?3, error = NULL, tries = 0, "
      "due = 0 WHERE url = ?1");
  update.bind(1, fetch.url).bind(2, fetch.fetched_at).bind(3, fetch_id).run();
  transaction.commit();
}

void ArchiveWriter::record_asset_failure(const FetchRecord& fetch, AssetKind kind, bool retry) {
  sqlite::Transaction transaction(m_db);
  const std::int64_t fetch_id = insert_fetch(fetch, Outcome::error, std::nullopt);
  // A transient failure is tried again by the next crawls, three times at most; a permanent one
  // (404, the wrong type, too big) when a page refers to the asset again.
  constexpr std::int64_t k_max_tries = 3;
  auto update = m_db.prepare(
      "INSERT INTO assets (url, kind, site, first_seen, last_fetched, last_fetch_id, error, "
      "tries, due) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, 1, ?7) ON CONFLICT (url) DO UPDATE SET "
      "last_fetched = excluded.last_fetched, last_fetch_id = excluded.last_fetch_id, "
      "error = excluded.error, tries = tries + 1, "
      "due = CASE WHEN ?7 = 1 AND tries + 1 < ?8 THEN 1 ELSE 0 END");
  update.bind(1, fetch.url)
      .bind(2, to_string(kind))
      .bind(3, fetch.site)
      .bind(4, fetch.fetched_at)
      .bind(5, fetch_id)
      .bind(6, fetch.error)
      .bind(7, std::int64_t{retry ? 1 : 0})
      .bind(8, k_max_tries)
      .run();
  transaction.commit();
}

void ArchiveWriter::assets_done(const std::vector<std::string>& urls) {
  if (urls.empty()) {
    return;
  }
  sqlite::Transaction transaction(m_db);
  auto update = m_db.prepare("UPDATE assets SET due = 0 WHERE url = ?1");
  for (const std::string& url : urls) {
    update.bind(1, url).run();
  }
  transaction.commit();
}

std::vector<StoredAsset> ArchiveWriter::page_assets(const std::string& page_url) {
  return read_page_assets(m_db, page_url);
}

}  // namespace archiver
