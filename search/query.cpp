#include "search/query.hpp"

#include "search/fold.hpp"
#include "util/utf8.hpp"

#include <utility>

namespace archiver::search {
namespace {

// A letter, a digit or an ideograph: what unicode61 makes tokens of. Punctuation (ASCII,
// general, CJK or full-width forms), symbols, spaces and control characters are not.
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

}  // namespace

std::vector<std::string> query_terms(std::string_view user_text) {
  // A term is a run of letters, digits and ideographs. Spaces, punctuation (“劳模” is 劳模) and
  // control characters (a NUL would end an FTS5 string early) all end one, so a term holds
  // exactly what the index has tokens for, and can be looked for as written in the text.
  std::vector<std::string> terms;
  const std::string folded = fold(user_text);
  std::string term;
  for (std::size_t pos = 0; pos < folded.size();) {
    const auto cp = utf8::decode(folded, pos);
    pos += cp.length;
    if (is_token_character(cp.value)) {
      utf8::append(term, cp.value);
    } else if (!term.empty()) {
      terms.push_back(std::move(term));
      term.clear();
    }
  }
  if (!term.empty()) {
    terms.push_back(std::move(term));
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
