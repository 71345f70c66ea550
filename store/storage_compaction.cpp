#include "store/storage_compaction.hpp"

#include "store/dictionaries.hpp"
#include "util/clock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace archiver {
namespace {

constexpr std::int64_t k_chunk = 500;  // rows read before they are written back

std::vector<std::optional<std::string>> sites_of(sqlite::Database& db, std::string_view sql) {
  std::vector<std::optional<std::string>> sites;
  auto query = db.prepare(sql);
  while (query.step()) {
    sites.push_back(query.column_optional_text(0));
  }
  return sites;
}

// A dictionary trained on the first samples, or none (no site, too few, or training failed).
std::shared_ptr<const ZstdDictionary> trained(Dictionaries& dictionaries,
                                              const std::optional<std::string>& site,
                                              DictionaryKind kind, const TrainingSamples& samples) {
  if (!site || samples.empty()) {
    return nullptr;
  }
  auto dictionary = dictionaries.train(*site, kind, samples, now_utc_iso());
  if (!dictionary) {
    spdlog::warn("site {}: no {} dictionary ({}); stored without one", *site, to_string(kind),
                 dictionary.error());
    return nullptr;
  }
  return *dictionary;
}

std::int64_t compress_texts_of(sqlite::Database& db, Dictionaries& dictionaries,
                               const std::optional<std::string>& site) {
  const auto read = [&](std::int64_t after, std::int64_t limit) {
    auto query = db.prepare(
        "SELECT v.id, v.body FROM versions v JOIN articles a ON a.id = v.article_id "
        "WHERE a.site IS ?1 AND v.id > ?2 AND v.body_zstd IS NULL ORDER BY v.id LIMIT ?3");
    query.bind(1, site).bind(2, after).bind(3, limit);
    TrainingSamples rows;
    while (query.step()) {
      rows.add(std::to_string(query.column_int(0)), query.column_text(1));
    }
    return rows;
  };
  const auto samples = read(0, 400);
  const auto dictionary = trained(dictionaries, site, DictionaryKind::text, samples);
  auto store = db.prepare("UPDATE versions SET body_zstd = ?2 WHERE id = ?1");
  // (The samples were compressed with the dictionary it was trained on.)
  std::int64_t compressed = dictionary ? static_cast<std::int64_t>(samples.size()) : 0;
  for (std::int64_t after = 0;;) {
    const auto rows = read(after, k_chunk);
    if (rows.empty()) {
      return compressed;
    }
    rows.for_each([&](const std::string& key, std::string_view text) {
      store.bind(1, std::int64_t{std::stoll(key)})
          .bind_blob(2, dictionary ? dictionary->compress(text) : zstd_compress(text))
          .run();
      ++compressed;
    });
    after = std::stoll(rows.last_key());
  }
}

std::int64_t compress_pages_of(sqlite::Database& db, Dictionaries& dictionaries,
                               const std::string& site) {
  // Bodies of pages (not assets) compressed without a dictionary, in the order they came. This
  // runs inside the migration, on the tables as schema 12 has them: the fetch log still names
  // bodies by SHA-256 (schema 16 numbers them later).
  const auto read = [&](std::int64_t after, std::int64_t limit, std::int64_t& last_fetch) {
    auto query = db.prepare(
        "SELECT f.id, b.sha256, b.data FROM fetches f JOIN bodies b ON b.sha256 = f.body_sha256 "
        "WHERE f.site = ?1 AND f.id > ?2 AND f.asset_kind IS NULL AND b.media_type IS NULL "
        "AND b.compression = 'zstd' ORDER BY f.id LIMIT ?3");
    query.bind(1, site).bind(2, after).bind(3, limit);
    TrainingSamples rows;
    while (query.step()) {
      last_fetch = query.column_int(0);
      const std::string frame = query.column_blob(2);
      std::string sha256 = query.column_text(1);
      if (zstd_frame_dictionary_id(frame) != 0 || rows.has_key(sha256)) {
        continue;  // done already (a body several fetches received)
      }
      auto bytes = zstd_decompress(frame);
      if (!bytes) {
        throw sqlite::StoreError(0, "stored body " + sha256 + ": " + bytes.error());
      }
      rows.add(std::move(sha256), *bytes);
    }
    return rows;
  };
  std::int64_t last_fetch = 0;
  const auto samples = read(0, 400, last_fetch);
  const auto dictionary = trained(dictionaries, site, DictionaryKind::page, samples);
  if (!dictionary) {
    return 0;
  }
  auto store = db.prepare("UPDATE bodies SET data = ?2 WHERE sha256 = ?1");
  std::int64_t compressed = static_cast<std::int64_t>(samples.size());
  for (std::int64_t after = 0;;) {
    last_fetch = after;
    const auto rows = read(after, k_chunk, last_fetch);
    if (last_fetch == after) {
      return compressed;
    }
    rows.for_each([&](const std::string& sha256, std::string_view bytes) {
      store.bind(1, sha256).bind_blob(2, dictionary->compress(bytes)).run();
      ++compressed;
    });
    after = last_fetch;
  }
}

}  // namespace

void compress_stored_texts(sqlite::Database& db) {
  Dictionaries dictionaries(db);
  std::int64_t texts = 0;
  for (const auto& site : sites_of(db,
                                   "SELECT DISTINCT a.site FROM versions v JOIN articles a "
                                   "ON a.id = v.article_id ORDER BY a.site")) {
    texts += compress_texts_of(db, dictionaries, site);
  }
  std::int64_t pages = 0;
  for (const auto& site : sites_of(db,
                                   "SELECT DISTINCT site FROM pages WHERE site IS NOT NULL "
                                   "ORDER BY site")) {
    pages += compress_pages_of(db, dictionaries, *site);
  }
  if (texts > 0 || pages > 0) {
    spdlog::info(
        "schema 12: {} version texts compressed, {} pages compressed again with their "
        "site's dictionary",
        texts, pages);
  }
}

}  // namespace archiver
