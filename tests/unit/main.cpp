// The doctest runner for the unit tests. Logging is quiet unless ARCHIVER_TEST_LOG is set:
// several tests feed deliberately broken input that would otherwise flood the output.

#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

int main(int argc, char** argv) {
  if (std::getenv("ARCHIVER_TEST_LOG") == nullptr) {
    spdlog::set_level(spdlog::level::off);
  }
  doctest::Context context(argc, argv);
  return context.run();
}
