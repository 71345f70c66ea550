#pragma once
// Value types that cross the store's boundary.

#include "parsers/article.hpp"
#include "util/asset_kind.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

// What a fetch of one URL came to; the contract's `status` values.
enum class Outcome { created, changed, unchanged, not_modified, error };

[[nodiscard]] std::string_view to_string(Outcome outcome);  // "new", "changed", ...

// One attempt to fetch a URL, as logged in the fetches table.
struct FetchRecord {
  std::string url;
  std::string final_url;
  std::optional<std::string> site;
  std::string fetched_at;  // UTC ISO
  std::optional<std::int64_t> http_status;
  std::int64_t bytes = 0;
  std::int64_t duration_ms = 0;
  std::string content_type;
  std::string request_headers;
  std::string response_headers;
  std::string etag;
  std::string last_modified;
  std::string charset;
  std::string charset_reason;
  std::optional<std::string> error;
  // The edition's first page answered 404/410: the paper did not publish that day. Logged, but
  // not counted as a failure.
  bool not_published = false;
  std::optional<AssetKind> asset_kind;  // the fetch was for an asset of this kind
};

// What the archive remembers of a URL, for conditional requests and change checks.
struct PageState {
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> body_sha256;
  std::optional<std::string> first_fetched;  // UTC ISO; the reference for month-day dates
};

// What became of one article of a page.
struct ArticleResult {
  std::string url;  // the page URL, with "#anchor" for one of several articles on a page
  Outcome outcome = Outcome::error;
  std::int64_t article_id = 0;
  std::int64_t version = 0;
};

// An asset a page refers to: a 版面's PDF or scan, an article's photo.
struct AssetRef {
  AssetKind kind = AssetKind::image;
  std::string url;
  bool operator==(const AssetRef&) const = default;
};

struct StoreResult {
  Outcome outcome = Outcome::error;  // of the page: new if any article is new, else changed...
  std::vector<ArticleResult> articles;
  // The page's assets a crawl should fetch now (referred to again, never archived, or failed).
  std::vector<AssetRef> due_assets;
};

// What the archive remembers of an asset URL, for a conditional request.
struct AssetState {
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> sha256;
  std::optional<std::string> site;
};

// An asset's bytes, checked and ready for the archive: read from wherever they wait (a spool
// file) a chunk at a time, so that a 50 MiB PDF is never whole in memory.
struct AssetBytes {
  std::string sha256;
  std::string media_type;  // as the bytes show it
  std::uint64_t size = 0;
  bool compress = false;  // a format that does not compress itself (BMP, TIFF)
  std::function<void(const std::function<void(std::string_view)>&)> read;
};

// An archived asset as `show`, `editions` and `asset` report it.
struct StoredAsset {
  std::string url;
  AssetKind kind = AssetKind::image;
  std::optional<std::string> sha256;  // none: not archived (yet)
  std::string media_type;
  std::int64_t bytes = 0;
  std::optional<std::string> error;  // why the last attempt failed
};

// The 版面 an e-paper article is printed on, with its PDF and scan.
struct PrintedOn {
  std::string page_url;
  std::optional<std::string> page_name;  // 第02版:工会新闻
  std::vector<StoredAsset> assets;
  std::optional<MapArea> area;  // where the article sits on the scan
};

// What storing an asset came to: new bytes or not, and the article versions it made (a photo
// replaced at the same URL).
struct AssetResult {
  Outcome outcome = Outcome::error;
  std::vector<ArticleResult> versions;
};

// An article as read back from the archive: one version of it.
struct StoredArticle {
  std::int64_t id = 0;
  std::optional<std::string> site;
  std::string url;
  std::int64_t version = 0;
  std::string content_hash;
  std::string parser;
  Article article;
  std::string first_seen;  // of the article (its first version)
  std::string last_seen;   // of the article (any version)
  std::string version_first_seen;
  std::string version_last_seen;
};

// Parser health and work done by one crawl of a site (an edition, or its list pages).
struct CrawlStats {
  std::int64_t pages = 0;      // edition pages or list pages fetched
  std::int64_t headlines = 0;  // distinct in-scope articles the pages list
  std::int64_t known = 0;      // of those, not fetched: archived already, or robots.txt forbids
  std::int64_t articles = 0;   // articles fetched and parsed
  std::int64_t with_title = 0;
  std::int64_t with_date = 0;
  std::int64_t with_body = 0;
  std::int64_t new_versions = 0;
  std::int64_t errors = 0;
  std::int64_t revisited = 0;     // archived articles fetched again to catch edits
  std::int64_t assets = 0;        // PDFs, scans and photos archived (new bytes)
  std::int64_t asset_errors = 0;  // assets that could not be had (never the crawl's failure)
  std::string result;             // ok, partial, failed, missing

