#pragma once
// The piece of an article a search result shows: the original text around the first match,
// with every match in it marked.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace archiver::search {

struct Mark {
  std::size_t start = 0;   // code points into the snippet's text
  std::size_t length = 0;  // code points
};

struct Snippet {
  std::string text;  // original characters; line breaks as spaces; "…" where cut
  std::vector<Mark> marks;
};

// Around the first place any folded term occurs in text (matching by folded form, so 工会
// marks 工會), at most `width` code points. Without a match: the start of the text.
[[nodiscard]] Snippet make_snippet(std::string_view text, const std::vector<std::string>& terms,
                                   std::size_t width = 90);

// The snippet with each mark between open and close (colour codes, or brackets).
[[nodiscard]] std::string render(const Snippet& snippet, std::string_view open,
                                 std::string_view close);

}  // namespace archiver::search
