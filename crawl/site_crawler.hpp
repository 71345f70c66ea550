#pragma once
// One crawl of a configured site, now and in sequence: an e-paper's editions (edition page ->
// its 版面 -> their 标题导航 -> articles) or a list site (list pages and their pagination ->
// articles not yet archived). Only URLs inside the site's scope are followed. Every page goes
// through the same FetchPipeline as `archiver fetch URL`.

#include "config/settings.hpp"
#include "crawl/host_delay.hpp"
#include "fetch/http_client.hpp"
#include "fetch/robots.hpp"
#include "pipeline/fetch_pipeline.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>

namespace archiver {

// Thrown out of a crawl asked to stop (SIGTERM): the crawl is abandoned between two fetches,
// with everything fetched so far stored.
struct CrawlStopped {};

class SiteCrawler {
 public:
  using ReportSink = std::function<void(const FetchReport&)>;

  // on_report sees every page fetched, as it is fetched.
  SiteCrawler(const SiteSettings& site, ArchiveWriter& writer, FetchPipeline& pipeline,
              ReportSink on_report, std::string user_agent = "archiver");

  // The editions of these days (e-paper sites). One crawl record per edition.
  CrawlStats crawl_editions(const std::vector<std::chrono::year_month_day>& days);

  // The list pages from start_urls, following pagination, then the new articles they list.
  CrawlStats crawl_lists();

  // Keeps the gaps per host across crawls (the daemon's worker crawls many sites in turn); by
  // default each crawl keeps its own.
  void share_host_delay(HostDelay* delay) { m_shared_delay = delay; }

  // Checked before every fetch; when it turns true the crawl throws CrawlStopped.
  void stop_when(const std::atomic<bool>* stop) { m_stop = stop; }

  // At most this many list pages per start URL, so a pagination loop cannot run forever.
  static constexpr int k_max_list_pages = 200;

  // At most this many revisits per crawl, so one crawl stays short after a long downtime.
  static constexpr std::int64_t k_max_revisits = 500;

  // After this many crawls in a row without an edition, a warning names the site.
  static constexpr std::size_t k_missing_days_warning = 7;

 private:
  CrawlStats crawl_edition(std::chrono::year_month_day day);
  // links: the caller follows this page's links (a 版面 or list page), so a 304 re-reads them
  // from the stored body; an article needs none, and a 304 then costs no parsing at all.
  FetchReport fetch(const std::string& url, const EditionContext* listed_in = nullptr,
                    std::optional<ParserKind> parser = {}, bool links = true);
  void count_article(const FetchReport& report, CrawlStats& stats) const;
  CrawlStats finish(std::int64_t crawl_id, CrawlStats stats);
  void plan_next_visit(const std::string& url, bool visited);
  // The host's robots.txt rules, fetched once per crawl (obey_robots).
  const RobotsRules& robots_for(const std::string& url);

  const SiteSettings& m_site;
  ArchiveWriter& m_writer;
  FetchPipeline& m_pipeline;
  ReportSink m_on_report;
  HostDelay m_delay;
  std::set<std::string> m_visited;  // URLs seen (listed or fetched) in this crawl
  std::set<std::string> m_fetched;  // articles fetched in this crawl
  // Finished by an interrupted crawl of the same target: replayed from the archive, not fetched.
  std::set<std::string> m_done_before;
  std::string m_user_agent;
  HttpClient m_robots_client;
  std::map<std::string, RobotsRules> m_robots;       // by scheme://host
  std::mt19937_64 m_random{std::random_device{}()};  // backoff jitter
  const std::atomic<bool>* m_stop = nullptr;
  HostDelay* m_shared_delay = nullptr;
};

// Compares a finished crawl with the site's earlier ones and logs a warning naming the site
// when its health dropped: most articles suddenly without a date (or title, or body), or an
// edition with fewer articles than its headline list. Returns the warnings.
std::vector<std::string> check_parser_health(const std::string& site, const CrawlStats& latest,
                                             const std::vector<CrawlRecord>& earlier);

}  // namespace archiver
