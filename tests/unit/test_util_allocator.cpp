// The allocator's thresholds: a large block freed does not make later large blocks heap blocks.

#include "util/allocator.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// The sanitizers bring allocators of their own, which this setting does not reach.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)

namespace archiver {
namespace {

// Blocks in mappings of their own, as glibc counts them.
std::size_t own_mappings() { return mallinfo2().hblks; }

// Seen from outside, so that the compiler cannot leave out a malloc and its free.
void* volatile g_escaped = nullptr;

void* allocate(std::size_t size) {
  void* block = std::malloc(size);
  if (block != nullptr) {
    std::memset(block, 1, size);
  }
  g_escaped = block;
  return block;
}

}  // namespace

TEST_SUITE("util/allocator") {
  TEST_CASE("after a large block is freed, the next large block still gets its own mapping") {
    return_large_blocks_when_freed();
    constexpr std::size_t k_large = 8U << 20U;
    void* first = allocate(k_large);
    REQUIRE(first != nullptr);
    std::free(first);  // glibc by itself would now take blocks up to 8 MiB from the heap
    const std::size_t before = own_mappings();
    void* second = allocate(k_large / 2);
    REQUIRE(second != nullptr);
    CHECK(own_mappings() == before + 1);
    std::free(second);
    CHECK(own_mappings() == before);  // and it goes back when freed
  }
}

}  // namespace archiver

#endif
