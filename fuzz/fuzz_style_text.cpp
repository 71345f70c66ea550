// libFuzzer target: leaving out a page's style text (parsers/style_text.cpp) must change nothing
// else in the tree Gumbo builds from it. The input is the page, as UTF-8 or not: Gumbo reads any
// byte that is not valid UTF-8 as U+FFFD, and the scan only acts on ASCII bytes.

#include "parsers/style_text.hpp"
#include "tests/support/gumbo_outline.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string page(reinterpret_cast<const char*>(data), size);
  const std::string without = archiver::without_style_text(page);
  if (archiver::testing::gumbo_outline(without) != archiver::testing::gumbo_outline(page)) {
    std::fputs("leaving out the style text changed the tree\n", stderr);
    std::abort();
  }
  return 0;
}
