#pragma once
// What the web interface browses beyond the query commands: an edition as a newspaper (its 版面
// in order, each with its PDF, scan and 标题导航 headlines and which of them are archived), and
// the stored versions newest first (the feeds).

#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct EditionHeadline {
  std::string title;
  std::string url;
  std::optional<std::string> summary;   // 摘要
  std::optional<std::int64_t> article;  // the archived article's id; none: not archived
};

struct EditionSheet {
  std::string url;
  std::optional<std::string> name;  // 第02版:工会新闻
  std::vector<StoredAsset> assets;  // PDF and scan, archived or not
  std::vector<EditionHeadline> headlines;
};

// The 版面 of the site's edition of that date (YYYY-MM-DD) in their order, as its last crawl
// found them; empty when the archive has none.
[[nodiscard]] std::vector<EditionSheet> read_edition_sheets(sqlite::Database& db,
                                                            const std::string& site,
                                                            const std::string& edition);

// Stored versions of articles (of the site, or all), the newest first (in the order they were
// stored: versions.id), at most limit.
[[nodiscard]] std::vector<StoredArticle> read_recent_versions(
    sqlite::Database& db, const std::optional<std::string>& site, std::int64_t limit);

// The id of the version stored last (0 in an empty archive): what the feeds are up to date
// with.
[[nodiscard]] std::int64_t read_newest_version_id(sqlite::Database& db);

// The 期次 of a site's edition of that date, as its articles give it.
[[nodiscard]] std::optional<std::string> read_edition_issue(sqlite::Database& db,
                                                            const std::string& site,
                                                            const std::string& edition);

// The newest date the site has 版面 archived for, if any.
[[nodiscard]] std::optional<std::string> read_newest_edition(sqlite::Database& db,
                                                             const std::string& site);

// The page a version was read from, as fetched: its stored body and the Content-Type it came
// with.
struct FetchedPage {
  std::string sha256;
  std::string content_type;
  std::string charset;  // what the archive decoded it as (a page's own label may lie)
  std::string url;      // after redirects
};

// The bytes the version was read from (its fetch's), else the newest stored body of the
// article's page URL; nothing when the archive holds neither.
[[nodiscard]] std::optional<FetchedPage> read_version_page(sqlite::Database& db,
                                                           std::int64_t article_id,
                                                           std::int64_t version);

}  // namespace archiver
