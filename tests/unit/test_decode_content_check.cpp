// Answers that are not pages: empty, documents and images, binary labelled as HTML.

#include "decode/content_check.hpp"

#include <doctest/doctest.h>

#include <string>

namespace archiver {

TEST_SUITE("decode/content-check") {
  TEST_CASE("pages pass, whatever their label, with a stray NUL or two") {
    const std::string page = "<html><body><p>工会新闻</p></body></html>";
    CHECK_FALSE(why_not_html("text/html; charset=gb2312", page).has_value());
    CHECK_FALSE(why_not_html("", page).has_value());
    CHECK_FALSE(why_not_html("text/plain", page).has_value());
    CHECK_FALSE(why_not_html("TEXT/HTML", page).has_value());
    CHECK_FALSE(why_not_html("text/html", page + std::string(1, '\0') + page).has_value());
    // UTF-16 with its byte order mark: half the bytes are NUL, and it is still a page.
    std::string utf16le = "\xFF\xFE";
    for (const char c : std::string("<html><body><p>union news</p></body></html>")) {
      utf16le += c;
      utf16le += '\0';
    }
    CHECK_FALSE(why_not_html("text/html", utf16le).has_value());
  }

  TEST_CASE("empty, other types, file signatures and binary are refused, saying why") {
    CHECK(why_not_html("text/html", "").value().starts_with("empty body"));
    CHECK(why_not_html("application/pdf", "%PDF-1.4").value() ==
          "not HTML: Content-Type application/pdf");
    CHECK(why_not_html("image/png; q=1", "x").value() == "not HTML: Content-Type image/png");
    CHECK(why_not_html("text/html", "%PDF-1.7\n...").value() ==
          "not HTML: a PDF document served as text/html");
    CHECK(why_not_html("", "\xFF\xD8\xFF\xE0 JFIF").value() ==
          "not HTML: a JPEG image served with no Content-Type");
    std::string binary;
    for (int i = 0; i < 2048; ++i) {
      binary.push_back(static_cast<char>((i * 37) & 0xFF));
    }
    CHECK(why_not_html("text/html", binary).value() ==
          "not HTML: binary content served as text/html");
  }

  TEST_CASE(
      "white space is no control byte, and past 5% of the first 4 KiB control bytes are binary") {
    // Tabs, line feeds, carriage returns and form feeds are half this page.
    std::string spaced;
    for (int i = 0; i < 500; ++i) {
      spaced += "<p>\t\r\n\f职工</p>";
    }
    CHECK_FALSE(why_not_html("text/html", spaced).has_value());
    // 1,000 bytes: 50 stray control bytes (NUL, 0x01, 0x1B, 0x1F) are 5%, one more is past it.
    const std::string controls("\x00\x01\x1B\x1F", 4);
    std::string page(1000, 'a');
    for (std::size_t i = 0; i < 50; ++i) {
      page[i * 20] = controls[i % controls.size()];
    }
    CHECK_FALSE(why_not_html("text/html", page).has_value());
    page[999] = '\x02';
    CHECK(why_not_html("text/html", page).value() ==
          "not HTML: binary content served as text/html");
    // Only the first 4 KiB are read: the same bytes after them count for nothing.
    CHECK_FALSE(why_not_html("text/html", std::string(4096, 'a') + page).has_value());
  }
}

}  // namespace archiver
