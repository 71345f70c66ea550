// archiver status / sites / check-config.

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "query/json_output.hpp"
#include "query/site_state.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
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
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
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
    nlohmann::json sites = nlohmann::json::array();
    for (const auto& site : session->context.settings.sites) {
      sites.push_back(to_json(site, read_site_state(&reader, site, now)));
    }
    std::cout << json_line({{"database", session->context.database.string()},
                            {"sites", sites},
                            {"schema_version", stats.schema_version},
                            {"articles", stats.articles},
                            {"versions", stats.versions},
                            {"fetches", stats.fetches},
                            {"fetch_errors", stats.fetch_errors},
                            {"assets", stats.assets},
                            {"asset_fetches", stats.asset_fetches},
                            {"asset_errors", stats.asset_errors},
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
      "errors), last {}\nassets    {} archived ({} fetches, {} failed)\nbodies    {} ({:.1f} MiB "
      "raw, "
      "{:.1f} MiB stored)\n",
      session->context.database.string(), stats.schema_version,
      static_cast<double>(stats.database_bytes) / 1048576.0, stats.articles, stats.versions,
      stats.fetches, stats.fetch_errors, stats.last_fetch.value_or("never"), stats.assets,
      stats.asset_fetches, stats.asset_errors, stats.bodies,
      static_cast<double>(stats.raw_bytes) / 1048576.0,
      static_cast<double>(stats.compressed_bytes) / 1048576.0);
  if (!errors.empty()) {
    out += "recent errors:\n";
    for (const auto& error : errors) {
      out += fmt::format("  {}  {}  {}\n", error.fetched_at, error.url, error.error);
    }
  }
  for (const auto& site : session->context.settings.sites) {
    out += describe(site, read_site_state(&reader, site, now));
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
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const auto& site : context->settings.sites) {
    const SiteState state = read_site_state(reader.get(), site, now);
    if (json) {
      std::cout << json_line(to_json(site, state)) << '\n';
    } else {
      std::cout << describe(site, state);
    }
  }
  return k_exit_ok;
}

int run_check_config(const GlobalOptions& global) {
  const auto path = find_config(global);
  if (path.empty()) {
    std::vector<std::string> tried;
    for (const auto& candidate : default_config_paths()) {
      tried.push_back(candidate.string());
    }
    spdlog::error("no config file: pass --config FILE, set ARCHIVER_CONFIG, or create one of {}",
                  fmt::join(tried, ", "));
    return k_exit_usage;
  }
  auto loaded = load_settings(path);
  if (!loaded) {
    for (const auto& error : loaded.error()) {
      std::cerr << error.to_string() << '\n';
    }
    return k_exit_usage;
  }
  const auto overlaps = overlapping_scopes(*loaded);
  for (const auto& warning : overlaps) {
    spdlog::warn("{}: {}", path.string(), warning);
  }
  const std::size_t webhooks = loaded->notify.size();
  std::cout << fmt::format(
      "{}: ok, {} site{}{}{}\n", path.string(), loaded->sites.size(),
      loaded->sites.size() == 1 ? "" : "s",
      webhooks == 0 ? "" : fmt::format(", {} webhook{}", webhooks, webhooks == 1 ? "" : "s"),
      overlaps.empty() ? "" : fmt::format(" ({} warnings)", overlaps.size()));
  // What each webhook hears of, so a sites or events key that says less than meant shows.
  for (const NotifySettings& notify : loaded->notify) {
    std::vector<std::string_view> events;
    if (notify.on_new) {
      events.emplace_back("new");
    }
    if (notify.on_changed) {
      events.emplace_back("changed");
    }
    std::cout << fmt::format(
        "  notify {}: {} versions of {}\n", notify.url, fmt::join(events, " and "),
        notify.sites.empty() ? std::string("every site")
                             : fmt::format("{}", fmt::join(notify.sites, ", ")));
  }
  return k_exit_ok;
}

}  // namespace archiver
