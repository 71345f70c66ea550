#pragma once
// When a configured site runs next: the first slot of its schedule after its last run, in the
// site's time zone, plus a small fixed jitter per site (so sites sharing "30 7 * * *" do not all
// hit at once). After downtime a missed run is due at once, and only once, however many slots
// were missed.

#include "config/settings.hpp"
#include "scheduler/schedule.hpp"

#include <chrono>
#include <optional>

namespace archiver {

struct DuePlan {
  std::chrono::sys_seconds due;  // UTC
  bool missed = false;           // a slot passed while nothing ran: due now, once
};

// Nothing for a site without a schedule (manual crawls only) or with one that does not parse.
[[nodiscard]] std::optional<DuePlan> next_due(const SiteSettings& site,
                                              std::optional<std::chrono::sys_seconds> last_run,
                                              std::chrono::sys_seconds now);

// The site's jitter: fixed per site name, at most a tenth of an interval and at most 5 minutes.
[[nodiscard]] std::chrono::seconds jitter_for(const SiteSettings& site, const Schedule& schedule);

// The next slot after `after` in a time zone: cron fields read as local time there (DST
// followed), intervals counted in real time.
[[nodiscard]] std::chrono::sys_seconds next_slot(const Schedule& schedule, std::string_view zone,
                                                 std::chrono::sys_seconds after);

}  // namespace archiver
