#include "util/ascii.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("util/ascii") {
  TEST_CASE("character classes know ASCII only") {
    CHECK(is_ascii_digit('0'));
    CHECK(is_ascii_digit('9'));
    CHECK_FALSE(is_ascii_digit('a'));
    CHECK(is_ascii_alpha('z'));
    CHECK(is_ascii_alpha('Q'));
    CHECK_FALSE(is_ascii_alpha('1'));
    CHECK(is_ascii_alnum('7'));
    CHECK_FALSE(is_ascii_alnum('-'));
    CHECK(is_ascii_upper('A'));
    CHECK_FALSE(is_ascii_upper('a'));
    // The lead byte of a UTF-8 sequence (工 is E5 B7 A5) is neither letter nor digit nor space.
    const char lead = std::string_view("工").front();
    CHECK_FALSE(is_ascii_alpha(lead));
    CHECK_FALSE(is_ascii_alnum(lead));
    CHECK_FALSE(is_ascii_space(lead));
  }

  TEST_CASE("white space is what the format says") {
    CHECK(is_ascii_space('\v'));
    CHECK_FALSE(is_ascii_space('\v', k_html_whitespace));
    CHECK(is_ascii_space('\f', k_html_whitespace));
    CHECK_FALSE(is_ascii_space('\n', k_http_whitespace));
    CHECK_FALSE(is_ascii_space('\0'));
    CHECK(is_ascii_control('\t'));
    CHECK(is_ascii_control('\x7f'));
    CHECK_FALSE(is_ascii_control(' '));
    CHECK(has_ascii_control("a\nb"));
    CHECK_FALSE(has_ascii_control("archiver/0.1 (+https://x)"));
  }

  TEST_CASE("hexadecimal digits in either case, nothing else") {
    CHECK(ascii_hex_value('0') == 0);
    CHECK(ascii_hex_value('9') == 9);
    CHECK(ascii_hex_value('a') == 10);
    CHECK(ascii_hex_value('F') == 15);
    for (const char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0', '\xE5'}) {
      CHECK_MESSAGE(ascii_hex_value(c) == -1, static_cast<int>(c));
    }
  }

  TEST_CASE("case folding changes A-Z and a-z only") {
    CHECK(ascii_lower('Q') == 'q');
    CHECK(ascii_lower('@') == '@');
    CHECK(ascii_upper('q') == 'Q');
    CHECK(ascii_upper('[') == '[');
    CHECK(ascii_lower("Content-Type: TEXT/Html") == "content-type: text/html");
    CHECK(ascii_lower("ÄBC工") == "Äbc工");  // UTF-8 bytes stay as they are
    CHECK(ascii_upper("gb18030") == "GB18030");
    CHECK(ascii_lower("").empty());
  }

  TEST_CASE("comparisons ignore letter case") {
    CHECK(equals_ignoring_case("Content-Length", "content-LENGTH"));
    CHECK_FALSE(equals_ignoring_case("Content-Length", "Content-Length2"));
    CHECK(equals_ignoring_case("", ""));
    CHECK(starts_with_ignoring_case("HTTPS://a.example", "https://"));
    CHECK_FALSE(starts_with_ignoring_case("http", "https"));
    CHECK(ends_with_ignoring_case("/a/SCAN.JPG", ".jpg"));
    CHECK_FALSE(ends_with_ignoring_case("jpg", ".jpg"));
    CHECK(find_ignoring_case("<META Charset=gbk>", "charset") == 6);
    CHECK(find_ignoring_case("charset charset", "CHARSET", 1) == 8);
    CHECK(find_ignoring_case("abc", "abcd") == std::string_view::npos);
    CHECK(find_ignoring_case("abc", "") == std::string_view::npos);
  }

  TEST_CASE("trimming takes the given white space from either end") {
    CHECK(ascii_trim("  \t every 5m \r\n") == "every 5m");
    CHECK(ascii_trim(" \v x \v ") == "x");
    CHECK(ascii_trim(" \v x \v ", k_html_whitespace) == "\v x \v");
    CHECK(ascii_trim(" gzip\r\n", k_http_whitespace) == "gzip\r\n");
    CHECK(ascii_trim(" \t\n ").empty());
    CHECK(ascii_trim("").empty());
    CHECK(ascii_trim_start("  a b  ") == "a b  ");
    CHECK(ascii_trim_end("  a b  ") == "  a b");
    CHECK(ascii_trim("\u3000x\u3000") == "\u3000x\u3000");  // ideographic space is not ASCII
  }
}

}  // namespace archiver
