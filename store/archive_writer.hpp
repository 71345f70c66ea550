#pragma once
// The single writer of an archive. Every fetch becomes one transaction: the raw body (stored
// once per SHA-256, zstd-compressed), a fetch-log row, the URL's state, and a new article version
// only when the article's content hash changed. Its connection stays inside: whatever writes
// the archive goes through these methods, so there is one writer in fact, not by convention.
//
// The methods are defined by job: opening and the fetches of pages in archive_writer.cpp,
// articles and their versions in writer_articles.cpp, crawls (the frontier, list progress,
// revisits, editions) in writer_crawls.cpp, assets in asset_records.cpp.

#include "store/dictionaries.hpp"
#include "store/edition_report.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/retention.hpp"
#include "store/search_index.hpp"
#include "store/site_lease.hpp"
#include "store/sqlite.hpp"
#include "store/wal_checkpointer.hpp"
#include "store/write_transaction.hpp"

#include <filesystem>
#include <set>

namespace archiver {

// The SHA-256 and zstd bytes of a raw body, as the archive keeps them: compressed with the
// dictionary of the page's site if it has one (ArchiveWriter::page_dictionary). Touches no
// database: any thread may call it.
[[nodiscard]] PackedBody pack_body(std::string_view body,
                                   const ZstdDictionary* dictionary = nullptr);
// The same for each article of a page: its content hash, its text compressed with the site's
// text dictionary (ArchiveWriter::text_dictionary) and folded for the search index.
[[nodiscard]] PackedArticle pack_article(const Article& article,
                                         const ZstdDictionary* dictionary = nullptr);

class ArchiveWriter {
 public:
  // Opens or creates the archive, switches it to WAL and migrates it. Throws NotAnArchive or
  // StoreError naming the file.
  explicit ArchiveWriter(const std::filesystem::path& path);
  ~ArchiveWriter();

  // The archive's file.
  [[nodiscard]] const std::filesystem::path& path() const { return m_db.path(); }

  // A batch: every store until its commit() is committed as one transaction, none of it when
  // it is destroyed first. Each record_* call inside it is a savepoint of its own.
  [[nodiscard]] WriteTransaction begin_batch() {
    return {m_db, WriteTransaction::Savepoints::inside};
  }
  // A batch in which the writer's scopes open no savepoint, its pages (begin_unguarded_page)
  // and what they lead to alike: UnguardedPage says what that costs.
  [[nodiscard]] WriteTransaction begin_unguarded_batch() {
    return {m_db, WriteTransaction::Savepoints::none};
  }
  // One page's stores inside a batch (a savepoint): all of them or none, the batch going on.
  // Outside a batch it is a transaction of its own.
  [[nodiscard]] WriteTransaction begin_page();
  // A page's savepoint was rolled back: the dictionary samples collected so far are dropped
  // (they may name its rows, whose ids can come again for other pages).
  void page_undone() { m_trainer.forget(); }
  // One page's stores inside a batch with no savepoint (UnguardedPage says what that costs).
  [[nodiscard]] UnguardedPage begin_unguarded_page();
  // Whether a batch is open: false outside one, and once SQLite has rolled it back by itself (a
  // full disk, an I/O error), when nothing more can be stored in it.
  [[nodiscard]] bool in_transaction() const { return m_db.in_transaction(); }

  // Caps the file at about this many bytes (SQLite's max_page_count); nothing: no cap. Writes
  // past it fail with SQLITE_FULL, as on a full disk.
  void limit_size(std::optional<std::uint64_t> bytes);

  // The webhooks told of the versions stored from now on (config's [[notify]]): each new
  // version gets an outbox row per matching route, in the transaction that stores it. None (the
  // default): no rows.
  void route_events(std::vector<EventRoute> routes) { m_routes = std::move(routes); }

  [[nodiscard]] PageState page_state(std::string_view url);

