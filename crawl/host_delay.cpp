#include "crawl/host_delay.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

namespace archiver {

std::string host_of(std::string_view url) {
  const auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  std::string host(rest.substr(rest.find('@') == std::string_view::npos ? 0 : rest.find('@') + 1));
  std::ranges::transform(host, host.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

void HostDelay::wait_for(std::string_view url, std::chrono::milliseconds delay) {
  const std::string host = host_of(url);
  const auto now = std::chrono::steady_clock::now();
  if (const auto last = m_last_request.find(host); last != m_last_request.end()) {
    const auto due = last->second + delay;
    if (due > now) {
      std::this_thread::sleep_for(due - now);
    }
  }
  m_last_request[host] = std::chrono::steady_clock::now();
}

}  // namespace archiver
