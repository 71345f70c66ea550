// `/search`: the search of `archiver search` (the same terms, filters and ranking), with the
// snippets' matches highlighted, a page of results at a time.

#include "query/article_search.hpp"
#include "serve/pages.hpp"
#include "serve/templates.hpp"
#include "serve/views.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

constexpr std::int64_t k_hits_per_page = 20;
constexpr std::int64_t k_max_page = 50;

// The snippet as runs of text, marked where a term matched.
nlohmann::json snippet_runs(const search::Snippet& snippet) {
  nlohmann::json runs = nlohmann::json::array();
  const std::u32string text = utf8::to_u32(snippet.text);
  std::size_t at = 0;
  for (const auto& mark : snippet.marks) {
    if (mark.start < at || mark.start + mark.length > text.size()) {
      continue;
    }
    if (mark.start > at) {
      runs.push_back({{"mark", false}, {"text", utf8::to_utf8(text.substr(at, mark.start - at))}});
    }
    runs.push_back({{"mark", true}, {"text", utf8::to_utf8(text.substr(mark.start, mark.length))}});
    at = mark.start + mark.length;
  }
  if (at < text.size()) {
    runs.push_back({{"mark", false}, {"text", utf8::to_utf8(text.substr(at))}});
  }
  return runs;
}

std::string search_link(const Target& target, std::int64_t page) {
  std::string link = "/search?";
  for (const std::string name : {"q", "site", "since", "until"}) {
    if (const auto value = target.param(name)) {
      link += name + "=" + percent_encode(*value) + "&";
    }
  }
  return link + "page=" + std::to_string(page);
}

}  // namespace

Reply search_page(const WebContext& context, const Target& target) {
  nlohmann::json view = page_view("搜索", target);
  const auto since = day_param(target, "since");
  const auto until = day_param(target, "until");
  // Pages within the ranked window (2,000 of the newest matches): later pages would rank
  // another window and repeat or skip results, and cost a read of every hit before them.
  const auto page = number_param(target, "page", 1, k_max_page);
  const auto site = target.param("site");
  view["since"] = since && *since ? **since : "";
  view["until"] = until && *until ? **until : "";
  nlohmann::json options = nlohmann::json::array();
  for (const auto& configured : context.settings.sites) {
    options.push_back(
        {{"option_name", configured.name},
         {"option_title", configured.title.empty() ? configured.name : configured.title},
         {"selected", site == configured.name}});
  }
  view["site_options"] = options;
  view["error"] = nullptr;
  view["summary"] = nullptr;
  view["hits"] = nlohmann::json::array();
  view["prev_link"] = nullptr;
  view["next_link"] = nullptr;
  const auto refuse = [&view](const std::string& why) {
    view["error"] = why;
    Reply reply = html_reply(render_page("search", view));
    reply.status = 400;
    return reply;
  };
  if (!since || !until || !page) {
    return refuse(!since ? since.error() : !until ? until.error() : page.error());
  }
  const auto text = target.param("q");
  if (!text) {
    return html_reply(render_page("search", view));
  }
  const auto terms = search_terms(*text);
  if (!terms) {
    return refuse(terms.error());
  }
  const std::int64_t number = page->value_or(1);
  auto reader = context.readers.borrow();
  const auto first = static_cast<std::size_t>((number - 1) * k_hits_per_page);
  auto found = find_articles(
      *reader, *terms,
      {.site = site, .since = *since, .until = *until, .limit = number * k_hits_per_page + 1},
      false, first);
  const bool more =
      static_cast<std::int64_t>(found.hits.size()) > k_hits_per_page && number < k_max_page;
  nlohmann::json hits = nlohmann::json::array();
  for (std::size_t i = 0; i < found.hits.size() && i < static_cast<std::size_t>(k_hits_per_page);
       ++i) {
    auto item = article_item(found.hits[i].article, context.settings);
    item["snippet"] = snippet_runs(found.hits[i].snippet);
    hits.push_back(std::move(item));
  }
  view["hits"] = hits;
  view["summary"] =
      hits.empty() ? std::string("没有找到文章。")
                   : fmt::format("第 {} 页，第 {}–{} 条{}", number, first + 1, first + hits.size(),
                                 found.window_full ? "（匹配太多，只排了最新的一部分）" : "");
  view["prev_link"] =
      number > 1 ? nlohmann::json(search_link(target, number - 1)) : nlohmann::json();
  view["next_link"] = more ? nlohmann::json(search_link(target, number + 1)) : nlohmann::json();
  return html_reply(render_page("search", view));
}

}  // namespace archiver::serve
