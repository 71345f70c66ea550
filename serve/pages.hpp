#pragma once
// One function per page or endpoint of the web interface; each reads what it needs through a
// borrowed read-only connection and returns the whole reply.

#include "serve/http_types.hpp"
#include "serve/request_target.hpp"
#include "serve/web_app.hpp"

#include <string_view>

namespace archiver::serve {

// Pages (HTML).
[[nodiscard]] Reply home_page(const WebContext& context, const Target& target);
[[nodiscard]] Reply site_page(const WebContext& context, const Target& target,
                              std::string_view site);
[[nodiscard]] Reply edition_page(const WebContext& context, const Target& target,
                                 std::string_view site, std::string_view date);
[[nodiscard]] Reply article_page(const WebContext& context, const Target& target, std::int64_t id);
[[nodiscard]] Reply diff_page(const WebContext& context, const Target& target, std::int64_t id);
[[nodiscard]] Reply search_page(const WebContext& context, const Target& target);

// JSON: the objects of --json.
[[nodiscard]] Reply api_articles(const WebContext& context, const Target& target);
[[nodiscard]] Reply api_article(const WebContext& context, std::int64_t id);
[[nodiscard]] Reply api_search(const WebContext& context, const Target& target);

// Atom feeds: one site's (site set) or all.
[[nodiscard]] Reply feed(const WebContext& context, const Request& request,
                         const std::optional<std::string>& site);

// Stored bytes: an asset by SHA-256, an article's page as fetched, the interface's own files.
[[nodiscard]] Reply stored_asset(const WebContext& context, const Request& request,
                                 std::string_view sha256);
[[nodiscard]] Reply archived_page(const WebContext& context, const Target& target, std::int64_t id);
[[nodiscard]] Reply static_file(const Request& request, std::string_view name);

}  // namespace archiver::serve
