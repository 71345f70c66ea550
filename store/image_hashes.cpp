#include "store/image_hashes.hpp"

#include "change/fingerprint.hpp"
#include "store/article_queries.hpp"

#include <utility>
#include <vector>

namespace archiver {

std::int64_t rehash_versions_with_images(sqlite::Database& db) {
  std::vector<std::pair<std::int64_t, std::int64_t>> newest;  // article id, version
  {
    auto query = db.prepare(
        "SELECT v.article_id, v.version FROM versions v WHERE v.images != '[]' AND v.version = "
        "(SELECT max(version) FROM versions WHERE article_id = v.article_id)");
    while (query.step()) {
      newest.emplace_back(query.column_int(0), query.column_int(1));
    }
  }
  auto update =
      db.prepare("UPDATE versions SET content_hash = ?3 WHERE article_id = ?1 AND version = ?2");
  std::int64_t rehashed = 0;
  for (const auto& [article_id, version] : newest) {
    const auto stored = read_stored_article(db, article_id, version);
    if (!stored) {
      continue;
    }
    update.bind(1, article_id).bind(2, version).bind(3, content_hash(stored->article)).run();
    ++rehashed;
  }
  return rehashed;
}

}  // namespace archiver
