// libFuzzer target: every parser family over one page. The first byte picks the family and
// whether a 版面 context is given; the rest is the page, decoded as any fetched page would be.

#include "decode/charset.hpp"
#include "parsers/registry.hpp"

#include <spdlog/spdlog.h>
#include <array>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // warnings about the bytes are expected here
    return true;
  }();
  static_cast<void>(quiet);
  static constexpr std::array<archiver::ParserKind, 4> k_families = {
      archiver::ParserKind::generic, archiver::ParserKind::epaper, archiver::ParserKind::cms,
      archiver::ParserKind::portal};
  if (size == 0) {
    return 0;
  }
  const auto family = k_families[data[0] % k_families.size()];
  const bool listed = (data[0] & 0x10U) != 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto decoded = archiver::decode_to_utf8(
      {.bytes = bytes, .content_type = {}, .override_charset = {}, .url = "fuzz"});
  const archiver::EditionContext edition{
      .edition = "2023-06-13", .page = "第02版:工会新闻", .issue = "8100"};
  try {
    static_cast<void>(archiver::parse_page(
        family, {.url = "http://epaper.example.cn/2023-06/13/content_1.htm",
                 .html = decoded.utf8,
                 .reference_date = archiver::Date{.year = 2023, .month = 6, .day = 13},
                 .selectors = nullptr,
                 .listed_in = listed ? &edition : nullptr}));
  } catch (const std::runtime_error&) {
    // Refused on purpose (nested too deep): a clear error, not a crash.
  }
  return 0;
}
