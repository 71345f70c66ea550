#pragma once
// How long a webhook event waits after a failed delivery: doubling from the first wait up to a
// cap, shortened by up to a tenth at random so that events failed together do not come back
// together.

#include <chrono>
#include <cstdint>

namespace archiver {

struct Backoff {
  std::chrono::milliseconds first{30'000};
  std::chrono::milliseconds cap{60 * 60 * 1000};
};

// The wait after the `attempts`th failed attempt (1 for the first failure): first * 2^(attempts
// - 1), at most cap, times (1 - unit / 10) for unit in [0, 1).
[[nodiscard]] std::chrono::milliseconds retry_wait(const Backoff& backoff, std::int64_t attempts,
                                                   double unit);

// The daemon's backoff: 30 s doubling to 1 h, unless ARCHIVER_NOTIFY_BACKOFF_MS (for tests) sets
// the first wait in milliseconds.
[[nodiscard]] Backoff backoff_from_environment();

}  // namespace archiver
