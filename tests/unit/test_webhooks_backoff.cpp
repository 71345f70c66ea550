// The wait after a failed webhook delivery: doubling, capped, jittered downwards only, and the
// tests' knob.

#include "webhooks/backoff.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

namespace archiver {

using std::chrono::milliseconds;

TEST_SUITE("webhooks/backoff") {
  TEST_CASE("30 s doubling to an hour, never past it") {
    const Backoff backoff;  // the daemon's
    CHECK(retry_wait(backoff, 1, 0.0) == milliseconds(30'000));
    CHECK(retry_wait(backoff, 2, 0.0) == milliseconds(60'000));
    CHECK(retry_wait(backoff, 3, 0.0) == milliseconds(120'000));
    CHECK(retry_wait(backoff, 7, 0.0) == milliseconds(1'920'000));
    CHECK(retry_wait(backoff, 8, 0.0) == milliseconds(3'600'000));          // 3 840 s, capped
    CHECK(retry_wait(backoff, 1'000'000, 0.0) == milliseconds(3'600'000));  // no overflow
  }

  TEST_CASE("jitter shortens by up to a tenth") {
    const Backoff backoff;
    CHECK(retry_wait(backoff, 1, 0.5) == milliseconds(28'500));
    CHECK(retry_wait(backoff, 1, 0.999) > milliseconds(27'000));
    CHECK(retry_wait(backoff, 1'000, 0.999) <= milliseconds(3'600'000));
    CHECK(retry_wait(backoff, 1'000, 0.999) > milliseconds(3'240'000));
    // A unit outside [0, 1) is held to it.
    CHECK(retry_wait(backoff, 1, 7.0) == milliseconds(27'000));
    CHECK(retry_wait(backoff, 1, -1.0) == milliseconds(30'000));
  }

  TEST_CASE("ARCHIVER_NOTIFY_BACKOFF_MS sets the first wait, for tests") {
    ::setenv("ARCHIVER_NOTIFY_BACKOFF_MS", "200", 1);
    Backoff backoff = backoff_from_environment();
    CHECK(backoff.first == milliseconds(200));
    CHECK(backoff.cap == milliseconds(3'600'000));
    CHECK(retry_wait(backoff, 3, 0.0) == milliseconds(800));
    for (const char* bad : {"", "-5", "0", "12ms", "x"}) {
      ::setenv("ARCHIVER_NOTIFY_BACKOFF_MS", bad, 1);
      CHECK(backoff_from_environment().first == milliseconds(30'000));
    }
    ::unsetenv("ARCHIVER_NOTIFY_BACKOFF_MS");
    CHECK(backoff_from_environment().first == milliseconds(30'000));
  }
}

}  // namespace archiver
