#pragma once
// Which Host headers the web interface answers (DNS rebinding: a page on any website can point
// a name of its own at 127.0.0.1 and make the visitor's browser read the archive). Like
// Transmission since 2018: a name must be on the list (localhost always is; `[serve] hosts`
// adds more); an IP address is always allowed, since a rebinding attack needs a name.

#include <string>
#include <string_view>
#include <vector>

namespace archiver::serve {

class HostAllowlist {
 public:
  explicit HostAllowlist(const std::vector<std::string>& names);

  // host_header as sent ("localhost:8080", "[::1]:8080", "archive.example.org").
  [[nodiscard]] bool allows(std::string_view host_header) const;

 private:
  std::vector<std::string> m_names;  // lower case, no trailing dot
};

// The host of a Host header: without the port and the brackets of an IPv6 address, in lower
// case, without a trailing dot.
[[nodiscard]] std::string host_name(std::string_view host_header);

}  // namespace archiver::serve
