// archiver editions / gc: how complete the e-paper editions are, and letting go of what the
// archive no longer needs.

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "query/json_output.hpp"
#include "store/edition_report.hpp"
#include "store/retention.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace archiver {
namespace {

nlohmann::json to_json(const EditionReport& report) {
  nlohmann::json missing = nlohmann::json::array();
  for (const auto& headline : report.missing) {
    missing.push_back(
        {{"title", headline.title},
         {"url", headline.url},
         {"page", headline.page ? nlohmann::json(*headline.page) : nlohmann::json()}});
  }
  const auto archived = [](const std::optional<bool>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& page : report.page_records) {
    pages.push_back({{"url", page.url},
                     {"page", page.name ? nlohmann::json(*page.name) : nlohmann::json()},
                     {"pdf", archived(page.pdf)},
                     {"page_image", archived(page.scan)}});
  }
  return {{"edition", report.edition},
          {"page_list", pages},
          {"status", std::string(report.status())},
          {"found", report.found()},
          {"crawl", report.crawl ? nlohmann::json(*report.crawl) : nlohmann::json()},
          {"pages", report.pages},
          {"articles", report.articles},
          {"headlines", report.headlines},
          {"missing", missing}};
}

std::string describe(const EditionReport& report) {
  if (!report.found()) {
    // Not published: the paper has no edition that day. Missing: it may have one, unread.
    const std::string why = report.status() == "not-published" ? "no edition that day (404)"
                            : !report.crawl                    ? "never crawled"
                                                               : "crawl " + *report.crawl;
    return fmt::format("{}  {:<13} {}\n", report.edition, report.status(), why);
  }
  std::string out =
      fmt::format("{}  {:<13} {:>2} 版面  {:>4} articles  {:>4} headlines  {} missing{}\n",
                  report.edition, report.status(), report.pages, report.articles, report.headlines,
                  report.missing.size(), report.crawl ? "  (crawl " + *report.crawl + ")" : "");
  const auto mark = [](const std::optional<bool>& archived) {
    return !archived ? "-" : *archived ? "archived" : "not archived";
  };
  for (const auto& page : report.page_records) {
    if (page.pdf || page.scan) {
      out += fmt::format("    {:<20} PDF {:<12} scan {}\n", page.name.value_or(page.url),
                         mark(page.pdf), mark(page.scan));
    }
  }
  for (const auto& headline : report.missing) {
    out += fmt::format("    missing: {}  [{}]  {}\n", headline.title, headline.page.value_or("-"),
                       headline.url);
  }
  return out;
}

}  // namespace

int run_editions(const GlobalOptions& global, const EditionsOptions& options) {
  if (!valid_day_option(options.from, "--from") || !valid_day_option(options.to, "--to")) {
    return k_exit_usage;
  }
  if (options.from && options.to && !valid_day_range(*options.from, *options.to)) {
    return k_exit_usage;
  }
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  if (!has_current_schema(*session->reader, "editions")) {
    return k_exit_database;
  }
  const SiteSettings* site = session->context.settings.site_named(options.site);
  if (site == nullptr || site->parser != ParserKind::epaper) {
    spdlog::error("--site: \"{}\" is not an e-paper site of the config", options.site);
    return k_exit_usage;
  }
  const auto reports = session->reader->edition_reports(
      site->name, options.from, options.to,
      [site](const std::string& url) { return site->in_scope(url); });
  std::int64_t incomplete = 0;
  for (const auto& report : reports) {
    incomplete += report.status() == "missing" || report.status() == "incomplete" ? 1 : 0;
    std::cout << (options.json ? json_line(to_json(report)) + "\n" : describe(report));
  }
  if (!options.json && incomplete > 0) {
    std::cout << fmt::format(
        "\n{} of {} dates missing or incomplete; back-fill with: archiver fetch --site {} "
        "--date D\n",
        incomplete, reports.size(), site->name);
  }
  return k_exit_ok;
}

int run_gc(const GlobalOptions& global, const GcCommandOptions& options) {
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  auto opened = open_writer(context->database);
  if (!opened) {
    return opened.error();
  }
  const GcReport report = (*opened)->collect_garbage({.keep_versions = options.keep_versions,
                                                      .vacuum = options.vacuum,
                                                      .reindex = options.reindex});
  if (options.json) {
    std::cout << json_line(
                     {{"versions_deleted", report.versions_deleted},
                      {"bodies_deleted", report.bodies_deleted},
                      {"body_bytes_freed", report.body_bytes_freed},
                      {"bodies_left", report.bodies_left},
                      {"fetches_unlinked", report.fetches_unlinked},
                      {"pages_freed", report.pages_freed},
                      {"reindexed", report.reindexed},
                      {"file_bytes_before", report.file_bytes_before},
                      {"file_bytes_after", report.file_bytes_after},
                      {"vacuumed", options.vacuum && !report.error},
                      {"error", report.error ? nlohmann::json(*report.error) : nlohmann::json()}})
              << '\n';
  } else {
    std::cout << fmt::format(
        "gc: {} old versions and {} unreferenced bodies ({} bytes) dropped; {} fetch-log rows "
        "no longer keep their bytes\ngc: archive {} -> {} bytes\n",
        report.versions_deleted, report.bodies_deleted, report.body_bytes_freed,
        report.fetches_unlinked, report.file_bytes_before, report.file_bytes_after);
  }
  if (report.error) {
    spdlog::error(
        "gc stopped early: {}{}. What it deleted stays deleted ({} versions, {} bodies, {} "
        "bytes); {} unreferenced bodies are left for the next run",
        *report.error,
        report.disk_full ? " (the disk is full: free some space and run gc again)" : "",
        report.versions_deleted, report.bodies_deleted, report.body_bytes_freed,
        report.bodies_left);
    return k_exit_some_failed;
  }
  if (!report.incremental) {
    spdlog::info(
        "this archive predates incremental vacuum: the freed space is reused by new data but "
        "stays in the file; `archiver gc --vacuum` rewrites it (needs as much free disk as the "
        "archive, and blocks writers while it runs)");
  }
  return k_exit_ok;
}

}  // namespace archiver
