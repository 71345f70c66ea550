#include "serve/web_app.hpp"

#include "serve/pages.hpp"
#include "serve/response_policy.hpp"
#include "serve/views.hpp"
#include "store/store_error.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace archiver::serve {

WebApp::WebApp(const Settings& settings, ReaderPool& readers)
    : m_context{.settings = settings,
                .readers = readers,
                .base_url = settings.serve.base_url.empty()
                                ? std::nullopt
                                : std::optional(settings.serve.base_url),
                .site_states = m_site_states,
                .feeds = m_feeds},
      m_hosts(settings.serve.hosts) {}

Reply WebApp::handle(const Request& request) {
  // Before anything is read: a name not on the list may be a rebinding attack.
  if (!m_hosts.allows(request.host)) {
    spdlog::warn("serve: refused Host \"{}\" for {}", request.host.substr(0, 200),
                 request.target.substr(0, 200));
    return error_reply(421,
                       fmt::format("这个界面不回应主机名 \"{}\"：把它加进配置的 [serve] hosts "
                                   "(this interface does not answer to that host name; add it to "
                                   "[serve] hosts)",
                                   request.host.substr(0, 200)));
  }
  const auto target = parse_target(request.target);
  if (!target) {
    return bad_request(target.error());
  }
  try {
    return route(request, *target);
  } catch (const StoreError& error) {
    if (!error.is_schema_changed()) {
      throw;  // the server answers 500 and logs it
    }
    // Not this request's fault: the server stops (ReaderPool) for systemd to start it again.
    spdlog::error("serve {}: {}", request.target.substr(0, 200), error.what());
    return error_reply(503,
                       "档案刚被新版 archiver 升级，本服务随即停止，重新启动后再试 (the "
                       "archive was upgraded by a newer archiver; this server stops now and "
                       "must be started again)");
  }
}

Reply WebApp::route(const Request& request, const Target& target) {
  const auto& path = target.path;
  const auto is = [&path](std::initializer_list<std::string_view> words) {
    if (path.size() != words.size()) {
      return false;
    }
    std::size_t i = 0;
    for (const auto word : words) {
      if (!word.empty() && path[i] != word) {
        return false;  // an empty word matches any segment
      }
      ++i;
    }
    return true;
  };
  const auto article_id = [&path](std::size_t index) -> std::optional<std::int64_t> {
    const auto id = path_number(path[index]);
    return id && *id > 0 ? id : std::nullopt;
  };

  if (path.empty()) {
    return home_page(m_context, target);
  }
  if (is({"search"})) {
    return search_page(m_context, target);
  }
  if (is({"sites", ""})) {
    return site_page(m_context, target, path[1]);
  }
  if (is({"editions", "", ""})) {
    return edition_page(m_context, target, path[1], path[2]);
  }
  if (is({"articles", ""}) && article_id(1)) {
    return article_page(m_context, target, *article_id(1));
  }
  if (is({"articles", "", "diff"}) && article_id(1)) {
    return diff_page(m_context, target, *article_id(1));
  }
  if (is({"articles", "", "archived"}) && article_id(1)) {
    return archived_page(m_context, target, *article_id(1));
  }
  if (is({"api", "articles"})) {
    return api_articles(m_context, target);
  }
  if (is({"api", "articles", ""}) && article_id(2)) {
    return api_article(m_context, *article_id(2));
  }
  if (is({"api", "search"})) {
    return api_search(m_context, target);
  }
  if (is({"assets", ""})) {
    return stored_asset(m_context, request, path[1]);
  }
  if (is({"feeds", ""}) && path[1].ends_with(".atom")) {
    const std::string name = path[1].substr(0, path[1].size() - 5);
    return feed(m_context, request, name == "all" ? std::nullopt : std::optional(name));
  }
  if (is({"static", ""})) {
    return static_file(request, path[1]);
  }
  return not_found(fmt::format("页面 {}", request.target.substr(0, 200)));
}

}  // namespace archiver::serve
