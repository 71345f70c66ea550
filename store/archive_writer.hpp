#pragma once
// The single writer of an archive. Every fetch becomes one transaction: the raw body (stored
// once per SHA-256, zstd-compressed), a fetch-log row, the URL's state, and a new article version
// only when the article's content hash changed.

#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <filesystem>

namespace archiver {

class ArchiveWriter {
 public:
  // Opens or creates the archive, switches it to WAL and migrates it. Throws NotAnArchive or
  // sqlite::StoreError naming the file.
  explicit ArchiveWriter(const std::filesystem::path& path);

  [[nodiscard]] PageState page_state(std::string_view url);

  // An attempt that gave no page: network error, HTTP error status, refused redirect.
  StoreResult record_failure(const FetchRecord& fetch);

  // A 304: the URL and its article were seen again; no bytes, no parsing.
  StoreResult record_not_modified(const FetchRecord& fetch);

  // A fetched page and what its parser found in it.
  StoreResult record_page(const FetchRecord& fetch, std::string_view body, const ParsedPage& page,
                          std::string_view parser);

  [[nodiscard]] sqlite::Database& database() { return m_db; }

 private:
  std::int64_t insert_fetch(const FetchRecord& fetch, Outcome outcome,
                            const std::optional<std::string>& body_sha256);
  void store_body(const std::string& sha256, std::string_view body);
  StoreResult store_article(const FetchRecord& fetch, const Article& article,
                            std::string_view parser, std::int64_t fetch_id);
  void store_headlines(std::string_view page_url, const std::vector<Headline>& headlines);
  void update_page(const FetchRecord& fetch, const std::optional<std::string>& body_sha256,
                   std::int64_t fetch_id);

  sqlite::Database m_db;
};

}  // namespace archiver
