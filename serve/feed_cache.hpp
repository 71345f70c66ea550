#pragma once
// Rendered feeds, kept until a version is stored: a feed entry of a changed article carries its
// diff, and feed readers poll often; the archive's newest version id says when to render again.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace archiver::serve {

class FeedCache {
 public:
  // The body rendered for key while newest_version was the newest version, if still so.
  [[nodiscard]] std::optional<std::string> find(const std::string& key,
                                                std::int64_t newest_version);
  void keep(const std::string& key, std::int64_t newest_version, std::string body);

 private:
  static constexpr std::size_t k_max_feeds = 256;  // sites and addresses: a few, never many
  std::mutex m_mutex;
  std::map<std::string, std::pair<std::int64_t, std::string>> m_feeds;
};

}  // namespace archiver::serve
