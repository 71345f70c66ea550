#pragma once
// ASCII case folding for the parts of URLs and file names that compare without case (hosts,
// schemes, extensions). Bytes outside A-Z, UTF-8 included, stay as they are.

#include <string>
#include <string_view>

namespace archiver {

[[nodiscard]] inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace archiver
