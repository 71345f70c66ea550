#include "store/normal_urls.hpp"

#include "util/url.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace archiver {
namespace {

// The normal form of a stored URL; an article's "#anchor" (one of several on a page) stays.
std::string normal_keeping_anchor(const std::string& url) {
  const auto hash = url.find('#');
  const std::string page = normal_or_same(url.substr(0, hash));
  return hash == std::string::npos ? page : page + url.substr(hash);
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
  std::int64_t rewritten = 0;
  for (const auto& [table, column] : k_columns) {
    std::vector<std::pair<std::string, std::string>> changes;
    {
      auto urls = db.prepare("SELECT DISTINCT " + std::string(column) + " FROM " +
                             std::string(table) + " WHERE " + std::string(column) + " IS NOT NULL");
      while (urls.step()) {
        std::string url = urls.column_text(0);
        std::string normal = normal_keeping_anchor(url);
        if (normal != url) {
          changes.emplace_back(std::move(url), std::move(normal));
        }
      }
    }
    // OR IGNORE: a row whose normal form another row holds keeps its spelling.
    auto update = db.prepare("UPDATE OR IGNORE " + std::string(table) + " SET " +
                             std::string(column) + " = ?2 WHERE " + std::string(column) + " = ?1");
    for (const auto& [from, to] : changes) {
      update.bind(1, from).bind(2, to).run();
      rewritten += db.changes();
    }
  }
  return rewritten;
}

}  // namespace archiver
