#pragma once
// The search index's tokenizer, FTS5's unicode61, with the case it meets most taken first.
//
// index_text gives every CJK ideograph a word of its own, so most of an article's index text is
// words of one ideograph. unicode61 looks each up in its Unicode category table and its
// case-folding table (a binary search each): that was 60% of FTS5's work as rows went in, and
// 6% of all the instructions of the benchmark crawl, on the writer's thread. unicode61 makes a
// word of one code point of the unified ideographs' block (U+4E00-U+9FFF: its tables give the
// whole block to letters, and nothing there folds) the token of those same bytes, so here such
// a word is handed on without the look-ups; every other stretch of text goes to unicode61
// itself, which is why the tokens are the same ones (tests/unit/test_store_search_tokenizer.cpp
// compares them). Words are split at ASCII spaces, which end a token in unicode61 whatever its
// options.
//
// It is registered under unicode61's own name on the archive's connections: the index declares
// `tokenize = 'unicode61 remove_diacritics 0'`, and any other program reading the archive (the
// sqlite3 shell) gets the same tokens from the original. A table whose unicode61 has options
// other than remove_diacritics (tokenchars, separators, categories: each may change what an
// ideograph is) gets unicode61 unchanged.

#include <span>

namespace archiver::sqlite {
class Database;
}

namespace archiver {

// Whether unicode61 with these options (name, value, name, value...) takes each word of one
// ideograph of U+4E00-U+9FFF as its token: only remove_diacritics may be among them. Otherwise
// the tokenizer is unicode61 unchanged.
[[nodiscard]] bool ideographs_stay_whole(std::span<const char* const> options) noexcept;

// On this connection, before it opens the search index. Throws StoreError when FTS5 or its
// unicode61 tokenizer cannot be found.
void use_quick_search_tokenizer(sqlite::Database& db);

}  // namespace archiver
