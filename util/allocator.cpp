#include "util/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace archiver {

void return_large_blocks_when_freed() {
#if defined(__GLIBC__)
  // Setting the mmap threshold turns glibc's adjustment of both thresholds off; the trim
  // threshold keeps its default (128 KiB).
  constexpr int k_own_mapping_from = 1024 * 1024;
  static_cast<void>(mallopt(M_MMAP_THRESHOLD, k_own_mapping_from));
#endif
}

}  // namespace archiver
