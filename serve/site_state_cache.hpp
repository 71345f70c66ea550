#pragma once
// The sites' state (store counts, last crawls, parser health) for the home page and the site
// pages, read at most every k_site_state_ttl: the counts sum a site's whole fetch log, which
// grows with every crawl, and a page viewed by many should not pay for that each time.

#include "query/site_state.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace archiver::serve {

inline constexpr std::chrono::seconds k_site_state_ttl{30};

class SiteStateCache {
 public:
  [[nodiscard]] SiteState get(ArchiveReader& reader, const SiteSettings& site);

 private:
  struct Entry {
    std::chrono::steady_clock::time_point read_at;
    SiteState state;
  };
  std::mutex m_mutex;
  std::map<std::string, Entry> m_entries;
};

}  // namespace archiver::serve
