#include "util/url.hpp"

#include <curl/curl.h>

#include "util/ascii.hpp"
#include "util/text_parts.hpp"

#include <algorithm>
#include <memory>

namespace archiver {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};

bool is_unreserved(unsigned char c) {
  return is_ascii_alnum(static_cast<char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Unreserved characters decoded, every other escape with upper-case hex digits.
std::string normalize_escapes(std::string_view text) {
  constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = ascii_hex_value(text[i + 1]);
      const int low = ascii_hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        const auto value = static_cast<unsigned char>(high * 16 + low);
        if (is_unreserved(value)) {
          out += static_cast<char>(value);
        } else {
          out += '%';
          out += k_hex[static_cast<std::size_t>(high)];
          out += k_hex[static_cast<std::size_t>(low)];
        }
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// RFC 3986 section 5.2.4, on an absolute path.
std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./")) {
      input.remove_prefix(2);
    } else if (input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.starts_with("/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const auto last = output.rfind('/');
      output.erase(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const auto end = input.find('/', 1);
      const std::size_t length = end == std::string_view::npos ? input.size() : end;
      output.append(input.substr(0, length));
      input.remove_prefix(length);
    }
  }
  return output;
}

std::optional<std::string> part(CURLU* url, CURLUPart which, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(url, which, &raw, flags) != CURLUE_OK || raw == nullptr) {
    return std::nullopt;
  }
  const std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return std::string(owned.get());
}

// The normal form of what curl parsed.
std::optional<std::string> assemble(CURLU* url) {
  const auto scheme = part(url, CURLUPART_SCHEME);
  const auto host = part(url, CURLUPART_HOST);
  if (!scheme || !host || host->empty()) {
    return std::nullopt;
  }
  std::string out = ascii_lower(*scheme);
  if (out != "http" && out != "https") {
    return std::nullopt;
  }
  out += "://";
  if (const auto user = part(url, CURLUPART_USER)) {
    out += *user;
    if (const auto password = part(url, CURLUPART_PASSWORD)) {
      out += ':' + *password;
    }
    out += '@';
  }
  out += ascii_lower(*host);
  if (const auto port = part(url, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT)) {
    out += ':' + *port;
  }
  const std::string path =
      remove_dot_segments(normalize_escapes(part(url, CURLUPART_PATH).value_or("/")));
  out += path.empty() ? "/" : path;
  if (const auto query = part(url, CURLUPART_QUERY)) {
    out += '?' + normalize_escapes(*query);
  }
  return out;
}

// A relative reference of unreserved characters and slashes only, without a "." or ".."
// segment and not "//host...": resolving it appends it to the base's directory (or origin).
bool is_plain_path(std::string_view link) {
  if (link.empty() || link.starts_with("//")) {
    return false;
  }
  const bool plain_characters = std::ranges::all_of(
      link, [](char c) { return c == '/' || is_unreserved(static_cast<unsigned char>(c)); });
  if (!plain_characters) {
    return false;
  }
  return std::ranges::none_of(text_parts(link, "/"), [](std::string_view segment) {
    return segment == "." || segment == "..";
  });
}

// An IPv4 address as curl writes it: four decimal numbers to 255, without leading zeros.
bool is_dotted_quad(std::string_view host) {
  int parts = 0;
  for (const std::string_view number : text_parts(host, ".")) {
    if (number.empty() || number.size() > 3 || (number.size() > 1 && number[0] == '0') ||
        !std::ranges::all_of(number, is_ascii_digit) || std::stoi(std::string(number)) > 255) {
      return false;
    }
    ++parts;
  }
  return parts == 4;
}

// Whether url is already in the normal form assemble() writes, so that curl would give it back
// as it is: http or https, a host of lower-case letters, digits, dots and hyphens (one that
// could be a number only as a plain dotted quad: curl rewrites the other forms), a port only when
// it is not the scheme's own, and a plain path (see is_plain_path); no user, query or fragment.
bool is_plain_normal(std::string_view url) {
  std::string_view rest;
  std::string_view default_port;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
    default_port = "80";
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
    default_port = "443";
  } else {
    return false;
  }
  const std::size_t path_start = rest.find('/');
  if (path_start == std::string_view::npos) {
    return false;
  }
  std::string_view host = rest.substr(0, path_start);
  if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port[0] == '0' || port == default_port ||
        !std::ranges::all_of(port, is_ascii_digit) || std::stoi(std::string(port)) > 65535) {
      return false;
    }
    host = host.substr(0, colon);
  }
  const bool host_characters = !host.empty() && std::ranges::all_of(host, [](char c) {
    return is_ascii_lower(c) || is_ascii_digit(c) || c == '.' || c == '-';
  });
  // A host of digits, dots and hex letters may be a number curl rewrites ("0x7f.1", "127.1").
  const bool named = std::ranges::any_of(host, [](char c) { return c >= 'g' && c != 'x'; });
  if (!host_characters || (!named && !is_dotted_quad(host))) {
    return false;
  }
  const std::string_view path = rest.substr(path_start);
  return path == "/" || is_plain_path(path);
}

