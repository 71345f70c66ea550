#pragma once
// Longest-common-subsequence diffs: paragraph by paragraph for bodies, then character by
// character inside a changed paragraph (Chinese has no spaces, so word diffs are useless).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

enum class DiffKind { equal, removed, added };

struct DiffSpan {
  DiffKind kind = DiffKind::equal;
  std::string text;  // a paragraph, or a run of characters
};

// Paragraph-level diff of two bodies.
[[nodiscard]] std::vector<DiffSpan> diff_paragraphs(const std::vector<std::string>& before,
                                                    const std::vector<std::string>& after);

// Character-level diff of two strings (by code point), adjacent spans of one kind merged.
[[nodiscard]] std::vector<DiffSpan> diff_characters(std::string_view before,
                                                    std::string_view after);

}  // namespace archiver
