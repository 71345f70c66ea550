#include "crawl/host_delay.hpp"

#include "parsers/url.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

namespace archiver {

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
