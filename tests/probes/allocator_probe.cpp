// Runs, in a process of its own (a fresh heap), what a crawl does to glibc's malloc: a large
// block freed, then a smaller large block. Exit code 0: the second block had a mapping of its
// own; 1: it came from the heap; 2: the probe could not run. With the argument "fixed" it first
// calls return_large_blocks_when_freed(), as the archiver binary's main does.

#include "util/allocator.hpp"

#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

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

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "fixed") {
    archiver::return_large_blocks_when_freed();
  }
  constexpr std::size_t k_first = 8U << 20U;  // glibc raises its threshold to this when freed
  void* first = allocate(k_first);
  if (first == nullptr) {
    return 2;
  }
  std::free(first);
  const std::size_t before = mallinfo2().hblks;
  void* second = allocate(k_first / 2);
  if (second == nullptr) {
    return 2;
  }
  const bool own_mapping = mallinfo2().hblks == before + 1;
  std::free(second);
  return own_mapping ? 0 : 1;
}
