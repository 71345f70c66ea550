#include "store/normal_urls.hpp"

#include "util/url.hpp"

#include <array>
#include <string>

namespace archiver {
namespace {

// The normal form of a stored URL; an article's "#anchor" (one of several on a page) stays.
std::string normal_keeping_anchor(std::string_view url) {
  const auto hash = url.find('#');
  const std::string page = normal_or_same(url.substr(0, hash));
  return hash == std::string_view::npos ? page : page + std::string(url.substr(hash));
}

struct UrlColumn {
  std::string_view table;
  std::string_view column;
};

}  // namespace

std::int64_t normalize_stored_urls(sqlite::Database& db) {
  constexpr std::array<UrlColumn, 8> k_columns{{{"articles", "url"},
                                                {"pages", "url"},
                                                {"fetches", "url"},
                                                {"fetches", "final_url"},
                                                {"headlines", "page_url"},
                                                {"headlines", "url"},
                                                {"edition_pages", "url"},
                                                {"frontier", "url"}}};
  // One pass over each column (no index is needed): the normaliser runs inside SQLite.
  db.define_function("archiver_normal_url", normal_keeping_anchor);
  std::int64_t rewritten = 0;
  for (const auto& [table, column] : k_columns) {
    const std::string name(column);
    // OR IGNORE: a row whose normal form another row holds keeps its spelling.
    db.execute("UPDATE OR IGNORE " + std::string(table) + " SET " + name +
               " = archiver_normal_url(" + name + ") WHERE " + name + " IS NOT NULL AND " + name +
               " != archiver_normal_url(" + name + ")");
    rewritten += db.changes();
  }
  db.drop_function("archiver_normal_url");
  return rewritten;
}

}  // namespace archiver
