#include "decode/charset.hpp"

#include "util/ascii.hpp"
#include "util/utf8.hpp"

#include <iconv.h>
#include <spdlog/spdlog.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

namespace archiver {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
constexpr std::size_t k_meta_window = 1024;
// Enough text for uchardet to be confident; scanning a tens-of-MB page buys nothing more.
constexpr std::size_t k_detect_limit = 256 * 1024;

// Owns an iconv_t; iconv_open reports failure as (iconv_t)-1, not nullptr.
class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from) : m_cd(iconv_open(to, from)) {}
  ~IconvHandle() { reset(); }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  IconvHandle(IconvHandle&& other) noexcept : m_cd(std::exchange(other.m_cd, invalid())) {}
  IconvHandle& operator=(IconvHandle&& other) noexcept {
    if (this != &other) {
      reset();
      m_cd = std::exchange(other.m_cd, invalid());
    }
    return *this;
  }

  [[nodiscard]] bool valid() const { return m_cd != invalid(); }
  [[nodiscard]] iconv_t get() const { return m_cd; }

 private:
  static iconv_t invalid() { return reinterpret_cast<iconv_t>(-1); }
  void reset() {
    if (valid()) {
      iconv_close(m_cd);
      m_cd = invalid();
    }
  }

  iconv_t m_cd;
};

class UchardetHandle {
 public:
  UchardetHandle() : m_detector(uchardet_new()) {}
  ~UchardetHandle() { reset(); }
  UchardetHandle(const UchardetHandle&) = delete;
  UchardetHandle& operator=(const UchardetHandle&) = delete;
  UchardetHandle(UchardetHandle&& other) noexcept
      : m_detector(std::exchange(other.m_detector, nullptr)) {}
  UchardetHandle& operator=(UchardetHandle&& other) noexcept {
    if (this != &other) {
      reset();
      m_detector = std::exchange(other.m_detector, nullptr);
    }
    return *this;
  }

  [[nodiscard]] bool valid() const { return m_detector != nullptr; }
  [[nodiscard]] uchardet_t get() const { return m_detector; }

 private:
  void reset() {
    if (m_detector != nullptr) {
      uchardet_delete(m_detector);
      m_detector = nullptr;
    }
  }

  uchardet_t m_detector;
};

// Length of the well-formed UTF-8 sequence at text[pos]; when there is none, `valid` is false and
// `length` is the maximal subpart (at least 1), so one U+FFFD replaces one broken sequence as
// Unicode and the WHATWG decoder recommend.
struct Utf8Step {
  std::size_t length;
  bool valid;
};

Utf8Step next_utf8(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    return {1, true};
  }
  std::size_t trail_count = 0;
  unsigned char low = 0x80;  // bounds of the first trail byte rule out overlongs and surrogates
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trail_count = 1;
  } else if (lead == 0xE0) {
    trail_count = 2;
    low = 0xA0;
  } else if (lead == 0xED) {
    trail_count = 2;
    high = 0x9F;
  } else if (lead >= 0xE1 && lead <= 0xEF) {
    trail_count = 2;
  } else if (lead == 0xF0) {
    trail_count = 3;
    low = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    trail_count = 3;
  } else if (lead == 0xF4) {
    trail_count = 3;
    high = 0x8F;
  } else {
    return {1, false};  // C0, C1, F5..FF and stray trail bytes never start a sequence
  }
  for (std::size_t k = 1; k <= trail_count; ++k) {
    if (pos + k >= text.size()) {
      return {k, false};
    }
    const auto trail = static_cast<unsigned char>(text[pos + k]);
    if (trail < low || trail > high) {
      return {k, false};
    }
    low = 0x80;
    high = 0xBF;
  }
  return {trail_count + 1, true};
}

enum class Utf8Kind { ascii, utf8, invalid };

// Counts well-formed multi-byte sequences and broken ones; stops at the first broken one when
// asked (enough to tell "not UTF-8").
struct Utf8Census {
  std::size_t valid = 0;
  std::size_t invalid = 0;
};

