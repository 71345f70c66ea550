// archiver fetch --site (one crawl of a configured site now) and archiver reparse (the current
// parsers over stored pages, offline).

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/open_archive.hpp"
#include "crawl/site_crawler.hpp"
#include "decode/charset.hpp"
#include "parsers/dates.hpp"
#include "parsers/registry.hpp"
#include "pipeline/fetch_pipeline.hpp"
#include "util/clock.hpp"
#include "util/status_line.hpp"
#include "util/timezone.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <atomic>
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

void print_report(const FetchReport& report, bool json) {
  if (json) {
    status_line::print_above([&] {
      std::cout << json_line(to_json(report)) << '\n' << std::flush;
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
  status_line::print_above([&] { std::cout << line << '\n' << std::flush; });
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

struct ReparseCounts {
  std::int64_t articles = 0;
  std::int64_t changed = 0;
};

// How a stored page is read again: as the site it was fetched for (its family today, with its
// selectors); a page fetched by URL alone, as the site whose scope holds it today, else by the
// family that read it then.
struct ReadAs {
  const SiteSettings* site = nullptr;
  ParserKind parser = ParserKind::generic;
};

// Nothing when the page's site is gone from the config, or no record says how it was read: it
// is skipped rather than read as another kind of page (a 版面 or a list is no article).
std::optional<ReadAs> read_as(const Settings& settings, const StoredPage& page,
                              const std::optional<StoredArticle>& previous) {
  const auto recorded = [](const std::optional<std::string>& name) {
    return name ? parser_kind_from_string(*name) : std::nullopt;
  };
  if (page.site) {
    const SiteSettings* site = settings.site_named(*page.site);
    if (site == nullptr) {
      return std::nullopt;
    }
    // A generic site's list pages are read by the cms family's list logic, as the crawl does.
    if (site->parser == ParserKind::generic && recorded(page.parser) == ParserKind::cms) {
      return ReadAs{.site = site, .parser = ParserKind::cms};
    }
    return ReadAs{.site = site, .parser = site->parser};
  }
  // A page fetched by URL alone, that a site configured since claims, is read as that site.
  if (const SiteSettings* site = settings.site_for_url(page.url); site != nullptr) {
    return ReadAs{.site = site, .parser = site->parser};
  }
  if (const auto parser = recorded(page.parser)) {
    return ReadAs{.site = nullptr, .parser = *parser};
  }
  if (const auto parser = previous ? recorded(previous->parser) : std::nullopt) {
    return ReadAs{.site = nullptr, .parser = *parser};
  }
  return std::nullopt;
}

// One stored page through today's parser: a version where its content changed, its place in
// the edition corrected where only that changed.
ReparseCounts reparse_page(ArchiveWriter& writer, const ReadAs& how, const StoredPage& page,
                           const std::optional<StoredArticle>& previous, bool json) {
  const SiteSettings* site = how.site;
  const ParserKind parser = how.parser;
  const auto body = writer.body(page.body_sha256);
  if (!body) {
    throw std::runtime_error("stored body " + page.body_sha256 + " is missing");
  }
  const DecodedText decoded = decode_to_utf8(
      {.bytes = *body,
       .content_type = page.content_type,
       .override_charset = site != nullptr ? std::string_view(site->charset) : std::string_view(),
       .url = page.url});
  // What the 版面 said when the article was crawled is kept in its last version.
  EditionContext listed_in;
  if (previous) {
    listed_in = {.edition = previous->article.edition,
                 .page = previous->article.page,
                 .issue = previous->article.issue};
  }
  const std::optional<std::string> first_fetched =
      page.first_fetched.empty() ? std::nullopt : std::optional(page.first_fetched);
  const ParsedPage parsed =
      parse_page(parser, {.url = page.final_url,
                          .html = decoded.utf8,
                          .reference_date = reference_date_for(page.final_url, first_fetched),
                          .selectors = site != nullptr ? &site->selectors : nullptr,
                          .listed_in = &listed_in});
  ReparseCounts counts;
  for (const Article& article : parsed.articles) {
    if (article.body.empty()) {
      continue;  // the rule fetch keeps: a page without body text holds no article
    }
    const std::string url = article.anchor ? page.url + "#" + *article.anchor : page.url;
    const ArticleResult result = writer.record_reparsed(page, url, article, to_string(parser));
    ++counts.articles;
    counts.changed += result.outcome == Outcome::unchanged ? 0 : 1;
    if (json) {
      std::cout << json_line({{"url", url},
                              {"id", result.article_id},
                              {"status", std::string(to_string(result.outcome))},
                              {"version", result.version},
                              {"parser", std::string(to_string(parser))}})
                << '\n';
    } else if (result.outcome != Outcome::unchanged) {
      std::cout << fmt::format("{:<9} #{} v{}  {}\n", to_string(result.outcome), result.article_id,
                               result.version, url);
    }
  }
  return counts;
}

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
  auto writer = open_writer(context->database, context->settings.max_archive_size);
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
      context->settings.user_agent);
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
  } catch (const sqlite::StoreError& error) {
    status_line::clear();
    spdlog::error("{}: cannot store the crawl of {}: {}{}", context->database.string(), site->name,
                  error.what(), error.is_full() ? sqlite::full_archive_advice : "");
    return k_exit_some_failed;
  }
  status_line::clear();
  spdlog::info(
      "{}: {} pages, {} headlines, {} articles ({} new versions), {} revisited, {} errors, "
      "{} assets archived ({} could not be had): {}",
      site->name, stats.pages, stats.headlines, stats.articles, stats.new_versions, stats.revisited,
      stats.errors, stats.assets, stats.asset_errors, stats.result);
  return stats.errors > 0 ? k_exit_some_failed : k_exit_ok;
}

int run_reparse(const GlobalOptions& global, const ReparseOptions& options) {
  if (!valid_day_option(options.since, "--since")) {
    return k_exit_usage;
  }
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  // Usage errors before the archive is opened (or created): exit 2 means nothing was done.
  if (options.site && context->settings.site_named(*options.site) == nullptr) {
    spdlog::error("--site: no site named \"{}\" in the config", *options.site);
    return k_exit_usage;
  }
  auto opened = open_writer(context->database, context->settings.max_archive_size);
  if (!opened) {
    return opened.error();
  }
  ArchiveWriter& writer = **opened;
  const Settings& settings = context->settings;
  std::int64_t pages = 0;
  std::int64_t articles = 0;
  std::int64_t changed = 0;
  std::int64_t skipped = 0;
  std::set<std::string> unknown_sites;
  int exit_code = k_exit_ok;
  for (const StoredPage& page : writer.stored_pages(options.site, options.since)) {
    try {
      const auto previous = writer.latest_version(page.url);
      const auto how = read_as(settings, page, previous);
      if (!how) {
        ++skipped;
        unknown_sites.insert(page.site.value_or("(no site, no parser recorded)"));
        spdlog::debug("{}: skipped: fetched for {}, which the config does not have", page.url,
                      page.site.value_or("no site"));
        continue;
      }
      const auto result = reparse_page(writer, *how, page, previous, options.json);
      ++pages;
      articles += result.articles;
      changed += result.changed;
    } catch (const std::exception& error) {
      // One page the parser cannot read must not stop the rest.
      spdlog::error("{}: reparse failed: {}", page.url, error.what());
      exit_code = k_exit_some_failed;
    }
  }
  spdlog::info("reparse: {} pages, {} articles, {} with new versions", pages, articles, changed);
  if (skipped > 0) {
    spdlog::warn(
        "reparse: {} pages skipped: they were fetched for sites not in the config ({}), and are "
        "never read as another kind of page",
        skipped, fmt::join(unknown_sites, ", "));
  }
  return exit_code;
}

}  // namespace archiver
