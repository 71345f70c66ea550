// The notification outbox: events written with their versions (by route, site and event), read
// in order by the deliverer's own connection, marked, retried later, pruned, and gone with a
// deleted version.

#include "store/archive_writer.hpp"
#include "store/outbox.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/sample_articles.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace archiver {
namespace {

using testing::fetch_of;
using testing::page_with;

FetchRecord fetch_for(const std::string& url, const std::string& when, const std::string& site) {
  FetchRecord record = fetch_of(url, when);
  record.site = site;
  return record;
}

// A query's one number on the archive, as committed.
std::int64_t scalar(const std::filesystem::path& archive, const std::string& sql) {
  auto tables = testing::archive_sql(archive);
  return testing::sql_scalar(tables, sql);
}

}  // namespace

TEST_SUITE("store/outbox") {
  TEST_CASE("each new or changed version gets an event per matching webhook, with the version") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    writer.route_events({
        {.webhook = "http://127.0.0.1:1/all", .sites = {}, .on_new = true, .on_changed = true},
        {.webhook = "http://127.0.0.1:1/union-changes",
         .sites = {"union"},
         .on_new = false,
         .on_changed = true},
        {.webhook = "http://127.0.0.1:1/paper", .sites = {"paper"}},
    });
    const std::string a = "http://127.0.0.1/union/a.html";
    writer.record_page(fetch_for(a, "2026-01-01T00:00:00Z", "union"), "<p>1</p>",
                       page_with("标题", {"第一段。"}), "cms");
    // Seen again unchanged: no event.
    writer.record_page(fetch_for(a, "2026-01-02T00:00:00Z", "union"), "<p>1</p>",
                       page_with("标题", {"第一段。"}), "cms");
    writer.record_page(fetch_for(a, "2026-01-03T00:00:00Z", "union"), "<p>2</p>",
                       page_with("标题", {"第一段，改过。"}), "cms");

    Outbox outbox(dir / "archive.db");
    const auto all = outbox.pending("http://127.0.0.1:1/all", 10);
    REQUIRE(all.size() == 2);
    CHECK(all[0].status == "new");
    CHECK(all[0].version == 1);
    CHECK(all[1].status == "changed");
    CHECK(all[1].version == 2);
    CHECK(all[0].article_id == all[1].article_id);
    CHECK(all[0].id < all[1].id);
    CHECK(all[0].due);
    CHECK(all[0].attempts == 0);
    const auto changes = outbox.pending("http://127.0.0.1:1/union-changes", 10);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].status == "changed");
    CHECK(outbox.pending("http://127.0.0.1:1/paper", 10).empty());  // another site's
    const auto stored = outbox.version(all[1].article_id, all[1].version);
    REQUIRE(stored.has_value());
    CHECK(stored->article.body_text() == "第一段，改过。");

    // No routes, no rows: the default of a config without [[notify]].
    writer.route_events({});
    writer.record_page(fetch_for(a, "2026-01-04T00:00:00Z", "union"), "<p>3</p>",
                       page_with("标题", {"第三稿。"}), "cms");
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM outbox") == 3);
  }

  TEST_CASE("delivered events leave the queue, failed ones wait, deleted versions take theirs") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string hook = "http://127.0.0.1:1/hook";
    writer.route_events({{.webhook = hook}});
    for (int i = 1; i <= 3; ++i) {
      const std::string url = "http://127.0.0.1/" + std::to_string(i) + ".html";
      writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>" + std::to_string(i) + "</p>",
                         page_with("标题" + std::to_string(i), {"正文。"}), "generic");
    }
    Outbox outbox(dir / "archive.db");
    auto events = outbox.pending(hook, 10);
    REQUIRE(events.size() == 3);
    outbox.mark_delivered(events[0].id);
    outbox.mark_failed(events[1].id, 1, std::chrono::hours(1), "HTTP 500");
    events = outbox.pending(hook, 10);
    REQUIRE(events.size() == 2);
    CHECK_FALSE(events[0].due);  // an hour from now
    CHECK(events[0].attempts == 1);
    CHECK(events[1].due);
    // A short wait is kept to the millisecond (the tests' backoff).
    outbox.mark_failed(events[0].id, 2, std::chrono::milliseconds(150), "HTTP 500");
    CHECK_FALSE(outbox.pending(hook, 1).at(0).due);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(outbox.pending(hook, 1).at(0).due);

    // Delivered long enough ago: pruned; the undelivered stay whatever their age.
    auto tables = testing::archive_sql_to_change(dir / "archive.db");
    tables.execute(
        "UPDATE outbox SET delivered_at = '2020-01-01T00:00:00.000Z', created_at = "
        "'2020-01-01T00:00:00.000Z' WHERE delivered_at IS NOT NULL");
    CHECK(outbox.prune_delivered(hook, std::chrono::hours(24 * 7)) == 1);
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM outbox") == 2);

    // gc deleting a version deletes its event (nothing to render any more).
    tables.execute("DELETE FROM versions WHERE id = (SELECT max(id) FROM versions)");
    CHECK(outbox.pending(hook, 10).size() == 1);
  }
}

}  // namespace archiver
