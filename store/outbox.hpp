#pragma once
// The notification outbox (schema 11): one row per webhook per stored article version. The
// writer adds the rows in the transaction that stores the version, so a version and its events
// are committed together or not at all; the daemon's deliverer reads them, POSTs them and marks
// them here, on a connection of its own.

#include "store/dictionaries.hpp"
#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace archiver {

// Which versions a webhook hears of (config's [[notify]], without the config's types: store/
// does not read the config).
struct EventRoute {
  std::string webhook;
  std::vector<std::string> sites;  // empty: every site
  bool on_new = true;
  bool on_changed = true;
};

// Adds an event per matching route for a version just inserted (versions.id = version_id, its
// article's number `version`): "new" for version 1, else "changed". Runs inside the caller's
// transaction.
void enqueue_version_events(sqlite::Database& db, std::span<const EventRoute> routes,
                            std::int64_t version_id, std::int64_t article_id, std::int64_t version);

// An event waiting for delivery.
struct OutboxEvent {
  std::int64_t id = 0;  // the event_id
  std::string webhook;
  std::string status;  // "new" or "changed"
  std::int64_t article_id = 0;
  std::int64_t version = 0;
  std::int64_t attempts = 0;
  std::string created_at;
  bool due = false;  // next_attempt_at has come
};

// The deliverer's side of the outbox, on a connection of its own (one per thread). Its writes are
// single-row UPDATEs in autocommit: each holds SQLite's write lock for well under a millisecond,
// and waits (busy_timeout) while the crawl's writer commits a batch, never the other way round
// for longer than that.
class Outbox {
 public:
  // Opens an archive already at schema 11 or later (the daemon's writer migrated it). Throws
  // NotAnArchive or sqlite::StoreError.
  explicit Outbox(const std::filesystem::path& path);

  // The webhook's undelivered events in the order they were stored, at most limit.
  [[nodiscard]] std::vector<OutboxEvent> pending(const std::string& webhook, std::int64_t limit);

  // The version an event is about (nothing when it is gone).
  [[nodiscard]] std::optional<StoredArticle> version(std::int64_t article_id, std::int64_t version);

  void mark_delivered(std::int64_t id);
  // A failed attempt: counted, with its error, and not tried again for `wait`.
  void mark_failed(std::int64_t id, std::int64_t attempts, std::chrono::milliseconds wait,
                   const std::string& error);
  // Forgets the webhook's events delivered more than `age` ago (a batch at a time); how many.
  std::int64_t prune_delivered(const std::string& webhook, std::chrono::hours age);

 private:
  sqlite::Database m_db;
  Dictionaries m_dictionaries{m_db};
};

}  // namespace archiver
