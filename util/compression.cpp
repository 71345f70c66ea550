#include "util/compression.hpp"

#include <zstd.h>

#include <stdexcept>

namespace archiver {

std::string zstd_compress(std::string_view bytes, int level) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t written =
      ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
  if (ZSTD_isError(written) != 0U) {
    throw std::runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(written));
  }
  out.resize(written);
  return out;
}

std::expected<std::string, std::string> zstd_decompress(std::string_view data,
                                                        std::size_t max_size) {
  // Bodies are compressed in one frame by zstd_compress, which records the content size.
  const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return std::unexpected("not a zstd frame with a known size");
  }
  if (size > max_size) {
    return std::unexpected("zstd frame of " + std::to_string(size) + " bytes exceeds the limit");
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  const std::size_t written = ZSTD_decompress(out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(written) != 0U) {
    return std::unexpected(std::string("zstd: ") + ZSTD_getErrorName(written));
  }
  out.resize(written);
  return out;
}

}  // namespace archiver