// Leading and trailing whitespace, as browsers strip it from href values.
std::string_view trimmed(std::string_view text) { return ascii_trim(text, k_html_whitespace); }

}  // namespace

std::optional<std::string> normalize_url(std::string_view url) {
  const std::string text(trimmed(url));
  if (is_plain_normal(text)) {
    return text;  // what resolve_url gives, mostly: curl would give it back unchanged
  }
  const UrlHandle handle(curl_url());
  if (!handle) {
    return std::nullopt;
  }
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_URLENCODE) != CURLUE_OK) {
    return std::nullopt;
  }
  return assemble(handle.get());
}

std::string normal_or_same(std::string_view url) {
  return normalize_url(url).value_or(std::string(url));
}

std::string resolve_url(std::string_view base, std::string_view href) {
  const std::string link(trimmed(href));
  if (link.empty() || link.starts_with('#') || link.starts_with("javascript:") ||
      link.starts_with("mailto:") || link.starts_with("tel:")) {
    return {};
  }
  // curl's URL API implements RFC 3986 reference resolution. A page resolves all its links
  // against one base: each thread keeps the base it parsed last and copies it for each link.
  struct ParsedBase {
    std::string text;
    UrlHandle url;
    std::string normal;             // the base in normal form (assemble)
    std::size_t path_start = 0;     // where its path begins in `normal`
    std::size_t directory_end = 0;  // just after its path's last '/'
  };
  thread_local ParsedBase last;
  if (!last.url || last.text != base) {
    last.text.clear();
    last.url.reset(curl_url());
    if (!last.url) {
      return {};
    }
    const std::string base_text(base);
    if (curl_url_set(last.url.get(), CURLUPART_URL, base_text.c_str(), CURLU_URLENCODE) !=
        CURLUE_OK) {
      last.url.reset();
      return {};
    }
    last.normal = assemble(last.url.get()).value_or(std::string());
    const std::size_t authority = last.normal.find("://");
    last.path_start =
        authority == std::string::npos ? std::string::npos : last.normal.find('/', authority + 3);
    last.directory_end = last.path_start == std::string::npos
                             ? std::string::npos
                             : last.normal.substr(0, last.normal.find('?')).rfind('/') + 1;
    last.text = base_text;
  }
  // Most links of a page are plain paths ("content_7.htm", "/node_2.htm"): resolved here, as
  // RFC 3986 does (the base's directory or origin, then the path; nothing to encode, no dot
  // segments to remove, and the base already in normal form). Anything else goes to curl.
  if (last.directory_end != std::string::npos && is_plain_path(link)) {
    return link.starts_with('/') ? last.normal.substr(0, last.path_start) + link
                                 : last.normal.substr(0, last.directory_end) + link;
  }
  const UrlHandle url(curl_url_dup(last.url.get()));
  if (!url || curl_url_set(url.get(), CURLUPART_URL, link.c_str(), CURLU_URLENCODE) != CURLUE_OK) {
    return {};
  }
  return assemble(url.get()).value_or(std::string());
}

std::string host_of(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) {
    return {};
  }
  std::string_view authority = parts->authority;
  if (const auto at = authority.find('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  return ascii_lower(authority);
}

std::string path_and_query(std::string_view url) {
  const auto parts = split_url(url);
  const std::string_view rest = parts ? parts->rest : url;
  const std::string_view without_fragment = rest.substr(0, rest.find('#'));
  std::string target;
  target.reserve(without_fragment.size() + 1);
  // Built up, not "/" + std::string(...): GCC 12 warns of an overflow it imagines there in a
  // release build (-Wstringop-overflow).
  if (!without_fragment.starts_with('/')) {
    target += '/';
  }
  target += without_fragment;
  return target;
}

bool has_http_scheme(std::string_view url) {
  return starts_with_ignoring_case(url, "http://") || starts_with_ignoring_case(url, "https://");
}

std::optional<UrlParts> split_url(std::string_view url) {
  const std::size_t separator = url.find("://");
  if (separator == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view after = url.substr(separator + 3);
  const std::size_t end = std::min(after.find_first_of("/?#"), after.size());
  return UrlParts{
      .scheme = url.substr(0, separator),
      .authority = after.substr(0, end),
      .rest = after.substr(end),
  };
}

std::optional<UrlParts> split_http_url(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts || !has_http_scheme(url) || has_ascii_control(url) ||
      url.find(' ') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t port = parts->authority.rfind(':');
  const std::string_view host = parts->authority.substr(0, port);
  const auto host_character = [](char c) {
    return is_ascii_alnum(c) || std::string_view(".-_[]:").find(c) != std::string_view::npos;
  };
  if (host.empty() || !std::ranges::all_of(host, host_character)) {
    return std::nullopt;
  }
  // In "[::1]" the colons belong to the address; a port after it is not checked here.
  if (port != std::string_view::npos && parts->authority.front() != '[') {
    const std::string_view digits = parts->authority.substr(port + 1);
    if (digits.empty() || !std::ranges::all_of(digits, is_ascii_digit)) {
      return std::nullopt;
    }
  }
  return parts;
}

}  // namespace archiver
