#include "store/article_queries.hpp"

#include <nlohmann/json.hpp>

namespace archiver {

const std::string_view k_article_columns =
    "a.id, a.site, a.url, v.version, v.content_hash, v.parser, v.title, v.kicker, v.subtitle, "
    "v.published, v.author, v.source, archiver_text(v.body_zstd), v.edition, v.page, v.issue, "
    "a.first_seen, "
    "a.last_seen, v.first_seen, v.last_seen, v.images";

StoredArticle read_article_row(const sqlite::Statement& row) {
  StoredArticle stored;
  stored.id = row.column_int(0);
  stored.site = row.column_optional_text(1);
  stored.url = row.column_text(2);
  stored.version = row.column_int(3);
  stored.content_hash = row.column_text(4);
  stored.parser = row.column_text(5);
  Article& article = stored.article;
  article.title = row.column_text(6);
  article.kicker = row.column_optional_text(7);
  article.subtitle = row.column_optional_text(8);
  article.published = row.column_optional_text(9);
  article.author = row.column_optional_text(10);
  article.source = row.column_optional_text(11);
  const std::string body = row.column_text(12);
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = std::min(body.find('\n', start), body.size());
    article.body.emplace_back(body.substr(start, end - start));
    start = end + 1;
  }
  article.edition = row.column_optional_text(13);
  article.page = row.column_optional_text(14);
  article.issue = row.column_optional_text(15);
  stored.first_seen = row.column_text(16);
  stored.last_seen = row.column_text(17);
  stored.version_first_seen = row.column_text(18);
  stored.version_last_seen = row.column_text(19);
  // Written by archiver as JSON; a damaged value costs the pictures, never the article.
  const auto images = nlohmann::json::parse(row.column_text(20), nullptr, false);
  if (images.is_array()) {
    for (const auto& image : images) {
      if (image.is_object() && image.contains("url") && image["url"].is_string()) {
        const auto text = [&](const char* key) {
          return image.value(key, nlohmann::json()).is_string()
                     ? std::optional(image[key].get<std::string>())
                     : std::nullopt;
        };
        article.images.push_back({.url = image["url"].get<std::string>(),
                                  .caption = text("caption"),
                                  .sha256 = text("sha256"),
                                  .media_type = {},
                                  .bytes = 0});
      }
    }
  }
  return stored;
}

