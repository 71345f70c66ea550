#include "store/wal_checkpointer.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

namespace archiver {

WalCheckpointer::WalCheckpointer(std::filesystem::path archive, int copy_every)
    : m_archive(std::move(archive)), m_copy_every(copy_every) {}

void WalCheckpointer::wal_grew(int frames) {
  if (frames < m_frames_at_last_copy) {
    m_frames_at_last_copy = 0;  // the WAL started over
  }
  if (frames - m_frames_at_last_copy < m_copy_every) {
    return;
  }
  m_frames_at_last_copy = frames;
  {
    const std::scoped_lock lock(m_mutex);
    m_due = true;
  }
  if (!m_thread.joinable()) {
    m_thread = std::jthread([this](const std::stop_token& stop) { run(stop); });
  }
  m_wake.notify_one();
}

std::unique_lock<std::mutex> WalCheckpointer::hold() { return std::unique_lock(m_copying); }

std::int64_t WalCheckpointer::copies() const {
  const std::scoped_lock lock(m_mutex);
  return m_copies;
}

void WalCheckpointer::run(const std::stop_token& stop) {
  // A connection of its own: SQLite connections are not shared between threads here. It never
  // opens a transaction, so it holds no snapshot the writer's checkpoint must wait for. Opened
  // again after a failure: until then the writer's own checkpoints still copy everything.
  std::optional<sqlite::Database> db;
  while (true) {
    {
      std::unique_lock lock(m_mutex);
      if (!m_wake.wait(lock, stop, [this] { return m_due; })) {
        return;  // stopping
      }
      m_due = false;
    }
    try {
      const std::scoped_lock copying(m_copying);
      if (!db) {
        db.emplace(m_archive, sqlite::Database::Mode::read_write_create);
        db->execute("PRAGMA busy_timeout = 10000");
        db->keep_wal_files();  // closed before the writer, but never the one to remove them
        // A connection learns that the file is in WAL mode when it first reads it: until then
        // a checkpoint on it copies nothing, and says it succeeded.
        db->execute("SELECT count(*) FROM sqlite_schema");
      }
      const bool copied = db->checkpoint_passive();
      const std::scoped_lock lock(m_mutex);
      m_copies += copied ? 1 : 0;
    } catch (const std::exception& error) {
      spdlog::warn("{}: copying the WAL back in the background: {}", m_archive.string(),
                   error.what());
      db.reset();
    }
  }
}

}  // namespace archiver
