#include "util/utf8.hpp"

#include <cstdint>

namespace archiver::utf8 {
namespace {

std::uint8_t byte_at(std::string_view text, std::size_t pos) {
  return static_cast<std::uint8_t>(text[pos]);
}

// A well-formed three-byte sequence led by E4-E9: U+4000 to U+9FFF, the common CJK ideographs
// that most of a Chinese page's bytes are. None is a space or has another width: the text
// helpers below step over them without decoding.
bool is_common_ideograph(std::string_view text, std::size_t pos) {
  if (pos + 2 >= text.size()) {
    return false;
  }
  const std::uint8_t lead = byte_at(text, pos);
  return lead >= 0xE4U && lead <= 0xE9U && is_continuation(byte_at(text, pos + 1)) &&
         is_continuation(byte_at(text, pos + 2));
}

}  // namespace

CodePoint decode_before(std::string_view text, std::size_t pos) {
  if (pos == 0 || pos > text.size()) {
    return {};
  }
  // A code point is at most 4 bytes: look back for a lead byte whose sequence ends exactly at pos.
  const std::size_t lowest = pos >= 4 ? pos - 4 : 0;
  for (std::size_t start = pos - 1;; --start) {
    if (!is_continuation(byte_at(text, start))) {
      const CodePoint cp = decode(text, start);
      if (start + cp.length == pos) {
        return cp;
      }
      break;
    }
    if (start == lowest) {
      break;
    }
  }
  // Whatever is there is not a well-formed sequence: step back one byte, as decode() would.
  return {k_replacement, 1};
}

std::string encode(char32_t cp) {
  std::string out;
  append(out, cp);
  return out;
}

std::u32string to_u32(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const CodePoint cp = decode(text, pos);
    out.push_back(cp.value);
    pos += cp.length;
  }
  return out;
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char32_t cp : text) {
    append(out, cp);
  }
  return out;
}

char32_t fold_width(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) {
    return cp - 0xFF01 + 0x21;
  }
  if (cp == 0x3000) {
    return U' ';
  }
  return cp;
}

std::string fold_width(std::string_view text) {
  // Most text has nothing to fold: runs that stay as they are are copied whole, and only the
  // full-width forms (and bytes that are no UTF-8, which become U+FFFD) are written anew.
  std::string out;
  out.reserve(text.size());
  std::size_t unchanged_from = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (static_cast<std::uint8_t>(text[pos]) < 0x80U) {
      ++pos;
      continue;
    }
    if (is_common_ideograph(text, pos)) {
      pos += 3;  // nothing to fold there
      continue;
    }
    const CodePoint cp = decode(text, pos);
    const char32_t folded = fold_width(cp.value);
    if (folded != cp.value || cp.length == 1) {
      out.append(text.substr(unchanged_from, pos - unchanged_from));
      append(out, folded);
      unchanged_from = pos + cp.length;
    }
    pos += cp.length;
  }
  out.append(text.substr(unchanged_from));
  return out;
}

bool is_space(char32_t cp) {
  switch (cp) {
    case U' ':
    case U'\t':
    case U'\n':
    case U'\r':
    case U'\f':
    case U'\v':
    case 0x00A0:
    case 0x1680:
    case 0x200B:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool is_line_break(char32_t cp) {
  return cp == U'\n' || cp == U'\r' || cp == U'\f' || cp == U'\v' || cp == 0x2028 || cp == 0x2029;
}

bool is_ascii_digit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }

bool is_ascii_alpha(char32_t cp) {
  return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z');
}

bool is_cjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2A700 && cp <= 0x2EBEF) || (cp >= 0x2F800 && cp <= 0x2FA1F) ||
         (cp >= 0x30000 && cp <= 0x3134F) || cp == 0x3007;
}

std::size_t count_cjk(std::string_view text) {
  // Nearly every byte of a Chinese page is ASCII or in U+4000-U+9FFF, taken here without
  // decoding: all of that range is ideographs but the Yijing hexagrams (U+4DC0-U+4DFF, E4 B7).
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (byte_at(text, pos) < 0x80U) {
      ++pos;
      continue;
    }
    if (is_common_ideograph(text, pos)) {
      const bool hexagram = byte_at(text, pos) == 0xE4U && byte_at(text, pos + 1) == 0xB7U;
      count += hexagram ? 0 : 1;
      pos += 3;
      continue;
    }
    const CodePoint cp = decode(text, pos);
    if (is_cjk(cp.value)) {
      ++count;
    }
    pos += cp.length;
  }
  return count;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++count) {
    pos += static_cast<std::uint8_t>(text[pos]) < 0x80U ? 1
           : is_common_ideograph(text, pos)             ? 3
                                                        : decode(text, pos).length;
  }
  return count;
}

