#pragma once
// The systemd side of sd_notify for daemon tests: a datagram socket (NOTIFY_SOCKET) the daemon
// writes its state lines to (READY=1, STATUS=..., WATCHDOG=1).

#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace archiver::testing {

// The systemd side of sd_notify: a datagram socket the daemon writes its state lines to.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : m_path(path) {
    m_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  }
  ~NotifySocket() { close(m_fd); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // Reads messages until one contains text, or the timeout passes.
  bool wait_for(std::string_view text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd poll_fd{.fd = m_fd, .events = POLLIN, .revents = 0};
      if (poll(&poll_fd, 1, 100) > 0) {
        char buffer[4096];
        const auto size = recv(m_fd, buffer, sizeof(buffer), 0);
        if (size > 0) {
          const std::string message(buffer, static_cast<std::size_t>(size));
          m_seen.push_back(message);
          if (message.find(text) != std::string::npos) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // Reads messages for `period` and counts those that contain text.
  std::size_t count_for(std::string_view text, std::chrono::milliseconds period) {
    std::size_t count = 0;
    const auto deadline = std::chrono::steady_clock::now() + period;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd poll_fd{.fd = m_fd, .events = POLLIN, .revents = 0};
      if (poll(&poll_fd, 1, 50) > 0) {
        char buffer[4096];
        const auto size = recv(m_fd, buffer, sizeof(buffer), 0);
        if (size > 0) {
          const std::string message(buffer, static_cast<std::size_t>(size));
          m_seen.push_back(message);
          count += message.find(text) != std::string::npos ? 1U : 0U;
        }
      }
    }
    return count;
  }

  [[nodiscard]] const std::vector<std::string>& seen() const { return m_seen; }

 private:
  std::filesystem::path m_path;
  int m_fd = -1;
  std::vector<std::string> m_seen;
};

}  // namespace archiver::testing
