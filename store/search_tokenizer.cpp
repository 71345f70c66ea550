#include "store/search_tokenizer.hpp"

#include "store/sqlite.hpp"
#include "store/store_error.hpp"
#include "util/ascii.hpp"
#include "util/utf8.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>

namespace archiver {
namespace {

using TokenCallback = int (*)(void* context, int flags, const char* token, int size, int start,
                              int end);

// unicode61 as FTS5 had it before ours took its name.
struct Original {
  fts5_tokenizer functions{};
  void* context = nullptr;
};

// One tokenizer of a table: unicode61's own, and whether its options leave ideographs as they
// are (then words of one are handed on here).
struct Quick {
  const Original* original = nullptr;
  Fts5Tokenizer* inner = nullptr;
  bool ideographs_whole = false;
};

// Whether the three bytes at text are one code point of U+4E00-U+9FFF.
bool is_whole_ideograph(const char* text) {
  const utf8::CodePoint cp = utf8::decode(std::string_view(text, 3), 0);
  return cp.length == 3 && cp.value >= 0x4E00 && cp.value <= 0x9FFF;
}

// A stretch of the text handed to unicode61: its offsets moved back to the whole text's, and
// its callback's last answer kept (unicode61 turns SQLITE_DONE, "stop", into SQLITE_OK).
struct Stretch {
  void* context;
  TokenCallback callback;
  int offset;
  int answer = SQLITE_OK;
};

int token_of_stretch(void* context, int flags, const char* token, int size, int start,
                     int end) noexcept {
  auto& stretch = *static_cast<Stretch*>(context);
  stretch.answer = stretch.callback(stretch.context, flags, token, size, start + stretch.offset,
                                    end + stretch.offset);
  return stretch.answer;
}

int create(void* context, const char** arguments, int count, Fts5Tokenizer** out) noexcept {
  const auto* original = static_cast<const Original*>(context);
  Fts5Tokenizer* inner = nullptr;
  const int rc = original->functions.xCreate(original->context, arguments, count, &inner);
  if (rc != SQLITE_OK) {
    return rc;
  }
  auto* quick = new (std::nothrow)
      Quick{.original = original,
            .inner = inner,
            .ideographs_whole = ideographs_stay_whole(
                std::span(arguments, count < 0 ? 0U : static_cast<std::size_t>(count)))};
  if (quick == nullptr) {
    original->functions.xDelete(inner);
    return SQLITE_NOMEM;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(quick);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) noexcept {
  const std::unique_ptr<Quick> quick(reinterpret_cast<Quick*>(tokenizer));
  quick->original->functions.xDelete(quick->inner);
}

int tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int size,
             TokenCallback callback) noexcept {
  const auto& quick = *reinterpret_cast<const Quick*>(tokenizer);
  const auto& unicode61 = quick.original->functions;
  if (!quick.ideographs_whole) {
    return unicode61.xTokenize(quick.inner, context, flags, text, size, callback);
  }
  // [pending, pos): words not yet tokenized, for unicode61 in one call.
  int pending = -1;
  const auto hand_on = [&](int end) {
    Stretch stretch{.context = context, .callback = callback, .offset = pending};
    const int rc = unicode61.xTokenize(quick.inner, &stretch, flags, text + pending, end - pending,
                                       token_of_stretch);
    pending = -1;
    return rc != SQLITE_OK ? rc : stretch.answer;
  };
  int pos = 0;
  while (pos < size) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    // Most words are one ideograph: three bytes, then a space or the end.
    int word_end = pos + 3;
    if (word_end > size || (word_end < size && text[word_end] != ' ')) {
      const void* space = std::memchr(text + pos, ' ', static_cast<std::size_t>(size - pos));
      word_end = space != nullptr ? static_cast<int>(static_cast<const char*>(space) - text) : size;
    }
    if (word_end - pos == 3 && is_whole_ideograph(text + pos)) {
      int rc = pending >= 0 ? hand_on(pos) : SQLITE_OK;
      if (rc == SQLITE_OK) {
        rc = callback(context, 0, text + pos, 3, pos, word_end);
      }
      if (rc != SQLITE_OK) {
        return rc == SQLITE_DONE ? SQLITE_OK : rc;  // as unicode61 answers
      }
    } else if (pending < 0) {
      pending = pos;
    }
    pos = word_end;
  }
  if (pending >= 0) {
    const int rc = hand_on(size);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  return SQLITE_OK;
}

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

fts5_api* fts5_of(sqlite3* db) {
  // FTS5's documented way to its API: a pointer handed back through a query.
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &raw, nullptr) != SQLITE_OK) {
    return nullptr;
  }
  const std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement(raw);
  fts5_api* api = nullptr;
  sqlite3_bind_pointer(raw, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(raw);
  return api;
}

}  // namespace

bool ideographs_stay_whole(std::span<const char* const> options) noexcept {
  // Pairs of name and value; diacritics are not ideographs. Any other option (tokenchars,
  // separators, categories) may make an ideograph a separator, or a separator a token part.
  if (options.size() % 2 != 0) {
    return false;
  }
  for (std::size_t i = 0; i < options.size(); i += 2) {
    if (options[i] == nullptr || !equals_ignoring_case(options[i], "remove_diacritics")) {
      return false;
    }
  }
  return true;
}

void use_quick_search_tokenizer(sqlite::Database& db) {
  fts5_api* api = fts5_of(db.handle());
  if (api == nullptr) {
    throw StoreError(SQLITE_ERROR, "the SQLite library has no FTS5: the search index needs it");
  }
  auto original = std::make_unique<Original>();
  if (api->xFindTokenizer(api, "unicode61", &original->context, &original->functions) !=
      SQLITE_OK) {
    throw StoreError(SQLITE_ERROR, "FTS5 has no unicode61 tokenizer: the search index needs it");
  }
  static fts5_tokenizer quick_functions{
      .xCreate = create, .xDelete = destroy, .xTokenize = tokenize};
  // FTS5 finds a tokenizer by the name registered last. Once registered, `original` is freed
  // with the connection; when registering fails, it is still ours.
  const int rc = api->xCreateTokenizer(api, "unicode61", original.get(), &quick_functions,
                                       [](void* owned) { delete static_cast<Original*>(owned); });
  if (rc != SQLITE_OK) {
    throw StoreError(rc, "cannot register the search index's tokenizer");
  }
  static_cast<void>(original.release());
}

}  // namespace archiver
