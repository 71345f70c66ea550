#include "change/diff.hpp"

#include "util/utf8.hpp"

#include <cstdint>

namespace archiver {
namespace {

// Classic LCS table; inputs beyond k_max_cells fall back to "all removed, all added", which is
// still a correct (if coarse) diff and keeps memory bounded.
constexpr std::size_t k_max_cells = 16U * 1024U * 1024U;

template <typename Sequence, typename Emit>
void lcs_diff(const Sequence& a, const Sequence& b, Emit emit) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Common prefix and suffix cost nothing and shrink the table.
  std::size_t prefix = 0;
  while (prefix < n && prefix < m && a[prefix] == b[prefix]) {
    ++prefix;
  }
  std::size_t suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix]) {
    ++suffix;
  }
  for (std::size_t i = 0; i < prefix; ++i) {
    emit(DiffKind::equal, a[i]);
  }
  const std::size_t rows = n - prefix - suffix;
  const std::size_t cols = m - prefix - suffix;
  if (rows * cols > k_max_cells) {
    for (std::size_t i = 0; i < rows; ++i) {
      emit(DiffKind::removed, a[prefix + i]);
    }
    for (std::size_t j = 0; j < cols; ++j) {
      emit(DiffKind::added, b[prefix + j]);
    }
  } else {
    // table[i][j]: LCS length of a[prefix+i..] and b[prefix+j..]
    std::vector<std::uint32_t> table((rows + 1) * (cols + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
      return table[i * (cols + 1) + j];
    };
    for (std::size_t i = rows; i-- > 0;) {
      for (std::size_t j = cols; j-- > 0;) {
        at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1
                                                  : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < rows || j < cols) {
      if (i < rows && j < cols && a[prefix + i] == b[prefix + j]) {
        emit(DiffKind::equal, a[prefix + i]);
        ++i;
        ++j;
      } else if (i < rows && (j == cols || at(i + 1, j) >= at(i, j + 1))) {
        emit(DiffKind::removed, a[prefix + i]);  // removals first, as diff tools show them
        ++i;
      } else {
        emit(DiffKind::added, b[prefix + j]);
        ++j;
      }
    }
  }
  for (std::size_t k = n - suffix; k < n; ++k) {
    emit(DiffKind::equal, a[k]);
  }
}

}  // namespace

std::vector<DiffSpan> diff_paragraphs(const std::vector<std::string>& before,
                                      const std::vector<std::string>& after) {
  std::vector<DiffSpan> spans;
  lcs_diff(before, after, [&](DiffKind kind, const std::string& paragraph) {
    spans.push_back({kind, paragraph});
  });
  return spans;
}

std::vector<DiffSpan> diff_characters(std::string_view before, std::string_view after) {
  const std::u32string a = utf8::to_u32(before);
  const std::u32string b = utf8::to_u32(after);
  std::vector<DiffSpan> spans;
  lcs_diff(a, b, [&](DiffKind kind, char32_t cp) {
    if (spans.empty() || spans.back().kind != kind) {
      spans.push_back({kind, {}});
    }
    utf8::append(spans.back().text, cp);
  });
  return spans;
}

}  // namespace archiver
