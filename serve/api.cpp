// `/api/`: the objects `--json` prints, as JSON arrays and objects, with the same filters.

#include "query/article_search.hpp"
#include "query/json_output.hpp"
#include "serve/pages.hpp"
#include "serve/views.hpp"

namespace archiver::serve {
namespace {

// Without a limit a request returns this many (the newest first); at most k_max_limit, so that
// one answer stays a few megabytes however big the archive (page with since/until).
constexpr std::int64_t k_default_limit = 100;
constexpr std::int64_t k_max_limit = 1000;

struct Filters {
  ArticleQuery query;
  std::string error;  // non-empty: a 400 with this message
};

Filters read_filters(const Target& target) {
  Filters filters;
  const auto since = day_param(target, "since");
  const auto until = day_param(target, "until");
  const auto limit = number_param(target, "limit", 1, k_max_limit);
  if (!since || !until || !limit) {
    filters.error = !since ? since.error() : !until ? until.error() : limit.error();
    return filters;
  }
  filters.query = {.site = target.param("site"),
                   .since = *since,
                   .until = *until,
                   .limit = limit->value_or(k_default_limit)};
  return filters;
}

Reply json_error(unsigned status, const std::string& message) {
  Reply reply = json_reply({{"error", message}});
  reply.status = status;
  return reply;
}

}  // namespace

Reply api_articles(const WebContext& context, const Target& target) {
  const Filters filters = read_filters(target);
  if (!filters.error.empty()) {
    return json_error(400, filters.error);
  }
  auto reader = context.readers.borrow();
  nlohmann::json array = nlohmann::json::array();
  for (const auto& article : reader->articles(filters.query)) {
    array.push_back(to_json(article));
  }
  return json_reply(array);
}

Reply api_article(const WebContext& context, std::int64_t id) {
  auto reader = context.readers.borrow();
  const auto article = reader->article(std::to_string(id));
  if (!article) {
    return json_error(404, "no article " + std::to_string(id));
  }
  nlohmann::json object = to_json(*article);
  if (const auto printed = reader->printed_on(article->url)) {
    object["printed_on"] = to_json(*printed);
  }
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& version : reader->history(id)) {
    versions.push_back(to_json(version));
  }
  object["versions"] = versions;
  return json_reply(object);
}

Reply api_search(const WebContext& context, const Target& target) {
  const Filters filters = read_filters(target);
  if (!filters.error.empty()) {
    return json_error(400, filters.error);
  }
  const auto text = target.param("q");
  if (!text) {
    return json_error(400, "q: the text to search for is missing");
  }
  const auto terms = search_terms(*text);
  if (!terms) {
    return json_error(400, "q: " + terms.error());
  }
  auto reader = context.readers.borrow();
  nlohmann::json array = nlohmann::json::array();
  for (const auto& hit : find_articles(*reader, *terms, filters.query, false).hits) {
    array.push_back(to_json(hit));
  }
  return json_reply(array);
}

}  // namespace archiver::serve