// Whether the eight bytes at text[pos] are all ASCII.
bool ascii_word_at(std::string_view text, std::size_t pos) {
  std::uint64_t word = 0;
  std::memcpy(&word, text.data() + pos, sizeof word);
  return (word & 0x8080808080808080ULL) == 0;
}

// Whether text[pos] begins a three-byte character that needs no closer look: a lead byte with no
// bounds of its own on the next (not E0 or ED), then two trail bytes. Most Chinese text is these.
bool plain_three_bytes_at(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t at) { return static_cast<std::uint8_t>(text[at]); };
  const std::uint8_t lead = byte(pos);
  return lead >= 0xE1 && lead <= 0xEF && lead != 0xED && pos + 2 < text.size() &&
         utf8::is_continuation(byte(pos + 1)) && utf8::is_continuation(byte(pos + 2));
}

Utf8Census count_utf8(std::string_view bytes, bool stop_at_invalid) {
  // This reads every page fetched: ASCII is skipped a word at a time, and common Chinese
  // characters are taken without the general case's table of bounds.
  Utf8Census census;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (pos + 8 <= bytes.size() && ascii_word_at(bytes, pos)) {
      pos += 8;
      continue;
    }
    if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (plain_three_bytes_at(bytes, pos)) {
      ++census.valid;
      pos += 3;
      continue;
    }
    const Utf8Step step = next_utf8(bytes, pos);
    ++(step.valid ? census.valid : census.invalid);
    if (!step.valid && stop_at_invalid) {
      break;
    }
    pos += step.length;
  }
  return census;
}

Utf8Kind classify_utf8(std::string_view bytes) {
  const Utf8Census census = count_utf8(bytes, true);
  if (census.invalid > 0) {
    return Utf8Kind::invalid;
  }
  return census.valid > 0 ? Utf8Kind::utf8 : Utf8Kind::ascii;
}

// True when most non-ASCII sequences are well-formed UTF-8: the text is UTF-8 with some damage,
// not a legacy charset. GBK text forms a valid UTF-8 pair only by accident (about one character
// in ten), so it never passes.
bool mostly_utf8(std::string_view bytes) {
  const Utf8Census census = count_utf8(bytes, false);
  return census.valid > 0 && census.valid >= census.invalid;
}

// Copies UTF-8, replacing broken sequences and NUL bytes with U+FFFD. NUL is replaced rather than
// kept because HTML parsers and C-string consumers downstream treat it as a terminator or error.
std::string repair_utf8(std::string_view bytes, std::size_t& invalid) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t run_start = 0;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const auto byte = static_cast<unsigned char>(bytes[pos]);
    if (byte != 0 && byte < 0x80) {
      ++pos;
      continue;
    }
    const Utf8Step step = byte == 0 ? Utf8Step{1, false} : next_utf8(bytes, pos);
    if (step.valid) {
      pos += step.length;
      continue;
    }
    out.append(bytes.substr(run_start, pos - run_start));
    out.append(k_replacement);
    ++invalid;
    pos += step.length;
    run_start = pos;
  }
  out.append(bytes.substr(run_start));
  return out;
}

// iconv decoders pass NUL through; apply the same policy as repair_utf8.
void replace_nul_bytes(std::string& text, std::size_t& invalid) {
  std::size_t nul = text.find('\0');
  if (nul == std::string::npos) {
    return;
  }
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t run_start = 0;
  while (nul != std::string::npos) {
    out.append(text, run_start, nul - run_start);
    out.append(k_replacement);
    ++invalid;
    run_start = nul + 1;
    nul = text.find('\0', run_start);
  }
  out.append(text, run_start);
  text = std::move(out);
}

