#include "cli/app.hpp"

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/suggest.hpp"
#include "daemon/daemon.hpp"
#include "store/store_error.hpp"
#include "util/logging.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

namespace archiver {
namespace {

// "archiver: unknown command "serach"; did you mean "search"?" for the first word that is no
// command, no option and no option's value, when a command is that close to it.
std::optional<std::string> mistyped_command(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(command->get_name());
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view word(argv[i]);
    if (word.starts_with("-")) {
      // Global options with a value in the next word.
      if (word == "--config" || word == "--db" || word == "--log-level") {
        ++i;
      }
      continue;
    }
    if (std::ranges::find(names, word) != names.end()) {
      return std::nullopt;  // a real command: the mistake is elsewhere
    }
    if (const auto nearest = nearest_name(word, names)) {
      return fmt::format(
          "archiver: unknown command \"{}\"; did you mean \"{}\"? (archiver --help "
          "lists them)",
          word, *nearest);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

void add_day_options(CLI::App* command, std::optional<std::string>& since,
                     std::optional<std::string>& until) {
  command->add_option("--since", since, "Published on or after this day (YYYY-MM-DD)");
  command->add_option("--until", until, "Published on or before this day (YYYY-MM-DD)");
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"archiver: crawls and archives Chinese union newspapers and union websites"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command
  app.set_version_flag("--version", "archiver " ARCHIVER_VERSION, "Print the version and exit");
  std::vector<std::string> config_paths;
  for (const auto& path : default_config_paths()) {
    config_paths.push_back(path.string());
  }
  app.footer(
      fmt::format("Config: --config, else $ARCHIVER_CONFIG, else the first file of {}.\n"
                  "Archive: --db, else $ARCHIVER_DB, else the config's [archive] database, else "
                  "./archive.db.\nSee man archiver for every command and option.",
                  fmt::join(config_paths, ", ")));

  GlobalOptions global;
  app.add_option("--config", global.config, "Config file (TOML)");
  app.add_option("--db", global.db, "Archive database file");
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "off"}));

  FetchOptions fetch;
  auto* fetch_command = app.add_subcommand("fetch", "Fetch URLs now, parse and store them");
  fetch_command->add_option("urls", fetch.urls, "URLs to fetch");
  fetch_command->add_option("--parser", fetch.parser,
                            "Parser for URLs no configured site claims (default generic)");
  fetch_command->add_flag("--json", fetch.json, "JSON Lines output");
  auto* site_option =
      fetch_command->add_option("--site", fetch.site, "Crawl this configured site now instead");
  auto* date_option = fetch_command->add_option(
      "--date", fetch.date, "E-paper edition of this day (YYYY-MM-DD; default today)");
  auto* from_option = fetch_command->add_option("--from", fetch.from, "First edition day");
  auto* to_option = fetch_command->add_option("--to", fetch.to, "Last edition day");
  auto* refetch_option =
      fetch_command->add_flag("--refetch", fetch.refetch,
                              "Fetch archived articles again too (conditionally), to catch edits");
  for (auto* option : {date_option, from_option, to_option, refetch_option}) {
    option->needs(site_option);
  }
  date_option->excludes(from_option)->excludes(to_option);
  from_option->needs(to_option);
  to_option->needs(from_option);
  site_option->excludes(fetch_command->get_option("urls"));

  ReparseOptions reparse;
  auto* reparse_command =
      app.add_subcommand("reparse", "Re-run the parsers over stored pages, offline");
  reparse_command->add_option("--site", reparse.site, "Only this site's pages");
  reparse_command->add_option("--since", reparse.since,
                              "Only pages fetched on or after (YYYY-MM-DD)");
  reparse_command->add_flag("--json", reparse.json, "JSON Lines output, one object per article");
  reparse_command->add_flag("--dry-run", reparse.dry_run,
                            "Say what would change (articles, fields); write nothing");

  ArticlesOptions articles;
  auto* articles_command = app.add_subcommand("articles", "List archived articles");
  articles_command->add_option("--site", articles.site, "Only this site");
  add_day_options(articles_command, articles.since, articles.until);
  articles_command->add_option("--limit", articles.limit, "At most this many (default all)")
      ->check(CLI::PositiveNumber);
  articles_command->add_flag("--json", articles.json, "JSON Lines output");

  ShowOptions show;
  auto* show_command = app.add_subcommand("show", "Show one article");
  show_command->add_option("article", show.article, "Article id or URL")->required();
  show_command->add_option("--version", show.version, "Version number (default latest)")
      ->check(CLI::PositiveNumber);
  show_command->add_flag("--json", show.json, "JSON output");

  AssetOptions asset;
  auto* asset_command =
      app.add_subcommand("asset", "The stored bytes of a PDF, a page scan or a photo");
  asset_command->add_option("asset", asset.asset, "SHA-256 of the bytes, or the asset's URL")
      ->required();
  asset_command->add_option("-o,--output", asset.output,
                            "Write to FILE (a regular file appears only when complete)");

  ShowOptions history;
  auto* history_command = app.add_subcommand("history", "Every stored version of an article");
  history_command->add_option("article", history.article, "Article id or URL")->required();
  history_command->add_flag("--json", history.json, "JSON Lines output");

  DiffOptions diff;
  auto* diff_command = app.add_subcommand("diff", "What changed between two versions");
  diff_command->add_option("article", diff.article, "Article id or URL")->required();
  diff_command->add_option("--from", diff.from, "Older version (default: the one before --to)")
      ->check(CLI::PositiveNumber);
  diff_command->add_option("--to", diff.to, "Newer version (default: latest)")
      ->check(CLI::PositiveNumber);
  diff_command->add_flag("--json", diff.json, "JSON output with the operations");

