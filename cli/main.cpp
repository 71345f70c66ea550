// The archiver executable: everything lives in archiver_core; this only hands over argv.

#include "cli/app.hpp"
#include "util/allocator.hpp"

int main(int argc, char** argv) {
  // First: once a large block has been freed, glibc has raised its trim threshold already.
  archiver::return_large_blocks_when_freed();
  return archiver::run_cli(argc, argv);
}
