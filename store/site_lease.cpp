#include "store/site_lease.hpp"

#include "util/clock.hpp"
#include "util/process_identity.hpp"

#include <spdlog/spdlog.h>

namespace archiver {

std::expected<SiteLease, LeaseHolder> SiteLease::take(sqlite::Database& db, const std::string& site,
                                                      const std::string& command) {
  const ProcessIdentity self = this_process();
  // BEGIN IMMEDIATE: two processes starting at once cannot both see the row free.
  sqlite::Transaction transaction(db);
  auto find = db.prepare(
      "SELECT pid, boot_id, process_start, command, taken_at FROM site_leases WHERE site = ?1");
  find.bind(1, site);
  if (find.step()) {
    const ProcessIdentity holder{.pid = find.column_int(0),
                                 .boot_id = find.column_text(1),
                                 .process_start = find.column_text(2)};
    const bool ours = holder.pid == self.pid && holder.boot_id == self.boot_id &&
                      holder.process_start == self.process_start;
    if (!ours && is_running(holder)) {
      return std::unexpected(LeaseHolder{
          .pid = holder.pid, .command = find.column_text(3), .taken_at = find.column_text(4)});
    }
    if (!ours) {
      spdlog::info("{}: taking over the crawl lease of pid {} ({}), which is no longer running",
                   site, holder.pid, find.column_text(3));
    }
  }
  find.reset();
  auto take = db.prepare(
      "INSERT OR REPLACE INTO site_leases (site, pid, boot_id, process_start, command, taken_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  take.bind(1, site)
      .bind(2, self.pid)
      .bind(3, self.boot_id)
      .bind(4, self.process_start)
      .bind(5, command)
      .bind(6, now_utc_iso())
      .run();
  transaction.commit();
  return SiteLease(db, site, self.pid);
}

SiteLease::SiteLease(sqlite::Database& db, std::string site, std::int64_t pid)
    : m_db(&db), m_site(std::move(site)), m_pid(pid) {}

SiteLease::SiteLease(SiteLease&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_site(std::move(other.m_site)),
      m_pid(other.m_pid) {}

SiteLease::~SiteLease() {
  if (m_db == nullptr) {
    return;
  }
  try {
    auto give_back = m_db->prepare("DELETE FROM site_leases WHERE site = ?1 AND pid = ?2");
    give_back.bind(1, m_site).bind(2, m_pid).run();
  } catch (const std::exception& error) {
    // A full disk, a broken connection: the row stays, and is taken over once this process
    // has gone.
    spdlog::warn("{}: could not give back the crawl lease: {}", m_site, error.what());
  }
}

}  // namespace archiver
