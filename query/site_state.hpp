#pragma once
// What `sites` and `status` say about a configured site: its archive counts, its last crawl, its
// parser health (from the last crawl that parsed articles), consecutive failed crawls, and when
// it runs next.

#include "config/settings.hpp"
#include "store/archive_reader.hpp"
#include "util/clock.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace archiver {

struct SiteState {
  SiteActivity activity;
  std::optional<CrawlRecord> last_crawl;
  // The newest crawl that parsed articles: a re-crawl that found nothing new leaves it be.
  std::optional<CrawlRecord> health;
  std::int64_t consecutive_failures = 0;  // the latest crawls in a row that failed
  std::optional<SysSeconds> next_due;
  bool missed_run = false;
};

// reader may be null (no archive yet): then only the schedule is known.
[[nodiscard]] SiteState read_site_state(ArchiveReader* reader, const SiteSettings& site,
                                        SysSeconds now);

[[nodiscard]] nlohmann::json to_json(const SiteSettings& site, const SiteState& state);

// Four lines: the site, its last crawl, its parser health, its next run.
[[nodiscard]] std::string describe(const SiteSettings& site, const SiteState& state);

}  // namespace archiver
