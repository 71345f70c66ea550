#include "search/snippet.hpp"

#include "search/fold.hpp"
#include "util/utf8.hpp"

#include <algorithm>

namespace archiver::search {
namespace {

constexpr std::u32string_view k_ellipsis = U"…";

struct Match {
  std::size_t start;
  std::size_t length;
};

// Every occurrence of every term in the folded text, in order, overlaps merged.
std::vector<Match> find_matches(std::u32string_view folded, const std::vector<std::string>& terms) {
  std::vector<Match> matches;
  for (const auto& term : terms) {
    const std::u32string needle = utf8::to_u32(term);
    if (needle.empty()) {
      continue;
    }
    for (std::size_t at = folded.find(needle); at != std::u32string_view::npos;
         at = folded.find(needle, at + needle.size())) {
      matches.push_back({at, needle.size()});
    }
  }
  std::ranges::sort(matches, {}, &Match::start);
  std::vector<Match> merged;
  for (const auto& match : matches) {
    if (!merged.empty() && match.start <= merged.back().start + merged.back().length) {
      auto& last = merged.back();
      last.length = std::max(last.start + last.length, match.start + match.length) - last.start;
    } else {
      merged.push_back(match);
    }
  }
  return merged;
}

}  // namespace

Snippet make_snippet(std::string_view text, const std::vector<std::string>& terms,
                     std::size_t width) {
  std::u32string original = utf8::to_u32(text);
  std::ranges::replace_if(
      original, [](char32_t cp) { return utf8::is_line_break(cp); }, U' ');
  std::u32string folded = original;
  std::ranges::transform(folded, folded.begin(), [](char32_t cp) { return fold(cp); });
  const auto matches = find_matches(folded, terms);

  // Start a third of the width before the first match, so it reads in context.
  std::size_t start = 0;
  if (!matches.empty() && matches.front().start > width / 3) {
    start = matches.front().start - width / 3;
  }
  const std::size_t end = std::min(original.size(), start + width);
  if (end - start < width && end == original.size()) {
    start = end > width ? end - width : 0;
  }

  Snippet snippet;
  std::u32string out;
  if (start > 0) {
    out += k_ellipsis;
  }
  const std::size_t offset = out.size();
  out += std::u32string_view(original).substr(start, end - start);
  if (end < original.size()) {
    out += k_ellipsis;
  }
  for (const auto& match : matches) {
    const std::size_t match_end = match.start + match.length;
    if (match.start < start || match_end > end) {
      continue;  // only whole matches inside the window are marked
    }
    snippet.marks.push_back({match.start - start + offset, match.length});
  }
  snippet.text = utf8::to_utf8(out);
  return snippet;
}

std::string render(const Snippet& snippet, std::string_view open, std::string_view close) {
  const std::u32string text = utf8::to_u32(snippet.text);
  std::string out;
  std::size_t at = 0;
  for (const auto& mark : snippet.marks) {
    out += utf8::to_utf8(std::u32string_view(text).substr(at, mark.start - at));
    out += open;
    out += utf8::to_utf8(std::u32string_view(text).substr(mark.start, mark.length));
    out += close;
    at = mark.start + mark.length;
  }
  out += utf8::to_utf8(std::u32string_view(text).substr(at));
  return out;
}

}  // namespace archiver::search
