#pragma once
// The gap a crawl keeps between two requests to one host (`delay_per_host`). A one-shot crawl
// is sequential, so waiting here is all the politeness it needs; the daemon has its own.

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace archiver {

class HostDelay {
 public:
  // Sleeps until delay has passed since the last request to url's host, then notes this one.
  void wait_for(std::string_view url, std::chrono::milliseconds delay);

 private:
  std::map<std::string, std::chrono::steady_clock::time_point> m_last_request;
};

}  // namespace archiver