  // The links kept for the page at url (pipeline/page_links) when they were read from its body
  // body_sha256 under parse_key; nothing when they were not.
  [[nodiscard]] std::optional<std::string> kept_links(std::string_view url,
                                                      std::string_view body_sha256,
                                                      std::string_view parse_key);
  // Keeps the links read under parse_key from the body body_sha256 of the page at url;
  // replaces what was kept. Only while that is the page's stored body (record_page keeps the
  // body before for content that did not change: then nothing is kept).
  void keep_links(std::string_view url, std::string_view body_sha256, std::string_view parse_key,
                  std::string_view packed);

  // The dictionary a site's pages are compressed with now (null: none yet), for pack_body on
  // other threads. A page packed with an older one is compressed again when stored.
  [[nodiscard]] std::shared_ptr<const ZstdDictionary> page_dictionary(
      const std::optional<std::string>& site);
  [[nodiscard]] std::shared_ptr<const ZstdDictionary> text_dictionary(
      const std::optional<std::string>& site);

  // An attempt that gave no page: network error, HTTP error status, refused redirect.
  StoreResult record_failure(const FetchRecord& fetch);

  // A 304: the URL and its article were seen again; no bytes, no parsing.
  StoreResult record_not_modified(const FetchRecord& fetch);

  // A page fetched but not parsed (the parser failed): the body is kept for `reparse`, the
  // fetch is logged as an error, and the validators are dropped so the next fetch is
  // unconditional rather than a 304 that would hide the failure.
  StoreResult record_unparsed(const FetchRecord& fetch, std::string_view body,
                              const PackedBody* packed = nullptr);

  // A fetched page and what its parser found in it. When every article on it is unchanged the
  // new bytes are not stored: the fetch refers to the body already kept for that content.
  // packed: the body's hash and compressed bytes when already made (pack_body), else made here.
  // keep: the assets the page's site keeps; the page's references to them are recorded and
  // those due for a fetch come back in the result.
  // articles: page.articles packed (pack_article), one each, when already made; else made here.
  StoreResult record_page(const FetchRecord& fetch, std::string_view body, const ParsedPage& page,
                          std::string_view parser, const PackedBody* packed = nullptr,
                          const AssetKinds& keep = {},
                          const std::vector<PackedArticle>* articles = nullptr);

  // A version made by `reparse` from a stored body: stored only when the content hash differs
  // from the article's latest version. No fetch is logged.
  ArticleResult record_reparsed(const StoredPage& page, const std::string& url,
                                const Article& article, std::string_view parser);

  // Pages with a stored body, newest fetch first; optionally of one site, fetched since a day.
  [[nodiscard]] std::vector<StoredPage> stored_pages(const std::optional<std::string>& site,
                                                     const std::optional<std::string>& since);

  // The newest version of the article at url, for the context a reparse needs.
  [[nodiscard]] std::optional<StoredArticle> latest_version(const std::string& url);
  // The newest version of an article by its id, as just stored (for the fetch's report).
  [[nodiscard]] std::optional<StoredArticle> stored_article(std::int64_t article_id);
  // The newest versions of the articles read from the page at page_url: the page's own URL, and
  // its URL with "#anchor" for each of several articles on one page; by id.
  [[nodiscard]] std::vector<StoredArticle> articles_on_page(const std::string& page_url);
  // The newest response whose bytes are kept for the page at url, to read its links again
  // without a fetch; nothing when none is kept.
  [[nodiscard]] std::optional<StoredResponse> last_stored_response(const std::string& url);

  // Whether an article is archived at url (any version).
  [[nodiscard]] bool is_archived(const std::string& url);
  // Which of the URLs have an article archived, all looked up in one transaction.
  [[nodiscard]] std::set<std::string> archived_among(const std::vector<std::string>& urls);

