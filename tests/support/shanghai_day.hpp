#pragma once
// Today in Shanghai, for a test whose crawls must see the same day as the test: e-paper editions
// are dated by the Beijing calendar, which turns at 16:00 UTC.

#include "util/clock.hpp"
#include "util/timezone.hpp"

#include <chrono>
#include <thread>

namespace archiver::testing {

// Within `margin` of Shanghai's midnight it first waits until the new day has begun, so that a
// test started at 15:59:50 UTC does not write yesterday's edition for crawls that see today. The
// wait is at most `margin`: keep it well inside the test's own time limit (120 s).
inline std::chrono::year_month_day shanghai_today(
    std::chrono::seconds margin = std::chrono::seconds(30)) {
  const auto day_at = [](SysSeconds time) { return *local_day_in("Asia/Shanghai", time); };
  const auto today = day_at(now_seconds());
  if (day_at(now_seconds() + margin) == today) {
    return today;
  }
  while (day_at(now_seconds()) == today) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return day_at(now_seconds());
}

}  // namespace archiver::testing
