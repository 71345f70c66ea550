#pragma once
// A ZIP file written front to back into any stream, its entries stored as they are (WACZ wants
// its WARCs and indexes uncompressed, for readers that fetch byte ranges): no seeking back, so
// `-o` can write through a pipe. ZIP64 fields are used where a size or an offset needs them.
//
// libzip, the library one would reach for, writes only to seekable files it can rename.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

class ZipWriter {
 public:
  using ChunkSource = std::function<void(const std::function<void(std::string_view)>&)>;

  explicit ZipWriter(std::ostream& out);

  // One entry, stored. Its size and CRC-32 must be known before its bytes are written (a local
  // header comes first); `read` then gives exactly `size` bytes. Names are UTF-8 paths with '/'.
  void add(const std::string& name, std::uint64_t size, std::uint32_t crc32,
           const ChunkSource& read);
  void add(const std::string& name, std::string_view bytes);

  // The central directory and its end. Nothing may be added afterwards.
  void finish();

  [[nodiscard]] std::uint64_t bytes_written() const { return m_offset; }

  // The CRC-32 (as ZIP and gzip use it) of bytes given in parts.
  [[nodiscard]] static std::uint32_t crc32(std::uint32_t crc, std::string_view bytes);

 private:
  struct Entry {
    std::string name;
    std::uint64_t size = 0;
    std::uint32_t crc32 = 0;
    std::uint64_t offset = 0;  // of its local header
  };
  void put(std::string_view bytes);

  std::ostream& m_out;
  std::uint64_t m_offset = 0;
  std::vector<Entry> m_entries;
  bool m_finished = false;
};

}  // namespace archiver