std::string images_json(const std::vector<ArticleImage>& images) {
  nlohmann::json array = nlohmann::json::array();
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  for (const auto& image : images) {
    array.push_back({{"url", image.url},
                     {"caption", optional(image.caption)},
                     {"sha256", optional(image.sha256)}});
  }
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void describe_images(sqlite::Database& db, std::vector<ArticleImage>& images) {
  auto query = db.prepare("SELECT coalesce(media_type, ''), size FROM bodies WHERE sha256 = ?1");
  for (ArticleImage& image : images) {
    if (!image.sha256) {
      continue;
    }
    query.bind(1, *image.sha256);
    if (query.step()) {
      image.media_type = query.column_text(0);
      image.bytes = query.column_int(1);
    } else {
      image.sha256.reset();  // gone (gc), so not archived
    }
    query.reset();
  }
}

std::vector<StoredAsset> read_page_assets(sqlite::Database& db, const std::string& page_url) {
  auto query = db.prepare(
      "SELECT r.kind, r.url, a.sha256, coalesce(b.media_type, ''), coalesce(b.size, 0), a.error "
      "FROM asset_refs r LEFT JOIN assets a ON a.url = r.url "
      "LEFT JOIN bodies b ON b.sha256 = a.sha256 "
      "WHERE r.page_url = ?1 AND r.kind IN ('pdf', 'page-image') "
      "ORDER BY r.kind = 'page-image', r.position");
  query.bind(1, page_url);
  std::vector<StoredAsset> assets;
  while (query.step()) {
    StoredAsset asset;
    asset.kind = asset_kind_named(query.column_text(0)).value_or(AssetKind::pdf);
    asset.url = query.column_text(1);
    asset.sha256 = query.column_optional_text(2);
    asset.media_type = query.column_text(3);
    asset.bytes = query.column_int(4);
    asset.error = query.column_optional_text(5);
    if (!asset.sha256) {
      asset.media_type.clear();
    }
    assets.push_back(std::move(asset));
  }
  return assets;
}

std::optional<StoredArticle> read_stored_article(sqlite::Database& db, std::int64_t article_id,
                                                 std::optional<std::int64_t> version) {
  // Built up, not "SELECT " + std::string(...): GCC 12 at -O3 takes that for a write out of
  // bounds (-Warray-bounds, a known false alarm of its; as in util/url.cpp).
  std::string sql = "SELECT ";
  sql += k_article_columns;
  sql +=
      " FROM articles a JOIN versions v ON v.article_id = a.id WHERE a.id = ?1 "
      "AND v.version = coalesce(?2, (SELECT max(version) FROM versions WHERE article_id = a.id))";
  auto statement = db.prepare(sql);
  statement.bind(1, article_id).bind(2, version);
  if (!statement.step()) {
    return std::nullopt;
  }
  StoredArticle stored = read_article_row(statement);
  statement.reset();
  describe_images(db, stored.article.images);
  return stored;
}

std::vector<CrawlRecord> read_recent_crawls(sqlite::Database& db, const std::string& site,
                                            std::int64_t limit, bool with_articles_only) {
  auto query = db.prepare(
      "SELECT id, site, target, started_at, coalesce(finished_at, ''), coalesce(result, ''), "
      "pages, headlines, articles, with_title, with_date, with_body, new_versions, errors, known, "
      "assets, asset_errors FROM crawls WHERE site = ?1 AND (?3 = 0 OR articles > 0) "
      "ORDER BY id DESC LIMIT ?2");
  query.bind(1, site).bind(2, limit).bind(3, std::int64_t{with_articles_only ? 1 : 0});
  std::vector<CrawlRecord> crawls;
  while (query.step()) {
    CrawlRecord crawl{.id = query.column_int(0),
                      .site = query.column_text(1),
                      .target = query.column_text(2),
                      .started_at = query.column_text(3),
                      .finished_at = query.column_text(4),
                      .stats = {}};
    crawl.stats.result = query.column_text(5);
    crawl.stats.pages = query.column_int(6);
    crawl.stats.headlines = query.column_int(7);
    crawl.stats.articles = query.column_int(8);
    crawl.stats.with_title = query.column_int(9);
    crawl.stats.with_date = query.column_int(10);
    crawl.stats.with_body = query.column_int(11);
    crawl.stats.new_versions = query.column_int(12);
    crawl.stats.errors = query.column_int(13);
    crawl.stats.known = query.column_int(14);
    crawl.stats.assets = query.column_int(15);
    crawl.stats.asset_errors = query.column_int(16);
    crawls.push_back(std::move(crawl));
  }
  return crawls;
}

std::optional<std::int64_t> uncompressed_body_size(sqlite::Database& db, std::string_view sha256) {
  auto query = db.prepare("SELECT size FROM bodies WHERE sha256 = ?1 AND compression = 'none'");
  query.bind(1, sha256);
  if (!query.step()) {
    return std::nullopt;
  }
  return query.column_int(0);
}

void stream_body(sqlite::Database& db, std::string_view sha256,
                 const std::function<void(std::string_view)>& chunk) {
  auto query = db.prepare("SELECT rowid FROM bodies WHERE sha256 = ?1 AND compression = 'none'");
  query.bind(1, sha256);
  if (!query.step()) {
    throw sqlite::StoreError(0, "no body stored as it came with SHA-256 " + std::string(sha256));
  }
  const std::int64_t rowid = query.column_int(0);
  query.reset();
  db.read_blob("bodies", "data", rowid, chunk);
}

std::string read_body_part(sqlite::Database& db, std::string_view sha256, std::int64_t offset,
                           std::size_t length) {
  auto query = db.prepare("SELECT rowid FROM bodies WHERE sha256 = ?1 AND compression = 'none'");
  query.bind(1, sha256);
  if (!query.step()) {
    throw sqlite::StoreError(0, "no body stored as it came with SHA-256 " + std::string(sha256));
  }
  const std::int64_t rowid = query.column_int(0);
  query.reset();
  return db.read_blob_part("bodies", "data", rowid, offset, length);
}

std::optional<std::string> load_body(sqlite::Database& db, std::string_view sha256) {
  // An asset that compresses itself was stored as it came; the rest is a zstd frame, which
  // archiver_unzstd (store/dictionaries) reads with the dictionary it names.
  auto statement = db.prepare(
      "SELECT CASE compression WHEN 'none' THEN data ELSE archiver_unzstd(data) END "
      "FROM bodies WHERE sha256 = ?1");
  statement.bind(1, sha256);
  try {
    if (!statement.step()) {
      return std::nullopt;
    }
  } catch (const sqlite::StoreError& error) {
    statement.reset();
    throw sqlite::StoreError(0, "stored body " + std::string(sha256) + ": " + error.what());
  }
  std::string bytes = statement.column_blob(0);
  statement.reset();
  return bytes;
}

std::vector<StoredPage> read_stored_pages(sqlite::Database& db,
                                          const std::optional<std::string>& site,
                                          const std::optional<std::string>& since) {
  auto query = db.prepare(
      "SELECT p.url, coalesce(f.final_url, f.url), p.site, b.sha256, "
      "coalesce(f.content_type, ''), f.id, f.fetched_at, p.first_fetched, p.parser FROM pages p "
      "JOIN bodies b ON b.id = p.body_id "
      // The newest fetch that received these very bytes (what a version read from them points
      // at); an older archive's fetch that kept them for unchanged content will do.
      "JOIN fetches f ON f.id = coalesce((SELECT max(id) FROM fetches WHERE url = p.url "
      "AND CASE WHEN received_sha256 IS NULL THEN body_id = p.body_id "
      "ELSE received_sha256 = b.sha256 END), (SELECT max(id) FROM "
      "fetches WHERE url = p.url AND body_id = p.body_id)) "
      "WHERE (?1 IS NULL OR p.site = ?1) "
      "AND (?2 IS NULL OR substr(p.last_fetched, 1, 10) >= ?2) ORDER BY p.url");
  query.bind(1, site).bind(2, since);
  std::vector<StoredPage> pages;
  while (query.step()) {
    pages.push_back({.url = query.column_text(0),
                     .final_url = query.column_text(1),
                     .site = query.column_optional_text(2),
                     .body_sha256 = query.column_text(3),
                     .content_type = query.column_text(4),
                     .fetch_id = query.column_int(5),
                     .fetched_at = query.column_text(6),
                     .first_fetched = query.column_text(7),
                     .parser = query.column_optional_text(8)});
  }
  return pages;
}

}  // namespace archiver
