#pragma once
// How the process's allocator hands memory back to the system.

namespace archiver {

// glibc's malloc raises its mmap threshold to the size of each large block freed (up to 32 MiB
// on 64-bit), and its trim threshold with it: once a crawl has trained a dictionary (zstd's
// tables of 4 and 2 MiB, the samples' buffer) or held a batch of big pages, blocks of that size
// come from the heap, where the small blocks allocated after them keep the pages resident for
// the rest of the process. Fixed thresholds keep blocks of 1 MiB and more in mappings of their
// own, returned when freed. Measured on the e-paper benchmark: peak RSS 57.6-59.0 MB without,
// 53.9-55.7 MB with (BENCHMARKS.md, the sixth session's steps). Elsewhere than glibc, nothing
// changes.
void return_large_blocks_when_freed();

}  // namespace archiver
