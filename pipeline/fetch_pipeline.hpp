#pragma once
// One URL's way through archiver, in three stages: prepare (what to ask the server: the stored
// validators), process (decode and parse the answer) and store (detect change, write). `archiver
// fetch URL` runs them one after another; a crawl (CrawlEngine) runs many URLs at once, with
// prepare and store on the archive's writer thread and process on a worker pool.

#include "config/settings.hpp"
#include "decode/charset.hpp"
#include "fetch/http_client.hpp"
#include "parsers/article.hpp"
#include "parsers/date_time.hpp"
#include "store/archive_writer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace archiver {

// What became of one URL: the contract's `fetch --json` object.
struct FetchReport {
  std::string url;
  Outcome outcome = Outcome::error;
  long http_status = 0;
  std::string parser;
  std::optional<std::string> error;
  std::optional<std::string> site;
  std::vector<StoredArticle> articles;  // as stored; one per article on the page
  // Links a crawl follows: 标题导航/list entries, an edition's 版面, the next list page.
  std::vector<Headline> headlines;
  std::vector<PageLink> pages;
  std::optional<std::string> next_page;
  EditionContext edition;
  std::string charset;
  std::string charset_reason;
  // Assets of the page due for a fetch (its PDF and scan, its articles' photos), and the
  // page's PDF and scan as archived (a 版面's `assets` in `fetch --json`).
  std::vector<AssetRef> due_assets;
  std::vector<StoredAsset> assets;
  bool skipped = false;   // not fetched on purpose (robots.txt): neither a fetch nor a failure
  bool replayed = false;  // read back from the archive, not fetched (a resumed crawl)
};

// The fetch log's row for a response (no outcome yet); site: the site fetching, if any.
[[nodiscard]] FetchRecord make_fetch_record(const FetchResponse& response,
                                            const SiteSettings* site);

// The day month-day dates (6月9日) on the page at url resolve against: the date in the URL, else
// the day the page was first fetched (UTC ISO time), else today in China. Fetch and reparse use
// the same, so a page reads the same date however often it is read.
[[nodiscard]] Date reference_date_for(std::string_view url,
                                      const std::optional<std::string>& first_fetched);

struct FetchContext {
  ParserKind fallback_parser = ParserKind::generic;  // for URLs no configured site claims
  // A crawl needs a page's links even when the server answers 304: then the stored body is
  // parsed again for them (nothing is stored). Plain `archiver fetch` does not need them.
  bool want_links = false;
  // Whether the report of a page that holds an article lists the page's headlines too (see
  // ParseInput::headlines_beside_article): `fetch --json` prints them; a crawl whose reports
  // are not those JSON ones has no use for them.
  bool headlines_beside_article = true;
  std::optional<EditionContext> listed_in;  // see ParseInput::listed_in
  // Read the page with this family whatever the site's parser is (a generic site's list pages
  // are read by the list logic of the cms family).
  std::optional<ParserKind> parser;
  // The site fetching: a crawl fetches as its own site even where scopes overlap.
  const SiteSettings* site = nullptr;
  // The first page of an e-paper edition: a 404 or 410 there means the paper did not publish
  // that day, which the fetch log records as such (no failure in `sites` and `status`).
  bool edition_start = false;
};

// Stage one's answer: the request to send, and what the later stages need to read the reply.
struct PreparedFetch {
  std::string url;
  const SiteSettings* site = nullptr;  // the site fetching, if any
  ParserKind parser = ParserKind::generic;
  FetchContext context;
  FetchRequest request;
  std::optional<std::string> first_fetched;  // of the URL: month-day dates resolve against it
  // What the site's pages are compressed with now (store/dictionaries); null: no dictionary.
  std::shared_ptr<const ZstdDictionary> page_dictionary;
  std::shared_ptr<const ZstdDictionary> text_dictionary;  // the site's, for its articles' text
  // For a conditional request whose links are wanted: the stored response, which a 304 says is
  // the page still, read again for its links by process() in the pool, not on the writer's
  // thread (an unchanged re-crawl is mostly that).
  std::optional<StoredResponse> stored;
  // When links are wanted: the key of the conditions they are read under (links_parse_key),
  // and for a conditional request the links kept when the stored page was read under the same
  // (pipeline/page_links), which a 304 then gives without a parse; stored is read only without
  // them.
  std::string links_key;
  std::optional<std::string> kept_links;
};

