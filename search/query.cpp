#include "search/query.hpp"

#include "search/fold.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <utility>

namespace archiver::search {
namespace {

// A term is searchable when it has a letter, a digit or an ideograph: what unicode61 makes
// tokens of. Punctuation alone (ASCII, general, CJK or full-width forms) is not.
bool is_token_character(char32_t cp) {
  if (cp < 0x80) {
    return utf8::is_ascii_alpha(cp) || utf8::is_ascii_digit(cp);
  }
  // Latin-1 punctuation and symbols (· × ©), general punctuation to miscellaneous symbols
  // (— “ ” ℃ → ★), CJK punctuation (。「」), vertical and full-width forms.
  const bool punctuation = (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
                           (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
                           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF);
  return !punctuation && !utf8::is_space(cp);
}

bool has_token_character(std::string_view folded_term) {
  for (std::size_t pos = 0; pos < folded_term.size();) {
    const auto cp = utf8::decode(folded_term, pos);
    pos += cp.length;
    if (is_token_character(cp.value)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> query_terms(std::string_view user_text) {
  std::vector<std::string> terms;
  // Control characters (NUL among them, which would end an FTS5 string early) separate terms,
  // as spaces do.
  std::string cleaned(user_text);
  std::ranges::replace_if(
      cleaned, [](char c) { return (c >= 0 && c < 0x20) || c == 0x7F; }, ' ');
  const std::string collapsed = utf8::collapse_spaces(cleaned);
  std::string_view rest = collapsed;
  while (!rest.empty()) {
    const std::size_t end = rest.find(' ');
    const std::string_view term = rest.substr(0, end);
    std::string folded = fold(term);
    if (has_token_character(folded)) {
      terms.push_back(std::move(folded));
    }
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  return terms;
}

std::string match_expression(const std::vector<std::string>& terms) {
  std::string expression;
  for (const auto& term : terms) {
    if (!expression.empty()) {
      expression += ' ';  // FTS5's implicit AND
    }
    expression += '"';
    // Inside an FTS5 string a double quote is written twice; everything else is literal, so
    // the user's text cannot inject operators.
    for (const char c : index_text(term)) {
      expression += c;
      if (c == '"') {
        expression += '"';
      }
    }
    expression += '"';
  }
  return expression;
}

}  // namespace archiver::search