  CrawlStats& operator+=(const CrawlStats& other);
};

struct CrawlRecord {
  std::int64_t id = 0;
  std::string site;
  std::string target;  // YYYY-MM-DD of an edition, or "lists"
  std::string started_at;
  std::string finished_at;
  CrawlStats stats;
};

// An article a crawl has found and not yet stored (the `frontier` table).
struct FrontierEntry {
  std::string url;
  EditionContext listed_in;  // the 版面 that prints it (e-papers)
};

// A 版面 of an e-paper edition, as the crawl found it.
struct EditionPage {
  std::string url;
  std::optional<std::string> name;  // 第02版:工会新闻
};

// A crawl that never finished (killed, or the machine went down).
struct UnfinishedCrawl {
  std::int64_t id = 0;
  std::string site;
  std::string target;
};

// A raw body made ready for the archive (its SHA-256 and its zstd bytes) by pack_body(), on a
// worker thread, so that the writer only writes.
struct PackedBody {
  std::string sha256;
  std::string zstd;
  std::uint32_t dictionary_id = 0;  // the zstd dictionary it was compressed with; 0: none
};

// An article made ready for the store in the parse pool (pack_article): what the writer's
// thread would otherwise compute for each new version.
struct PackedArticle {
  std::string content_hash;         // change/content_hash
  std::string body_zstd;            // body_text(), compressed
  std::uint32_t dictionary_id = 0;  // the site's text dictionary it was compressed with; 0: none
  std::string index_title;          // folded for the search index (search::index_text)
  std::string index_body;
};

// How far list crawls have read a start URL's pagination (the list_progress table).
struct ListProgress {
  std::optional<std::string> resume_url;  // the next list page of the way down not yet read
  std::int64_t pages_read = 0;            // list pages read on the way down so far
  bool complete = false;                  // the end of the pagination was reached once
};

// A crawl just begun, and what an interrupted crawl of the same target left it.
struct CrawlStart {
  std::int64_t id = 0;
  std::set<std::string> done_before;   // URLs fetched already: read back, not fetched again
  std::vector<FrontierEntry> pending;  // articles found and not yet stored
};

// A stored page as `reparse` needs it: its URL, the newest body, and how it was served.
struct StoredPage {
  std::string url;
  std::string final_url;
  std::optional<std::string> site;
  std::string body_sha256;
  std::string content_type;
  std::int64_t fetch_id = 0;
  std::string fetched_at;
  std::string first_fetched;          // of the URL: the reference for month-day dates
  std::optional<std::string> parser;  // the family that read it last (recorded since schema 8)
};

struct VersionSummary {
  std::int64_t version = 0;
  std::string first_seen;
  std::string last_seen;
  std::string content_hash;
  std::string title;
  // "fetch": read from a page as fetched; "reparse": the same stored bytes read again by a
  // newer parser or other selectors (`reparse`, or a fetch that received the very same bytes).
  std::string origin;
  std::string parser;                          // the family: epaper, cms, portal, generic
  std::optional<std::int64_t> parser_version;  // parsers/version.hpp; none before schema 10
};

// When an article was first archived and how often it was revisited since: what its next
// revisit is planned by.
struct RevisitState {
  std::string first_seen;  // UTC ISO
  std::int64_t revisits = 0;
};

// The newest response kept for a page: its bytes and how they were served, for reading the page
// again without fetching it.
struct StoredResponse {
  std::string body;
  std::string body_sha256;
  std::string content_type;
  std::string final_url;
};

// One exchange of the fetch log that brought a body, or a 304, as a WARC export writes it.
struct ArchivedExchange {
  std::int64_t fetch_id = 0;
  std::string url;  // where the response came from (after redirects)
  std::string fetched_at;
  std::optional<std::int64_t> http_status;
  std::string outcome;
  std::optional<std::string> body_sha256;
  std::string request_headers;
  std::string response_headers;
  std::optional<std::string> received_sha256;  // when other bytes were kept (unchanged content)
  std::string content_type;                    // as the server sent it
};

// Which exchanges: of one site, fetched on or after since and on or before until (YYYY-MM-DD,
// the UTC day of the fetch).
struct ExchangeQuery {
  std::optional<std::string> site;
  std::optional<std::string> since;
  std::optional<std::string> until;
};

}  // namespace archiver