  // Articles of the site due for a revisit at `now` (UTC ISO), oldest due first.
  [[nodiscard]] std::vector<std::string> due_revisits(const std::string& site,
                                                      const std::string& now, std::int64_t limit);
  // Plans the article's next revisit (next_visit NULL: none left, or never for e-papers).
  void plan_revisit(const std::string& url, const std::optional<std::string>& next_visit,
                    bool count_visit);
  // When the article at url was first archived and how often it was revisited; nothing when it
  // is not archived.
  [[nodiscard]] std::optional<RevisitState> article_revisit_state(const std::string& url);

  // Starts a crawl of the site's target (an edition date, or "lists"). When an earlier crawl of
  // the same target never finished (killed; begun within the last two days) it is closed as
  // "interrupted", and the new crawl takes over its frontier and learns what it had fetched.
  CrawlStart begin_crawl(const std::string& site, const std::string& target);

  // The newest unfinished crawl of each site and target begun within the last two days: what a
  // restarted daemon resumes first.
  [[nodiscard]] std::vector<UnfinishedCrawl> unfinished_crawls();

  // The frontier: articles found and not yet stored, in the order they were added.
  void add_to_frontier(std::int64_t crawl_id, const std::vector<FrontierEntry>& entries);
  [[nodiscard]] std::vector<FrontierEntry> frontier(std::int64_t crawl_id);
  // Called in the transaction that stores the article, so the two cannot part.
  void remove_from_frontier(std::int64_t crawl_id, const std::string& url);

  // The 版面 of a site's edition, in order. complete: every 版面 was read, so the list replaces
  // what an earlier crawl recorded; otherwise it is added to it (a 版面 that failed this time
  // keeps its row, and with it the headlines that still have no article).
  void record_edition_pages(const std::string& site, const std::string& edition,
                            const std::vector<EditionPage>& pages, bool complete);

  void finish_crawl(std::int64_t crawl_id, const CrawlStats& stats);

  // The site's crawl lease for this process (store/site_lease.hpp), or who holds it.
  [[nodiscard]] std::expected<SiteLease, LeaseHolder> take_lease(const std::string& site,
                                                                 const std::string& command) {
    return SiteLease::take(m_db, site, command);
  }

  // How far the site's crawls have read the pagination of one start URL.
  [[nodiscard]] ListProgress list_progress(const std::string& site, const std::string& start_url);
  void save_list_progress(const std::string& site, const std::string& start_url,
                          const ListProgress& progress);

  // How complete the site's editions of these days are (store/edition_report.hpp).
  [[nodiscard]] std::vector<EditionReport> edition_reports(
      const std::string& site, const std::string& from, const std::string& to,
      const std::function<bool(const std::string&)>& in_scope);
  // The site's crawls, newest first.
  [[nodiscard]] std::vector<CrawlRecord> recent_crawls(const std::string& site, std::int64_t limit);

  // `archiver gc`: lets go of what nothing refers to, in small transactions (store/retention.hpp).
  GcReport collect_garbage(const GcOptions& options);

  // ---- Assets: PDFs, scans, photos (store/asset_records.cpp) ----

  // The validators and bytes archived for an asset URL.
  [[nodiscard]] AssetState asset_state(const std::string& url);
  // Assets of the site (none: of no site) due for a fetch, oldest reference first.
  [[nodiscard]] std::vector<AssetRef> due_assets(const std::optional<std::string>& site,
                                                 std::int64_t limit);
  // An asset fetched and checked: its bytes (once per SHA-256, streamed in), the fetch log and
  // its URL's state. Articles showing the photo get its hash; where they showed other bytes at
  // that URL before (a replaced photo), a new version.
  AssetResult record_asset(const FetchRecord& fetch, AssetKind kind, const AssetBytes& bytes);
  // A 304 for an asset: nothing new.
  void record_asset_not_modified(const FetchRecord& fetch);
  // An asset that could not be had, logged. retry: a transient failure that later crawls try
  // again (three times at most); else only a page referring to it again makes it due.
  void record_asset_failure(const FetchRecord& fetch, AssetKind kind, bool retry);
  // Assets this crawl fetched already: due no more. One transaction for all: every 版面 of an
  // edition may refer to the same picture again.
  void assets_done(const std::vector<std::string>& urls);
  // A 版面 page's PDF and scan, archived or not, in the order the page gives them.
  [[nodiscard]] std::vector<StoredAsset> page_assets(const std::string& page_url);

