#pragma once
// Talking to systemd (Type=notify) through libsystemd's sd_notify. Outside systemd
// ($NOTIFY_SOCKET unset) every call does nothing.

#include <chrono>
#include <optional>
#include <string_view>

namespace archiver {

void notify_ready();
void notify_reloading();  // systemd 252 has no Type=notify-reload: say it ourselves
void notify_stopping();
void notify_status(std::string_view status);
void notify_watchdog();

// How often systemd expects WATCHDOG=1 (WatchdogSec), when it does.
[[nodiscard]] std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace archiver
