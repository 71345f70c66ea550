// archiver's SQL functions as a loadable SQLite extension, for the sqlite3 shell and any other
// SQLite program reading an archive. The views (latest_articles, article_versions, search_text)
// read each version's text through archiver_text(), and the search index's trigger folds text
// with archiver_index_text(); without them, a query on those views fails with "no such
// function". In the shell:
//
//     sqlite3 -readonly -cmd '.load /usr/lib/x86_64-linux-gnu/archiver/archiver_sqlite' archive.db
//
// The functions are the ones archiver defines on its own connections (store/dictionaries,
// store/search_index), built from the same code: util/compression and search/fold.

#include "search/fold.hpp"
#include "util/compression.hpp"

#include <sqlite3ext.h>

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

SQLITE_EXTENSION_INIT1

namespace {

// Dictionaries read on one connection, by zstd id: rows of `dictionaries` never change.
struct LoadedDictionaries {
  std::map<std::uint32_t, std::shared_ptr<const archiver::ZstdDictionary>> by_id;
};

struct Finalize {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

std::string_view argument(sqlite3_value* value) {
  const void* bytes = sqlite3_value_type(value) == SQLITE_BLOB
                          ? sqlite3_value_blob(value)
                          : static_cast<const void*>(sqlite3_value_text(value));
  return {bytes != nullptr ? static_cast<const char*>(bytes) : "",
          static_cast<std::size_t>(sqlite3_value_bytes(value))};
}

// The dictionary a frame names, read from the archive the function runs on; null when it
// names none. Throws when the archive does not hold it.
std::shared_ptr<const archiver::ZstdDictionary> dictionary_for(sqlite3_context* context,
                                                               std::string_view frame) {
  const std::uint32_t id = archiver::zstd_frame_dictionary_id(frame);
  if (id == 0) {
    return nullptr;
  }
  auto& loaded = *static_cast<LoadedDictionaries*>(sqlite3_user_data(context));
  if (const auto known = loaded.by_id.find(id); known != loaded.by_id.end()) {
    return known->second;
  }
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(sqlite3_context_db_handle(context),
                         "SELECT data FROM dictionaries WHERE id = ?1", -1, &raw,
                         nullptr) != SQLITE_OK) {
    throw std::runtime_error("this file has no archiver dictionaries table");
  }
  const std::unique_ptr<sqlite3_stmt, Finalize> query(raw);
  sqlite3_bind_int64(query.get(), 1,
                     std::int64_t{id} - std::int64_t{archiver::k_first_dictionary_id});
  if (id < archiver::k_first_dictionary_id || sqlite3_step(query.get()) != SQLITE_ROW) {
    throw std::runtime_error("zstd frame names dictionary " + std::to_string(id) +
                             ", which the archive does not hold");
  }
  auto dictionary = std::make_shared<const archiver::ZstdDictionary>(
      std::string(static_cast<const char*>(sqlite3_column_blob(query.get(), 0)),
                  static_cast<std::size_t>(sqlite3_column_bytes(query.get(), 0))));
  loaded.by_id[id] = dictionary;
  return dictionary;
}

template <bool Blob>
void decompressed(sqlite3_context* context, int /*count*/, sqlite3_value** arguments) {
  if (sqlite3_value_type(arguments[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  try {
    const std::string_view frame = argument(arguments[0]);
    const auto dictionary = dictionary_for(context, frame);
    auto bytes = archiver::zstd_decompress(frame, std::size_t{1} << 31U, dictionary.get());
    if (!bytes) {
      throw std::runtime_error(bytes.error());
    }
    if constexpr (Blob) {
      sqlite3_result_blob64(context, bytes->data(), bytes->size(), SQLITE_TRANSIENT);
    } else {
      sqlite3_result_text64(context, bytes->data(), bytes->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
  } catch (const std::exception& error) {
    sqlite3_result_error(context, error.what(), -1);
  }
}

void index_text(sqlite3_context* context, int /*count*/, sqlite3_value** arguments) {
  if (sqlite3_value_type(arguments[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  try {
    archiver::search::load_folding();
    const std::string folded = archiver::search::index_text(argument(arguments[0]));
    sqlite3_result_text64(context, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } catch (const std::exception& error) {
    sqlite3_result_error(context, error.what(), -1);
  }
}

}  // namespace

// The entry point SQLite derives from the file name archiver_sqlite.so.
extern "C" __attribute__((visibility("default"))) int sqlite3_archiversqlite_init(
    sqlite3* db, char** /*error*/, const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  constexpr int k_flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  // One cache for both decompressing functions; SQLite frees it with the last of them.
  auto* loaded = new LoadedDictionaries;
  int rc = sqlite3_create_function_v2(db, "archiver_text", 1, k_flags, loaded, decompressed<false>,
                                      nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(
        db, "archiver_unzstd", 1, k_flags, loaded, decompressed<true>, nullptr, nullptr,
        [](void* user) { delete static_cast<LoadedDictionaries*>(user); });
  } else {
    delete loaded;
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "archiver_index_text", 1, k_flags, nullptr, index_text,
                                    nullptr, nullptr, nullptr);
  }
  return rc;
}
