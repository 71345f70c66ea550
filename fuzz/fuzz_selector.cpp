// libFuzzer target: the CSS selector parser, and matching what it accepts against a small page
// shaped like an e-paper 版面.

#include "parsers/html_document.hpp"
#include "parsers/selector.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // warnings about the bytes are expected here
    return true;
  }();
  static_cast<void>(quiet);
  static const archiver::HtmlDocument page(
      "<html><body><div id='main' class='a b'><ul class='list'><li><a href='c_1.htm' "
      "title='标题'>职工之家</a></li><li><a href='c_2.htm'>劳模</a><span>2024-06-09</span></li>"
      "</ul><p class='zhaiyao'>摘要</p><table><tr><td>版面</td></tr></table></div></body></html>");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto selector = archiver::Selector::parse(text);
  if (selector) {
    static_cast<void>(selector->select(page.root()));
    static_cast<void>(selector->select_first(page.root()));
  }
  return 0;
}
