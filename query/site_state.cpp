#include "query/site_state.hpp"

#include "scheduler/site_schedule.hpp"

#include <fmt/format.h>

namespace archiver {
namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json crawl_json(const std::optional<CrawlRecord>& crawl) {
  if (!crawl) {
    return nullptr;
  }
  const CrawlStats& stats = crawl->stats;
  return {{"target", crawl->target},
          {"started_at", crawl->started_at},
          {"finished_at", crawl->finished_at},
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

}  // namespace

SiteState read_site_state(ArchiveReader* reader, const SiteSettings& site, SysSeconds now) {
  SiteState state;
  if (reader != nullptr) {
    state.activity = reader->site_activity(site.name);
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
    state.health = reader->last_parsing_crawl(site.name);
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
  nlohmann::json object = {
      {"name", site.name},
      {"title", site.title},
      {"parser", std::string(to_string(site.parser))},
      {"schedule", site.schedule},
      {"timezone", site.timezone},
      {"scope", site.scope},
      {"articles", state.activity.articles},
      {"fetch_errors", state.activity.fetch_errors},
      {"asset_errors", state.activity.asset_errors},
      {"last_fetch", optional_json(state.activity.last_fetch)},
      {"last_crawl", crawl_json(state.last_crawl)},
      {"parser_health", crawl_json(state.health)},
      {"consecutive_failures", state.consecutive_failures},
      {"next_due", state.next_due ? nlohmann::json(to_utc_iso(*state.next_due)) : nlohmann::json()},
      {"missed_run", state.missed_run}};
  if (site.parser == ParserKind::epaper) {
    object["days_not_published"] = state.activity.not_published;
    object["catch_up_days"] = site.catch_up_days;
  } else {
    object["max_list_pages"] = site.max_list_pages;
  }
  return object;
}

std::string describe(const SiteSettings& site, const SiteState& state) {
  std::string crawl = "-";
  if (state.last_crawl) {
    const CrawlStats& stats = state.last_crawl->stats;
    crawl = fmt::format("{} {} {}: {} pages, {} articles, {} new versions, {} errors",
                        state.last_crawl->target, stats.result, state.last_crawl->started_at,
                        stats.pages, stats.articles, stats.new_versions, stats.errors);
    if (state.consecutive_failures > 0) {
      crawl += fmt::format(" ({} failed in a row)", state.consecutive_failures);
    }
  }
  std::string health = "- (no crawl has parsed articles yet)";
  if (state.health) {
    const CrawlStats& stats = state.health->stats;
    health = fmt::format("{} articles, title {} date {} body {} (crawl of {} at {})",
                         stats.articles, stats.with_title, stats.with_date, stats.with_body,
                         state.health->target, state.health->started_at);
  }
  const std::string next = state.next_due
                               ? to_utc_iso(*state.next_due) + (state.missed_run ? " (missed)" : "")
                               : std::string("- (manual)");
  std::string errors = fmt::format("{:>4} errors", state.activity.fetch_errors);
  if (state.activity.not_published > 0) {
    errors += fmt::format(" ({} days without an edition)", state.activity.not_published);
  }
  if (state.activity.asset_errors > 0) {
    errors += fmt::format(", {} assets not had", state.activity.asset_errors);
  }
  return fmt::format(
      "{:<16} {:<8} {:<14} {:>6} articles {}  last fetch {}  {}\n    last crawl:    {}\n"
      "    parser health: {}\n    next due:      {}\n",
      site.name, to_string(site.parser), site.schedule.empty() ? "-" : site.schedule,
      state.activity.articles, errors, state.activity.last_fetch.value_or("never"), site.title,
      crawl, health, next);
}

}  // namespace archiver
