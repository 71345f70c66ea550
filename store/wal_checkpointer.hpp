#pragma once
// Copies the writer's WAL back into the archive file on a thread of its own, while the writer
// goes on storing pages. A checkpoint made by the writer itself (every 16,384 frames) stopped
// the crawl: the parse pool ran dry while it copied 64 MiB and waited for two fsyncs, a fifth
// of a second each time, five times in the benchmark crawl. With this thread the writer's own
// checkpoint finds most frames copied already. The WAL starts over only after a checkpoint that
// copied every frame (SQLite's rule): this thread's, once the writer pauses for a second; the
// writer's own, when the WAL grew too long while it kept committing.

#include "store/sqlite.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <stop_token>
#include <thread>

namespace archiver {

class WalCheckpointer {
 public:
  // copy_every: frames added to the WAL between two copies (4,096: 16 MiB of 4 KiB pages).
  // after_quiet: once the WAL holds copy_every frames or more, a copy runs this long after the
  // last commit, so that the writer's next transaction finds every frame copied and SQLite
  // starts the WAL over (a daemon's WAL does not stay long between its crawls).
  explicit WalCheckpointer(std::filesystem::path archive, int copy_every = 4096,
                           std::chrono::milliseconds after_quiet = std::chrono::seconds(1));
  ~WalCheckpointer() = default;  // the copy under way ends first (m_thread joins)
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // From the writer's thread, after each commit: the WAL holds `frames` frames. Wakes the
  // thread (started the first time) once copy_every frames came since the last copy began.
  void wal_grew(int frames);
  // Copies made so far (tests wait for them).
  [[nodiscard]] std::int64_t copies() const;
  // No copy runs while the lock is held (one under way ends first): `gc` checkpoints with
  // TRUNCATE, which SQLite refuses at once while another checkpoint runs.
  [[nodiscard]] std::unique_lock<std::mutex> hold();

 private:
  void run(const std::stop_token& stop);
  // Waits (m_mutex held) until a copy is due, or the writer paused; false when stopping.
  bool wait_for_copy(std::unique_lock<std::mutex>& lock, const std::stop_token& stop);

  std::filesystem::path m_archive;
  int m_copy_every;
  std::chrono::milliseconds m_after_quiet;
  int m_frames_at_last_copy = 0;  // the writer's thread only
  std::mutex m_copying;           // held by a copy, and by hold()
  mutable std::mutex m_mutex;
  std::condition_variable_any m_wake;
  bool m_due = false;
  // Commits since the last copy began, the WAL's frames after the latest, and when it came.
  bool m_uncopied = false;
  int m_frames = 0;
  std::chrono::steady_clock::time_point m_last_commit;
  std::int64_t m_copies = 0;
  std::jthread m_thread;  // last: stopped and joined before the members above go
};

}  // namespace archiver
