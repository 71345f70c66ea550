// The doctest runner (tests/support/doctest_main.hpp).

#define DOCTEST_CONFIG_IMPLEMENT
#include "tests/support/doctest_main.hpp"

int main(int argc, char** argv) { return archiver::testing::run_tests(argc, argv); }
