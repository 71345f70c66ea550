// The allocator's thresholds: a large block freed does not make later large blocks heap blocks.
// Each case runs tests/probes/allocator_probe, a process of its own: the heap of this one holds
// what the tests before left, which would serve a large block whatever the threshold.

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

// The sanitizers bring allocators of their own, which the setting does not reach.
#if defined(__GLIBC__) && !defined(ARCHIVER_SANITIZED_BUILD)

namespace archiver {

TEST_SUITE("util/allocator") {
  TEST_CASE("after a large block is freed, the next large block still gets its own mapping") {
    testing::TempDir dir;
    CHECK(testing::run_process(ARCHIVER_ALLOCATOR_PROBE, {"fixed"}, dir.path()).exit_code == 0);
  }

  TEST_CASE("glibc by itself takes that block from the heap (what the setting is for)") {
    testing::TempDir dir;
    CHECK(testing::run_process(ARCHIVER_ALLOCATOR_PROBE, {}, dir.path()).exit_code == 1);
  }
}

}  // namespace archiver

#endif
