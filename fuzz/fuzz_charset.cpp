// libFuzzer target: the charset decision and decoding. The first byte picks a Content-Type label
// (none, UTF-8, GB2312, Big5, a bogus one), the rest is the body. Whatever the bytes, the result
// must be valid UTF-8.

#include "decode/charset.hpp"

#include <spdlog/spdlog.h>
#include <array>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // warnings about the bytes are expected here
    return true;
  }();
  static_cast<void>(quiet);
  static constexpr std::array<std::string_view, 6> k_types = {"",
                                                              "text/html; charset=utf-8",
                                                              "text/html; charset=gb2312",
                                                              "text/html; charset=big5",
                                                              "text/html; charset=x-no-such",
                                                              "application/octet-stream"};
  if (size == 0) {
    return 0;
  }
  const std::string_view content_type = k_types[data[0] % k_types.size()];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto decoded = archiver::decode_to_utf8(
      {.bytes = bytes, .content_type = content_type, .override_charset = {}, .url = "fuzz"});
  if (!archiver::is_valid_utf8(decoded.utf8)) {
    std::abort();
  }
  static_cast<void>(archiver::charset_from_meta(bytes));
  static_cast<void>(archiver::charset_from_content_type(bytes));
  return 0;
}
