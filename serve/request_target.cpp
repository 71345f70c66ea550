#include "serve/request_target.hpp"

#include "util/ascii.hpp"
#include "util/text_parts.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

// Text that a page may use: valid UTF-8 without control characters.
bool is_clean_text(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = utf8::decode(text, pos);
    if (cp.value == utf8::k_replacement && text.substr(pos, 3) != "\xEF\xBF\xBD") {
      return false;  // an invalid byte, not a U+FFFD written as such
    }
    if (cp.value < 0x20 || cp.value == 0x7F) {
      return false;
    }
    pos += cp.length;
  }
  return true;
}

std::expected<std::vector<std::string>, std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  // The parts after the leading '/'.
  for (const std::string_view raw : text_parts(path.substr(path.empty() ? 0 : 1), "/")) {
    if (raw.empty()) {
      continue;  // "//" and a trailing "/"
    }
    auto segment = percent_decode(raw, false);
    if (!segment) {
      return std::unexpected("malformed percent-escape in the path");
    }
    if (*segment == "." || *segment == "..") {
      return std::unexpected("\".\" and \"..\" are not allowed in a path");
    }
    if (segment->find_first_of("/\\") != std::string::npos) {
      return std::unexpected("an encoded slash or backslash is not allowed in a path");
    }
    if (!is_clean_text(*segment)) {
      return std::unexpected("the path holds control characters or invalid UTF-8");
    }
    segments.push_back(std::move(*segment));
  }
  return segments;
}

std::expected<std::map<std::string, std::string>, std::string> split_query(std::string_view query) {
  std::map<std::string, std::string> fields;
  std::size_t count = 0;
  for (const std::string_view pair : text_parts(query, "&")) {
    if (pair.empty()) {
      continue;
    }
    if (++count > k_max_query_fields) {
      return std::unexpected(fmt::format("more than {} query fields", k_max_query_fields));
    }
    const std::size_t equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), true);
    auto value =
        percent_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!name || !value) {
      return std::unexpected("malformed percent-escape in the query");
    }
    if (value->size() > k_max_query_value_bytes) {
      return std::unexpected(fmt::format("the query field \"{}\" is longer than {} bytes", *name,
                                         k_max_query_value_bytes));
    }
    if (!is_clean_text(*name) || !is_clean_text(*value)) {
      return std::unexpected("the query holds control characters or invalid UTF-8");
    }
    if (!fields.emplace(std::move(*name), std::move(*value)).second) {
      return std::unexpected("a query field is given twice");
    }
  }
  return fields;
}

}  // namespace

std::optional<std::string> Target::param(const std::string& name) const {
  const auto found = query.find(name);
  if (found == query.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      const int high = ascii_hex_value(text[i + 1]);
      const int low = ascii_hex_value(text[i + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::expected<Target, std::string> parse_target(std::string_view target) {
  if (target.size() > k_max_target_bytes) {
    return std::unexpected(fmt::format("the address is longer than {} bytes", k_max_target_bytes));
  }
  if (!target.starts_with('/')) {
    return std::unexpected("the address must be a path starting with \"/\"");
  }
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path.find('\\') != std::string_view::npos) {
    return std::unexpected("a backslash is not allowed in a path");
  }
  auto segments = split_path(path);
  if (!segments) {
    return std::unexpected(segments.error());
  }
  auto fields = split_query(query.substr(0, query.find('#')));
  if (!fields) {
    return std::unexpected(fields.error());
  }
  return Target{.path = std::move(*segments), .query = std::move(*fields)};
}

}  // namespace archiver::serve
