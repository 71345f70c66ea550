// archiver fetch --site: one crawl of a configured site, now.

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "crawl/site_crawler.hpp"
#include "decode/charset.hpp"
#include "parsers/dates.hpp"
#include "parsers/registry.hpp"
#include "pipeline/fetch_pipeline.hpp"
#include "query/json_output.hpp"
#include "util/clock.hpp"
#include "util/status_line.hpp"
#include "util/timezone.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <set>

namespace archiver {
namespace {

using Day = std::chrono::year_month_day;

std::optional<std::vector<Day>> edition_days(const FetchOptions& options,
                                             const SiteSettings& site) {
  const auto parse = [](const std::optional<std::string>& text,
                        std::string_view name) -> std::optional<Day> {
    const auto day = parse_iso_day(*text);
    if (!day) {
      spdlog::error("{}: \"{}\" is not a date (YYYY-MM-DD)", name, *text);
    }
    return day;
  };
  if (options.date) {
    const auto day = parse(options.date, "--date");
    return day ? std::optional(std::vector<Day>{*day}) : std::nullopt;
  }
  if (options.from) {
    const auto from = parse(options.from, "--from");
    const auto to = parse(options.to, "--to");
    if (!from || !to) {
      return std::nullopt;
    }
    if (!valid_day_range(*options.from, *options.to)) {
      return std::nullopt;
    }
    const auto first = std::chrono::sys_days(*from);
    const auto last = std::chrono::sys_days(*to);
    std::vector<Day> days;
    for (auto day = first; day <= last; day += std::chrono::days(1)) {
      days.emplace_back(day);
    }
    return days;
  }
  // Today where the paper is printed.
  const auto today = local_day_in(
      site.timezone, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  if (!today) {
    spdlog::error("site \"{}\": unknown time zone \"{}\"", site.name, site.timezone);
    return std::nullopt;
  }
  return std::vector<Day>{*today};
}

// On a terminal each report shows at once; into a pipe or a file, with the first report a quarter
// second or more after the last flush (the rest of a burst waits for it, or for the exit): a
// write for every page cost the crawl's writer thread, which prints them, some 19,000 system
// calls on the benchmark's crawl.
void flush_reports() {
  static const bool terminal = isatty(STDOUT_FILENO) == 1;
  static auto last = std::chrono::steady_clock::time_point{};
  const auto now = std::chrono::steady_clock::now();
  if (terminal || now - last >= std::chrono::milliseconds(250)) {
    std::cout.flush();
    last = now;
  }
}

void print_report(const FetchReport& report, bool json) {
  if (json) {
    status_line::print_above([&] {
      std::cout << json_line(to_json(report)) << '\n';
      flush_reports();
    });
    return;
  }
  std::string line =
      fmt::format("{:<12} {:>3}  {}", to_string(report.outcome), report.http_status, report.url);
  if (report.error) {
    line += "  error: " + *report.error;
  }
  for (const auto& stored : report.articles) {
    line +=
        fmt::format("\n    #{} v{}  {}  [{}] {}", stored.id, stored.version, stored.article.title,
                    stored.article.published.value_or("-"), stored.article.page.value_or(""));
  }
  status_line::print_above([&] {
    std::cout << line << '\n';
    flush_reports();
  });
}

// Ctrl-C (or SIGTERM) during `fetch --site`: the crawl stops at its next safe point, like the
// daemon's. The handler fires once; a second Ctrl-C ends the process at once.
std::atomic<bool> g_stop_requested{false};
std::atomic<int> g_stop_signal{0};

extern "C" void on_stop_signal(int number) {
  g_stop_signal = number;
  g_stop_requested = true;
}

void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = static_cast<int>(SA_RESETHAND);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// What a crawl on a terminal shows below its log: the edition (k of N), pages, rate.
class CrawlProgress {
 public:
  explicit CrawlProgress(std::string site) : m_site(std::move(site)) {}

  void edition(std::size_t place, std::size_t count, Day day) {
    m_edition = fmt::format("edition {} ({}/{}) · ", day_iso(day), place, count);
    show();
  }

  void page() {
    ++m_pages;
    show();
  }

 private:
  void show() {
    if (!status_line::enabled()) {
      return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    status_line::show(fmt::format("{}: {}{} pages · {:.1f} pages/s", m_site, m_edition, m_pages,
                                  seconds > 0 ? static_cast<double>(m_pages) / seconds : 0.0));
  }

  std::string m_site;
  std::string m_edition;
  std::size_t m_pages = 0;
  std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

}  // namespace

int run_site_crawl(const GlobalOptions& global, const FetchOptions& options) {
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  const SiteSettings* site = context->settings.site_named(*options.site);
  if (site == nullptr) {
    spdlog::error("--site: no site named \"{}\" in {}", *options.site,
                  context->settings.source.empty() ? std::string("the config (none found)")
                                                   : context->settings.source.string());
    return k_exit_usage;
  }
  const bool epaper = site->parser == ParserKind::epaper;
  if (!epaper && (options.date || options.from)) {
    spdlog::error(
        "--date/--from/--to: site \"{}\" is not an e-paper; its crawl follows its "
        "list pages",
        site->name);
    return k_exit_usage;
  }
  const auto days = epaper ? edition_days(options, *site) : std::optional<std::vector<Day>>{};
  if (epaper && !days) {
    return k_exit_usage;
  }
  auto writer = open_writer(context->database, context->settings);
  if (!writer) {
    return writer.error();
  }
  // One crawl per site at a time, whichever process runs it.
  auto lease = (*writer)->take_lease(site->name, "archiver fetch --site " + site->name);
  if (!lease) {
    spdlog::error(
        "{}: already being crawled by another archiver (pid {}: {}, since {}); not crawling it "
        "twice at once: try again when that crawl has finished",
        site->name, lease.error().pid, lease.error().command, lease.error().taken_at);
    return k_exit_some_failed;
  }
  catch_stop_signals();
  FetchPipeline pipeline(context->settings, **writer);
  pipeline.abort_when(&g_stop_requested);
  PoliteFetcher fetcher(context->settings.fetch.max_connections);
  CrawlProgress progress(site->name);
  SiteCrawler crawler(
      *site, **writer, pipeline, fetcher,
      [&](const FetchReport& report) {
        print_report(report, options.json);
        progress.page();
      },
      context->settings.user_agent,
      options.json ? SiteCrawler::Reports::as_stored : SiteCrawler::Reports::listing);
  crawler.refetch_known(options.refetch);
  crawler.stop_when(&g_stop_requested);
  crawler.on_edition(
      [&](std::size_t place, std::size_t count, Day day) { progress.edition(place, count, day); });
  // Without dates: today's edition and the catch-up window, as the daemon crawls it.
  const bool recent = epaper && !options.date && !options.from;
  CrawlStats stats;
  try {
    stats = !epaper  ? crawler.crawl_lists()
            : recent ? crawler.crawl_recent_editions(days->front())
                     : crawler.crawl_editions(*days);
  } catch (const CrawlStopped&) {
    status_line::clear();
    spdlog::warn(
        "{}: interrupted; what was fetched is stored, and the same command goes on where this "
        "crawl stopped",
        site->name);
    return g_stop_signal == SIGTERM ? 128 + SIGTERM : k_exit_interrupted;
  } catch (const StoreError& error) {
    status_line::clear();
    spdlog::error("{}: cannot store the crawl of {}: {}{}", context->database.string(), site->name,
                  error.what(), error.is_full() ? full_archive_advice : "");
    // An archive upgraded by another archiver meanwhile cannot be written by this one at all.
    return error.is_schema_changed() ? k_exit_database : k_exit_some_failed;
  }
  status_line::clear();
  spdlog::info(
      "{}: {} pages, {} headlines, {} articles ({} new versions), {} revisited, {} errors, "
      "{} assets archived ({} could not be had): {}",
      site->name, stats.pages, stats.headlines, stats.articles, stats.new_versions, stats.revisited,
      stats.errors, stats.assets, stats.asset_errors, stats.result);
  return stats.errors > 0 ? k_exit_some_failed : k_exit_ok;
}

}  // namespace archiver
