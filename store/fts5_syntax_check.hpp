#pragma once
// Whether SQLite's FTS5 accepts a MATCH expression, asked of an in-memory table declared as the
// archive's search index is: for the search fuzzer (fuzz/fuzz_search.cpp), which must run
// without an archive file.

#include <memory>
#include <string_view>

namespace archiver {

namespace sqlite {
class Database;
}

class Fts5SyntaxCheck {
 public:
  Fts5SyntaxCheck();
  ~Fts5SyntaxCheck();
  Fts5SyntaxCheck(const Fts5SyntaxCheck&) = delete;
  Fts5SyntaxCheck& operator=(const Fts5SyntaxCheck&) = delete;

  // Runs the expression against the table; throws StoreError when FTS5 rejects it.
  void run(std::string_view match);

 private:
  std::unique_ptr<sqlite::Database> m_db;
};

}  // namespace archiver
