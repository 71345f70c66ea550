#pragma once
// Turns the bytes of an HTML response into UTF-8, deciding the charset in this order: a per-site
// override, a BOM, bytes that are valid UTF-8 holding non-ASCII (whatever the label says), the
// HTTP Content-Type header, a <meta> charset in the first 1024 bytes, then uchardet on the text
// with tags stripped. GB2312/GBK labels decode as GB18030. Invalid bytes become U+FFFD.

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace archiver {

struct DecodeRequest {
  std::string_view bytes;
  std::string_view content_type;      // the HTTP Content-Type header value, may be empty
  std::string_view override_charset;  // a site's configured charset, may be empty
  std::string_view url;               // named in warnings
};

struct DecodedText {
  std::string utf8;
  std::string charset;  // canonical: "UTF-8", "GB18030", "BIG5-HKSCS", "WINDOWS-1252", ...
  std::string
      reason;  // "override", "bom", "utf8-valid", "http-header", "meta", "detected", "default"
  std::size_t invalid_sequences = 0;  // bytes replaced by U+FFFD
};

// Never fails: undecodable input yields U+FFFD replacements and a logged warning naming the URL.
[[nodiscard]] DecodedText decode_to_utf8(const DecodeRequest& request);

// Canonical charset name for a label: gb2312/gbk/x-gbk/cp936/gb18030 give "GB18030",
// utf8/utf-8 give "UTF-8"; empty for labels iconv cannot use.
[[nodiscard]] std::string canonical_charset(std::string_view label);

// The charset named in a Content-Type value ("text/html; charset=gb2312" gives "gb2312").
[[nodiscard]] std::string charset_from_content_type(std::string_view content_type);

// The charset of the first <meta charset> or <meta http-equiv content="...charset="> in the first
// 1024 bytes.
[[nodiscard]] std::string charset_from_meta(std::string_view html);

// UTF-8 text re-encoded in charset (e.g. "GB18030"); fails naming the first character the
// charset cannot hold. Used to build GB18030 test pages and benchmark sites.
[[nodiscard]] std::expected<std::string, std::string> encode_utf8_as(std::string_view utf8,
                                                                     std::string_view charset);

// True when bytes are strict UTF-8 (no overlongs, no surrogates).
[[nodiscard]] bool is_valid_utf8(std::string_view bytes);

}  // namespace archiver
