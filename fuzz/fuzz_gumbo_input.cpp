// libFuzzer target: what Gumbo is given in place of a page (parsers/gumbo_input.cpp: the style
// text left out, the runs of text stood in and put back after) must change nothing else in the
// tree of the page. The input is the page, as UTF-8 or not: Gumbo reads any byte that is not
// valid UTF-8 as U+FFFD, and the scan stands in only runs of valid UTF-8.

#include "parsers/gumbo_input.hpp"
#include "parsers/html_document.hpp"
#include "tests/support/gumbo_outline.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string page(reinterpret_cast<const char*>(data), size);
  const std::string outline = archiver::testing::gumbo_outline(page);
  const std::string without = archiver::without_style_text(page);
  if (archiver::testing::gumbo_outline(without) != outline) {
    std::fputs("leaving out the style text changed the tree\n", stderr);
    std::abort();
  }
  try {
    const archiver::HtmlDocument document(page);
    if (archiver::testing::gumbo_outline(document.root()) != outline) {
      std::fputs("the document's tree is not the page's\n", stderr);
      std::abort();
    }
  } catch (const std::runtime_error&) {
    // Nested too deep: HtmlDocument parses no such page.
  }
  return 0;
}
