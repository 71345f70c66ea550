#pragma once
// How complete a site's e-paper editions are in the archive: per date, whether the edition was
// found, its 版面, its articles, and the headlines of its 标题导航 with no stored article.

#include "store/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct MissingHeadline {
  std::string title;
  std::string url;
  std::optional<std::string> page;  // the 版面 that lists it
};

// A 版面 of the edition and whether its PDF and scan are archived: nothing when the page links
// none, false when it links one the archive does not hold (yet, or it could not be had).
struct EditionPageRecord {
  std::string url;
  std::optional<std::string> name;  // 第02版:工会新闻
  std::optional<bool> pdf;
  std::optional<bool> scan;
};

struct EditionReport {
  std::string edition;                    // YYYY-MM-DD
  std::optional<std::string> crawl;       // result of the newest crawl: ok, partial, missing, ...
  std::optional<std::string> checked_at;  // when the newest crawl started (UTC ISO)
  // Result of the newest crawl that got past the first page (read 版面): whether all of them
  // could be read ("partial": not). A later crawl stopped at the first page says nothing.
  std::optional<std::string> read_crawl;
  std::int64_t pages = 0;      // 版面 found
  std::int64_t articles = 0;   // articles stored with this edition date
  std::int64_t headlines = 0;  // distinct in-scope headlines its 版面 list
  std::vector<MissingHeadline> missing;
  std::vector<EditionPageRecord> page_records;  // the 版面 in order

  [[nodiscard]] bool found() const { return pages > 0 || articles > 0; }

  // "complete": found, every headline archived; "incomplete": found, but a 版面 could not be
  // read or headlines have no article; "not-published": the paper has no edition that day (its
  // first page answered 404); "missing": never crawled, or no crawl could read it.
  [[nodiscard]] std::string_view status() const {
    if (!found()) {
      return crawl == "missing" ? "not-published" : "missing";
    }
    return missing.empty() && read_crawl != "partial" ? "complete" : "incomplete";
  }
};

// The site's editions from `from` to `to` (inclusive; every day of the range, crawled or not),
// or without a range every date the archive knows for the site. in_scope: which headline URLs
// the site archives (others, like a mobile twin, are not counted missing).
[[nodiscard]] std::vector<EditionReport> edition_reports(
    sqlite::Database& db, const std::string& site, const std::optional<std::string>& from,
    const std::optional<std::string>& to, const std::function<bool(const std::string&)>& in_scope);

}  // namespace archiver
