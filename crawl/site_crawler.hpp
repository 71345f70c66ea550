#pragma once
// One crawl of a configured site: an e-paper's editions (edition page -> its 版面 -> their
// 标题导航 -> articles) or a list site (list pages and their pagination -> articles not yet
// archived -> revisits). A list site's stages are fetched one after another, each stage's pages
// at once through the CrawlEngine; an e-paper's editions stream through it, each edition's next
// round asked for as its last one is stored (crawl/edition_crawl.cpp). The articles found go
// into the frontier first, so a killed crawl resumes with what it had left. Only URLs inside the
// site's scope are followed. The assets of the pages (a 版面's PDF and scan, articles' photos)
// are fetched after each stage, or before each edition's record, from wherever they are hosted.

#include "config/settings.hpp"
#include "crawl/asset_fetcher.hpp"
#include "crawl/crawl_engine.hpp"
#include "crawl/seen_urls.hpp"
#include "fetch/http_client.hpp"
#include "fetch/polite_fetcher.hpp"
#include "fetch/robots.hpp"
#include "pipeline/fetch_pipeline.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <set>

namespace archiver {

class SiteCrawler {
 public:
  using ReportSink = std::function<void(const FetchReport&)>;
  // What on_report's reports carry of their articles: what a listing prints (ids, versions,
  // titles, dates, as parsed), or everything as stored, with the photos' and the page's PDF and
  // scan's hashes (what `fetch --json` prints: a read of every article and asset it names).
  enum class Reports { listing, as_stored };

  // on_report sees every page fetched, once it is stored. The fetcher keeps the politeness
  // limits; the daemon shares one between its crawls.
  SiteCrawler(const SiteSettings& site, ArchiveWriter& writer, FetchPipeline& pipeline,
              PoliteFetcher& fetcher, ReportSink on_report, std::string user_agent = "archiver",
              Reports reports = Reports::as_stored);

  // The editions of these days (e-paper sites). One crawl record per edition.
  CrawlStats crawl_editions(const std::vector<std::chrono::year_month_day>& days);

  // Today's edition, then every earlier one of the site's catch_up window that is missing or
  // incomplete: what the daemon and `fetch --site` without dates crawl.
  CrawlStats crawl_recent_editions(std::chrono::year_month_day today);

  // The days of the catch_up window before today to crawl again, oldest first: editions never
  // crawled, not read, or with headlines still unarchived; a day known to have no edition at
  // most once a day (a paper may put an edition up late).
  [[nodiscard]] std::vector<std::chrono::year_month_day> catch_up_days(
      std::chrono::year_month_day today);

  // What the crawl of one edition came to in this crawler (ok, partial, failed, missing: not
  // published, disallowed); nothing when it was not crawled.
  [[nodiscard]] std::optional<std::string> result_for(std::chrono::year_month_day day) const;

  // Called before each edition of a multi-day crawl (as it begins, beside those in flight): its
  // place (1-based) and the count.
  using EditionStart =
      std::function<void(std::size_t place, std::size_t count, std::chrono::year_month_day day)>;
  void on_edition(EditionStart callback) { m_on_edition = std::move(callback); }

  // The list pages from start_urls, following pagination, then the new articles they list,
  // then the archived articles due for a revisit.
  CrawlStats crawl_lists();

  // Checked between stages and while waiting; when it turns true the crawl throws CrawlStopped.
  void stop_when(const std::atomic<bool>* stop) {
    m_stop = stop;
    m_engine.stop_when(stop);
    m_assets.stop_when(stop);
  }

  // Steady-clock milliseconds of the last stored batch go to *progress (the daemon's watchdog).
  void report_progress_to(std::atomic<std::int64_t>* progress) {
    m_engine.report_progress_to(progress);
  }

  // Articles already archived are fetched again (conditionally) instead of counted as known:
  // `fetch --site --refetch`, to catch edits the revisit schedule would not yet.
  void refetch_known(bool refetch) { m_refetch_known = refetch; }

  // Assets earlier crawls left due that one crawl fetches at most.
  static constexpr std::int64_t k_max_leftover_assets = 1000;

  // At most this many revisits per crawl, so one crawl stays short after a long downtime.
  static constexpr std::int64_t k_max_revisits = 500;

  // After this many crawls in a row without an edition, a warning names the site.
  static constexpr std::size_t k_missing_days_warning = 7;

  // A day found without an edition is asked again when its last check is older than this: once
  // a day, whatever the schedule.
  static constexpr std::chrono::hours k_recheck_unpublished{20};

