#include "serve/escape.hpp"

#include "util/utf8.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

// The characters that change the direction of the text after them (U+202A..U+202E embeddings
// and overrides, U+2066..U+2069 isolates, the marks U+200E, U+200F, U+061C): in a title they can
// make "exe.txt" read "txt.exe".
bool is_bidi_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

bool is_xml_char(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = utf8::decode(text, pos);
    pos += cp.length;
    switch (cp.value) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '\'':
        out += "&#39;";
        continue;
      default:
        break;
    }
    if (is_bidi_control(cp.value)) {
      out += fmt::format("&lt;U+{:04X}&gt;", static_cast<std::uint32_t>(cp.value));
    } else if (!is_xml_char(cp.value) || (cp.value >= 0x7F && cp.value <= 0x9F)) {
      // Control characters (and the U+FFFD of invalid bytes) as the replacement character.
      utf8::append(out, utf8::k_replacement);
    } else {
      utf8::append(out, cp.value);
    }
  }
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) { return escape(text); }

// Both forbid the same characters here: HTML's escaping is already XML-clean.
std::string escape_xml(std::string_view text) { return escape(text); }

std::string link_target(std::string_view url) {
  const bool http = url.starts_with("http://") || url.starts_with("https://");
  if (!http || url.size() > 8192) {
    return {};
  }
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' ||
        c == '\\' || c == '`') {
      return {};
    }
  }
  return std::string(url);
}

}  // namespace archiver::serve