  // Raw body bytes by SHA-256 (for re-reading a page the server says is not modified).
  [[nodiscard]] std::optional<std::string> body(std::string_view sha256);

 private:
  // received_sha256: the bytes received, when body_sha256 names the body kept instead.
  std::int64_t insert_fetch(const FetchRecord& fetch, Outcome outcome,
                            const std::optional<std::string>& body_sha256,
                            const std::optional<std::string>& received_sha256 = std::nullopt);
  // site: the page's; its first pages train the site's dictionary (store/dictionaries).
  void store_body(const std::string& sha256, std::string_view body, const PackedBody* packed,
                  const std::optional<std::string>& site);
  // A page or text stored without a dictionary of its site's, kept to train one on.
  void learn(const std::string& site, DictionaryKind kind, const std::string& key,
             std::string_view bytes);
  // An article of a page being stored, as compared with its latest version.
  struct ArticlePlan {
    ArticleResult result;  // unchanged, or created/changed: a version is to be written
    std::string content_hash;
    std::string_view origin = "fetch";
  };
  // Compares an article with its latest version before the page's fetch row is written (so
  // that the row is written once, with the page's outcome): an unchanged one is marked seen, a
  // new one gets its article row. body_sha256: the bytes this fetch received, the page the
  // article was read from.
  ArticlePlan compare_article(const FetchRecord& fetch, const std::string& url,
                              const Article& article, const std::string& body_sha256,
                              const PackedArticle* packed);
  // The version a created or changed article's plan calls for, pointing at the fetch.
  void store_version(const ArticlePlan& plan, const FetchRecord& fetch, const Article& article,
                     std::string_view parser, std::int64_t fetch_id, const PackedArticle* packed);
  // A new article row, first and last seen at seen_at; its id.
  std::int64_t insert_article(const std::string& url, const std::optional<std::string>& site,
                              const std::string& seen_at);
  void insert_version(const ArticleResult& result, const std::string& hash, const Article& article,
                      std::string_view parser, std::optional<std::int64_t> fetch_id,
                      const std::string& seen_at, std::string_view origin = "fetch",
                      const PackedArticle* packed = nullptr);
  void store_headlines(std::string_view page_url, const std::vector<Headline>& headlines);
  // Replaces the page's references of the kinds in `replaced` with refs, marks each asset due,
  // and returns them.
  std::vector<AssetRef> refer_to_assets(const std::string& page_url,
                                        const std::optional<std::string>& site,
                                        const std::vector<AssetRef>& refs,
                                        const AssetKinds& replaced, const std::string& seen_at);
  // The assets of a page (and its articles) seen again (a 304): due for a conditional fetch.
  std::vector<AssetRef> assets_seen_again(const std::string& page_url);
  void store_page_areas(const std::string& page_url, const std::vector<MapArea>& areas);
  // Images without a hash get the one archived for their URL, if any.
  void fill_known_hashes(std::vector<ArticleImage>& images);
  void store_asset_body(const AssetBytes& bytes);
  std::vector<ArticleResult> show_photo_bytes(const FetchRecord& fetch, const std::string& sha256);
  // parser: the family that read the body (none for a 304 or a failure: the last one stays).
  void update_page(const FetchRecord& fetch, const std::optional<std::string>& body_sha256,
                   std::int64_t fetch_id, std::optional<std::string_view> parser = {});

  sqlite::Database m_db;
  Dictionaries m_dictionaries{m_db};
  SearchIndexQueue m_search_queue;
  DictionaryTrainer m_trainer;
  std::vector<EventRoute> m_routes;
  // After m_db: its thread and connection end before the writer's connection closes.
  WalCheckpointer m_checkpointer{m_db.path()};
};

}  // namespace archiver
