// The search index's tokenizer (store/search_tokenizer.hpp) against FTS5's own unicode61: two
// connections, one with it registered and one without, index the same texts, and every token,
// its position and (through highlight()) its byte offsets must agree.

#include "search/fold.hpp"
#include "store/search_tokenizer.hpp"
#include "store/sqlite.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {
namespace {

std::string utf8_of(char32_t code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6U));
    out += static_cast<char>(0x80 | (code & 0x3FU));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12U));
    out += static_cast<char>(0x80 | ((code >> 6U) & 0x3FU));
    out += static_cast<char>(0x80 | (code & 0x3FU));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18U));
    out += static_cast<char>(0x80 | ((code >> 12U) & 0x3FU));
    out += static_cast<char>(0x80 | ((code >> 6U) & 0x3FU));
    out += static_cast<char>(0x80 | (code & 0x3FU));
  }
  return out;
}

// A connection with a table t of the given tokenizer holding texts, one row each.
struct Indexed {
  sqlite::Database db{":memory:", sqlite::Database::Mode::read_write_create};

  Indexed(bool quick, const std::string& tokenize, const std::vector<std::string>& texts) {
    if (quick) {
      use_quick_search_tokenizer(db);
    }
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = \"" + tokenize +
               "\"); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')");
    auto insert = db.prepare("INSERT INTO t (x) VALUES (?1)");
    for (const std::string& text : texts) {
      insert.bind(1, text);
      (void)insert.step();
      insert.reset();
    }
  }

  // Every token stored: row, position and term.
  [[nodiscard]] std::vector<std::string> tokens() {
    std::vector<std::string> out;
    auto query = db.prepare("SELECT doc, offset, term FROM v ORDER BY doc, offset");
    while (query.step()) {
      out.push_back(std::to_string(query.column_int(0)) + ":" +
                    std::to_string(query.column_int(1)) + ":" + query.column_text(2));
    }
    return out;
  }

  // The rows a query matches, each with its matches bracketed (FTS5 tokenizes the text again
  // for highlight(), and places the brackets by the tokens' byte offsets).
  [[nodiscard]] std::vector<std::string> matches(const std::string& match) {
    std::vector<std::string> out;
    auto query = db.prepare(
        "SELECT rowid, highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 ORDER BY rowid");
    query.bind(1, match);
    while (query.step()) {
      out.push_back(std::to_string(query.column_int(0)) + ":" + query.column_text(1));
    }
    return out;
  }
};

// The tokenize function FTS5 finds under the name unicode61 on this connection.
auto unicode61_of(sqlite::Database& db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK);
  sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  REQUIRE(api != nullptr);
  void* context = nullptr;
  fts5_tokenizer functions{};
  REQUIRE(api->xFindTokenizer(api, "unicode61", &context, &functions) == SQLITE_OK);
  return functions.xTokenize;
}

constexpr const char* k_index_tokenizer = "unicode61 remove_diacritics 0";

}  // namespace

