#include "serve/feed_cache.hpp"

namespace archiver::serve {

std::optional<std::string> FeedCache::find(const std::string& key, std::int64_t newest_version) {
  const std::lock_guard lock(m_mutex);
  const auto found = m_feeds.find(key);
  if (found == m_feeds.end() || found->second.first != newest_version) {
    return std::nullopt;
  }
  return found->second.second;
}

void FeedCache::keep(const std::string& key, std::int64_t newest_version, std::string body) {
  const std::lock_guard lock(m_mutex);
  if (m_feeds.size() >= k_max_feeds && !m_feeds.contains(key)) {
    m_feeds.clear();  // many Host names in use: start over rather than grow
  }
  m_feeds[key] = {newest_version, std::move(body)};
}

}  // namespace archiver::serve
