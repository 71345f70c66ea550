// archiver search: full-text search of the archive in Chinese.

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "query/article_search.hpp"
#include "query/json_output.hpp"
#include "search/query.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

namespace archiver {

int run_search(const GlobalOptions& global, const SearchOptions& options) {
  if (!valid_day_option(options.since, "--since") || !valid_day_option(options.until, "--until")) {
    return k_exit_usage;
  }
  std::string text;
  for (const auto& word : options.words) {
    text += (text.empty() ? "" : " ") + word;
  }
  const auto terms = search_terms(text);
  if (!terms) {
    spdlog::error("search: {}", terms.error());
    return k_exit_usage;
  }
  if (!load_search_folding()) {
    return k_exit_some_failed;
  }
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  if (!has_current_schema(*session->reader, "search")) {
    return k_exit_database;
  }
  const auto results = find_articles(*session->reader, *terms,
                                     {.site = options.site,
                                      .since = options.since,
                                      .until = options.until,
                                      .limit = options.limit},
                                     options.all_versions);
  if (results.window_full) {
    spdlog::info(
        "more than {} articles match; the newest {} were ranked (narrow it with --site, "
        "--since/--until or more characters, or leave out --limit to rank them all)",
        results.window, results.window);
  }

  const bool tty = !options.json && isatty(STDOUT_FILENO) == 1;
  const std::string_view open = tty ? "\x1b[1;31m" : "[";
  const std::string_view close = tty ? "\x1b[0m" : "]";
  for (const auto& hit : results.hits) {
    if (options.json) {
      std::cout << json_line(to_json(hit)) << '\n';
      continue;
    }
    std::cout << fmt::format(
        "{:>6}  {:<25}  {:<10}  {}{}\n        {}\n", hit.article.id,
        hit.article.article.published.value_or("-"), hit.article.site.value_or("-"),
        hit.article.article.title,
        options.all_versions ? fmt::format("  (v{})", hit.article.version) : "",
        search::render(hit.snippet, open, close));
  }
  spdlog::debug("search {}: {} results", search::match_expression(*terms), results.hits.size());
  return k_exit_ok;
}

}  // namespace archiver
