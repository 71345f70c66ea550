#pragma once
// The URLs a crawl has seen (listed or fetched), each kept as a 64-bit hash of its text: a
// std::set of the strings took some 160 bytes a URL (about 6 MB by the end of a crawl of 220
// editions, its peak RSS), this about 40. Two URLs of one site with the same hash would count
// as one, the second not fetched in this crawl (a later crawl finds it): for a crawl of a
// million URLs the odds are about 1 in 37 million (n^2 / 2^65).

#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_set>

namespace archiver {

static_assert(sizeof(std::size_t) == sizeof(std::uint64_t), "the odds above are for 64-bit hashes");

class SeenUrls {
 public:
  // True when the URL was not seen before.
  bool insert(std::string_view url) { return m_hashes.insert(hash_of(url)).second; }
  [[nodiscard]] bool contains(std::string_view url) const {
    return m_hashes.contains(hash_of(url));
  }
  [[nodiscard]] std::size_t size() const { return m_hashes.size(); }

 private:
  static std::uint64_t hash_of(std::string_view url) { return std::hash<std::string_view>{}(url); }

  std::unordered_set<std::uint64_t> m_hashes;
};

}  // namespace archiver
