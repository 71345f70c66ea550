#pragma once
// Copies the writer's WAL back into the archive file on a thread of its own, while the writer
// goes on storing pages. A checkpoint made by the writer itself (every 16,384 frames) stopped
// the crawl: the parse pool ran dry while it copied 64 MiB and waited for two fsyncs, a fifth
// of a second each time, five times in the benchmark crawl. With this thread the writer's own
// checkpoint finds most frames copied already. The WAL starts over only after a checkpoint that
// copied every frame (SQLite's rule): this thread's, when the writer pauses; the writer's own
// while it keeps committing.

#include "store/sqlite.hpp"

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
  explicit WalCheckpointer(std::filesystem::path archive, int copy_every = 4096);
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

  std::filesystem::path m_archive;
  int m_copy_every;
  int m_frames_at_last_copy = 0;  // the writer's thread only
  std::mutex m_copying;           // held by a copy, and by hold()
  mutable std::mutex m_mutex;
  std::condition_variable_any m_wake;
  bool m_due = false;
  std::int64_t m_copies = 0;
  std::jthread m_thread;  // last: stopped and joined before the members above go
};

}  // namespace archiver
