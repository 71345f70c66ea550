#include "parsers/url.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace archiver {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};

}  // namespace

std::string resolve_url(std::string_view base, std::string_view href) {
  std::string link(href);
  while (!link.empty() && (link.back() == ' ' || link.back() == '\n' || link.back() == '\r')) {
    link.pop_back();
  }
  const auto first = link.find_first_not_of(" \t\r\n");
  link = first == std::string::npos ? std::string() : link.substr(first);
  if (link.empty() || link.starts_with('#') || link.starts_with("javascript:") ||
      link.starts_with("mailto:") || link.starts_with("tel:")) {
    return {};
  }
  // curl's URL API implements RFC 3986 reference resolution.
  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url) {
    return {};
  }
  const std::string base_text(base);
  if (curl_url_set(url.get(), CURLUPART_URL, base_text.c_str(), 0) != CURLUE_OK) {
    return {};
  }
  if (curl_url_set(url.get(), CURLUPART_URL, link.c_str(), CURLU_URLENCODE) != CURLUE_OK) {
    return {};
  }
  // The fragment never names a different document.
  curl_url_set(url.get(), CURLUPART_FRAGMENT, nullptr, 0);
  char* raw = nullptr;
  if (curl_url_get(url.get(), CURLUPART_URL, &raw, 0) != CURLUE_OK) {
    return {};
  }
  std::unique_ptr<char, CurlStringDeleter> text(raw);
  return std::string(text.get());
}

std::string host_of(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return {};
  }
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    rest.remove_prefix(at + 1);
  }
  std::string host(rest);
  for (char& c : host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return host;
}

}  // namespace archiver
