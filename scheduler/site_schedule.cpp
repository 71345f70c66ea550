#include "scheduler/site_schedule.hpp"

#include "util/timezone.hpp"

#include <algorithm>

namespace archiver {
namespace {

// FNV-1a: stable across runs and builds, unlike std::hash.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::chrono::seconds jitter_for(const SiteSettings& site, const Schedule& schedule) {
  using std::chrono::seconds;
  seconds cap = std::chrono::minutes(5);
  if (const auto* interval = std::get_if<IntervalSchedule>(&schedule)) {
    cap = std::min(cap, interval->every / 10);
  }
  if (cap <= seconds(0)) {
    return seconds(0);
  }
  return seconds(static_cast<std::int64_t>(stable_hash(site.name) %
                                           static_cast<std::uint64_t>(cap.count() + 1)));
}

std::chrono::sys_seconds next_slot(const Schedule& schedule, std::string_view zone,
                                   std::chrono::sys_seconds after) {
  if (std::holds_alternative<IntervalSchedule>(schedule)) {
    return next_run(schedule, after, std::chrono::seconds(0));
  }
  // Cron in local time: try the offset in force now, and again with the offset at the slot
  // found, which differs only across a daylight-saving change.
  const auto offset_at = [&](std::chrono::sys_seconds at) {
    return utc_offset_in(zone, at).value_or(std::chrono::hours(8));
  };
  auto slot = next_run(schedule, after, offset_at(after));
  if (const auto there = offset_at(slot); there != offset_at(after)) {
    slot = next_run(schedule, after, there);
  }
  return slot;
}

std::optional<DuePlan> next_due(const SiteSettings& site,
                                std::optional<std::chrono::sys_seconds> last_run,
                                std::chrono::sys_seconds now) {
  if (site.schedule.empty()) {
    return std::nullopt;
  }
  const auto schedule = parse_schedule(site.schedule);
  if (!schedule) {
    return std::nullopt;
  }
  const auto jitter = jitter_for(site, *schedule);
  if (!last_run) {
    // Never run: the next slot from now (an interval site starts at once).
    if (std::holds_alternative<IntervalSchedule>(*schedule)) {
      return DuePlan{.due = now + jitter, .missed = false};
    }
    return DuePlan{.due = next_slot(*schedule, site.timezone, now) + jitter, .missed = false};
  }
  const auto slot = next_slot(*schedule, site.timezone, *last_run);
  if (slot + jitter <= now) {
    // One or more slots passed while archiver was down: run once now, not once per slot.
    return DuePlan{.due = now, .missed = true};
  }
  return DuePlan{.due = slot + jitter, .missed = false};
}

}  // namespace archiver
