// archiver status / sites / check-config.

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/open_archive.hpp"
#include "scheduler/site_schedule.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace archiver {

int run_status(const GlobalOptions& global, bool json) {
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  ArchiveReader& reader = *session->reader;
  const ArchiveStats stats = reader.stats();
  const auto errors = reader.recent_errors(10);
  if (json) {
    nlohmann::json recent = nlohmann::json::array();
    for (const auto& error : errors) {
      recent.push_back({{"fetched_at", error.fetched_at},
                        {"url", error.url},
                        {"http_status",
                         error.http_status ? nlohmann::json(*error.http_status) : nlohmann::json()},
                        {"error", error.error}});
    }
    std::cout << json_line({{"database", session->context.database.string()},
                            {"schema_version", stats.schema_version},
                            {"articles", stats.articles},
                            {"versions", stats.versions},
                            {"fetches", stats.fetches},
                            {"fetch_errors", stats.fetch_errors},
                            {"bodies", stats.bodies},
                            {"raw_bytes", stats.raw_bytes},
                            {"stored_bytes", stats.compressed_bytes},
                            {"database_bytes", stats.database_bytes},
                            {"last_fetch", stats.last_fetch ? nlohmann::json(*stats.last_fetch)
                                                            : nlohmann::json()},
                            {"recent_errors", recent}})
              << '\n';
    return k_exit_ok;
  }
  std::string out = fmt::format(
      "archive   {} (schema {}, {:.1f} MiB)\narticles  {} ({} versions)\nfetches   {} ({} "
      "errors), last {}\nbodies    {} ({:.1f} MiB raw, {:.1f} MiB stored)\n",
      session->context.database.string(), stats.schema_version,
      static_cast<double>(stats.database_bytes) / 1048576.0, stats.articles, stats.versions,
      stats.fetches, stats.fetch_errors, stats.last_fetch.value_or("never"), stats.bodies,
      static_cast<double>(stats.raw_bytes) / 1048576.0,
      static_cast<double>(stats.compressed_bytes) / 1048576.0);
  if (!errors.empty()) {
    out += "recent errors:\n";
    for (const auto& error : errors) {
      out += fmt::format("  {}  {}  {}\n", error.fetched_at, error.url, error.error);
    }
  }
  std::cout << out;
  return k_exit_ok;
}

int run_sites(const GlobalOptions& global, bool json) {
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  // The archive adds counts when it exists; a fresh install still lists its sites.
  std::unique_ptr<ArchiveReader> reader;
  std::error_code exists_error;
  if (std::filesystem::exists(context->database, exists_error)) {
    auto opened = open_reader(context->database);
    if (!opened) {
      return opened.error();
    }
    reader = std::move(*opened);
  }
  for (const auto& site : context->settings.sites) {
    std::int64_t articles = 0;
    std::int64_t errors = 0;
    std::optional<std::string> last_fetch;
    std::optional<CrawlRecord> last_crawl;
    if (reader) {
      auto count = reader->database().prepare("SELECT count(*) FROM articles WHERE site = ?1");
      count.bind(1, site.name);
      articles = count.step() ? count.column_int(0) : 0;
      auto fetches = reader->database().prepare(
          "SELECT max(fetched_at), coalesce(sum(outcome = 'error'), 0) FROM fetches "
          "WHERE site = ?1");
      fetches.bind(1, site.name);
      if (fetches.step()) {
        last_fetch = fetches.column_optional_text(0);
        errors = fetches.column_int(1);
      }
      if (auto crawls = reader->recent_crawls(site.name, 1); !crawls.empty()) {
        last_crawl = crawls.front();
      }
    }
    // When the daemon runs the site next: the slot after its last crawl (or now, once, if one
    // was missed).
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto last_run =
        last_crawl ? parse_utc_iso(last_crawl->started_at) : std::optional<SysSeconds>{};
    const auto due = next_due(site, last_run, now);
    const std::string next_text =
        due ? to_utc_iso(due->due) + (due->missed ? " (missed)" : "") : std::string("-");
    // Parser health: of the last crawl's articles, how many had a title, a date, a body.
    nlohmann::json health = nullptr;
    std::string health_text = "-";
    if (last_crawl) {
      const CrawlStats& stats = last_crawl->stats;
      health = {{"target", last_crawl->target},
                {"started_at", last_crawl->started_at},
                {"finished_at", last_crawl->finished_at},
                {"result", stats.result},
                {"pages", stats.pages},
                {"headlines", stats.headlines},
                {"articles", stats.articles},
                {"with_title", stats.with_title},
                {"with_date", stats.with_date},
                {"with_body", stats.with_body},
                {"new_versions", stats.new_versions},
                {"errors", stats.errors}};
      health_text = fmt::format("{} {} {}: {} articles, title {} date {} body {}",
                                last_crawl->target, stats.result, last_crawl->started_at,
                                stats.articles, stats.with_title, stats.with_date, stats.with_body);
    }
    if (json) {
      std::cout << json_line(
                       {{"name", site.name},
                        {"title", site.title},
                        {"parser", std::string(to_string(site.parser))},
                        {"schedule", site.schedule},
                        {"timezone", site.timezone},
                        {"scope", site.scope},
                        {"articles", articles},
                        {"fetch_errors", errors},
                        {"last_fetch", last_fetch ? nlohmann::json(*last_fetch) : nlohmann::json()},
                        {"last_crawl", health},
                        {"next_due", due ? nlohmann::json(to_utc_iso(due->due)) : nlohmann::json()},
                        {"missed_run", due && due->missed}})
                << '\n';
    } else {
      std::cout << fmt::format(
          "{:<16} {:<8} {:<14} {:>6} articles {:>4} errors  last fetch {}  {}\n    last crawl: "
          "{}\n    next due:   {}\n",
          site.name, to_string(site.parser), site.schedule.empty() ? "-" : site.schedule, articles,
          errors, last_fetch.value_or("never"), site.title, health_text, next_text);
    }
  }
  return k_exit_ok;
}

int run_check_config(const GlobalOptions& global) {
  const auto path = find_config(global);
  if (path.empty()) {
    spdlog::error(
        "no config file: pass --config FILE, set ARCHIVER_CONFIG, or create "
        "./archiver.toml");
    return k_exit_usage;
  }
  auto loaded = load_settings(path);
  if (!loaded) {
    for (const auto& error : loaded.error()) {
      std::cerr << error.to_string() << '\n';
    }
    return k_exit_usage;
  }
  std::cout << fmt::format("{}: ok, {} site{}\n", path.string(), loaded->sites.size(),
                           loaded->sites.size() == 1 ? "" : "s");
  return k_exit_ok;
}

}  // namespace archiver
