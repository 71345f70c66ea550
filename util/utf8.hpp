#pragma once
// Small UTF-8 helpers for scanning Chinese page text by code point. Invalid bytes never throw:
// they decode as U+FFFD one byte at a time, so scanners always make progress.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace archiver::utf8 {

inline constexpr char32_t k_replacement = 0xFFFD;

// A byte that continues a multi-byte sequence (10xxxxxx): no code point begins there.
inline constexpr bool is_continuation(std::uint8_t byte) { return (byte & 0xC0U) == 0x80U; }

struct CodePoint {
  char32_t value = 0;
  std::size_t length = 0;  // bytes consumed; 0 only at the end of the input
};

// The code point starting at byte pos. Overlong forms, surrogates and values above U+10FFFF
// decode as U+FFFD with length 1.
// (Inline: scanners call it once per code point.)
inline CodePoint decode(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) {
    return {};
  }
  const std::uint8_t lead = static_cast<std::uint8_t>(text[pos]);
  if (lead < 0x80U) {
    return {lead, 1};
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    value = lead & 0x1FU;
    minimum = 0x80;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    value = lead & 0x0FU;
    minimum = 0x800;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    value = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return {k_replacement, 1};
  }
  if (text.size() - pos < length) {
    return {k_replacement, 1};
  }
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint8_t b = static_cast<std::uint8_t>(text[pos + i]);
    if (!is_continuation(b)) {
      return {k_replacement, 1};
    }
    value = (value << 6U) | (b & 0x3FU);
  }
  // Overlongs and surrogates are how broken GBK-as-UTF-8 text usually shows up.
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return {k_replacement, 1};
  }
  return {value, length};
}

// The code point that ends just before byte pos; length is how far back it starts.
[[nodiscard]] CodePoint decode_before(std::string_view text, std::size_t pos);

// Writes cp in UTF-8 at out (one to four bytes; U+FFFD for a surrogate or a value past
// U+10FFFF) and returns the end of what it wrote.
inline char* encode_to(char* out, char32_t cp) {
  if (cp < 0x80) {
    *out = static_cast<char>(cp);
    return out + 1;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    cp = k_replacement;
  }
  std::size_t length = 0;
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0U | (cp >> 6U));
    length = 2;
  } else if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0U | (cp >> 12U));
    length = 3;
  } else {
    out[0] = static_cast<char>(0xF0U | (cp >> 18U));
    length = 4;
  }
  for (std::size_t i = 1; i < length; ++i) {
    out[i] = static_cast<char>(0x80U | ((cp >> (6U * (length - 1 - i))) & 0x3FU));
  }
  return out + length;
}

// Appends cp in UTF-8 (U+FFFD for a surrogate or a value past U+10FFFF).
inline void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  char bytes[4];
  out.append(bytes, static_cast<std::size_t>(encode_to(bytes, cp) - bytes));
}
[[nodiscard]] std::string encode(char32_t cp);

// The whole text as code points; to_utf8 is the inverse.
[[nodiscard]] std::u32string to_u32(std::string_view text);
[[nodiscard]] std::string to_utf8(std::u32string_view text);

// Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space U+3000 as their ASCII
// counterparts; everything else unchanged. Chinese pages mix ：（）／０-９ with : ( ) / 0-9.
[[nodiscard]] char32_t fold_width(char32_t cp);
[[nodiscard]] std::string fold_width(std::string_view text);

// Whitespace as pages render it: ASCII whitespace, NBSP (U+00A0), the ideographic space U+3000,
// the other Unicode spaces, and the invisible U+200B / U+FEFF that CMS editors leave behind.
[[nodiscard]] bool is_space(char32_t cp);
[[nodiscard]] bool is_line_break(char32_t cp);
[[nodiscard]] bool is_ascii_digit(char32_t cp);
[[nodiscard]] bool is_ascii_alpha(char32_t cp);

// A CJK ideograph (the unified blocks, their extensions, compatibility ideographs, and 〇).
[[nodiscard]] bool is_cjk(char32_t cp);
[[nodiscard]] std::size_t count_cjk(std::string_view text);
[[nodiscard]] std::size_t count_code_points(std::string_view text);

// Without leading/trailing is_space() code points.
[[nodiscard]] std::string_view trim(std::string_view text);
[[nodiscard]] std::string_view trim_end(std::string_view text);

// Trimmed, with every run of is_space() code points replaced by one ASCII space.
[[nodiscard]] std::string collapse_spaces(std::string_view text);

// collapse_spaces(text), with its fold_width() and its counts of code points and ideographs,
// in one pass: what every line of every page needs (parsers/page_lines), where four passes were
// 4% of a parse.
struct CharCounts {
  std::size_t code_points = 0;  // count_code_points
  std::size_t cjk = 0;          // count_cjk
};
struct CollapsedLine {
  std::string text;    // collapse_spaces(text)
  std::string folded;  // fold_width(this->text)
  CharCounts counts;   // of this->text
};
[[nodiscard]] CollapsedLine collapse_and_fold(std::string_view text);

}  // namespace archiver::utf8
