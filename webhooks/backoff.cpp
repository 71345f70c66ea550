#include "webhooks/backoff.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace archiver {

std::chrono::milliseconds retry_wait(const Backoff& backoff, std::int64_t attempts, double unit) {
  std::chrono::milliseconds wait = backoff.first;
  // Doubled while below the cap: no overflow however many attempts failed.
  for (std::int64_t i = 1; i < attempts && wait < backoff.cap; ++i) {
    wait *= 2;
  }
  wait = std::min(wait, backoff.cap);
  const double shortened =
      static_cast<double>(wait.count()) * (1.0 - std::clamp(unit, 0.0, 1.0) / 10);
  return std::chrono::milliseconds(static_cast<std::int64_t>(shortened));
}

Backoff backoff_from_environment() {
  Backoff backoff;
  const char* value = std::getenv("ARCHIVER_NOTIFY_BACKOFF_MS");
  if (value == nullptr) {
    return backoff;
  }
  const std::string_view text(value);
  std::int64_t ms = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (error == std::errc{} && end == text.data() + text.size() && ms > 0) {
    backoff.first = std::chrono::milliseconds(ms);
    backoff.cap = std::max(backoff.cap, backoff.first);
  }
  return backoff;
}

}  // namespace archiver
