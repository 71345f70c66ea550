// libFuzzer target: search queries and snippets. Whatever a user types must become an FTS5
// query that SQLite accepts (the text cannot inject operators or break the syntax), and a
// snippet's marks must lie inside its text.

#include "search/query.hpp"
#include "search/snippet.hpp"
#include "store/sqlite.hpp"
#include "util/utf8.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static archiver::sqlite::Database* db = [] {
    spdlog::set_level(spdlog::level::off);
    // Kept for the process's life: one table, as the archive's index is declared.
    auto* memory = new archiver::sqlite::Database(
        ":memory:", archiver::sqlite::Database::Mode::read_write_create);
    memory->execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(title, body, "
        "tokenize = 'unicode61 remove_diacritics 0');"
        "INSERT INTO search_index (title, body) VALUES ('全 国 总 工 会', '工 会 劳 模 acftu "
        "2023')");
    return memory;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto terms = archiver::search::query_terms(text);
  const std::string match = archiver::search::match_expression(terms);
  if (!match.empty()) {
    auto query = db->prepare("SELECT count(*) FROM search_index WHERE search_index MATCH ?1");
    query.bind(1, match);
    (void)query.step();  // throws (and so fails the target) on an FTS5 syntax error
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
