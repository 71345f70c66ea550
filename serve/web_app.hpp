#pragma once
// The web interface's requests, from the Host check to the page: what `archiver serve` hands
// the HTTP server. Read-only: every answer comes from a borrowed read-only archive connection.

#include "config/settings.hpp"
#include "serve/feed_cache.hpp"
#include "serve/host_allowlist.hpp"
#include "serve/http_types.hpp"
#include "serve/reader_pool.hpp"
#include "serve/request_target.hpp"
#include "serve/site_state_cache.hpp"

#include <optional>
#include <string>

namespace archiver::serve {

// What every page handler may use.
struct WebContext {
  const Settings& settings;
  ReaderPool& readers;
  // "https://archive.example.org" when set ([serve] base_url): the feeds' links; else the
  // request's own scheme-less origin is used (http://HOST).
  std::optional<std::string> base_url;
  SiteStateCache& site_states;  // the sites' counts and crawls, read at most every 30 s
  FeedCache& feeds;             // rendered feeds, until the next version is stored
};

class WebApp {
 public:
  WebApp(const Settings& settings, ReaderPool& readers);

  // Never throws for bad input: a refused Host is 421, a bad target 400, an unknown page 404.
  [[nodiscard]] Reply handle(const Request& request);

 private:
  [[nodiscard]] Reply route(const Request& request, const Target& target);

  SiteStateCache m_site_states;
  FeedCache m_feeds;
  WebContext m_context;
  HostAllowlist m_hosts;
};

}  // namespace archiver::serve
