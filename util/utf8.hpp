#pragma once
// Small UTF-8 helpers for scanning Chinese page text by code point. Invalid bytes never throw:
// they decode as U+FFFD one byte at a time, so scanners always make progress.

#include <cstddef>
#include <string>
#include <string_view>

namespace archiver::utf8 {

inline constexpr char32_t k_replacement = 0xFFFD;

struct CodePoint {
  char32_t value = 0;
  std::size_t length = 0;  // bytes consumed; 0 only at the end of the input
};

// The code point starting at byte pos. Overlong forms, surrogates and values above U+10FFFF
// decode as U+FFFD with length 1.
[[nodiscard]] CodePoint decode(std::string_view text, std::size_t pos);

// The code point that ends just before byte pos; length is how far back it starts.
[[nodiscard]] CodePoint decode_before(std::string_view text, std::size_t pos);

void append(std::string& out, char32_t cp);
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

}  // namespace archiver::utf8
