#pragma once
// What `sites` and `status` say about a configured site: its archive counts, its last crawl
// (parser health), consecutive failed crawls, and when it runs next.

#include "config/settings.hpp"
#include "store/archive_reader.hpp"
#include "util/clock.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace archiver {

struct SiteState {
  std::int64_t articles = 0;
  std::int64_t fetch_errors = 0;
  std::optional<std::string> last_fetch;
  std::optional<CrawlRecord> last_crawl;
  std::int64_t consecutive_failures = 0;  // the latest crawls in a row that failed
  std::optional<SysSeconds> next_due;
  bool missed_run = false;
};

// reader may be null (no archive yet): then only the schedule is known.
[[nodiscard]] SiteState read_site_state(ArchiveReader* reader, const SiteSettings& site,
                                        SysSeconds now);

[[nodiscard]] nlohmann::json to_json(const SiteSettings& site, const SiteState& state);

// Three lines: the site, its last crawl, its next run.
[[nodiscard]] std::string describe(const SiteSettings& site, const SiteState& state);

}  // namespace archiver