// Decodes with iconv straight into the result string, growing it on E2BIG. Each EILSEQ costs one
// skipped byte and a U+FFFD; EINVAL means the input ends inside a sequence.
bool convert_with_iconv(std::string_view bytes, const std::string& charset, std::string& out,
                        std::size_t& invalid) {
  IconvHandle converter("UTF-8", charset.c_str());
  if (!converter.valid()) {
    return false;
  }
  // CJK double-byte text grows by half in UTF-8; ASCII does not grow at all.
  out.resize(bytes.size() + bytes.size() / 2 + 16);
  std::size_t used = 0;
  // glibc's iconv takes char** but never writes through the input pointer.
  char* in_ptr = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  bool flushing = false;
  for (;;) {
    if (out.size() - used < 16) {
      out.resize(out.size() * 2);
    }
    char* out_ptr = out.data() + used;
    std::size_t out_left = out.size() - used;
    const std::size_t rc = flushing
                               ? iconv(converter.get(), nullptr, nullptr, &out_ptr, &out_left)
                               : iconv(converter.get(), &in_ptr, &in_left, &out_ptr, &out_left);
    const int error = errno;
    used = static_cast<std::size_t>(out_ptr - out.data());
    if (rc != static_cast<std::size_t>(-1)) {
      if (flushing) {
        break;
      }
      // All input consumed: one more call emits anything a stateful decoder still holds.
      flushing = in_left == 0;
      continue;
    }
    if (error == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    if (flushing) {
      break;
    }
    if (out.size() - used < k_replacement.size()) {
      out.resize(out.size() * 2);
    }
    std::memcpy(out.data() + used, k_replacement.data(), k_replacement.size());
    used += k_replacement.size();
    ++invalid;
    if (error == EILSEQ && in_left > 0) {
      ++in_ptr;
      --in_left;
    } else {
      flushing = true;  // EINVAL (truncated tail) or anything unexpected: stop, never loop
    }
  }
  out.resize(used);
  replace_nul_bytes(out, invalid);
  return true;
}

// WHATWG-style extraction: the value after "charset", optional spaces, '=' and optional spaces;
// quoted, or up to a space or ';'. Works for Content-Type headers and meta content attributes.
std::string extract_charset_param(std::string_view text) {
  std::size_t pos = 0;
  while ((pos = find_ignoring_case(text, "charset", pos)) != std::string_view::npos) {
    pos += 7;
    std::size_t cursor = pos;
    while (cursor < text.size() && is_ascii_space(text[cursor], k_html_whitespace)) {
      ++cursor;
    }
    if (cursor >= text.size() || text[cursor] != '=') {
      continue;  // "charset" was part of something else; keep looking
    }
    ++cursor;
    while (cursor < text.size() && is_ascii_space(text[cursor], k_html_whitespace)) {
      ++cursor;
    }
    std::string_view value;
    if (cursor < text.size() && (text[cursor] == '"' || text[cursor] == '\'')) {
      const std::size_t close = text.find(text[cursor], cursor + 1);
      const std::size_t end = close == std::string_view::npos ? text.size() : close;
      value = text.substr(cursor + 1, end - cursor - 1);
    } else {
      std::size_t end = cursor;
      while (end < text.size() && !is_ascii_space(text[end], k_html_whitespace) &&
             text[end] != ';' && text[end] != '"' && text[end] != '\'') {
        ++end;
      }
      value = text.substr(cursor, end - cursor);
    }
    return ascii_lower(ascii_trim(value, k_html_whitespace));
  }
  return {};
}

struct MetaAttributes {
  std::string charset;
  std::string http_equiv;
  std::string content;
  bool complete = false;  // the tag's '>' was inside the window
};

// Reads the attributes of a tag starting at pos (just past "<meta"). Values may be quoted or not.
MetaAttributes parse_meta_attributes(std::string_view window, std::size_t pos) {
  MetaAttributes attributes;
  for (;;) {
    while (pos < window.size() &&
           (is_ascii_space(window[pos], k_html_whitespace) || window[pos] == '/')) {
      ++pos;
    }
    if (pos >= window.size()) {
      return attributes;
    }
    if (window[pos] == '>') {
      attributes.complete = true;
      return attributes;
    }
    std::string name;
    while (pos < window.size() && !is_ascii_space(window[pos], k_html_whitespace) &&
           window[pos] != '=' && window[pos] != '>' && window[pos] != '/') {
      name.push_back(ascii_lower(window[pos]));
      ++pos;
    }
    while (pos < window.size() && is_ascii_space(window[pos], k_html_whitespace)) {
      ++pos;
    }
    std::string_view value;
    if (pos < window.size() && window[pos] == '=') {
      ++pos;
      while (pos < window.size() && is_ascii_space(window[pos], k_html_whitespace)) {
        ++pos;
      }
      if (pos < window.size() && (window[pos] == '"' || window[pos] == '\'')) {
        const std::size_t close = window.find(window[pos], pos + 1);
        if (close == std::string_view::npos) {
          return attributes;  // value runs past the window: don't trust a cut-off label
        }
        value = window.substr(pos + 1, close - pos - 1);
        pos = close + 1;
      } else {
        const std::size_t start = pos;
        while (pos < window.size() && !is_ascii_space(window[pos], k_html_whitespace) &&
               window[pos] != '>') {
          ++pos;
        }
        value = window.substr(start, pos - start);
        // <meta charset=utf-8/> is common; the slash closes the tag, it is not part of the label.
        while (!value.empty() && value.back() == '/') {
          value.remove_suffix(1);
        }
      }
    }
    if (name == "charset" && attributes.charset.empty()) {
      attributes.charset = ascii_lower(ascii_trim(value, k_html_whitespace));
    } else if (name == "http-equiv" && attributes.http_equiv.empty()) {
      attributes.http_equiv = ascii_lower(ascii_trim(value, k_html_whitespace));
    } else if (name == "content" && attributes.content.empty()) {
      attributes.content = std::string(value);
    }
  }
}

// Where the markup starting at html[lt] ends; comments, scripts and styles are skipped whole.
std::size_t skip_markup(std::string_view html, std::size_t lt) {
  const std::string_view rest = html.substr(lt);
  if (rest.starts_with("<!--")) {
    const std::size_t end = html.find("-->", lt + 4);
    return end == std::string_view::npos ? html.size() : end + 3;
  }
  for (const std::string_view element : {std::string_view("script"), std::string_view("style")}) {
    if (starts_with_ignoring_case(rest.substr(1), element) &&
        (rest.size() == element.size() + 1 || !is_ascii_alpha(rest[element.size() + 1]))) {
      const std::string closing = "</" + std::string(element);
      const std::size_t close = find_ignoring_case(html, closing, lt + 1);
      if (close == std::string_view::npos) {
        return html.size();
      }
      const std::size_t gt = html.find('>', close);
      return gt == std::string_view::npos ? html.size() : gt + 1;
    }
  }
  const std::size_t gt = html.find('>', lt + 1);
  return gt == std::string_view::npos ? html.size() : gt + 1;
}

// The text content uchardet should see: markup holds ASCII and often differently encoded
// script strings, which only dilute the statistics.
std::string strip_markup(std::string_view html, std::size_t limit) {
  std::string text;
  text.reserve(std::min(html.size(), limit));
  std::size_t pos = 0;
  while (pos < html.size() && text.size() < limit) {
    std::size_t lt = html.find('<', pos);
    // A '<' not followed by a tag-ish character is text ("a < b").
    while (lt != std::string_view::npos && lt + 1 < html.size() && !is_ascii_alpha(html[lt + 1]) &&
           html[lt + 1] != '/' && html[lt + 1] != '!' && html[lt + 1] != '?') {
      lt = html.find('<', lt + 1);
    }
    const std::size_t end = lt == std::string_view::npos ? html.size() : lt;
    text.append(html.substr(pos, std::min(end - pos, limit - text.size())));
    if (lt == std::string_view::npos) {
      break;
    }
    text.push_back(' ');
    pos = skip_markup(html, lt);
  }
  return text;
}

bool has_non_ascii(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// uchardet's raw answer: "" when unsure, "ASCII" for 7-bit input, else a name like "GB18030".
struct Detection {
  std::string charset;        // uchardet's name, empty when it has no answer
  std::size_t non_ascii = 0;  // non-ASCII bytes it based the guess on
};

Detection detect_with_uchardet(std::string_view bytes) {
  const std::string text = strip_markup(bytes, k_detect_limit);
  // If the only non-ASCII bytes sit in markup (alt text, scripts), detect on the raw page.
  const std::string_view sample =
      has_non_ascii(text) ? std::string_view(text) : bytes.substr(0, k_detect_limit);
  Detection detection;
  detection.non_ascii = static_cast<std::size_t>(
      std::ranges::count_if(sample, [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
  UchardetHandle detector;
  if (!detector.valid() ||
      uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) {
    return detection;
  }
  uchardet_data_end(detector.get());
  const char* name = uchardet_get_charset(detector.get());
  detection.charset = name == nullptr ? std::string() : std::string(name);
  return detection;
}

// Charsets a Chinese page can really be in; anything else from uchardet on a short text is a
// misfire (it calls a few GBK characters WINDOWS-1252 or ISO-8859-7).
bool is_cjk_capable(std::string_view charset) {
  return charset.starts_with("GB") || charset.starts_with("BIG5") || charset.starts_with("UTF") ||
         charset.starts_with("EUC") || charset == "SHIFT_JIS" || charset == "ISO-2022-JP";
}

// Below this many non-ASCII bytes (about 30 Chinese characters) uchardet's guesses are unsound.
constexpr std::size_t k_min_detect_bytes = 64;

struct CharsetChoice {
  std::string charset;
  std::string reason;
  std::size_t skip = 0;  // BOM bytes to drop
  // Every byte was read as UTF-8 and found valid: only NUL bytes are left to replace.
  bool checked_utf8 = false;
};

// canonical_charset of a label, logging labels that name nothing iconv can decode.
std::string usable_label(std::string_view label, std::string_view source, std::string_view url) {
  if (ascii_trim(label, k_html_whitespace).empty()) {
    return {};
  }
  std::string charset = canonical_charset(label);
  if (charset.empty()) {
    spdlog::info("charset: ignoring unusable {} label \"{}\" for {}", source, label, url);
  }
  return charset;
}

CharsetChoice choose_charset(const DecodeRequest& request) {
  const std::string_view bytes = request.bytes;
  if (std::string charset = usable_label(request.override_charset, "override", request.url);
      !charset.empty()) {
    return {std::move(charset), "override"};
  }
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    return {"UTF-8", "bom", 3};
  }
  if (bytes.starts_with("\xFF\xFE")) {
    return {"UTF-16LE", "bom", 2};
  }
  if (bytes.starts_with("\xFE\xFF")) {
    return {"UTF-16BE", "bom", 2};
  }
  const Utf8Kind kind = classify_utf8(bytes);
  if (kind == Utf8Kind::utf8) {
    return {.charset = "UTF-8", .reason = "utf8-valid", .checked_utf8 = true};
  }
  // Here the bytes hold non-ASCII that is not valid UTF-8. A UTF-8 label is kept for damaged
  // UTF-8 (repaired below), but disproved by bytes that are mostly not UTF-8: a GBK page served
  // by a server configured for UTF-8 is common. Such labels fall through to the next step.
  const auto disproved = [&](const std::string& charset, std::string_view source) {
    if (charset == "UTF-8" && kind == Utf8Kind::invalid && !mostly_utf8(bytes)) {
      spdlog::info("charset: {} says UTF-8 but the bytes are not UTF-8: ignoring it for {}", source,
                   request.url);
      return true;
    }
    return false;
  };
  if (std::string charset = usable_label(charset_from_content_type(request.content_type),
                                         "Content-Type", request.url);
      !charset.empty() && !disproved(charset, "Content-Type")) {
    return {std::move(charset), "http-header"};
  }
  if (std::string charset = usable_label(charset_from_meta(bytes), "meta", request.url);
      !charset.empty() && !disproved(charset, "meta")) {
    // A meta tag read as ASCII cannot be in UTF-16; HTML says to take UTF-8 instead.
    if (charset.starts_with("UTF-16")) {
      charset = "UTF-8";
    }
    return {std::move(charset), "meta"};
  }
  if (kind == Utf8Kind::ascii) {
    return {"UTF-8", "default"};
  }
  const Detection detected = detect_with_uchardet(bytes);
  if (!detected.charset.empty() && detected.charset != "ASCII") {
    std::string charset = canonical_charset(detected.charset);
    if (!charset.empty() && (is_cjk_capable(charset) || detected.non_ascii >= k_min_detect_bytes)) {
      return {std::move(charset), "detected"};
    }
  }
  // These are Chinese sites: GB18030 decodes GB2312 and GBK pages, the likeliest unlabelled case.
  return {"GB18030", "default"};
}

struct Alias {
  std::string_view label;
  std::string_view charset;
};

// Labels that must not go to iconv verbatim: GB2312 and GBK are both decoded as their superset
// GB18030, since "gb2312" pages routinely use GBK-only characters (镕 喆 堃); Big5 follows the
// browsers' HKSCS-based table; Latin-1 and ASCII labels mean windows-1252 on the web.
constexpr std::array k_aliases = {
    Alias{"gb2312", "GB18030"},
    Alias{"gb_2312", "GB18030"},
    Alias{"gb_2312-80", "GB18030"},
    Alias{"csgb2312", "GB18030"},
    Alias{"gbk", "GB18030"},
    Alias{"x-gbk", "GB18030"},
    Alias{"cp936", "GB18030"},
    Alias{"ms936", "GB18030"},
    Alias{"windows-936", "GB18030"},
    Alias{"euc-cn", "GB18030"},
    Alias{"x-euc-cn", "GB18030"},
    Alias{"chinese", "GB18030"},
    Alias{"gb18030", "GB18030"},
    Alias{"big5", "BIG5-HKSCS"},
    Alias{"big5-hkscs", "BIG5-HKSCS"},
    Alias{"cn-big5", "BIG5-HKSCS"},
    Alias{"csbig5", "BIG5-HKSCS"},
    Alias{"x-x-big5", "BIG5-HKSCS"},
    Alias{"utf-8", "UTF-8"},
    Alias{"utf8", "UTF-8"},
    Alias{"unicode-1-1-utf-8", "UTF-8"},
    Alias{"latin1", "WINDOWS-1252"},
    Alias{"iso-8859-1", "WINDOWS-1252"},
    Alias{"iso8859-1", "WINDOWS-1252"},
    Alias{"iso_8859-1", "WINDOWS-1252"},
    Alias{"l1", "WINDOWS-1252"},
    Alias{"us-ascii", "WINDOWS-1252"},
    Alias{"ascii", "WINDOWS-1252"},
    Alias{"cp1252", "WINDOWS-1252"},
    Alias{"windows-1252", "WINDOWS-1252"},
    Alias{"x-cp1252", "WINDOWS-1252"},
    Alias{"utf-16le", "UTF-16LE"},
    Alias{"utf-16be", "UTF-16BE"},
};

}  // namespace

std::string canonical_charset(std::string_view label) {
  label = ascii_trim(label, k_html_whitespace);
  while (!label.empty() && (label.front() == '"' || label.front() == '\'')) {
    label.remove_prefix(1);
  }
  while (!label.empty() && (label.back() == '"' || label.back() == '\'')) {
    label.remove_suffix(1);
  }
  // iconv_open treats "" as the locale charset and "//..." as option suffixes (//IGNORE), so only
  // plain names reach it.
  if (label.empty() || label.size() > 40) {
    return {};
  }
  const bool plain = std::ranges::all_of(label, [](char c) {
    return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
  });
  if (!plain) {
    return {};
  }
  const std::string lower = ascii_lower(label);
  for (const Alias& alias : k_aliases) {
    if (alias.label == lower) {
      return std::string(alias.charset);
    }
  }
  const std::string upper = ascii_upper(label);
  const IconvHandle probe("UTF-8", upper.c_str());
  return probe.valid() ? upper : std::string();
}

std::string charset_from_content_type(std::string_view content_type) {
  return extract_charset_param(content_type);
}

std::string charset_from_meta(std::string_view html) {
  const std::string_view window = html.substr(0, std::min(html.size(), k_meta_window));
  std::size_t pos = 0;
  while ((pos = window.find('<', pos)) != std::string_view::npos) {
    if (window.substr(pos).starts_with("<!--")) {
      // A commented-out meta is not in effect.
      const std::size_t end = window.find("-->", pos + 4);
      if (end == std::string_view::npos) {
        return {};
      }
      pos = end + 3;
      continue;
    }
    const std::size_t after = pos + 5;
    if (starts_with_ignoring_case(window.substr(pos + 1), "meta") && after < window.size() &&
        (is_ascii_space(window[after], k_html_whitespace) || window[after] == '/')) {
      const MetaAttributes attributes = parse_meta_attributes(window, after);
      if (attributes.complete) {
        if (!attributes.charset.empty()) {
          return attributes.charset;
        }
        if (attributes.http_equiv == "content-type") {
          if (std::string charset = extract_charset_param(attributes.content); !charset.empty()) {
            return charset;
          }
        }
      }
    }
    ++pos;
  }
  return {};
}

bool is_valid_utf8(std::string_view bytes) { return classify_utf8(bytes) != Utf8Kind::invalid; }

DecodedText decode_to_utf8(const DecodeRequest& request) {
  CharsetChoice choice = choose_charset(request);
  DecodedText result;
  const std::string_view body = request.bytes.substr(choice.skip);
  if (choice.charset != "UTF-8" &&
      !convert_with_iconv(body, choice.charset, result.utf8, result.invalid_sequences)) {
    // canonical_charset already proved iconv can open it, so this means a broken gconv setup.
    spdlog::warn("charset: iconv cannot decode {} for {}; reading it as UTF-8", choice.charset,
                 request.url);
    choice.charset = "UTF-8";
  }
  // UTF-8 needs validation, not conversion; our own pass also replaces one maximal broken
  // subpart per U+FFFD where iconv would cost one U+FFFD per byte.
  if (choice.charset == "UTF-8" && choice.checked_utf8) {
    // Validated whole when the charset was chosen: not read a second time.
    result.utf8 = std::string(body);
    replace_nul_bytes(result.utf8, result.invalid_sequences);
  } else if (choice.charset == "UTF-8") {
    result.utf8 = repair_utf8(body, result.invalid_sequences);
  }
  result.charset = std::move(choice.charset);
  result.reason = std::move(choice.reason);
  if (result.invalid_sequences > 0) {
    spdlog::warn("charset: {} invalid sequences replaced with U+FFFD decoding {} as {} ({})",
                 result.invalid_sequences, request.url, result.charset, result.reason);
  }
  return result;
}

std::expected<std::string, std::string> encode_utf8_as(std::string_view utf8,
                                                       std::string_view charset) {
  const std::string target(charset);
  IconvHandle converter(target.c_str(), "UTF-8");
  if (!converter.valid()) {
    return std::unexpected("iconv cannot encode to " + target);
  }
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  // UTF-8 never grows past twice its size in GB18030 or other legacy charsets.
  if (iconv(converter.get(), &in_ptr, &in_left, &out_ptr, &out_left) ==
          static_cast<std::size_t>(-1) ||
      iconv(converter.get(), nullptr, nullptr, &out_ptr, &out_left) ==
          static_cast<std::size_t>(-1)) {
    const std::size_t offset = utf8.size() - in_left;
    return std::unexpected(target + " cannot encode the text at byte " + std::to_string(offset));
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace archiver
