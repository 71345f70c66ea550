#include "store/wal_checkpointer.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

namespace archiver {

WalCheckpointer::WalCheckpointer(std::filesystem::path archive, int copy_every,
                                 std::chrono::milliseconds after_quiet)
    : m_archive(std::move(archive)), m_copy_every(copy_every), m_after_quiet(after_quiet) {}

void WalCheckpointer::wal_grew(int frames, bool writer_checkpoints) {
  if (frames < m_frames_at_last_copy) {
    m_frames_at_last_copy = 0;  // the WAL started over
  }
  const bool due = !writer_checkpoints && frames - m_frames_at_last_copy >= m_copy_every;
  if (due) {
    m_frames_at_last_copy = frames;
  }
  if ((due || frames >= m_copy_every) && !m_thread.joinable()) {
    m_thread = std::jthread([this](const std::stop_token& stop) { run(stop); });
  }
  bool wake = due;
  {
    const std::scoped_lock lock(m_mutex);
    const bool waiting = pause_to_wait_for();
    m_uncopied = true;
    m_frames = frames;
    m_quiet_since = std::chrono::steady_clock::now();
    m_due = m_due || due;
    wake = wake || (!waiting && pause_to_wait_for());  // the wait for a pause begins
  }
  if (wake) {
    m_wake.notify_one();
  }
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
      if (!wait_for_copy(lock, stop)) {
        return;  // stopping
      }
      m_due = false;
      m_uncopied = false;  // a commit from now on may come after the copy's last frame
    }
    auto copied = sqlite::Database::Copied::nothing;
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
      copied = db->checkpoint_passive();
    } catch (const std::exception& error) {
      spdlog::warn("{}: copying the WAL back in the background: {}", m_archive.string(),
                   error.what());
      db.reset();
    }
    const std::scoped_lock lock(m_mutex);
    m_copies += copied != sqlite::Database::Copied::nothing ? 1 : 0;
    if (copied != sqlite::Database::Copied::all && !m_uncopied) {
      // Busy, failed, or kept from the last frames by a reader, and no commit since: another
      // try once the writer has been quiet for as long again.
      m_uncopied = true;
      m_quiet_since = std::chrono::steady_clock::now();
    }
  }
}

bool WalCheckpointer::wait_for_copy(std::unique_lock<std::mutex>& lock,
                                    const std::stop_token& stop) {
  // A pause counts once the WAL is long enough for copies at all: a short one is SQLite's
  // usual size, and a copy after every quiet second of a polite crawl would cost two fsyncs.
  while (!stop.stop_requested()) {
    if (m_due) {
      return true;
    }
    if (!pause_to_wait_for()) {
      m_wake.wait(lock, stop, [&] { return m_due || pause_to_wait_for(); });
      continue;
    }
    const auto quiet_from = m_quiet_since + m_after_quiet;
    if (std::chrono::steady_clock::now() >= quiet_from) {
      return true;  // the writer paused: a copy of every frame lets the WAL start over
    }
    // Woken early by a due copy; a later commit moves quiet_from on, seen at the next turn.
    m_wake.wait_until(lock, stop, quiet_from, [this] { return m_due; });
  }
  return false;
}

}  // namespace archiver
