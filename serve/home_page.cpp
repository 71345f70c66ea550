// `/`: the sites with their health, the newest articles, the search box (in the layout).

#include "query/site_state.hpp"
#include "serve/pages.hpp"
#include "serve/templates.hpp"
#include "serve/views.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

constexpr std::int64_t k_newest = 30;

std::string_view result_text(std::string_view result) {
  if (result == "ok") {
    return "成功";
  }
  if (result == "partial") {
    return "部分成功";
  }
  if (result == "failed") {
    return "失败";
  }
  if (result == "missing") {
    return "无此期";
  }
  return "进行中";
}

nlohmann::json site_row(const SiteSettings& site, const SiteState& state) {
  nlohmann::json row = {{"name", site.name},
                        {"title", site.title.empty() ? site.name : site.title},
                        {"kind", std::string(to_string(site.parser))},
                        {"articles", state.activity.articles},
                        {"last_crawl", "从未抓取"},
                        {"last_result", nullptr},
                        {"last_result_text", ""},
                        {"health", "—"},
                        {"state", state.consecutive_failures > 0 ? "failing" : "fine"}};
  if (state.last_crawl) {
    row["last_crawl"] =
        beijing_time(state.last_crawl->started_at) + "（" + state.last_crawl->target + "）";
    const std::string& result = state.last_crawl->stats.result;
    row["last_result"] = result.empty() ? "running" : result;
    row["last_result_text"] = std::string(result_text(result));
  }
  if (state.health) {
    const CrawlStats& stats = state.health->stats;
    row["health"] = fmt::format("{} 篇：标题 {}，日期 {}，正文 {}", stats.articles,
                                stats.with_title, stats.with_date, stats.with_body);
  }
  std::string errors = fmt::format("{} 次抓取失败", state.activity.fetch_errors);
  if (state.consecutive_failures > 0) {
    errors += fmt::format("，连续 {} 次失败", state.consecutive_failures);
  }
  if (state.activity.asset_errors > 0) {
    errors += fmt::format("，{} 个文件未取得", state.activity.asset_errors);
  }
  row["errors"] = errors;
  row["next_due"] = state.next_due ? beijing_time(to_utc_iso(*state.next_due)) +
                                         (state.missed_run ? "（错过）" : "")
                                   : std::string("手动");
  return row;
}

}  // namespace

Reply home_page(const WebContext& context, const Target& target) {
  auto reader = context.readers.borrow();
  nlohmann::json view = page_view("首页", target);
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& site : context.settings.sites) {
    sites.push_back(site_row(site, context.site_states.get(*reader, site)));
  }
  view["has_sites"] = !sites.empty();
  view["sites"] = sites;
  nlohmann::json newest = nlohmann::json::array();
  for (const auto& article : reader->articles({.limit = k_newest})) {
    newest.push_back(article_item(article, context.settings));
  }
  view["has_newest"] = !newest.empty();
  view["newest"] = newest;
  return html_reply(render_page("home", view));
}

}  // namespace archiver::serve
