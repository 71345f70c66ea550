#include "serve/host_allowlist.hpp"

#include "util/ascii.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace archiver::serve {
namespace {

std::string normal_name(std::string_view name) {
  std::string out = ascii_lower(name);
  while (!out.empty() && out.back() == '.') {
    out.pop_back();
  }
  return out;
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code error;
  (void)boost::asio::ip::make_address(host, error);
  return !error;
}

}  // namespace

std::string host_name(std::string_view host_header) {
  if (host_header.starts_with('[')) {
    const std::size_t close = host_header.find(']');
    return close == std::string_view::npos ? std::string()
                                           : normal_name(host_header.substr(1, close - 1));
  }
  return normal_name(host_header.substr(0, host_header.find(':')));
}

HostAllowlist::HostAllowlist(const std::vector<std::string>& names) {
  m_names.emplace_back("localhost");
  for (const auto& name : names) {
    m_names.push_back(normal_name(name));
  }
}

bool HostAllowlist::allows(std::string_view host_header) const {
  const std::string host = host_name(host_header);
  if (host.empty()) {
    return false;
  }
  if (is_ip_address(host)) {
    return true;
  }
  return std::ranges::find(m_names, host) != m_names.end();
}

}  // namespace archiver::serve
