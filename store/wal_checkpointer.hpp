#pragma once
// Copies the writer's WAL back into the archive file on a thread of its own, while the writer
// goes on storing pages. A checkpoint made by the writer itself stops the crawl: the parse pool
// runs dry while it copies and waits for two fsyncs. With this thread the writer's own
// checkpoint (ArchiveWriter: only once the WAL is long) finds most frames copied already.
// SQLite starts the WAL over at a write transaction begun with every frame copied and no
// reader in the WAL: after this thread's copy once the writer has paused for a second, or
// after the writer's own checkpoint.

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
  // copy_every: frames added to the WAL between two copies (4,096: 16 MiB of 4 KiB pages; the
  // writer sets it from the archive's page size, set_copy_every).
  // after_quiet: once the WAL holds copy_every frames or more, a copy runs this long after the
  // last commit (again each after_quiet while readers keep it from the last frames and no
  // commit comes), so that the writer's next transaction finds every frame copied and SQLite
  // starts the WAL over: a daemon's WAL is usually short again after each crawl.
  explicit WalCheckpointer(std::filesystem::path archive, int copy_every = 4096,
                           std::chrono::milliseconds after_quiet = std::chrono::seconds(1));
  ~WalCheckpointer() = default;  // the copy under way ends first (m_thread joins)
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // From the writer's thread, after each commit: the WAL holds `frames` frames. Wakes the
  // thread (started the first time) once copy_every frames came since the last copy that came
  // due, and starts the wait for a pause. writer_checkpoints: the writer copies the WAL itself
  // after this commit; no copy comes due here (the two would only keep each other busy).
  void wal_grew(int frames, bool writer_checkpoints = false);
  // Before the first wal_grew: the frames between two copies.
  void set_copy_every(int frames) { m_copy_every = frames; }
  // Copies made so far (tests wait for them).
  [[nodiscard]] std::int64_t copies() const;
  // No copy runs while the lock is held (one under way ends first): `gc` checkpoints with
  // TRUNCATE, which SQLite refuses at once while another checkpoint runs. (A `gc` in another
  // process than the writer's cannot hold it: its TRUNCATE may then find a copy under way and
  // leave the WAL as it is, to the next one.)
  [[nodiscard]] std::unique_lock<std::mutex> hold();

 private:
  void run(const std::stop_token& stop);
  // Waits (m_mutex held) until a copy is due, or the writer paused; false when stopping.
  bool wait_for_copy(std::unique_lock<std::mutex>& lock, const std::stop_token& stop);
  // Whether the wait for a pause is on (m_mutex held).
  [[nodiscard]] bool pause_to_wait_for() const { return m_uncopied && m_frames >= m_copy_every; }

  std::filesystem::path m_archive;
  int m_copy_every;
  std::chrono::milliseconds m_after_quiet;
  int m_frames_at_last_copy = 0;  // the writer's thread only
  std::mutex m_copying;           // held by a copy, and by hold()
  mutable std::mutex m_mutex;
  std::condition_variable_any m_wake;
  bool m_due = false;
  // Commits since the last copy began (or a copy left frames to copy), the WAL's frames after
  // the latest commit, and since when the writer has been quiet (that commit, or that copy).
  bool m_uncopied = false;
  int m_frames = 0;
  std::chrono::steady_clock::time_point m_quiet_since;
  std::int64_t m_copies = 0;
  std::jthread m_thread;  // last: stopped and joined before the members above go
};

}  // namespace archiver
