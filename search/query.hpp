#pragma once
// What a user types, made into an FTS5 query against the index that index_text() builds.

#include <string>
#include <string_view>
#include <vector>

namespace archiver::search {

// A query longer than this (in characters, spaces included) is refused: the longest titles of
// union papers are about 60 characters, and FTS5's work grows with every character.
inline constexpr std::size_t k_max_query_chars = 200;

// The terms of the user's text, folded: runs of letters, digits and ideographs, split at
// spaces and punctuation. "全國總工會 “劳模”" gives {"全国总工会", "劳模"}.
[[nodiscard]] std::vector<std::string> query_terms(std::string_view user_text);

// The FTS5 MATCH expression for the terms: each term a phrase of its characters, every term
// required. {"全国总工会", "劳模"} gives "\"全 国 总 工 会\" \"劳 模\"". Empty for no terms.
[[nodiscard]] std::string match_expression(const std::vector<std::string>& terms);

}  // namespace archiver::search
