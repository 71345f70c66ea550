#pragma once
// Article reads shared by the reader and the writer (which reports what it just stored).

#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace archiver {

// The columns read_article_row expects, for "SELECT <columns> FROM articles a JOIN versions v".
extern const std::string_view k_article_columns;

[[nodiscard]] StoredArticle read_article_row(const sqlite::Statement& row);

// One version of an article (the latest when version is empty).
[[nodiscard]] std::optional<StoredArticle> read_stored_article(sqlite::Database& db,
                                                               std::int64_t article_id,
                                                               std::optional<std::int64_t> version);

// A site's crawls, newest first (finished or not); only those that parsed articles when asked.
[[nodiscard]] std::vector<CrawlRecord> read_recent_crawls(sqlite::Database& db,
                                                          const std::string& site,
                                                          std::int64_t limit,
                                                          bool with_articles_only = false);

// A version's images as stored: a JSON array of {"url", "caption", "sha256"}.
[[nodiscard]] std::string images_json(const std::vector<ArticleImage>& images);

// The type and size of each image's archived bytes (those with a sha256).
void describe_images(sqlite::Database& db, std::vector<ArticleImage>& images);

// A 版面 page's PDF and scan, archived or not, in the order the page gives them.
[[nodiscard]] std::vector<StoredAsset> read_page_assets(sqlite::Database& db,
                                                        const std::string& page_url);

// The size of a body stored as it came (an asset that compresses itself), or nothing when it
// is stored compressed or not at all: such a body can be read a chunk at a time.
[[nodiscard]] std::optional<std::int64_t> uncompressed_body_size(sqlite::Database& db,
                                                                 std::string_view sha256);
// A body stored as it came, a chunk at a time.
void stream_body(sqlite::Database& db, std::string_view sha256,
                 const std::function<void(std::string_view)>& chunk);

// Up to length bytes of a body stored as it came, from offset on.
[[nodiscard]] std::string read_body_part(sqlite::Database& db, std::string_view sha256,
                                         std::int64_t offset, std::size_t length);

// Raw body bytes by SHA-256, decompressed; nothing when no such body is stored.
[[nodiscard]] std::optional<std::string> load_body(sqlite::Database& db, std::string_view sha256);

// Every page with a stored body (of the site; last fetched on or after the day), by URL, with
// the newest fetch that received that body: what `reparse` reads again.
[[nodiscard]] std::vector<StoredPage> read_stored_pages(sqlite::Database& db,
                                                        const std::optional<std::string>& site,
                                                        const std::optional<std::string>& since);

}  // namespace archiver
