#pragma once
// ASCII text helpers: character classes, case folding, case-blind comparison and trimming for
// the parts of the input that are ASCII by definition (URL schemes and hosts, HTTP header names,
// HTML tag and attribute names, charset labels, config values, robots.txt keys). Bytes outside
// ASCII, UTF-8 included, are never letters, digits or white space here and never change case;
// for text that people read, see util/utf8.hpp. These do not depend on the C locale, unlike
// std::tolower and std::isspace.

#include <cstddef>
#include <string>
#include <string_view>

namespace archiver {

// White space sets: each format says what counts, so the callers name theirs.
inline constexpr std::string_view k_ascii_whitespace = " \t\n\v\f\r";  // C's isspace
inline constexpr std::string_view k_html_whitespace = " \t\n\f\r";     // HTML and CSS: no \v
inline constexpr std::string_view k_http_whitespace = " \t";           // HTTP's OWS

[[nodiscard]] constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
[[nodiscard]] constexpr bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
[[nodiscard]] constexpr bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
[[nodiscard]] constexpr bool is_ascii_alpha(char c) {
  return is_ascii_upper(c) || is_ascii_lower(c);
}
[[nodiscard]] constexpr bool is_ascii_alnum(char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c);
}

[[nodiscard]] constexpr bool is_ascii_space(char c,
                                            std::string_view whitespace = k_ascii_whitespace) {
  return c != '\0' && whitespace.find(c) != std::string_view::npos;
}

// A control character (below 0x20, or DEL); tabs and line breaks count.
[[nodiscard]] constexpr bool is_ascii_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

[[nodiscard]] constexpr char ascii_lower(char c) {
  return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr char ascii_upper(char c) {
  return is_ascii_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

// The value of a hexadecimal digit (0-9, a-f, A-F), or -1 for any other character.
[[nodiscard]] constexpr int ascii_hex_value(char c) {
  if (is_ascii_digit(c)) {
    return c - '0';
  }
  const char lower = ascii_lower(c);
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

[[nodiscard]] std::string ascii_lower(std::string_view text);
[[nodiscard]] std::string ascii_upper(std::string_view text);

[[nodiscard]] bool equals_ignoring_case(std::string_view left, std::string_view right);
[[nodiscard]] bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);
[[nodiscard]] bool ends_with_ignoring_case(std::string_view text, std::string_view suffix);

// Where needle first stands in haystack at or after from, in any letter case; npos when nowhere
// (and for an empty needle, which would otherwise match everywhere).
[[nodiscard]] std::size_t find_ignoring_case(std::string_view haystack, std::string_view needle,
                                             std::size_t from = 0);

[[nodiscard]] bool has_ascii_control(std::string_view text);

// text without the characters of `whitespace` at its start, its end, or both.
[[nodiscard]] std::string_view ascii_trim_start(std::string_view text,
                                                std::string_view whitespace = k_ascii_whitespace);
[[nodiscard]] std::string_view ascii_trim_end(std::string_view text,
                                              std::string_view whitespace = k_ascii_whitespace);
[[nodiscard]] std::string_view ascii_trim(std::string_view text,
                                          std::string_view whitespace = k_ascii_whitespace);

}  // namespace archiver
