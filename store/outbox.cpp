#include "store/outbox.hpp"

#include "store/article_queries.hpp"
#include "store/schema.hpp"

#include <algorithm>

namespace archiver {
namespace {

// Every outbox time in one format (with milliseconds, so the short backoff of the tests is kept
// as asked), compared as text: next_attempt_at is only ever compared with this same expression.
constexpr std::string_view k_now_ms = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

constexpr int k_outbox_version = 11;

}  // namespace

void enqueue_version_events(sqlite::Database& db, std::span<const EventRoute> routes,
                            std::int64_t version_id, std::int64_t article_id,
                            std::int64_t version) {
  if (routes.empty()) {
    return;  // the usual case: no [[notify]], not even the site is read
  }
  const bool is_new = version == 1;
  auto site_of = db.prepare("SELECT site FROM articles WHERE id = ?1");
  site_of.bind(1, article_id);
  const std::optional<std::string> site =
      site_of.step() ? site_of.column_optional_text(0) : std::nullopt;
  site_of.reset();
  auto insert = db.prepare(
      "INSERT INTO outbox (webhook, version_id, status, created_at, next_attempt_at) "
      "VALUES (?1, ?2, ?3, " +
      std::string(k_now_ms) + ", " + std::string(k_now_ms) + ")");
  for (const EventRoute& route : routes) {
    if (!(is_new ? route.on_new : route.on_changed)) {
      continue;
    }
    if (!route.sites.empty() &&
        (!site || std::ranges::find(route.sites, *site) == route.sites.end())) {
      continue;
    }
    insert.bind(1, route.webhook).bind(2, version_id).bind(3, is_new ? "new" : "changed").run();
  }
}

Outbox::Outbox(const std::filesystem::path& path)
    : m_db(path, sqlite::Database::Mode::read_write_create) {
  // Waits out a batch the crawl's writer is committing; the deliverer has time, the crawl not.
  m_db.execute("PRAGMA busy_timeout = 10000");
  check_readable(m_db);
  m_dictionaries.define_sql_functions();  // the payload reads the version's text
  auto version = m_db.prepare("PRAGMA user_version");
  if (!version.step() || version.column_int(0) < k_outbox_version) {
    throw NotAnArchive(path.string() + " has no outbox yet (schema " +
                       std::to_string(k_outbox_version) + "): open it with a writer first");
  }
}

std::vector<OutboxEvent> Outbox::pending(const std::string& webhook, std::int64_t limit) {
  auto query = m_db.prepare(
      "SELECT o.id, o.status, v.article_id, v.version, o.attempts, o.created_at, "
      "o.next_attempt_at <= " +
      std::string(k_now_ms) +
      " FROM outbox o JOIN versions v ON v.id = o.version_id "
      "WHERE o.webhook = ?1 AND o.delivered_at IS NULL ORDER BY o.id LIMIT ?2");
  query.bind(1, webhook).bind(2, limit);
  std::vector<OutboxEvent> events;
  while (query.step()) {
    events.push_back({.id = query.column_int(0),
                      .webhook = webhook,
                      .status = query.column_text(1),
                      .article_id = query.column_int(2),
                      .version = query.column_int(3),
                      .attempts = query.column_int(4),
                      .created_at = query.column_text(5),
                      .due = query.column_int(6) != 0});
  }
  return events;
}

std::optional<StoredArticle> Outbox::version(std::int64_t article_id, std::int64_t version) {
  return read_stored_article(m_db, article_id, version);
}

void Outbox::mark_delivered(std::int64_t id) {
  auto update = m_db.prepare("UPDATE outbox SET delivered_at = " + std::string(k_now_ms) +
                             ", last_error = NULL WHERE id = ?1");
  update.bind(1, id).run();
}

void Outbox::mark_failed(std::int64_t id, std::int64_t attempts, std::chrono::milliseconds wait,
                         const std::string& error) {
  auto update = m_db.prepare(
      "UPDATE outbox SET attempts = ?2, last_error = ?3, next_attempt_at = "
      "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', (?4 / 1000.0) || ' seconds') WHERE id = ?1");
  update.bind(1, id).bind(2, attempts).bind(3, error).bind(4, std::int64_t{wait.count()}).run();
}

std::int64_t Outbox::prune_delivered(const std::string& webhook, std::chrono::hours age) {
  // A batch at a time: the write lock is held briefly, whatever piled up.
  auto prune = m_db.prepare(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE webhook = ?1 AND "
      "delivered_at IS NOT NULL AND delivered_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
      "?2 || ' hours') LIMIT 500)");
  std::int64_t total = 0;
  for (;;) {
    prune.bind(1, webhook).bind(2, "-" + std::to_string(age.count())).run();
    const int deleted = m_db.changes();
    total += deleted;
    if (deleted < 500) {
      return total;
    }
  }
}

}  // namespace archiver
