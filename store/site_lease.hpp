#pragma once
// One crawl per site at a time, across processes: a crawl holds its site's lease, a row in the
// archive's site_leases table, from start to end. A second crawl of the site finds the row and
// its holder still running, and does not start. A holder that is gone (kill -9, a crash, a
// reboot) leaves a row that the next crawl takes over.

#include "store/sqlite.hpp"

#include <cstdint>
#include <expected>
#include <string>

namespace archiver {

// The process crawling a site now.
struct LeaseHolder {
  std::int64_t pid = 0;
  std::string command;   // "archiver fetch --site ahgrb"
  std::string taken_at;  // UTC ISO
};

// A held lease; given back when destroyed. Lives on the thread of the connection it was taken
// with (the archive's writer).
class SiteLease {
 public:
  // Takes site's lease for this process, or names the running process that holds it.
  [[nodiscard]] static std::expected<SiteLease, LeaseHolder> take(sqlite::Database& db,
                                                                  const std::string& site,
                                                                  const std::string& command);
  SiteLease(SiteLease&& other) noexcept;
  SiteLease& operator=(SiteLease&&) = delete;
  SiteLease(const SiteLease&) = delete;
  SiteLease& operator=(const SiteLease&) = delete;
  ~SiteLease();

 private:
  SiteLease(sqlite::Database& db, std::string site, std::int64_t pid);
  sqlite::Database* m_db;
  std::string m_site;
  std::int64_t m_pid;
};

}  // namespace archiver
