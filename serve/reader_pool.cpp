#include "serve/reader_pool.hpp"

namespace archiver::serve {

ReaderPool::ReaderPool(const std::filesystem::path& archive, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    m_idle.push_back(std::make_unique<ArchiveReader>(archive));
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
  return {*this, std::move(reader)};
}

}  // namespace archiver::serve
