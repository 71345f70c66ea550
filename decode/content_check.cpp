#include "decode/content_check.hpp"

#include "util/ascii.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace archiver {
namespace {

std::string media_type(std::string_view content_type) {
  std::string type = ascii_lower(content_type.substr(0, content_type.find(';')));
  std::erase_if(type, [](char c) { return is_ascii_space(c, k_http_whitespace); });
  return type;
}

// Types a page may come as. Servers label pages text/plain or nothing at all often enough;
// anything else (application/pdf, image/*, application/octet-stream, ...) is not a page.
bool may_be_page(const std::string& type) {
  return type.empty() || type == "text/html" || type == "application/xhtml+xml" ||
         type == "text/plain" || type == "application/xml" || type == "text/xml";
}

// File signatures of what servers hand out by mistake in place of a page.
std::optional<std::string_view> signature(std::string_view body) {
  struct Magic {
    std::string_view bytes;
    std::string_view name;
  };
  static constexpr std::array<Magic, 9> k_magic = {
      {{"%PDF-", "a PDF document"},
       {"\x89PNG", "a PNG image"},
       {"GIF8", "a GIF image"},
       {"\xFF\xD8\xFF", "a JPEG image"},
       {"PK\x03\x04", "a ZIP archive (or Office file)"},
       {"\xD0\xCF\x11\xE0", "an Office document"},
       {"RIFF", "a RIFF file (WebP, WAV, AVI)"},
       {"\x1F\x8B", "gzip data"},
       {"7z\xBC\xAF", "a 7-Zip archive"}}};
  for (const auto& magic : k_magic) {
    if (body.starts_with(magic.bytes)) {
      return magic.name;
    }
  }
  return std::nullopt;
}

// Text has few control bytes; binary data has many. A NUL or two in a page is damage, not a
// sign of binary: the share decides.
bool looks_binary(std::string_view body) {
  // A table rather than five comparisons a byte: every page fetched is sampled.
  static constexpr std::array<std::uint8_t, 256> k_is_control = [] {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t byte = 0; byte < 0x20; ++byte) {
      table[byte] = byte == '\t' || byte == '\n' || byte == '\r' || byte == '\f' ? 0 : 1;
    }
    return table;
  }();
  const auto sample = body.substr(0, 4096);
  std::size_t controls = 0;
  for (const char c : sample) {
    controls += k_is_control[static_cast<unsigned char>(c)];
  }
  return controls * 20 > sample.size();  // over 5%
}

}  // namespace

std::optional<std::string> why_not_html(std::string_view content_type, std::string_view body) {
  if (body.empty()) {
    return "empty body: the server answered 200 with nothing";
  }
  const std::string type = media_type(content_type);
  if (!may_be_page(type)) {
    return "not HTML: Content-Type " + type;
  }
  const std::string labelled = type.empty() ? "with no Content-Type" : "as " + type;
  if (const auto kind = signature(body)) {
    return "not HTML: " + std::string(*kind) + " served " + labelled;
  }
  // UTF-16 text is half NUL bytes; the decoder reads it by its byte order mark.
  const bool utf16 = body.starts_with("\xFF\xFE") || body.starts_with("\xFE\xFF");
  if (!utf16 && looks_binary(body)) {
    return "not HTML: binary content served " + labelled;
  }
  return std::nullopt;
}

}  // namespace archiver
