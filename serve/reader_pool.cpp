#include "serve/reader_pool.hpp"

namespace archiver::serve {

ReaderPool::ReaderPool(const std::filesystem::path& archive, std::size_t count,
                       SchemaChanged schema_changed)
    : m_schema_changed(std::move(schema_changed)) {
  for (std::size_t i = 0; i < count; ++i) {
    m_idle.push_back(std::make_unique<ArchiveReader>(archive));
  }
  if (!m_idle.empty()) {
    m_schema_version = m_idle.front()->schema_version();
  }
}

ReaderPool::Lease::~Lease() {
  if (m_reader) {
    const std::lock_guard lock(m_pool->m_mutex);
    m_pool->m_idle.push_back(std::move(m_reader));
    m_pool->m_returned.notify_one();
  }
}

ReaderPool::Lease ReaderPool::borrow() {
  std::unique_lock lock(m_mutex);
  m_returned.wait(lock, [this] { return !m_idle.empty(); });
  auto reader = std::move(m_idle.back());
  m_idle.pop_back();
  lock.unlock();
  Lease lease(*this, std::move(reader));
  // One statement per request (the file's header, which SQLite has read anyway).
  if (const int found = lease->schema_version(); found != m_schema_version) {
    const StoreError error = schema_changed_error(m_schema_version, found);
    if (m_schema_changed) {
      std::call_once(m_schema_change_told, [&] { m_schema_changed(error); });
    }
    throw error;  // the lease gives the reader back
  }
  return lease;
}

}  // namespace archiver::serve
