#pragma once
// Bytes of the assets the test sites serve: real, decodable PNG images (a browser shows them:
// the replay test looks for them), small real PDFs, and JPEG-framed bytes of any size for the
// byte-level checks (start and end markers right, content filler).

// zlib's input pointers are const with ZLIB_CONST (as tests/support/warc_reading.hpp has it).
#ifndef ZLIB_CONST
#define ZLIB_CONST
#endif
#include <zlib.h>

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace archiver::testing {

namespace detail {

inline void put_32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU));
  }
}

inline void png_chunk(std::string& out, std::string_view type, std::string_view data) {
  put_32(out, static_cast<std::uint32_t>(data.size()));
  std::string typed(type);
  typed.append(data);
  out.append(typed);
  const auto crc =
      crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()));
  put_32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace detail

// A width x height PNG in one colour (RGB), decodable by any viewer.
inline std::string png_image(int width, int height, std::uint8_t red, std::uint8_t green,
                             std::uint8_t blue) {
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  detail::put_32(header, static_cast<std::uint32_t>(width));
  detail::put_32(header, static_cast<std::uint32_t>(height));
  header +=
      std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, no filter, no interlace
  detail::png_chunk(out, "IHDR", header);
  std::string raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back('\0');  // filter: none
    for (int x = 0; x < width; ++x) {
      raw.push_back(static_cast<char>(red));
      raw.push_back(static_cast<char>(green));
      raw.push_back(static_cast<char>(blue));
    }
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string compressed(size, '\0');
  compress(reinterpret_cast<Bytef*>(compressed.data()), &size,
           reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
  compressed.resize(size);
  detail::png_chunk(out, "IDAT", compressed);
  detail::png_chunk(out, "IEND", "");
  return out;
}

// A one-page PDF saying `text` (ASCII), with a correct cross-reference table.
inline std::string pdf_document(std::string_view text) {
  const std::string stream = fmt::format("BT /F1 18 Tf 72 720 Td ({}) Tj ET", text);
  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      fmt::format("<< /Length {} >>\nstream\n{}\nendstream", stream.size(), stream),
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::string out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  std::string xref = "xref\n0 6\n0000000000 65535 f \n";
  for (std::size_t i = 0; i < std::size(objects); ++i) {
    xref += fmt::format("{:010} 00000 n \n", out.size());
    out += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects[i]);
  }
  const std::size_t xref_at = out.size();
  out += xref;
  out += fmt::format("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n", xref_at);
  return out;
}

// JPEG-framed bytes of about `size` bytes: SOI and a JFIF header, filler that differs by seed,
// then EOI. Enough for a type check by signature and end marker; not a picture to decode.
inline std::string jpeg_bytes(std::size_t size, unsigned seed) {
  std::string out("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
  std::uint32_t state = seed * 2654435761U + 1U;
  while (out.size() + 2 < size) {
    state = state * 1664525U + 1013904223U;
    const auto byte = static_cast<char>((state >> 24U) & 0x7FU);  // never 0xFF: no stray marker
    out.push_back(byte);
  }
  out += "\xff\xd9";
  return out;
}

}  // namespace archiver::testing
