#include "util/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace archiver {

void return_large_blocks_when_freed() {
#if defined(__GLIBC__)
  // Setting the mmap threshold turns glibc's adjustment of both thresholds off (mallopt(3)); the
  // trim threshold keeps its default (128 KiB) when no large block was freed before this.
  constexpr int k_own_mapping_from = 1024 * 1024;
  // mallopt fails only for a value out of range (over 32 MiB here): this one is not.
  static_cast<void>(mallopt(M_MMAP_THRESHOLD, k_own_mapping_from));
#endif
}

}  // namespace archiver
