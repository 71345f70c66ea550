// The archiver executable: everything lives in archiver_core; this only hands over argv.

#include "cli/app.hpp"
#include "util/allocator.hpp"

int main(int argc, char** argv) {
  archiver::return_large_blocks_when_freed();  // before any thread has an arena
  return archiver::run_cli(argc, argv);
}