 private:
  // One edition's crawl: its first page, the 版面 it names (and those they name), then the
  // articles they list. Editions overlap (crawl/edition_crawl.cpp); each keeps its own crawl
  // record, frontier and figures.
  struct EditionCrawl {
    std::chrono::year_month_day day;
    std::string edition;  // YYYY-MM-DD
    std::int64_t crawl_id = 0;
    CrawlStats stats;
    std::vector<std::string> page_urls;  // its 版面 as they become known, the first page first
    std::size_t pages_asked = 0;         // of page_urls, handed to the engine
    std::size_t pages_taken = 0;         // of page_urls, their reports taken
    std::vector<FetchReport> round;      // the 版面 asked for together, in order, as they come
    std::size_t round_left = 0;          // of round, still to come
    std::vector<FetchReport> pages;    // its 版面 read, in order (until its articles are listed)
    bool listed = false;               // its 版面 are all in, and its articles were listed
    bool ended = false;                // no edition, not allowed, or failed: nothing more to do
    std::size_t unsettled = 0;         // targets asked for whose report is not committed yet
    std::vector<AssetRef> due_assets;  // of its pages stored, not fetched yet
    std::vector<FetchReport> waiting;  // reports shown once its assets are in (as stored)
  };
  // Editions on their way at once, at most: a crawl killed midway leaves that many records
  // unfinished, and each such edition is resumed alone.
  static constexpr std::size_t k_editions_in_flight = 48;
  class EditionStream;
  // The editions of these days through one EditionStream (its figures added to total), pages
  // undone as `undo` says; an edition an interrupted crawl left goes on alone.
  void stream_editions(const std::vector<std::chrono::year_month_day>& days, CrawlStats& total,
                       PageUndo undo);
  // A round of 版面, its reports in the order asked: what they name comes next.
  void take_edition_pages(EditionCrawl& crawl, std::vector<FetchReport> pages);
  // The resumed crawl of an edition an interrupted crawl had read and listed.
  CrawlStats resume_edition(const std::string& edition, const CrawlStart& start);
  // One start URL's list pages: the new articles they list go into articles. False when
  // robots.txt forbids the list.
  bool read_list(const std::string& start_url, std::vector<FrontierEntry>& articles,
                 CrawlStats& stats);
  // The articles each edition's 版面 list, in the frontier of its crawl.
  [[nodiscard]] std::vector<FrontierEntry> edition_articles(EditionCrawl& crawl);
  // Fetches the targets at once and returns their reports in order. URLs an interrupted crawl
  // finished are read back from the archive instead; URLs robots.txt forbids come back
  // `skipped`, unfetched.
  // each, when given, sees every report (fetched, read back or skipped) as it comes, and none is
  // kept or returned: memory stays flat however long the stage.
  // each's index is the report's target's. The assets of the pages fetched are fetched once all
  // are stored; what they came to goes into the crawl's figures (m_asset_stats).
  std::vector<FetchReport> fetch_many(
      std::vector<CrawlTarget> targets, const CrawlEngine::Stored& while_storing = {},
      const std::function<void(std::size_t, const FetchReport&)>& each = {});
  // A target answered without a fetch: read back from the archive (an interrupted crawl
  // finished it) or `skipped` (robots.txt forbids it). Else nothing, and the target carries
  // robots.txt's Crawl-delay.
  std::optional<FetchReport> answer_unfetched(CrawlTarget& target);
  // A stored page's report: its due assets go to `due`, and it goes to on_report now, or into
  // `waiting` until its assets are in (reports as stored show their hashes).
  void report_stored(const FetchReport& report, std::vector<AssetRef>& due,
                     std::vector<FetchReport>& waiting);
  // Reports that waited for their assets, shown with the assets' hashes now that they are in.
  void show_waiting(std::vector<FetchReport> waiting);
  FetchReport fetch_one(CrawlTarget target);
  CrawlTarget target(const std::string& url, bool links,
                     std::optional<EditionContext> listed_in = {},
                     std::optional<ParserKind> parser = {}) const;
  // An article of crawl_id's frontier as a target (it leaves the frontier as it is stored),
  // counted as fetched in this crawl.
  CrawlTarget frontier_target(const FrontierEntry& entry, std::int64_t crawl_id);
  // The articles of the frontier, fetched; each leaves the frontier as it is stored.
  void fetch_frontier(std::int64_t crawl_id, const std::vector<FrontierEntry>& entries,
                      CrawlStats& stats);
  void count_article(const FetchReport& report, CrawlStats& stats) const;
  // The assets of a stage's pages (those the site keeps), fetched once the stage is stored;
  // what they came to goes into the crawl's figures.
  void fetch_assets(const std::vector<AssetRef>& due);
  // The crawl's record. leftovers: the assets earlier crawls left due are fetched first, into its
  // figures (not while other editions are in flight: their pages' assets are due too).
  CrawlStats finish(std::int64_t crawl_id, const std::string& target, CrawlStats stats,
                    bool leftovers = true);
  // ok, partial or failed, by the errors and what was read.
  [[nodiscard]] static std::string result_of(const CrawlStats& stats);
  void plan_next_visit(const std::string& url, bool visited);
  // The host's robots.txt rules, fetched once per crawl (obey_robots).
  const RobotsRules& robots_for(const std::string& url);
  void check_stop() const;

  const SiteSettings& m_site;
  ArchiveWriter& m_writer;
  FetchPipeline& m_pipeline;
  ReportSink m_on_report;
  bool m_reports_as_stored;
  CrawlEngine m_engine;
  AssetFetcher m_assets;
  CrawlStats m_asset_stats;  // of the crawl under way: assets archived, failed, versions made
  SeenUrls m_visited;        // URLs seen (listed or fetched) in this crawl
  SeenUrls m_fetched;        // articles fetched in this crawl
  // Finished by an interrupted crawl of the same target: replayed from the archive, not fetched.
  std::set<std::string> m_done_before;
  std::string m_user_agent;
  HttpClient m_robots_client;
  std::map<std::string, RobotsRules> m_robots;  // by scheme://host
  const std::atomic<bool>* m_stop = nullptr;
  bool m_refetch_known = false;
  std::map<std::string, std::string> m_results;  // edition date -> its crawl's result
  EditionStart m_on_edition;
};

// Compares a finished crawl with the site's earlier ones and logs a warning naming the site
// when its health dropped: most articles suddenly without a date (or title, or body), or an
// edition with fewer articles than its headline list. Returns the warnings.
std::vector<std::string> check_parser_health(const std::string& site, const CrawlStats& latest,
                                             const std::vector<CrawlRecord>& earlier);

}  // namespace archiver
