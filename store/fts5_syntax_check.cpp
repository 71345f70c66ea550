#include "store/fts5_syntax_check.hpp"

#include "store/sqlite.hpp"

namespace archiver {

Fts5SyntaxCheck::Fts5SyntaxCheck()
    : m_db(std::make_unique<sqlite::Database>(":memory:",
                                              sqlite::Database::Mode::read_write_create)) {
  // One row, so that a query is not only parsed but run.
  m_db->execute(
      "CREATE VIRTUAL TABLE search_index USING fts5(title, body, "
      "tokenize = 'unicode61 remove_diacritics 0');"
      "INSERT INTO search_index (title, body) VALUES ('全 国 总 工 会', '工 会 劳 模 acftu "
      "2023')");
}

Fts5SyntaxCheck::~Fts5SyntaxCheck() = default;

void Fts5SyntaxCheck::run(std::string_view match) {
  auto query = m_db->prepare("SELECT count(*) FROM search_index WHERE search_index MATCH ?1");
  query.bind(1, match);
  (void)query.step();
}

}  // namespace archiver
