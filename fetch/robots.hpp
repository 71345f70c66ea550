#pragma once
// robots.txt as RFC 9309 reads it: the groups naming our product token (else the "*" group),
// merged; the longest matching rule decides, Allow winning a tie; '*' matches any run and '$'
// anchors the end; /robots.txt itself is always allowed. Crawl-delay, not in the RFC but
// common on Chinese sites, is honoured as a minimum gap between requests.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

class RobotsRules {
 public:
  // Parses a robots.txt body for a crawler whose user-agent product token is `token`.
  [[nodiscard]] static RobotsRules parse(std::string_view text, std::string_view token);
  // A 4xx answer: the site has no robots.txt, everything may be crawled.
  [[nodiscard]] static RobotsRules allow_all();
  // A 5xx answer or no answer: nothing may be crawled for now.
  [[nodiscard]] static RobotsRules disallow_all();

  // path_and_query as in the URL (util/url.hpp): "/news/2023/1.html?x=1".
  [[nodiscard]] bool allows(std::string_view path_and_query) const;
  [[nodiscard]] std::optional<std::chrono::milliseconds> crawl_delay() const {
    return m_crawl_delay;
  }

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> m_rules;
  std::optional<std::chrono::milliseconds> m_crawl_delay;
  bool m_disallow_all = false;
};

// The product token of a User-Agent: "archiver/0.1 (+https://...)" gives "archiver".
[[nodiscard]] std::string robots_token(std::string_view user_agent);

}  // namespace archiver
