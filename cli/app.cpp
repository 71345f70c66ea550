#include "cli/app.hpp"

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "store/sqlite.hpp"
#include "util/logging.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

namespace archiver {
namespace {

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

  GlobalOptions global;
  app.add_option("--config", global.config, "Config file (TOML)");
  app.add_option("--db", global.db, "Archive database file");
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "off"}));

  FetchOptions fetch;
  auto* fetch_command = app.add_subcommand("fetch", "Fetch URLs now, parse and store them");
  fetch_command->add_option("urls", fetch.urls, "URLs to fetch")->required();
  fetch_command->add_option("--parser", fetch.parser,
                            "Parser for URLs no configured site claims (default generic)");
  fetch_command->add_flag("--json", fetch.json, "JSON Lines output");

  ArticlesOptions articles;
  auto* articles_command = app.add_subcommand("articles", "List archived articles");
  articles_command->add_option("--site", articles.site, "Only this site");
  add_day_options(articles_command, articles.since, articles.until);
  articles_command->add_option("--limit", articles.limit, "At most this many")
      ->check(CLI::PositiveNumber);
  articles_command->add_flag("--json", articles.json, "JSON Lines output");

  ShowOptions show;
  auto* show_command = app.add_subcommand("show", "Show one article");
  show_command->add_option("article", show.article, "Article id or URL")->required();
  show_command->add_option("--version", show.version, "Version number (default latest)")
      ->check(CLI::PositiveNumber);
  show_command->add_flag("--json", show.json, "JSON output");

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

  bool status_json = false;
  auto* status_command = app.add_subcommand("status", "Archive health: counts, size, errors");
  status_command->add_flag("--json", status_json, "JSON output");

  bool sites_json = false;
  auto* sites_command = app.add_subcommand("sites", "Configured sites and their crawl state");
  sites_command->add_flag("--json", sites_json, "JSON Lines output");

  auto* check_command = app.add_subcommand("check-config", "Validate the config file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return k_exit_usage;
  }

  setup_logging(parse_log_level(global.log_level).value_or(spdlog::level::info));

  try {
    if (*fetch_command) {
      return run_fetch(global, fetch);
    }
    if (*articles_command) {
      return run_articles(global, articles);
    }
    if (*show_command) {
      return run_show(global, show);
    }
    if (*history_command) {
      return run_history(global, history);
    }
    if (*diff_command) {
      return run_diff(global, diff);
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
  } catch (const sqlite::StoreError& error) {
    spdlog::error("archive error: {}", error.what());
    return k_exit_database;
  }
  return k_exit_usage;
}

}  // namespace archiver
