#include "daemon/notify.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace archiver {
namespace {

void send(const std::string& message) {
  // 0 keeps $NOTIFY_SOCKET for later messages; errors are not worth failing over.
  static_cast<void>(sd_notify(0, message.c_str()));
}

}  // namespace

void notify_ready() { send("READY=1"); }

void notify_reloading() {
  // MONOTONIC_USEC lets systemd tell this reload from a later one.
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(now.count()));
}

void notify_stopping() { send("STOPPING=1"); }

void notify_status(std::string_view status) { send("STATUS=" + std::string(status)); }

void notify_watchdog() { send("WATCHDOG=1"); }

std::optional<std::chrono::microseconds> watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    return std::chrono::microseconds(usec);
  }
  return std::nullopt;
}

}  // namespace archiver