  SearchOptions search;
  auto* search_command = app.add_subcommand(
      "search", "Full-text search of titles and bodies; 简/繁 forms find each other");
  search_command->add_option("text", search.words, "Words to find (all of them)")->required();
  search_command->add_option("--site", search.site, "Only this site");
  add_day_options(search_command, search.since, search.until);
  search_command->add_option("--limit", search.limit, "At most this many (default all)")
      ->check(CLI::PositiveNumber);
  search_command->add_flag("--all-versions", search.all_versions,
                           "Old versions too, not only each article's latest");
  search_command->add_flag("--json", search.json, "JSON Lines output");

  ExportOptions export_options;
  auto* export_command = app.add_subcommand(
      "export", "Articles as JSON Lines, or the archived HTTP exchanges as WARC 1.1");
  export_command->add_option("--format", export_options.format, "jsonl, warc or wacz")
      ->required()
      ->check(CLI::IsMember({"jsonl", "warc", "wacz"}));
  export_command->add_option("--site", export_options.site, "Only this site");
  export_command->add_option("--since", export_options.since,
                             "jsonl: published on or after; warc: fetched on or after "
                             "(YYYY-MM-DD)");
  export_command->add_option("--until", export_options.until,
                             "jsonl: published on or before; warc: fetched on or before");
  export_command->add_option("-o,--output", export_options.output,
                             "Write to this file (default stdout)");
  export_command->add_flag("--all-versions", export_options.all_versions,
                           "jsonl: every version of each article, not only the latest");

  EditionsOptions editions;
  auto* editions_command = app.add_subcommand(
      "editions", "Per date: e-paper edition found, 版面, articles, headlines not archived");
  editions_command->add_option("--site", editions.site, "The e-paper site")->required();
  auto* editions_from =
      editions_command->add_option("--from", editions.from, "First date (YYYY-MM-DD)");
  auto* editions_to = editions_command->add_option("--to", editions.to, "Last date");
  editions_from->needs(editions_to);
  editions_to->needs(editions_from);
  editions_command->add_flag("--json", editions.json, "JSON Lines output, one date a line");

  GcCommandOptions gc;
  auto* gc_command = app.add_subcommand(
      "gc", "Drop raw bodies nothing refers to (and old versions); incremental vacuum");
  gc_command
      ->add_option("--keep-versions", gc.keep_versions,
                   "Keep only the newest N versions of each article")
      ->check(CLI::PositiveNumber);
  gc_command->add_flag("--vacuum", gc.vacuum,
                       "Then VACUUM: rewrite the whole file (never done otherwise)");
  gc_command->add_flag("--reindex", gc.reindex, "Build the search index again");
  gc_command->add_flag("--json", gc.json, "JSON output");

  bool status_json = false;
  auto* status_command = app.add_subcommand("status", "Archive health: counts, size, errors");
  status_command->add_flag("--json", status_json, "JSON output");

  bool sites_json = false;
  auto* sites_command = app.add_subcommand("sites", "Configured sites and their crawl state");
  sites_command->add_flag("--json", sites_json, "JSON Lines output");

  auto* check_command = app.add_subcommand("check-config", "Validate the config file");

  auto* run_command = app.add_subcommand(
      "run", "The daemon: every site on its schedule until SIGTERM/SIGINT; SIGHUP reloads");

  ServeOptions serve;
  auto* serve_command = app.add_subcommand(
      "serve", "The web interface on the archive (read-only): editions, articles, search, feeds");
  serve_command->add_option("--listen", serve.listen,
                            "HOST:PORT to listen on (default [serve] listen, else 127.0.0.1:8080)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    if (const auto typo = mistyped_command(app, argc, argv)) {
      std::cerr << *typo << '\n';
      return k_exit_usage;
    }
    app.exit(error);
    return k_exit_usage;
  }

  setup_logging(parse_log_level(global.log_level).value_or(spdlog::level::info));

  try {
    if (*fetch_command) {
      if (fetch.site) {
        return run_site_crawl(global, fetch);
      }
      if (fetch.urls.empty()) {
        spdlog::error("fetch: give URLs, or --site NAME");
        return k_exit_usage;
      }
      return run_fetch(global, fetch);
    }
    if (*reparse_command) {
      return run_reparse(global, reparse);
    }
    if (*articles_command) {
      return run_articles(global, articles);
    }
    if (*show_command) {
      return run_show(global, show);
    }
    if (*asset_command) {
      return run_asset(global, asset);
    }
    if (*history_command) {
      return run_history(global, history);
    }
    if (*diff_command) {
      return run_diff(global, diff);
    }
    if (*search_command) {
      return run_search(global, search);
    }
    if (*export_command) {
      return run_export(global, export_options);
    }
    if (*editions_command) {
      return run_editions(global, editions);
    }
    if (*gc_command) {
      return run_gc(global, gc);
    }
    if (*status_command) {
      return run_status(global, status_json);
    }
    if (*sites_command) {
      return run_sites(global, sites_json);
    }
    if (*check_command) {
      return run_check_config(global);
    }
    if (*run_command) {
      return run_daemon(global);
    }
    if (*serve_command) {
      return run_serve(global, serve);
    }
  } catch (const StoreError& error) {
    spdlog::error("archive error: {}", error.what());
    return k_exit_database;
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return k_exit_some_failed;
  }
  return k_exit_usage;
}

}  // namespace archiver
