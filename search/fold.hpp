#pragma once
// Folding Chinese text for search: traditional characters to simplified (OpenCC's t2s
// character table), full-width ASCII to ASCII, Latin to lower case. Folding maps each code
// point to exactly one code point, so a match found in folded text is at the same code-point
// offsets in the original text, which is what results show.

#include <string>
#include <string_view>

namespace archiver::search {

// The folded form of one code point.
[[nodiscard]] char32_t fold(char32_t cp);

// The folded text; the same number of code points as the input.
[[nodiscard]] std::string fold(std::string_view text);

// What the search index stores for a text: folded, with every CJK ideograph a word of its own
// (spaces around it), so that FTS5's unicode61 tokenizer makes one token per character and a
// phrase query finds any run of characters: one, two or twenty. Latin words and numbers stay
// whole words.
[[nodiscard]] std::string index_text(std::string_view text);

// Builds the traditional-to-simplified table now rather than on first use; throws
// std::runtime_error when OpenCC's data cannot be loaded. Safe to call from any thread.
void load_folding();
// Only whether OpenCC's data loads (throws as load_folding does), leaving the table to be built
// when it is first used: 0.08 s that a writer which indexes nothing new (an unchanged re-crawl,
// a 1-second job) need not pay up front.
void check_folding_data();

}  // namespace archiver::search
