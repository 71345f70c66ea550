#pragma once
// URLs in one normal form. Every stage that stores or compares a URL (links found on pages,
// scope tests, the frontier, the archive's keys) uses the form normalize_url() gives, so that two
// spellings of one address are one address, and a scope test sees where a URL really goes:
//
// - scheme and host in lower case; the default port (80 for http, 443 for https) left out;
// - percent-escapes of unreserved characters (A-Z a-z 0-9 - . _ ~) decoded, the others written
//   with upper-case hex digits (RFC 3986 section 6.2.2);
// - dot segments removed after that decoding (section 5.2.4), so "/a/%2e%2e/b" is "/b": an
//   encoded "../" cannot climb out of a scope prefix;
// - an empty path is "/"; the fragment is dropped (it never names another document);
// - spaces and bytes outside ASCII percent-encoded, as a browser sends them.
//
// Only http and https URLs have a normal form; anything else is not a web page to archiver.

#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// The normal form of an absolute http(s) URL; nothing when url is not one.
[[nodiscard]] std::optional<std::string> normalize_url(std::string_view url);

// The normal form when there is one, else url unchanged (for values that are kept either way,
// like a URL typed on the command line that the fetcher will then refuse with a clear error).
[[nodiscard]] std::string normal_or_same(std::string_view url);

// An absolute URL in normal form for href as found on the page at base (the page's URL, or its
// <base href>); empty when href is not a web link (javascript:, mailto:, #fragment-only, another
// scheme) or cannot be resolved.
[[nodiscard]] std::string resolve_url(std::string_view base, std::string_view href);

// The host (and port) of a URL, lower-cased, without user info: "http://Host:8080/a" gives
// "host:8080". Empty when url has no scheme.
[[nodiscard]] std::string host_of(std::string_view url);

// The path and query of an absolute URL, without the fragment ("/" when it has no path):
// "http://host/a/b.html?x=1#top" gives "/a/b.html?x=1".
[[nodiscard]] std::string path_and_query(std::string_view url);

// Whether url starts with "http://" or "https://", in any letter case (schemes have no case).
[[nodiscard]] bool has_http_scheme(std::string_view url);

// A URL as written, cut where its parts meet; nothing is checked, decoded or lower-cased.
struct UrlParts {
  std::string_view scheme;     // before "://"
  std::string_view authority;  // [user info@]host[:port]
  std::string_view rest;  // path, query and fragment, from the first '/', '?' or '#'; may be empty
};

// The parts of "scheme://authority rest"; nothing when url has no "://".
[[nodiscard]] std::optional<UrlParts> split_url(std::string_view url);

// split_url for what can be taken as an absolute http(s) URL as typed (in the config, before any
// normal form): http or https in any case, a host of letters, digits and ".-_[]:", a port of
// digits if any, no user info, no spaces or control characters. Nothing otherwise.
[[nodiscard]] std::optional<UrlParts> split_http_url(std::string_view url);

}  // namespace archiver
