#pragma once
// A response body kept in an unnamed temporary file as it arrives, not in memory: a crawl
// fetching sixteen 20 MiB PDFs at once holds a few buffers, not 320 MiB. On the way in it takes
// the body's SHA-256 and keeps its first and last bytes, so that the type check and the store
// need no second pass. The file has no name (O_TMPFILE, else unlinked at once): a kill leaves
// nothing behind.
//
// Written on the fetcher's thread while the transfer runs, read on the crawl's thread once the
// transfer has completed (the completion hands it over).

#include "util/sha256.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace archiver {

class BodySpool {
 public:
  // Bytes kept of the start and of the end of the body.
  static constexpr std::size_t k_edge_bytes = 1024;

  // Creates the file in folder (the archive's own: the same disk, the same sandbox). Throws
  // std::runtime_error naming the folder when it cannot.
  explicit BodySpool(const std::filesystem::path& folder);
  ~BodySpool();
  BodySpool(const BodySpool&) = delete;
  BodySpool& operator=(const BodySpool&) = delete;

  // Empty again, for another attempt at the same URL.
  void restart();
  // Throws std::runtime_error when the disk refuses (full).
  void append(std::string_view bytes);

  [[nodiscard]] std::uint64_t size() const { return m_size; }
  [[nodiscard]] std::string_view head() const { return m_head; }
  [[nodiscard]] std::string_view tail() const { return m_tail; }
  // Of everything appended since the last restart; call once the transfer is over.
  [[nodiscard]] const std::string& sha256();

  // Reads the body back from its start, a chunk at a time.
  void read(const std::function<void(std::string_view)>& chunk) const;

 private:
  int m_fd = -1;
  std::filesystem::path m_folder;
  std::uint64_t m_size = 0;
  std::string m_head;
  std::string m_tail;
  Sha256 m_digest;
  std::string m_sha256;  // once taken
};

}  // namespace archiver
