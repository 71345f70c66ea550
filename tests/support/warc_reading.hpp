#pragma once
// Reading back what the WARC writer wrote, for unit tests: gzip members inflated one by one,
// records taken apart into version, headers, block and trailer.

#include <doctest/doctest.h>

// zlib's input pointer is const with ZLIB_CONST.
#ifndef ZLIB_CONST
#define ZLIB_CONST
#endif
#include <zlib.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver::testing {

// Inflates the one gzip member that starts at offset; returns its bytes and the offset after it.
inline std::pair<std::string, std::size_t> inflate_member(std::string_view data,
                                                          std::size_t offset = 0) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 32) == Z_OK);  // +32: detect the gzip wrapper
  const std::string_view input = data.substr(offset);
  stream.next_in = reinterpret_cast<const Bytef*>(input.data());
  stream.avail_in = static_cast<uInt>(input.size());
  std::string out;
  int result = Z_OK;
  while (result == Z_OK) {
    std::array<char, 16384> buffer{};
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - stream.avail_out);
  }
  const std::size_t consumed = stream.total_in;
  inflateEnd(&stream);
  REQUIRE(result == Z_STREAM_END);
  return {out, offset + consumed};
}

// Every gzip member in data, inflated.
inline std::vector<std::string> inflate_members(std::string_view data) {
  std::vector<std::string> members;
  std::size_t offset = 0;
  while (offset < data.size()) {
    auto [bytes, next] = inflate_member(data, offset);
    members.push_back(std::move(bytes));
    offset = next;
  }
  return members;
}

// A serialized record taken apart again.
struct ParsedRecord {
  std::string version;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string block;
  std::string trailer;

  [[nodiscard]] std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) {
        return value;
      }
    }
    return {};
  }
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> result;
    for (const auto& header : headers) {
      result.push_back(header.first);
    }
    return result;
  }
};

inline ParsedRecord parse(std::string_view text) {
  ParsedRecord record;
  const auto end = text.find("\r\n\r\n");
  REQUIRE(end != std::string_view::npos);
  std::string_view head = text.substr(0, end + 2);
  auto line_end = head.find("\r\n");
  record.version = std::string(head.substr(0, line_end));
  head.remove_prefix(line_end + 2);
  while (!head.empty()) {
    line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    const auto colon = line.find(": ");
    REQUIRE(colon != std::string_view::npos);
    record.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    head.remove_prefix(line_end + 2);
  }
  const std::size_t length = std::stoul(record.header("Content-Length"));
  REQUIRE(end + 4 + length <= text.size());
  record.block = std::string(text.substr(end + 4, length));
  record.trailer = std::string(text.substr(end + 4 + length));
  return record;
}

}  // namespace archiver::testing
