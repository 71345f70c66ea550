#include "parsers/raw_text.hpp"

#include "util/ascii.hpp"

namespace archiver {

bool is_raw_text_element(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" ||
         name == "xmp" || name == "iframe" || name == "noembed" || name == "noframes";
}

std::size_t raw_text_end(std::string_view html, std::string_view name, std::size_t from) {
  constexpr std::size_t npos = std::string_view::npos;
  for (std::size_t pos = html.find("</", from); pos != npos; pos = html.find("</", pos + 2)) {
    const std::size_t after = pos + 2 + name.size();
    if (after < html.size() && equals_ignoring_case(html.substr(pos + 2, name.size()), name) &&
        (is_ascii_space(html[after], k_html_whitespace) || html[after] == '/' ||
         html[after] == '>')) {
      return pos;
    }
  }
  return npos;
}

}  // namespace archiver
