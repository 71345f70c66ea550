#pragma once
// Text cut at separator characters, without copying: the loop that paths, header lists, class
// attributes, host names and robots.txt lines are read with, written once.
//
//   for (const std::string_view segment : text_parts(path, "/")) { ... }
//
// The parts are what lies between separators, in order, empty ones included: "a//b" cut at "/"
// gives "a", "" and "b"; "a/" gives "a" and ""; "" gives one empty part. Callers that have no
// use for empty parts skip them.

#include <cstddef>
#include <iterator>
#include <string_view>

namespace archiver {

class TextParts {
 public:
  class Iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;
    Iterator(std::string_view text, std::string_view separators)
        : m_text(text), m_separators(separators), m_end(find_end(0)) {}

    [[nodiscard]] std::string_view operator*() const {
      return m_text.substr(m_start, m_end - m_start);
    }
    Iterator& operator++() {
      if (m_end == m_text.size()) {
        m_done = true;
      } else {
        m_start = m_end + 1;
        m_end = find_end(m_start);
      }
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const Iterator& it, std::default_sentinel_t /*end*/) {
      return it.m_done;
    }

   private:
    [[nodiscard]] std::size_t find_end(std::size_t from) const {
      // One separator, the usual case: memchr rather than a test of each character.
      const std::size_t found = m_separators.size() == 1 ? m_text.find(m_separators[0], from)
                                                         : m_text.find_first_of(m_separators, from);
      return found == std::string_view::npos ? m_text.size() : found;
    }

    std::string_view m_text;
    std::string_view m_separators;
    std::size_t m_start = 0;
    std::size_t m_end = 0;
    bool m_done = false;
  };

  TextParts(std::string_view text, std::string_view separators)
      : m_text(text), m_separators(separators) {}

  [[nodiscard]] Iterator begin() const { return {m_text, m_separators}; }
  [[nodiscard]] static std::default_sentinel_t end() { return {}; }

 private:
  std::string_view m_text;
  std::string_view m_separators;
};

// The parts of text between any two of the separator characters (see above).
[[nodiscard]] inline TextParts text_parts(std::string_view text, std::string_view separators) {
  return {text, separators};
}

}  // namespace archiver
