// When sites run: cron in the site's time zone, intervals, the per-site jitter, and a missed
// run after downtime made up once.

#include "scheduler/site_schedule.hpp"

#include <doctest/doctest.h>

namespace archiver {
namespace {

using namespace std::chrono;

SiteSettings site_with(std::string name, std::string schedule, std::string zone = "Asia/Shanghai") {
  SiteSettings site;
  site.name = std::move(name);
  site.schedule = std::move(schedule);
  site.timezone = std::move(zone);
  return site;
}

sys_seconds at(year_month_day day, int hour, int minute) {
  return sys_days{day} + hours(hour) + minutes(minute);
}

}  // namespace

TEST_SUITE("scheduler/site") {
  TEST_CASE("a morning edition at 07:30 Shanghai time, i.e. 23:30 UTC the day before") {
    const auto site = site_with("ahgrb", "30 7 * * *");
    const auto schedule = *parse_schedule(site.schedule);
    const auto jitter = jitter_for(site, schedule);
    CHECK(jitter <= minutes(5));
    const auto last = at(2023y / June / 12, 23, 35);  // ran this morning (Shanghai)
    const auto plan = next_due(site, last, at(2023y / June / 13, 3, 0));
    REQUIRE(plan.has_value());
    CHECK_FALSE(plan->missed);
    CHECK(plan->due == at(2023y / June / 13, 23, 30) + jitter);
  }

  TEST_CASE("after three days down the missed run is made up once, now") {
    const auto site = site_with("ahgrb", "30 7 * * *");
    const auto now = at(2023y / June / 16, 12, 0);
    const auto plan = next_due(site, at(2023y / June / 12, 23, 35), now);
    REQUIRE(plan.has_value());
    CHECK(plan->missed);
    CHECK(plan->due == now);
    // Once it has run, the next one is the next regular slot.
    const auto after = next_due(site, now, now + minutes(1));
    CHECK_FALSE(after->missed);
    CHECK(after->due > now + hours(11));
  }

  TEST_CASE("intervals count from the last run, a new site starts at once") {
    const auto site = site_with("gyghw", "every 6h");
    const auto jitter = jitter_for(site, *parse_schedule(site.schedule));
    CHECK(jitter <= minutes(5));
    const auto now = at(2024y / March / 1, 10, 0);
    CHECK(next_due(site, std::nullopt, now)->due == now + jitter);
    CHECK(next_due(site, now, now + minutes(1))->due == now + hours(6) + jitter);
    // Second-level intervals get a second-level jitter at most (a tenth of the interval).
    const auto fast = site_with("fast", "every 10s");
    CHECK(jitter_for(fast, *parse_schedule(fast.schedule)) <= seconds(1));
  }

  TEST_CASE("the jitter is fixed per site and differs between sites") {
    const auto schedule = *parse_schedule("30 7 * * *");
    CHECK(jitter_for(site_with("ahgrb", ""), schedule) ==
          jitter_for(site_with("ahgrb", ""), schedule));
    int distinct = 0;
    for (const char* name : {"a", "b", "c", "d", "e", "f"}) {
      distinct +=
          jitter_for(site_with(name, ""), schedule) != jitter_for(site_with("ahgrb", ""), schedule)
              ? 1
              : 0;
    }
    CHECK(distinct > 0);
  }

  TEST_CASE("cron follows daylight saving in zones that have it") {
    // 08:00 in Berlin is 07:00 UTC in winter and 06:00 UTC in summer.
    const auto winter =
        next_slot(*parse_schedule("0 8 * * *"), "Europe/Berlin", at(2023y / January / 10, 12, 0));
    const auto summer =
        next_slot(*parse_schedule("0 8 * * *"), "Europe/Berlin", at(2023y / July / 10, 12, 0));
    CHECK(winter == at(2023y / January / 11, 7, 0));
    CHECK(summer == at(2023y / July / 11, 6, 0));
  }

  TEST_CASE("sites without a schedule are run by hand only") {
    CHECK_FALSE(next_due(site_with("manual", ""), std::nullopt, at(2024y / January / 1, 0, 0)));
  }
}

}  // namespace archiver
