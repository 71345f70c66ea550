#include "crawl/site_crawler.hpp"

#include "crawl/revisit.hpp"
#include "fetch/retry.hpp"
#include "util/clock.hpp"
#include "util/url.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace archiver {
namespace {

double ratio(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? 1.0 : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

std::string SiteCrawler::result_of(const CrawlStats& stats) {
  if (stats.errors == 0) {
    return "ok";
  }
  return stats.articles > 0 || stats.pages > 0 ? "partial" : "failed";
}

SiteCrawler::SiteCrawler(const SiteSettings& site, ArchiveWriter& writer, FetchPipeline& pipeline,
                         PoliteFetcher& fetcher, ReportSink on_report, std::string user_agent,
                         Reports reports)
    : m_site(site),
      m_writer(writer),
      m_pipeline(pipeline),
      m_on_report(std::move(on_report)),
      m_reports_as_stored(m_on_report && reports == Reports::as_stored),
      m_engine(pipeline, writer, fetcher, m_reports_as_stored),
      m_assets(writer, fetcher, pipeline.settings(), spool_folder_for(writer.path())),
      m_user_agent(std::move(user_agent)) {}

void SiteCrawler::check_stop() const {
  if (m_stop != nullptr && m_stop->load()) {
    throw CrawlStopped{};
  }
}

const RobotsRules& SiteCrawler::robots_for(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string origin = url.substr(0, url.find('/', scheme_end + 3));
  if (const auto found = m_robots.find(origin); found != m_robots.end()) {
    return found->second;
  }
  FetchRequest request;
  request.url = origin + "/robots.txt";
  request.user_agent = m_user_agent;
  request.timeout = m_site.fetch.timeout;
  request.connect_timeout = std::min(m_site.fetch.connect_timeout, m_site.fetch.timeout);
  request.max_body = 512U * 1024U;
  request.abort = m_stop;  // a stopping daemon does not wait out a slow robots.txt
  const FetchResponse response = m_robots_client.fetch(request);
  RobotsRules rules = RobotsRules::disallow_all();
  if (response.ok() && response.http_status >= 200 && response.http_status < 300) {
    rules = RobotsRules::parse(response.body, robots_token(m_user_agent));
  } else if (response.ok() && response.http_status >= 400 && response.http_status < 500) {
    rules = RobotsRules::allow_all();  // no robots.txt: nothing is off limits
  } else {
    // A server error or no answer: RFC 9309 says to take everything as disallowed for now.
    spdlog::warn("{}: robots.txt unavailable ({}), crawling nothing there for now", origin,
                 response.ok() ? "HTTP " + std::to_string(response.http_status) : response.error);
  }
  return m_robots.emplace(origin, std::move(rules)).first->second;
}

CrawlTarget SiteCrawler::target(const std::string& url, bool links,
                                std::optional<EditionContext> listed_in,
                                std::optional<ParserKind> parser) const {
  return {.url = url,
          .context = {.fallback_parser = m_site.parser,
                      .want_links = links,
                      .headlines_beside_article = links || m_reports_as_stored,
                      .listed_in = std::move(listed_in),
                      .parser = parser,
                      .site = &m_site},
          .crawl_delay = std::nullopt,
          .frontier_of = std::nullopt};
}

std::optional<FetchReport> SiteCrawler::answer_unfetched(CrawlTarget& target) {
  if (m_done_before.contains(target.url)) {
    // Finished before a crash or kill: what it gave is in the archive already.
    return m_pipeline.replay(target.url, target.context);
  }
  if (m_site.fetch.obey_robots) {
    const RobotsRules& rules = robots_for(target.url);
    if (!rules.allows(path_and_query(target.url))) {
      spdlog::info("{}: disallowed by robots.txt, not fetched", target.url);
      FetchReport skipped;
      skipped.url = target.url;
      skipped.outcome = Outcome::error;
      skipped.error = "disallowed by robots.txt";
      skipped.skipped = true;  // neither fetched nor reported as a fetch
      return skipped;
    }
    target.crawl_delay = rules.crawl_delay();
  }
  return std::nullopt;
}

void SiteCrawler::report_stored(const FetchReport& report, std::vector<AssetRef>& due,
                                std::vector<FetchReport>& waiting) {
  due.insert(due.end(), report.due_assets.begin(), report.due_assets.end());
  if (m_on_report && !m_reports_as_stored) {
    m_on_report(report);
  } else if (m_on_report && report.due_assets.empty()) {
    FetchReport shown = report;
    m_pipeline.describe_assets(shown);
    m_on_report(shown);
  } else if (m_on_report) {
    waiting.push_back(report);
  }
}

std::vector<FetchReport> SiteCrawler::fetch_many(
    std::vector<CrawlTarget> targets, const CrawlEngine::Stored& while_storing,
    const std::function<void(std::size_t, const FetchReport&)>& each) {
  check_stop();
  // With each, reports go to it as they come and none is kept.
  std::vector<FetchReport> reports(each ? 0 : targets.size());
  const auto deliver = [&](std::size_t index, FetchReport report) {
    if (each) {
      each(index, report);
    } else {
      reports[index] = std::move(report);
    }
  };
  std::vector<CrawlTarget> to_fetch;
  std::vector<std::size_t> where;  // index in targets of each of to_fetch
  for (std::size_t index = 0; index < targets.size(); ++index) {
    if (std::optional<FetchReport> answer = answer_unfetched(targets[index])) {
      deliver(index, std::move(*answer));
      continue;
    }
    to_fetch.push_back(std::move(targets[index]));
    where.push_back(index);
  }
  // The assets the stage's pages refer to; reports as stored whose assets are still to come are
  // shown once they are in (their hashes known).
  std::vector<AssetRef> due;
  std::vector<FetchReport> waiting;
  auto fetched = m_engine.fetch_all(
      to_fetch,
      [&](std::size_t index, const FetchReport& report) {
        report_stored(report, due, waiting);
        if (each) {
          each(where[index], report);
        }
      },
      while_storing ? [&](std::size_t index,
                          const FetchReport& report) { while_storing(where[index], report); }
                    : CrawlEngine::Stored{},
      !each);
  for (std::size_t index = 0; index < fetched.size(); ++index) {
    reports[where[index]] = std::move(fetched[index]);
  }
  fetch_assets(due);
  show_waiting(std::move(waiting));
  return reports;
}

void SiteCrawler::show_waiting(std::vector<FetchReport> waiting) {
  for (FetchReport& report : waiting) {
    m_pipeline.describe_assets(report);
    m_on_report(report);
  }
}

void SiteCrawler::fetch_assets(const std::vector<AssetRef>& due) {
  const AssetKinds kept = m_site.asset_kinds();
  std::vector<AssetRef> wanted;
  for (const AssetRef& asset : due) {
    if (kept.contains(asset.kind)) {
      wanted.push_back(asset);
    }
  }
  if (wanted.empty()) {
    return;
  }
  const AssetTally tally = m_assets.fetch(wanted, &m_site);
  check_stop();
  m_asset_stats.assets += tally.archived;
  m_asset_stats.asset_errors += tally.errors;
  m_asset_stats.new_versions += static_cast<std::int64_t>(tally.versions.size());
  if (tally.archived + tally.errors > 0) {
    spdlog::info("{}: {} assets archived, {} unchanged, {} could not be had", m_site.name,
                 tally.archived, tally.unchanged, tally.errors);
  }
}

FetchReport SiteCrawler::fetch_one(CrawlTarget target) {
  std::vector<CrawlTarget> one;
  one.push_back(std::move(target));
  return std::move(fetch_many(std::move(one)).front());
}

void SiteCrawler::count_article(const FetchReport& report, CrawlStats& stats) const {
  if (report.skipped) {
    ++stats.known;
    return;
  }
  if (report.outcome == Outcome::error) {
    ++stats.errors;
    return;
  }
  for (const auto& stored : report.articles) {
    const Article& article = stored.article;
    ++stats.articles;
    stats.with_title += article.title.empty() ? 0 : 1;
    stats.with_date += article.published ? 1 : 0;
    stats.with_body += article.body.empty() ? 0 : 1;
    stats.new_versions +=
        report.outcome == Outcome::created || report.outcome == Outcome::changed ? 1 : 0;
  }
}

CrawlStats SiteCrawler::finish(std::int64_t crawl_id, const std::string& target, CrawlStats stats,
                               bool leftovers) {
  check_stop();  // a crawl cut short by the stop stays unfinished, to be resumed
  // Assets an earlier crawl left due (it was stopped first, or they failed for a while); one
  // this crawl tried already is not tried again (AssetFetcher: each URL once per crawl).
  if (leftovers) {
    fetch_assets(m_writer.due_assets(m_site.name, k_max_leftover_assets));
    stats += m_asset_stats;
    m_asset_stats = {};
  }
  if (stats.result.empty()) {
    stats.result = result_of(stats);
  }
  // Earlier crawls first, before this one's numbers are in the table (and without the
  // editions begun after this one and crawled beside it, not finished yet).
  auto earlier = m_writer.recent_crawls(m_site.name, 11 + k_editions_in_flight);
  std::erase_if(earlier, [&](const CrawlRecord& crawl) { return crawl.id >= crawl_id; });
  if (earlier.size() > 10) {
    earlier.resize(10);
  }
  check_parser_health(m_site.name, stats, earlier);
  // A week of days without an edition is more likely a wrong edition_url than a holiday. Days,
  // not crawls: a day without an edition is asked about again (catch-up, the hourly retry).
  if (const auto day = parse_iso_day(target); day && stats.result == "missing") {
    const auto first = std::chrono::sys_days(*day) -
                       std::chrono::days(static_cast<int>(k_missing_days_warning) - 1);
    const auto before = std::chrono::sys_days(*day) - std::chrono::days(1);
    const auto reports =
        m_writer.edition_reports(m_site.name, day_iso(std::chrono::year_month_day(first)),
                                 day_iso(std::chrono::year_month_day(before)),
                                 [&](const std::string& url) { return m_site.in_scope(url); });
    const bool none_before = std::ranges::all_of(
        reports, [](const EditionReport& report) { return report.status() == "not-published"; });
    if (none_before) {
      spdlog::warn(
          "{}: no edition found on {} days in a row (to {}): is edition_url ({}) still "
          "right?",
          m_site.name, k_missing_days_warning, target, m_site.edition_url);
    }
  }
  m_writer.finish_crawl(crawl_id, stats);
  spdlog::info("{}: {} recorded: {}, {} pages, {} articles, {} errors", m_site.name, target,
               stats.result, stats.pages, stats.articles, stats.errors);
  return stats;
}

std::vector<std::chrono::year_month_day> SiteCrawler::catch_up_days(
    std::chrono::year_month_day today) {
  std::vector<std::chrono::year_month_day> days;
  if (m_site.catch_up_days <= 0) {
    return days;
  }
  const auto first = std::chrono::sys_days(today) - std::chrono::days(m_site.catch_up_days);
  const auto last = std::chrono::sys_days(today) - std::chrono::days(1);
  const auto reports =
      m_writer.edition_reports(m_site.name, day_iso(std::chrono::year_month_day(first)),
                               day_iso(std::chrono::year_month_day(last)),
                               [&](const std::string& url) { return m_site.in_scope(url); });
  const auto recheck_before = now_seconds() - k_recheck_unpublished;
  for (const auto& report : reports) {
    const std::string_view status = report.status();
    if (status == "complete") {
      continue;
    }
    if (status == "not-published" && report.checked_at) {
      const auto checked = parse_utc_iso(*report.checked_at);
      if (checked && *checked > recheck_before) {
        continue;  // asked within the day: one request a day for a day without an edition
      }
    }
    if (const auto day = parse_iso_day(report.edition)) {
      days.push_back(*day);
    }
  }
  return days;
}

CrawlStats SiteCrawler::crawl_recent_editions(std::chrono::year_month_day today) {
  std::vector<std::chrono::year_month_day> days{today};
  const auto earlier = catch_up_days(today);
  if (!earlier.empty()) {
    spdlog::info("{}: catching up {} earlier editions missing or incomplete ({} to {})",
                 m_site.name, earlier.size(), day_iso(earlier.front()), day_iso(earlier.back()));
  }
  days.insert(days.end(), earlier.begin(), earlier.end());
  return crawl_editions(days);
}

std::optional<std::string> SiteCrawler::result_for(std::chrono::year_month_day day) const {
  const auto found = m_results.find(day_iso(day));
  if (found == m_results.end()) {
    return std::nullopt;
  }
  return found->second;
}

CrawlTarget SiteCrawler::frontier_target(const FrontierEntry& entry, std::int64_t crawl_id) {
  CrawlTarget article = target(
      entry.url, false, entry.listed_in.empty() ? std::nullopt : std::optional(entry.listed_in));
  article.frontier_of = crawl_id;
  m_fetched.insert(entry.url);
  return article;
}

void SiteCrawler::fetch_frontier(std::int64_t crawl_id, const std::vector<FrontierEntry>& entries,
                                 CrawlStats& stats) {
  std::vector<CrawlTarget> targets;
  for (const auto& entry : entries) {
    targets.push_back(frontier_target(entry, crawl_id));
  }
  const bool revisited = m_site.parser != ParserKind::epaper;
  fetch_many(
      std::move(targets),
      [&](std::size_t, const FetchReport& report) {
        // In the article's own transaction: its first revisit is planned with it.
        if (revisited && report.outcome != Outcome::error) {
          plan_next_visit(report.url, false);
        }
      },
      [&](std::size_t, const FetchReport& report) { count_article(report, stats); });
}

void SiteCrawler::plan_next_visit(const std::string& url, bool visited) {
  // When the article was first seen and the revisits done so far decide the next; one just
  // made counts.
  std::optional<SysSeconds> first_seen;
  int done = visited ? 1 : 0;
  if (const auto state = m_writer.article_revisit_state(url)) {
    first_seen = parse_utc_iso(state->first_seen);
    done += static_cast<int>(state->revisits);
  }
  if (!first_seen) {
    return;
  }
  const auto next = next_visit(*first_seen, done);
  m_writer.plan_revisit(url, next ? std::optional(to_utc_iso(*next)) : std::nullopt, visited);
}

// A list's pagination, newest first. The way down is read to its end once (over as many crawls
// as max_list_pages needs: each goes on from where the last stopped); after that a crawl reads
// until a page lists nothing new.
bool SiteCrawler::read_list(const std::string& start_url, std::vector<FrontierEntry>& articles,
                            CrawlStats& stats) {
  ListProgress progress = m_writer.list_progress(m_site.name, start_url);
  // Where an earlier crawl stopped on the way down: reached again after the new entries at the
  // top. Until then the saved point stays as it is.
  const std::optional<std::string> resume_at = progress.resume_url;
  bool past_resume_point = !resume_at;
  const auto save = [&](std::optional<std::string> resume, bool complete) {
    progress.resume_url = std::move(resume);
    progress.complete = complete;
    m_writer.save_list_progress(m_site.name, start_url, progress);
  };
  // The top of the list may take half a crawl's pages; the rest is for the way down (new
  // entries that never become articles would otherwise hold every crawl at the top).
  const int top_pages = std::max(1, m_site.max_list_pages / 2);
  std::optional<std::string> url = start_url;
  for (int read = 0; url; ++read) {
    if (!past_resume_point && *url == *resume_at) {
      past_resume_point = true;  // the pagination itself came down to the saved point
    }
    if (!past_resume_point && read >= top_pages && !m_visited.contains(*resume_at)) {
      spdlog::info("{}: the list {} continues from {}, where an earlier crawl stopped", m_site.name,
                   start_url, *resume_at);
      past_resume_point = true;
      url = resume_at;
    }
    if (read == m_site.max_list_pages) {
      spdlog::warn(
          "{}: stopped reading the list {} after {} pages (max_list_pages); the next crawl goes "
          "on from {}",
          m_site.name, start_url, read, *url);
      if (!progress.complete && past_resume_point) {
        save(*url, false);
      }
      return true;
    }
    if (!m_site.in_scope(*url) || !m_visited.insert(*url)) {
      // The pagination leaves the site or comes back to a page read already: its end.
      if (!progress.complete && past_resume_point) {
        save(std::nullopt, true);
      }
      return true;
    }
    // The generic parser reads single pages: a generic site's lists are read as lists.
    const FetchReport list = fetch_one(target(
        *url, true, std::nullopt,
        m_site.parser == ParserKind::generic ? std::optional(ParserKind::cms) : std::nullopt));
    if (list.skipped) {
      if (stats.pages == 0) {
        stats.result = "disallowed";
      }
      return false;
    }
    if (list.outcome == Outcome::error) {
      ++stats.errors;
      if (resume_at && *url == *resume_at && (list.http_status == 404 || list.http_status == 410)) {
        // The site renumbered or trimmed its pages: the way down starts again from the top.
        spdlog::warn(
            "{}: the list page {} where an earlier crawl stopped is gone (HTTP {}); the list is "
            "read again from the top",
            m_site.name, *url, list.http_status);
        progress.pages_read = 0;
        save(std::nullopt, false);
      }
      return true;  // the next crawl tries again from where the saved progress says
    }
    ++stats.pages;
    count_article(list, stats);
    std::size_t new_here = 0;
    for (const auto& headline : list.headlines) {
      if (!m_site.in_scope(headline.url) || !m_visited.insert(headline.url)) {
        continue;
      }
      ++stats.headlines;
      // Articles already archived are left to later revisits; a crawl fetches what is new.
      if (!m_refetch_known && m_writer.is_archived(headline.url)) {
        ++stats.known;
        continue;
      }
      articles.push_back({.url = headline.url, .listed_in = {}});
      ++new_here;
    }
    if (!progress.complete && past_resume_point) {
      ++progress.pages_read;
    }
    if (!list.next_page) {
      if (!progress.complete && past_resume_point) {
        spdlog::info("{}: read the list {} to its end ({} pages)", m_site.name, start_url,
                     progress.pages_read);
        save(std::nullopt, true);
      }
      return true;
    }
    // A page with nothing new: the rest of the list is archived already, unless the way down
    // was never finished (then on from where it stopped), or an interrupted crawl is being
    // resumed (it goes on where it stopped).
    if (new_here == 0 && !list.replayed) {
      if (progress.complete) {
        return true;
      }
      if (!past_resume_point) {
        past_resume_point = true;
        if (!m_visited.contains(*resume_at)) {
          spdlog::info("{}: the list {} continues from {}, where an earlier crawl stopped",
                       m_site.name, start_url, *resume_at);
          url = resume_at;
          continue;
        }
      }
    }
    url = list.next_page;
    if (!progress.complete && past_resume_point) {
      save(url, false);  // a crawl killed here goes on from the next page
    }
  }
  return true;
}

CrawlStats SiteCrawler::crawl_lists() {
  const CrawlStart start = m_writer.begin_crawl(m_site.name, "lists");
  m_done_before = start.done_before;
  CrawlStats stats;
  if (!start.pending.empty()) {
    spdlog::info("{}: resuming an interrupted crawl, {} articles left", m_site.name,
                 start.pending.size());
  } else if (!m_done_before.empty()) {
    spdlog::info("{}: resuming an interrupted crawl ({} pages done)", m_site.name,
                 m_done_before.size());
  }
  std::vector<FrontierEntry> articles = start.pending;
  // With a frontier left, the interrupted crawl had read its lists already.
  for (const auto& start_url :
       start.pending.empty() ? m_site.start_urls : std::vector<std::string>{}) {
    if (!read_list(start_url, articles, stats)) {
      break;  // robots.txt forbids the list: nothing more to read
    }
  }
  if (start.pending.empty()) {
    m_writer.add_to_frontier(start.id, articles);
  }
  fetch_frontier(start.id, articles, stats);

  // Then the recent articles whose revisit is due: edits after publication become versions.
  // Their plan in the archive is this stage's frontier.
  std::vector<CrawlTarget> revisits;
  for (const auto& url : m_writer.due_revisits(m_site.name, now_utc_iso(), k_max_revisits)) {
    // Listed on a list page is not fetched: only what this crawl fetched already is skipped.
    if (m_site.in_scope(url) && m_fetched.insert(url)) {
      revisits.push_back(target(url, false));
    }
  }
  fetch_many(
      std::move(revisits),
      [&](std::size_t, const FetchReport& report) { plan_next_visit(report.url, true); },
      [&](std::size_t, const FetchReport& report) {
        if (report.skipped) {
          plan_next_visit(report.url, true);  // robots.txt forbids it now: not due again at once
          return;
        }
        ++stats.revisited;
        stats.new_versions += report.outcome == Outcome::changed ? 1 : 0;
        stats.errors += report.outcome == Outcome::error ? 1 : 0;
      });
  return finish(start.id, "lists", stats);
}

std::vector<std::string> check_parser_health(const std::string& site, const CrawlStats& latest,
                                             const std::vector<CrawlRecord>& earlier) {
  std::vector<std::string> warnings;
  // Judge only crawls with enough articles to mean something.
  constexpr std::int64_t k_min_articles = 3;
  if (latest.articles >= k_min_articles) {
    CrawlStats before;
    for (const auto& crawl : earlier) {
      before += crawl.stats;
    }
    const auto check = [&](std::string_view field, std::int64_t now_count,
                           std::int64_t before_count) {
      const double now_ratio = ratio(now_count, latest.articles);
      const double before_ratio = ratio(before_count, before.articles);
      // "Most articles suddenly without": under half now, where earlier crawls had most.
      if (now_ratio < 0.5 && (before.articles < k_min_articles || before_ratio >= 0.8)) {
        warnings.push_back(fmt::format(
            "{}: only {} of {} articles have a {} (earlier crawls: {:.0f}%); has the site "
            "changed its layout?",
            site, now_count, latest.articles, field, before_ratio * 100.0));
      }
    };
    check("title", latest.with_title, before.with_title);
    check("date", latest.with_date, before.with_date);
    check("body", latest.with_body, before.with_body);
  }
  if (latest.headlines > 0 && latest.articles + latest.errors + latest.known < latest.headlines) {
    warnings.push_back(fmt::format("{}: the pages list {} articles but only {} were found", site,
                                   latest.headlines - latest.known, latest.articles));
  }
  // Pages fetched but no headline on them, where earlier crawls found some: a changed layout or
  // a selector that no longer matches.
  std::int64_t earlier_headlines = 0;
  for (const auto& crawl : earlier) {
    earlier_headlines += crawl.stats.headlines;
  }
  if (latest.pages > 0 && latest.headlines == 0 && earlier_headlines > 0) {
    warnings.push_back(
        fmt::format("{}: {} pages fetched but no headlines found on them (earlier crawls found {})",
                    site, latest.pages, earlier_headlines));
  }
  for (const auto& warning : warnings) {
    spdlog::warn("{}", warning);
  }
  return warnings;
}

}  // namespace archiver
