#pragma once
// Full-text search as `search` and the web interface run it: the user's text checked and made
// into terms, the ranked matches, and for each the snippet that shows where the terms occur.

#include "search/snippet.hpp"
#include "store/archive_reader.hpp"

#include <nlohmann/json.hpp>

#include <expected>
#include <string>
#include <vector>

namespace archiver {

// The folded terms of the user's text, or why it cannot be searched for (too long, nothing to
// search for), in words for the user.
[[nodiscard]] std::expected<std::vector<std::string>, std::string> search_terms(
    std::string_view text);

struct FoundArticle {
  StoredArticle article;
  double score = 0;  // BM25: higher is better
  search::Snippet snippet;
};

struct FoundArticles {
  std::vector<FoundArticle> hits;  // best first
  bool window_full = false;        // more matched than were ranked
  std::int64_t window = 0;         // how many of the newest matches were ranked (-1: all)
};

// filters.limit < 0: every match ranked and returned; else the newest matches (at least 2,000)
// are ranked and the best `limit` returned, less the first `skip` of them (a later page of
// results: only the hits shown get their snippet).
[[nodiscard]] FoundArticles find_articles(ArchiveReader& reader,
                                          const std::vector<std::string>& terms,
                                          const ArticleQuery& filters, bool all_versions,
                                          std::size_t skip = 0);

// The article object with `score`, `snippet` and `highlights` (`search --json`).
[[nodiscard]] nlohmann::json to_json(const FoundArticle& found);

}  // namespace archiver
