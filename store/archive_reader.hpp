#pragma once
// Read-only access to an archive for the query commands. Opens the file read-only, so a
// reader never blocks or disturbs the writer (WAL lets both proceed). Its connection stays
// inside: what the commands, the web interface and the exports read, they read through these
// methods.

#include "store/browse_queries.hpp"
#include "store/dictionaries.hpp"
#include "store/edition_report.hpp"
#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <filesystem>
#include <functional>
#include <vector>

namespace archiver {

struct ArticleQuery {
  std::optional<std::string> site;
  std::optional<std::string> since;  // YYYY-MM-DD, inclusive, on the published date
  std::optional<std::string> until;  // YYYY-MM-DD, inclusive
  std::int64_t limit = -1;           // negative: no limit (SQLite's LIMIT -1)
  std::int64_t offset = 0;           // articles(): skip this many first (paging)
};

struct ArchiveStats {
  std::int64_t articles = 0;
  std::int64_t versions = 0;
  std::int64_t fetches = 0;       // of pages; assets apart
  std::int64_t fetch_errors = 0;  // pages (assets apart)
  std::int64_t asset_fetches = 0;
  std::int64_t assets = 0;        // asset URLs with bytes archived
  std::int64_t asset_errors = 0;  // asset fetches that failed
  std::int64_t bodies = 0;
  std::int64_t raw_bytes = 0;         // bodies before compression
  std::int64_t compressed_bytes = 0;  // as stored
  std::int64_t database_bytes = 0;    // file size incl. WAL
  int schema_version = 0;
  std::optional<std::string> last_fetch;
};

struct FetchErrorRow {
  std::string fetched_at;
  std::string url;
  std::optional<std::int64_t> http_status;
  std::string error;
};

// What the archive holds of one site.
struct SiteActivity {
  std::int64_t articles = 0;
  std::optional<std::string> last_fetch;  // UTC ISO
  std::int64_t fetch_errors = 0;          // failed fetches, days without an edition not counted
  std::int64_t not_published = 0;         // e-paper days found without an edition (404)
  std::int64_t asset_errors = 0;          // PDFs, scans, photos that could not be had
};

struct SearchRequest;  // store/search_index.hpp
struct SearchResults;

class ArchiveReader {
 public:
  // Throws NotAnArchive or StoreError naming the file.
  explicit ArchiveReader(const std::filesystem::path& path);

  // The archive's file.
  [[nodiscard]] const std::filesystem::path& path() const { return m_db.path(); }
  // The schema the archive is at (PRAGMA user_version); older than this build's until a
  // writer has opened it.
  [[nodiscard]] int schema_version();

  [[nodiscard]] std::vector<StoredArticle> articles(const ArticleQuery& query);

  // Each article matching the query (its latest version, or every version), by id and version,
  // one at a time: for exports of any size.
  void each_article(const ArticleQuery& query, bool all_versions,
                    const std::function<void(const StoredArticle&)>& visit);

  // By numeric id or URL; the latest version unless one is named.
  [[nodiscard]] std::optional<StoredArticle> article(std::string_view id_or_url,
                                                     std::optional<std::int64_t> version = {});

  [[nodiscard]] std::vector<VersionSummary> history(std::int64_t article_id);

  [[nodiscard]] ArchiveStats stats();
  // How many articles the archive holds (what stats() counts first, without the rest).
  [[nodiscard]] std::int64_t article_count();
  [[nodiscard]] std::vector<FetchErrorRow> recent_errors(std::int64_t limit);

  [[nodiscard]] SiteActivity site_activity(const std::string& site);

  // The newest crawl of the site that parsed articles: what its parser health is judged by (a
  // re-crawl that found nothing new says nothing about the parser).
  [[nodiscard]] std::optional<CrawlRecord> last_parsing_crawl(const std::string& site);

  // The site's crawls, newest first.
  [[nodiscard]] std::vector<CrawlRecord> recent_crawls(const std::string& site, std::int64_t limit);

  // Every page with a stored body, as `reparse --dry-run` reads them (store/article_queries.hpp).
  [[nodiscard]] std::vector<StoredPage> stored_pages(const std::optional<std::string>& site,
                                                     const std::optional<std::string>& since);

  // Raw body bytes by SHA-256, decompressed.
  [[nodiscard]] std::optional<std::string> body(std::string_view sha256);

  // The 版面 the article at article_url is printed on (by the scan's image map, else by the
  // 标题导航 of its edition's pages); nothing when none is known.
  [[nodiscard]] std::optional<PrintedOn> printed_on(const std::string& article_url);

  // An archived asset (or any stored body) by its SHA-256, or an asset by its URL: what was
  // archived last for it. Nothing when the archive holds no bytes for it.
  [[nodiscard]] std::optional<StoredAsset> asset(std::string_view sha256_or_url);
  // The stored bytes a chunk at a time, as they came (decompressed when they were stored
  // compressed): an asset of any size is never whole in memory when stored as it came.
  void write_body(std::string_view sha256, const std::function<void(std::string_view)>& chunk);

  // The size of a body stored as it came (then it can be read in parts), else nothing.
  [[nodiscard]] std::optional<std::int64_t> body_size_as_stored(std::string_view sha256);
  // Up to length bytes of such a body from offset on.
  [[nodiscard]] std::string body_part(std::string_view sha256, std::int64_t offset,
                                      std::size_t length);

  // An edition as a newspaper, and versions newest first (store/browse_queries.hpp).
  [[nodiscard]] std::vector<EditionSheet> edition_sheets(const std::string& site,
                                                         const std::string& edition);
  [[nodiscard]] std::vector<StoredArticle> recent_versions(const std::optional<std::string>& site,
                                                           std::int64_t limit);
  [[nodiscard]] std::optional<FetchedPage> version_page(std::int64_t article_id,
                                                        std::int64_t version);
  [[nodiscard]] std::int64_t newest_version_id();
  [[nodiscard]] std::optional<std::string> edition_issue(const std::string& site,
                                                         const std::string& edition);
  [[nodiscard]] std::optional<std::string> newest_edition(const std::string& site);

  // How complete the site's editions of these days are (store/edition_report.hpp).
  [[nodiscard]] std::vector<EditionReport> edition_reports(
      const std::string& site, const std::optional<std::string>& from,
      const std::optional<std::string>& to,
      const std::function<bool(const std::string&)>& in_scope);

  // Full-text search, ranked (store/search_index.hpp).
  [[nodiscard]] SearchResults search(const SearchRequest& request);

  // The fetch log's exchanges with a body or a 304, in the order fetched, one at a time; and
  // the versions read from one fetch's response (store/exchanges.hpp): what a WARC holds.
  void each_exchange(const ExchangeQuery& query,
                     const std::function<void(const ArchivedExchange&)>& visit);
  [[nodiscard]] std::vector<StoredArticle> versions_from_fetch(std::int64_t fetch_id);

 private:
  [[nodiscard]] std::optional<std::int64_t> resolve_id(std::string_view id_or_url);
  sqlite::Database m_db;
  Dictionaries m_dictionaries{m_db};
};

}  // namespace archiver
