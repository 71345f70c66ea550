// libFuzzer target: search queries and snippets. Whatever a user types must become an FTS5
// query that SQLite accepts (the text cannot inject operators or break the syntax), and a
// snippet's marks must lie inside its text.

#include "search/query.hpp"
#include "search/snippet.hpp"
#include "store/fts5_syntax_check.hpp"
#include "util/utf8.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static archiver::Fts5SyntaxCheck* fts5 = [] {
    spdlog::set_level(spdlog::level::off);
    return new archiver::Fts5SyntaxCheck;  // kept for the process's life
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto terms = archiver::search::query_terms(text);
  const std::string match = archiver::search::match_expression(terms);
  if (!match.empty()) {
    fts5->run(match);  // throws (and so fails the target) on an FTS5 syntax error
  }
  const auto snippet = archiver::search::make_snippet(text, terms, 40);
  const std::size_t length = archiver::utf8::count_code_points(snippet.text);
  for (const auto& mark : snippet.marks) {
    if (mark.start + mark.length > length) {
      std::abort();
    }
  }
  (void)archiver::search::render(snippet, "[", "]");
  return 0;
}
