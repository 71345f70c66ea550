#include "query/article_search.hpp"

#include "query/json_output.hpp"
#include "search/query.hpp"
#include "store/search_index.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace archiver {
namespace {

// With a limit, the newest matches ranked (see SearchRequest::window); without one every match
// is ranked, since all of them were asked for.
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

}  // namespace

std::expected<std::vector<std::string>, std::string> search_terms(std::string_view text) {
  // Each character of a query costs memory and time in FTS5 (18 KB a character was measured):
  // a pasted page is refused, a long title still fits.
  if (const auto length = utf8::count_code_points(text); length > search::k_max_query_chars) {
    return std::unexpected(
        fmt::format("the query is {} characters long; at most {} are searched for", length,
                    search::k_max_query_chars));
  }
  auto terms = search::query_terms(text);
  if (terms.empty()) {
    return std::unexpected(
        fmt::format("\"{}\" has no letters, digits or characters to search for", text));
  }
  return terms;
}

FoundArticles find_articles(ArchiveReader& reader, const std::vector<std::string>& terms,
                            const ArticleQuery& filters, bool all_versions, std::size_t skip) {
  const std::int64_t window = filters.limit < 0 ? -1 : std::max(k_rank_window, filters.limit);
  const auto results = reader.search(
      {.terms = terms, .filters = filters, .all_versions = all_versions, .window = window});
  FoundArticles found{.window_full = results.window_full, .window = window};
  for (std::size_t i = skip; i < results.hits.size(); ++i) {
    const auto& hit = results.hits[i];
    found.hits.push_back({.article = hit.article,
                          .score = hit.score,
                          .snippet = snippet_for(hit.article.article, terms)});
  }
  return found;
}

nlohmann::json to_json(const FoundArticle& found) {
  auto json = to_json(found.article);
  json["score"] = found.score;
  json["snippet"] = found.snippet.text;
  nlohmann::json marks = nlohmann::json::array();
  for (const auto& mark : found.snippet.marks) {
    marks.push_back({{"start", mark.start}, {"length", mark.length}});
  }
  json["highlights"] = marks;
  return json;
}

}  // namespace archiver
