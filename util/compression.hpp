#pragma once
// zstd compression of stored raw bodies and article text, with or without a dictionary.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace archiver {

// The zstd dictionary id of row N of an archive's `dictionaries` is this + N: private ids start
// at 32768 (RFC 8878, Dictionary_ID).
inline constexpr std::uint32_t k_first_dictionary_id = 32768;

// Level 3: on the benchmark's pages level 9 saved 1.8% of the bytes for 12% of a crawl's CPU.
inline constexpr int k_zstd_level = 3;

// A zstd dictionary digested once for both directions. Frames it writes carry its id, so a
// frame says which dictionary reads it (RFC 8878, Dictionary_ID); `zstd -d -D FILE` reads them
// too. Immutable after construction: any number of threads may use one at once.
class ZstdDictionary {
 public:
  // Throws std::invalid_argument when bytes are not a zstd dictionary.
  explicit ZstdDictionary(std::string bytes, int level = k_zstd_level);

  [[nodiscard]] std::uint32_t id() const { return m_id; }
  [[nodiscard]] const std::string& bytes() const { return m_bytes; }
  [[nodiscard]] std::string compress(std::string_view bytes) const;
  [[nodiscard]] std::expected<std::string, std::string> decompress(std::string_view frame,
                                                                   std::size_t max_size) const;

 private:
  friend std::expected<std::string, std::string> zstd_decompress(std::string_view, std::size_t,
                                                                 const ZstdDictionary*);
  struct FreeCDict {
    void operator()(ZSTD_CDict_s* dictionary) const;
  };
  struct FreeDDict {
    void operator()(ZSTD_DDict_s* dictionary) const;
  };
  std::string m_bytes;
  std::uint32_t m_id = 0;
  std::unique_ptr<ZSTD_CDict_s, FreeCDict> m_compress;
  std::unique_ptr<ZSTD_DDict_s, FreeDDict> m_decompress;
};

[[nodiscard]] std::string zstd_compress(std::string_view bytes, int level = k_zstd_level);

// Fails with a message when data is not a complete zstd frame, would exceed max_size, or names
// a dictionary other than the one given (or one when none is given).
[[nodiscard]] std::expected<std::string, std::string> zstd_decompress(
    std::string_view data, std::size_t max_size = std::size_t{1} << 31U,
    const ZstdDictionary* dictionary = nullptr);

// The dictionary id a frame names in its header; 0 when it needs none (or is no frame).
[[nodiscard]] std::uint32_t zstd_frame_dictionary_id(std::string_view frame);

// What a dictionary is trained on: the samples one after another in one buffer, as zstd reads
// them, so that a site's first pages are held once while it trains (not once more joined).
struct ZstdSamples {
  std::string bytes;
  std::vector<std::size_t> sizes;  // of each sample, in order

  void add(std::string_view sample) {
    bytes += sample;
    sizes.push_back(sample.size());
  }
};

// Trains a dictionary of at most `capacity` bytes on the samples and gives it the id `id`
// (private ids are 32768 and above). Fails with zstd's reason, e.g. when the samples are too
// few or too alike to learn from.
[[nodiscard]] std::expected<std::string, std::string> zstd_train_dictionary(
    const ZstdSamples& samples, std::size_t capacity, std::uint32_t id);

}  // namespace archiver
