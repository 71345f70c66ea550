#include "util/ascii.hpp"

#include <algorithm>

namespace archiver {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_upper(c);
  }
  return out;
}

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  return std::ranges::equal(left, right,
                            [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         equals_ignoring_case(text.substr(text.size() - suffix.size()), suffix);
}

std::size_t find_ignoring_case(std::string_view haystack, std::string_view needle,
                               std::size_t from) {
  if (needle.empty() || haystack.size() < needle.size()) {
    return std::string_view::npos;
  }
  // Naive search: the needles are a few bytes long (tag names, "charset").
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (starts_with_ignoring_case(haystack.substr(i), needle)) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool has_ascii_control(std::string_view text) {
  return std::ranges::any_of(text, [](char c) { return is_ascii_control(c); });
}

std::string_view ascii_trim_start(std::string_view text, std::string_view whitespace) {
  const std::size_t first = text.find_first_not_of(whitespace);
  return first == std::string_view::npos ? std::string_view{} : text.substr(first);
}

std::string_view ascii_trim_end(std::string_view text, std::string_view whitespace) {
  const std::size_t last = text.find_last_not_of(whitespace);
  return last == std::string_view::npos ? std::string_view{} : text.substr(0, last + 1);
}

std::string_view ascii_trim(std::string_view text, std::string_view whitespace) {
  return ascii_trim_end(ascii_trim_start(text, whitespace), whitespace);
}

}  // namespace archiver
