#include "decode/asset_type.hpp"

#include <fmt/format.h>

#include "util/ascii.hpp"

#include <algorithm>
#include <array>

namespace archiver {
namespace {

std::uint32_t little_endian_32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

bool is_pdf(std::string_view head) {
  // Readers accept the header anywhere in the first 1024 bytes (some servers prepend junk).
  return head.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

std::string_view name_of(std::string_view media_type) {
  if (media_type == "application/pdf") {
    return "a PDF";
  }
  if (media_type.starts_with("image/")) {
    return "an image";
  }
  return "something else";
}

// What came instead of the asset, for the error message.
std::string what_came(std::string_view head, std::uint64_t size) {
  if (size == 0) {
    return "an empty body";
  }
  const std::string_view sniffed = sniff_media_type(head);
  if (!sniffed.empty()) {
    return fmt::format("{} ({})", name_of(sniffed), sniffed);
  }
  const std::string start = ascii_lower(head.substr(0, 512));
  const auto first = start.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  if (first != std::string::npos &&
      (start.find("<html") != std::string::npos || start.find("<!doctype") != std::string::npos ||
       start.compare(first, 1, "<") == 0)) {
    return "an HTML page";
  }
  std::string hex;
  for (const char c : head.substr(0, 8)) {
    hex += fmt::format("{:02x} ", static_cast<unsigned char>(c));
  }
  return fmt::format("bytes of no known type (starting {})", hex.substr(0, hex.size() - 1));
}

// Whether the end of the bytes is where the format says it ends: a body cut short (a server
// that closed early with a matching Content-Length, a truncated file on the server) is not kept
// as the photo.
std::optional<std::string> truncation(std::string_view type, std::string_view head,
                                      std::string_view tail, std::uint64_t size) {
  const auto near_end = [&](std::string_view marker, std::size_t within) {
    const std::string_view last = tail.substr(tail.size() - std::min(tail.size(), within));
    return last.find(marker) != std::string_view::npos;
  };
  bool whole = true;
  if (type == "application/pdf") {
    whole = near_end("%%EOF", tail.size());
  } else if (type == "image/jpeg") {
    whole = near_end("\xff\xd9", 64);  // EOI, give or take padding after it
  } else if (type == "image/png") {
    whole = near_end("IEND", 64);
  } else if (type == "image/gif") {
    whole = near_end(";", 16);  // the trailer byte 0x3B
  } else if (type == "image/webp" && head.size() >= 8) {
    whole = size >= std::uint64_t{little_endian_32(head, 4)} + 8;  // the RIFF chunk's length
  } else if (type == "image/bmp" && head.size() >= 6) {
    whole = size >= little_endian_32(head, 2);  // the file size the header gives
  }
  if (whole) {
    return std::nullopt;
  }
  return fmt::format("{} cut short ({} bytes; its end is missing)", name_of(type), size);
}

}  // namespace

std::string_view sniff_media_type(std::string_view head) {
  const auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return head.size() >= at + magic.size() && head.substr(at, magic.size()) == magic;
  };
  if (starts("\xff\xd8\xff")) {
    return "image/jpeg";
  }
  if (starts("\x89PNG\r\n\x1a\n")) {
    return "image/png";
  }
  if (starts("GIF87a") || starts("GIF89a")) {
    return "image/gif";
  }
  if (starts("RIFF") && starts("WEBP", 8)) {
    return "image/webp";
  }
  if (starts("ftypavif", 4) || starts("ftypavis", 4)) {
    return "image/avif";
  }
  if (starts("BM") && head.size() >= 14) {
    return "image/bmp";
  }
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return "image/tiff";
  }
  if (is_pdf(head)) {
    return "application/pdf";
  }
  return {};
}

std::optional<std::string> asset_problem(AssetKind kind, std::string_view head,
                                         std::string_view tail, std::uint64_t size) {
  const std::string_view type = size == 0 ? std::string_view{} : sniff_media_type(head);
  const bool wanted =
      kind == AssetKind::pdf ? type == "application/pdf" : type.starts_with("image/");
  if (!wanted) {
    return fmt::format("{}, not {}", what_came(head, size),
                       kind == AssetKind::pdf ? "a PDF" : "an image");
  }
  return truncation(type, head, tail, size);
}

bool compresses_itself(std::string_view media_type) {
  static constexpr std::array<std::string_view, 6> k_compressed = {
      "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "application/pdf"};
  return std::ranges::find(k_compressed, media_type) != k_compressed.end();
}

}  // namespace archiver