// Stage two's answer: the page decoded and parsed, or why the parser failed. Empty for
// answers that are not a page to parse (errors, 304, redirects out of scope).
struct ProcessedPage {
  // Why the answer is not a page to parse (empty, a PDF, binary); it is logged as an error.
  std::optional<std::string> rejected;
  DecodedText decoded;
  ParsedPage page;
  std::optional<std::string> parse_error;
  std::optional<PackedBody> packed;     // the raw body hashed and compressed for the store
  std::vector<PackedArticle> articles;  // page.articles made ready for the store, one each
  // After a 304: the links of the stored page (prepared.stored), read again.
  std::optional<ParsedPage> stored_links;
  // The links read by the parser (from the answer, or from the stored page after a 304), packed
  // for the store to keep (pack_links) with the SHA-256 of the bytes read: only when links are
  // wanted and none were kept.
  struct LinksToKeep {
    std::string body_sha256;
    std::string packed;
  };
  std::optional<LinksToKeep> links_to_keep;
};

class FetchPipeline {
 public:
  FetchPipeline(const Settings& settings, ArchiveWriter& writer);

  // Fetches url now. The parser is the one of the site whose scope holds the URL, else
  // context.fallback_parser. Never throws for network or content problems: they come back as
  // an error report, and the attempt is logged in the archive.
  [[nodiscard]] FetchReport fetch_url(const std::string& url, const FetchContext& context = {});

  // The three stages. prepare and store use the archive (the writer's thread); process touches
  // nothing shared and runs on any thread.
  [[nodiscard]] PreparedFetch prepare(const std::string& url, const FetchContext& context);
  [[nodiscard]] static ProcessedPage process(const PreparedFetch& prepared,
                                             const FetchResponse& response);
  // The report of the fetch. with_articles: read the stored articles back into the report
  // (what `fetch --json` prints); a crawl that prints nothing skips the reads, and its report's
  // articles keep their fields but only the first paragraph of their text.
  // The report takes the page's links out of processed and copies the rest it needs: what is
  // left (the page's text and bodies) is the caller's to free, on a thread of its choosing
  // (CrawlEngine frees it on a thread of its own, off the writer's).
  FetchReport store(const PreparedFetch& prepared, const FetchResponse& response,
                    ProcessedPage& processed, bool with_articles = true);

  // What the archive already holds for url, with no network: its articles and the links its
  // stored body gives (a page an interrupted crawl had finished).
  [[nodiscard]] FetchReport replay(const std::string& url, const FetchContext& context = {});

  // Brings a stored report up to date with its assets fetched since: its articles read back
  // again (their photos' hashes) and, for a 版面, its PDF and scan.
  void describe_assets(FetchReport& report);

  [[nodiscard]] const Settings& settings() const { return m_settings; }

  // Transfers stop within about a second once *abort turns true (the daemon's SIGTERM).
  void abort_when(const std::atomic<bool>* abort) { m_abort = abort; }

 private:
  void add_stored_articles(const StoreResult& stored, FetchReport& report);
  // The stored page of a 304 read again for its links (prepared.stored); none without one, or
  // when the parser fails on it (logged).
  [[nodiscard]] static std::optional<ParsedPage> links_of_stored(const PreparedFetch& prepared);
  // The same on the writer's thread, for a report; keep: what it reads is kept (page_links).
  void links_from_stored_body(const std::string& url, const SiteSettings* site, ParserKind parser,
                              const FetchContext& context, FetchReport& report, bool keep);
  [[nodiscard]] FetchReport failed(const PreparedFetch& prepared, FetchRecord& record,
                                   std::string error, FetchReport report);

  const Settings& m_settings;
  ArchiveWriter& m_writer;
  HttpClient m_client;
  const std::atomic<bool>* m_abort = nullptr;
};

}  // namespace archiver
