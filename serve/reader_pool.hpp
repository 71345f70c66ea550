#pragma once
// Read-only connections to the archive for the web interface's threads: a request borrows one
// and gives it back when done. SQLite's WAL lets them all read while the daemon writes.

#include "store/archive_reader.hpp"

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace archiver::serve {

class ReaderPool {
 public:
  // Called, once, when a borrow finds the archive at another schema version than the readers
  // opened it at: a newer archiver upgraded it, and the server's queries name what may no longer
  // exist.
  using SchemaChanged = std::function<void(const StoreError& error)>;

  // Opens count readers now; throws (NotAnArchive, StoreError) naming the file.
  ReaderPool(const std::filesystem::path& archive, std::size_t count,
             SchemaChanged schema_changed = {});

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<ArchiveReader> reader)
        : m_pool(&pool), m_reader(std::move(reader)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ArchiveReader& operator*() const { return *m_reader; }
    ArchiveReader* operator->() const { return m_reader.get(); }

   private:
    ReaderPool* m_pool;
    std::unique_ptr<ArchiveReader> m_reader;
  };

  // Waits while every reader is lent out. Throws StoreError (is_schema_changed()) once the
  // archive's schema version is not the one the readers opened it at.
  [[nodiscard]] Lease borrow();

 private:
  int m_schema_version = 0;
  SchemaChanged m_schema_changed;
  std::once_flag m_schema_change_told;
  std::mutex m_mutex;
  std::condition_variable m_returned;
  std::vector<std::unique_ptr<ArchiveReader>> m_idle;
};

}  // namespace archiver::serve