TEST_SUITE("store/search_tokenizer") {
  TEST_CASE("registered, it is what unicode61 names, and the index's options take the quick path") {
    sqlite::Database plain(":memory:", sqlite::Database::Mode::read_write_create);
    sqlite::Database quick(":memory:", sqlite::Database::Mode::read_write_create);
    use_quick_search_tokenizer(quick);
    CHECK((unicode61_of(quick) != unicode61_of(plain)));
    using Options = std::vector<const char*>;
    CHECK(ideographs_stay_whole(Options{"remove_diacritics", "0"}));  // the index's declaration
    CHECK(ideographs_stay_whole(Options{}));
    CHECK(ideographs_stay_whole(Options{"Remove_Diacritics", "2"}));
    CHECK_FALSE(ideographs_stay_whole(Options{"remove_diacritics"}));
    CHECK_FALSE(ideographs_stay_whole(Options{"tokenchars", "-"}));
    CHECK_FALSE(ideographs_stay_whole(Options{"remove_diacritics", "0", "categories", "L* N*"}));
    CHECK_FALSE(ideographs_stay_whole(Options{"separators", "工"}));
  }

  TEST_CASE("every code point of the unified ideographs, and those around them, as unicode61") {
    // Each alone (the quick path), then in runs (handed on), and the blocks next to it: the
    // hexagrams (separators), extension A, the compatibility ideographs, extension B.
    std::string alone;
    std::string runs;
    for (char32_t code = 0x4DC0; code <= 0xA000; ++code) {
      alone += utf8_of(code) + " ";
      runs += utf8_of(code) + (code % 7 == 0 ? " " : "");
    }
    std::string neighbours;
    for (const auto& [first, last] : std::vector<std::pair<char32_t, char32_t>>{{0x3400, 0x3410},
                                                                                {0x4DB0, 0x4DBF},
                                                                                {0xF900, 0xF910},
                                                                                {0xFA60, 0xFA70},
                                                                                {0x20000, 0x20010},
                                                                                {0x2A6D0, 0x2A6DF},
                                                                                {0x3000, 0x3010},
                                                                                {0xFF01, 0xFF20}}) {
      for (char32_t code = first; code <= last; ++code) {
        neighbours += utf8_of(code) + " ";
      }
    }
    const std::vector<std::string> texts = {alone, runs, neighbours};
    Indexed plain(false, k_index_tokenizer, texts);
    Indexed quick(true, k_index_tokenizer, texts);
    const auto expected = plain.tokens();
    CHECK(expected.size() > 20992);  // the block's every code point is a token alone
    CHECK(quick.tokens() == expected);
  }

  TEST_CASE("index text and raw text with every kind of noise, token by token and by offset") {
    const std::vector<std::string> pieces = {
        "工", "会",  "职",      "鿿",    "〇",   "㐀",       "𠀀",   "豈", "Ａ",
        "ｂ", "ABC", "Ünïcödé", "café",   "2024", "-",        "_",    "，", "。",
        "“",  "”",   "\u0301",  "\u3000", "\xE5", "\xE4\xB8", "\xB8", "é",  std::string("\0", 1),
        "\t", "\n",  "a\u0301", "Σίσυφος"};
    const std::vector<std::string> separators = {" ", " ", "  ", "", "\t", "\u3000", "，"};
    std::mt19937 random(20261206);
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
    std::uniform_int_distribution<std::size_t> separator(0, separators.size() - 1);
    std::uniform_int_distribution<int> length(0, 60);
    std::vector<std::string> texts;
    for (int row = 0; row < 600; ++row) {
      std::string text;
      for (int i = length(random); i > 0; --i) {
        text += pieces[piece(random)] + separators[separator(random)];
      }
      // Half as the index stores text: folded, every ideograph a word.
      texts.push_back(row % 2 == 0 ? search::index_text(text) : text);
    }
    Indexed plain(false, k_index_tokenizer, texts);
    Indexed quick(true, k_index_tokenizer, texts);
    const auto expected = plain.tokens();
    CHECK(expected.size() > 5000);
    CHECK(quick.tokens() == expected);
    for (const std::string match : {"工", "\"工 会\"", "工 会", "abc", "ünïcödé", "2024", "工*",
                                    "\"会 职\" OR 鿿", "豈"}) {
      CAPTURE(match);
      const auto found = plain.matches(match);
      CHECK(quick.matches(match) == found);
    }
    CHECK_FALSE(plain.matches("\"工 会\"").empty());
  }

  TEST_CASE("options that may change what an ideograph is get unicode61 unchanged") {
    const std::vector<std::string> texts = {"工 会 职 工 代 表 大 会 2024 a-b", "会 议 工"};
    for (const std::string tokenize :
         {"unicode61 categories 'N*'", "unicode61 separators '工'", "unicode61 tokenchars '-'",
          "unicode61 remove_diacritics 2 categories 'L* N*'"}) {
      CAPTURE(tokenize);
      Indexed plain(false, tokenize, texts);
      Indexed quick(true, tokenize, texts);
      CHECK(quick.tokens() == plain.tokens());
    }
    // The option is honoured: with 工 a separator, no token is 工 (the quick path would make
    // every 工 standing alone one).
    Indexed separated(true, "unicode61 separators '工'", texts);
    const auto tokens = separated.tokens();
    CHECK(tokens.size() == 11);
    CHECK(std::ranges::none_of(tokens,
                               [](const std::string& token) { return token.ends_with(":工"); }));
  }
}

}  // namespace archiver
