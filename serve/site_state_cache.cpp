#include "serve/site_state_cache.hpp"

namespace archiver::serve {

SiteState SiteStateCache::get(ArchiveReader& reader, const SiteSettings& site) {
  const auto now = std::chrono::steady_clock::now();
  {
    const std::lock_guard lock(m_mutex);
    const auto found = m_entries.find(site.name);
    if (found != m_entries.end() && now - found->second.read_at < k_site_state_ttl) {
      return found->second.state;
    }
  }
  // Read outside the lock: two requests may both read, and neither waits for the other.
  const auto wall = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  SiteState state = read_site_state(&reader, site, wall);
  const std::lock_guard lock(m_mutex);
  m_entries[site.name] = {now, state};
  return state;
}

}  // namespace archiver::serve
