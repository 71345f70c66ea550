#include "cli/site_state.hpp"

#include "scheduler/site_schedule.hpp"

#include <fmt/format.h>

namespace archiver {
namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

}  // namespace

SiteState read_site_state(ArchiveReader* reader, const SiteSettings& site, SysSeconds now) {
  SiteState state;
  if (reader != nullptr) {
    auto count = reader->database().prepare("SELECT count(*) FROM articles WHERE site = ?1");
    count.bind(1, site.name);
    state.articles = count.step() ? count.column_int(0) : 0;
    auto fetches = reader->database().prepare(
        "SELECT max(fetched_at), coalesce(sum(outcome = 'error'), 0) FROM fetches WHERE site = ?1");
    fetches.bind(1, site.name);
    if (fetches.step()) {
      state.last_fetch = fetches.column_optional_text(0);
      state.fetch_errors = fetches.column_int(1);
    }
    const auto crawls = reader->recent_crawls(site.name, 50);
    if (!crawls.empty()) {
      state.last_crawl = crawls.front();
    }
    for (const auto& crawl : crawls) {
      if (crawl.stats.result != "failed") {
        break;
      }
      ++state.consecutive_failures;
    }
  }
  const auto last_run =
      state.last_crawl ? parse_utc_iso(state.last_crawl->started_at) : std::optional<SysSeconds>{};
  if (const auto due = next_due(site, last_run, now)) {
    state.next_due = due->due;
    state.missed_run = due->missed;
  }
  return state;
}

nlohmann::json to_json(const SiteSettings& site, const SiteState& state) {
  nlohmann::json health = nullptr;
  if (state.last_crawl) {
    const CrawlStats& stats = state.last_crawl->stats;
    health = {{"target", state.last_crawl->target},
              {"started_at", state.last_crawl->started_at},
              {"finished_at", state.last_crawl->finished_at},
              {"result", stats.result},
              {"pages", stats.pages},
              {"headlines", stats.headlines},
              {"known", stats.known},
              {"articles", stats.articles},
              {"with_title", stats.with_title},
              {"with_date", stats.with_date},
              {"with_body", stats.with_body},
              {"new_versions", stats.new_versions},
              {"errors", stats.errors}};
  }
  return {
      {"name", site.name},
      {"title", site.title},
      {"parser", std::string(to_string(site.parser))},
      {"schedule", site.schedule},
      {"timezone", site.timezone},
      {"scope", site.scope},
      {"articles", state.articles},
      {"fetch_errors", state.fetch_errors},
      {"last_fetch", optional_json(state.last_fetch)},
      {"last_crawl", health},
      {"consecutive_failures", state.consecutive_failures},
      {"next_due", state.next_due ? nlohmann::json(to_utc_iso(*state.next_due)) : nlohmann::json()},
      {"missed_run", state.missed_run}};
}

std::string describe(const SiteSettings& site, const SiteState& state) {
  std::string crawl = "-";
  if (state.last_crawl) {
    const CrawlStats& stats = state.last_crawl->stats;
    crawl = fmt::format("{} {} {}: {} articles, title {} date {} body {}", state.last_crawl->target,
                        stats.result, state.last_crawl->started_at, stats.articles,
                        stats.with_title, stats.with_date, stats.with_body);
    if (state.consecutive_failures > 0) {
      crawl += fmt::format(" ({} failed in a row)", state.consecutive_failures);
    }
  }
  const std::string next = state.next_due
                               ? to_utc_iso(*state.next_due) + (state.missed_run ? " (missed)" : "")
                               : std::string("- (manual)");
  return fmt::format(
      "{:<16} {:<8} {:<14} {:>6} articles {:>4} errors  last fetch {}  {}\n    last crawl: {}\n"
      "    next due:   {}\n",
      site.name, to_string(site.parser), site.schedule.empty() ? "-" : site.schedule,
      state.articles, state.fetch_errors, state.last_fetch.value_or("never"), site.title, crawl,
      next);
}

}  // namespace archiver
