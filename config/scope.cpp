// Scopes: which URLs a site owns, which site a URL belongs to, and which scopes overlap.

#include "config/scope.hpp"

#include <fmt/format.h>

#include "config/settings.hpp"
#include "util/ascii.hpp"
#include "util/url.hpp"

#include <algorithm>

namespace archiver {

std::size_t SiteSettings::scope_match_length(std::string_view url) const {
  // On the normal form only: "/scope/%2e%2e/x" is "/x", outside "/scope/".
  const auto normal = normalize_url(url);
  if (!normal) {
    return 0;
  }
  std::size_t best = 0;
  for (const auto& prefix : scope) {
    if (prefix.size() > best && normal->starts_with(prefix)) {
      best = prefix.size();
    }
  }
  return best;
}

bool SiteSettings::in_scope(std::string_view url) const { return scope_match_length(url) > 0; }

const SiteSettings* Settings::site_for_url(std::string_view url) const {
  const SiteSettings* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& site : sites) {
    const std::size_t length = site.scope_match_length(url);
    if (length > best_length) {
      best = &site;
      best_length = length;
    }
  }
  return best;
}

std::vector<std::string> overlapping_scopes(const Settings& settings) {
  std::vector<std::string> warnings;
  for (std::size_t i = 0; i < settings.sites.size(); ++i) {
    for (std::size_t j = i + 1; j < settings.sites.size(); ++j) {
      const SiteSettings& a = settings.sites[i];
      const SiteSettings& b = settings.sites[j];
      for (const auto& left : a.scope) {
        for (const auto& right : b.scope) {
          if (!left.starts_with(right) && !right.starts_with(left)) {
            continue;
          }
          const bool a_wider = right.starts_with(left);
          // Who `fetch URL` gives a page of both to: the longer prefix, else the first site.
          const SiteSettings& owner = left == right ? a : (a_wider ? b : a);
          warnings.push_back(fmt::format(
              "sites \"{}\" and \"{}\" overlap: scope \"{}\" holds \"{}\"; `fetch URL` "
              "reads a page of both as \"{}\", and each site's crawl reads its pages as itself",
              a.name, b.name, a_wider ? left : right, a_wider ? right : left, owner.name));
        }
      }
    }
  }
  return warnings;
}

namespace config {

void add_default_scope(std::string_view url, std::vector<std::string>& scope) {
  const auto parts = split_http_url(url);
  if (!parts || parts->authority.find('{') != std::string_view::npos) {
    return;
  }
  const std::string scheme = ascii_lower(parts->scheme);
  const auto own = normalize_url(scheme + "://" + std::string(parts->authority) + "/");
  if (!own) {
    return;
  }
  std::vector<std::string> origins{*own};
  // Without an explicit port (a default one counts as none), the other scheme too.
  const std::string authority = own->substr(scheme.size() + 3);
  if (authority.find("]:") == std::string::npos &&
      (authority.front() == '[' || authority.find(':') == std::string::npos)) {
    origins.push_back((scheme == "http" ? "https://" : "http://") + authority);
  }
  for (auto& origin : origins) {
    if (std::find(scope.begin(), scope.end(), origin) == scope.end()) {
      scope.push_back(std::move(origin));
    }
  }
}

}  // namespace config
}  // namespace archiver