std::string_view trim_end(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0) {
    const CodePoint cp = decode_before(text, end);
    if (!is_space(cp.value)) {
      break;
    }
    end -= cp.length;
  }
  return text.substr(0, end);
}

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const CodePoint cp = decode(text, begin);
    if (!is_space(cp.value)) {
      break;
    }
    begin += cp.length;
  }
  return trim_end(text.substr(begin));
}

namespace {

// Where the run of is_space() code points from pos ends.
std::size_t past_spaces(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const CodePoint cp = decode(text, pos);
    if (!is_space(cp.value)) {
      break;
    }
    pos += cp.length;
  }
  return pos;
}

}  // namespace

std::string collapse_spaces(std::string_view text) {
  // Runs of text without spaces (or bytes that are no UTF-8) are copied whole.
  const std::string_view trimmed = trim(text);
  std::string out;
  out.reserve(trimmed.size());
  std::size_t run = 0;  // where the current run of kept text starts
  const auto keep_run = [&](std::size_t end) { out.append(trimmed.substr(run, end - run)); };
  for (std::size_t pos = 0; pos < trimmed.size();) {
    const auto byte = static_cast<std::uint8_t>(trimmed[pos]);
    if (byte > 0x20U && byte < 0x80U) {
      ++pos;
      continue;
    }
    if (is_common_ideograph(trimmed, pos)) {
      pos += 3;  // no space there
      continue;
    }
    const CodePoint cp = decode(trimmed, pos);
    if (is_space(cp.value)) {
      keep_run(pos);
      out.push_back(' ');  // (trimmed: a space run is always followed by text)
      pos = run = past_spaces(trimmed, pos + cp.length);
    } else if (cp.length == 1 && byte >= 0x80U) {
      keep_run(pos);
      append(out, k_replacement);
      pos = run = pos + 1;
    } else {
      pos += cp.length;
    }
  }
  keep_run(trimmed.size());
  return out;
}

CollapsedLine collapse_and_fold(std::string_view text) {
  // collapse_spaces' pass, writing each kept code point twice (as it is, and width-folded) and
  // counting it. What the other passes would read is what this one writes: valid UTF-8 (a byte
  // that is none became U+FFFD) with single ASCII spaces.
  const std::string_view trimmed = trim(text);
  CollapsedLine line;
  line.text.reserve(trimmed.size());
  line.folded.reserve(trimmed.size());
  std::size_t run = 0;  // where the current run of text kept as it is in both starts
  const auto keep_run = [&](std::size_t end) {
    const std::string_view kept = trimmed.substr(run, end - run);
    line.text.append(kept);
    line.folded.append(kept);
  };
  for (std::size_t pos = 0; pos < trimmed.size(); ++line.counts.code_points) {
    const auto byte = static_cast<std::uint8_t>(trimmed[pos]);
    if (byte > 0x20U && byte < 0x80U) {
      ++pos;
      continue;
    }
    if (is_common_ideograph(trimmed, pos)) {
      const bool hexagram = byte == 0xE4U && byte_at(trimmed, pos + 1) == 0xB7U;
      line.counts.cjk += hexagram ? 0U : 1U;
      pos += 3;
      continue;
    }
    const CodePoint cp = decode(trimmed, pos);
    if (is_space(cp.value)) {
      keep_run(pos);
      line.text.push_back(' ');  // (trimmed: a space run is always followed by text)
      line.folded.push_back(' ');
      pos = run = past_spaces(trimmed, pos + cp.length);
    } else if (cp.length == 1 && byte >= 0x80U) {
      keep_run(pos);
      append(line.text, k_replacement);
      append(line.folded, k_replacement);
      pos = run = pos + 1;
    } else {
      line.counts.cjk += is_cjk(cp.value) ? 1U : 0U;
      if (const char32_t folded = fold_width(cp.value); folded != cp.value) {
        keep_run(pos);
        line.text.append(trimmed.substr(pos, cp.length));
        append(line.folded, folded);
        run = pos + cp.length;
      }
      pos += cp.length;
    }
  }
  keep_run(trimmed.size());
  return line;
}

}  // namespace archiver::utf8
