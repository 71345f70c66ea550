#pragma once
// How deep a page's elements nest, from a quick scan of its tags, before Gumbo builds the tree:
// Gumbo's tree building is quadratic in the depth (a page nested 50,000 levels deep took 3 s, one
// of 200,000 would take a minute), and real pages nest a few dozen levels.

#include <cstddef>
#include <string_view>

namespace archiver {

// Real pages nest a few dozen levels; Gumbo builds a tree this deep in about a tenth of a second.
inline constexpr std::size_t k_max_nesting = 10'000;

// The deepest nesting of elements that need an end tag (not void elements, not those whose end
// tag may be left out, such as p, li and td), counting no further than limit + 1.
[[nodiscard]] std::size_t nesting_depth(std::string_view html, std::size_t limit);

// Whether html nests deeper than limit: nesting_depth, asked only of a page with room for that
// many start tags (each at least three bytes, "<b>"), which nearly none has.
[[nodiscard]] bool nests_deeper_than(std::string_view html, std::size_t limit);

}  // namespace archiver
