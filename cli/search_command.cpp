// archiver search: full-text search of the archive in Chinese.

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/open_archive.hpp"
#include "search/query.hpp"
#include "search/snippet.hpp"
#include "store/search_index.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace archiver {
namespace {

// When --limit is given, the newest matches ranked (see SearchRequest::window); without one
// every match is ranked, since the user asked for all of them.
constexpr std::int64_t k_rank_window = 2000;

// Where the terms occur: in the body if they do, else in the title, 引题 or 副题.
search::Snippet snippet_for(const Article& article, const std::vector<std::string>& terms) {
  auto snippet = search::make_snippet(article.body_text(), terms);
  if (snippet.marks.empty()) {
    for (const auto& heading : {std::optional(article.title), article.kicker, article.subtitle}) {
      if (heading) {
        auto in_heading = search::make_snippet(*heading, terms);
        if (!in_heading.marks.empty()) {
          return in_heading;
        }
      }
    }
  }
  return snippet;
}

nlohmann::json marks_json(const search::Snippet& snippet) {
  nlohmann::json marks = nlohmann::json::array();
  for (const auto& mark : snippet.marks) {
    marks.push_back({{"start", mark.start}, {"length", mark.length}});
  }
  return marks;
}

}  // namespace

int run_search(const GlobalOptions& global, const SearchOptions& options) {
  if (!valid_day_option(options.since, "--since") || !valid_day_option(options.until, "--until")) {
    return k_exit_usage;
  }
  std::string text;
  for (const auto& word : options.words) {
    text += (text.empty() ? "" : " ") + word;
  }
  // Each character of a query costs memory and time in FTS5 (18 KB a character was measured):
  // a pasted page is refused, a long title still fits.
  if (const auto length = utf8::count_code_points(text); length > search::k_max_query_chars) {
    spdlog::error("search: the query is {} characters long; at most {} are searched for", length,
                  search::k_max_query_chars);
    return k_exit_usage;
  }
  const auto terms = search::query_terms(text);
  if (terms.empty()) {
    spdlog::error("search: \"{}\" has no letters, digits or characters to search for", text);
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
  const std::int64_t window = options.limit < 0 ? -1 : std::max(k_rank_window, options.limit);
  const auto results =
      search_archive(session->reader->database(), {.terms = terms,
                                                   .filters = {.site = options.site,
                                                               .since = options.since,
                                                               .until = options.until,
                                                               .limit = options.limit},
                                                   .all_versions = options.all_versions,
                                                   .window = window});
  if (results.window_full) {
    spdlog::info(
        "more than {} articles match; the newest {} were ranked (narrow it with --site, "
        "--since/--until or more characters, or leave out --limit to rank them all)",
        window, window);
  }

  const bool tty = !options.json && isatty(STDOUT_FILENO) == 1;
  const std::string_view open = tty ? "\x1b[1;31m" : "[";
  const std::string_view close = tty ? "\x1b[0m" : "]";
  for (const auto& hit : results.hits) {
    const auto snippet = snippet_for(hit.article.article, terms);
    if (options.json) {
      auto json = to_json(hit.article);
      json["score"] = hit.score;
      json["snippet"] = snippet.text;
      json["highlights"] = marks_json(snippet);
      std::cout << json_line(json) << '\n';
      continue;
    }
    std::cout << fmt::format(
        "{:>6}  {:<25}  {:<10}  {}{}\n        {}\n", hit.article.id,
        hit.article.article.published.value_or("-"), hit.article.site.value_or("-"),
        hit.article.article.title,
        options.all_versions ? fmt::format("  (v{})", hit.article.version) : "",
        search::render(snippet, open, close));
  }
  spdlog::debug("search {}: {} results", search::match_expression(terms), results.hits.size());
  return k_exit_ok;
}

}  // namespace archiver
