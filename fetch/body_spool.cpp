#include "fetch/body_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace archiver {
namespace {

std::runtime_error failure(const std::filesystem::path& folder, std::string_view what) {
  return std::runtime_error(std::string(what) + " in " + folder.string() + ": " +
                            std::strerror(errno));
}

int unnamed_file(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) {
    return fd;
  }
  // Filesystems without O_TMPFILE: a named file, unlinked at once.
  std::string name = (folder / ".archiver-spool-XXXXXX").string();
  const int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named < 0) {
    throw failure(folder, "cannot create a temporary file for a download");
  }
  ::unlink(name.c_str());
  return named;
}

}  // namespace

BodySpool::BodySpool(const std::filesystem::path& folder)
    : m_fd(unnamed_file(folder)), m_folder(folder) {}

BodySpool::~BodySpool() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void BodySpool::restart() {
  if (::ftruncate(m_fd, 0) != 0 || ::lseek(m_fd, 0, SEEK_SET) != 0) {
    throw failure(m_folder, "cannot empty a temporary download file");
  }
  m_size = 0;
  m_head.clear();
  m_tail.clear();
  m_digest = Sha256();
  m_sha256.clear();
}

void BodySpool::append(std::string_view bytes) {
  m_digest.update(bytes);
  m_size += bytes.size();
  if (m_head.size() < k_edge_bytes) {
    m_head.append(bytes.substr(0, k_edge_bytes - m_head.size()));
  }
  m_tail.append(bytes.size() > k_edge_bytes ? bytes.substr(bytes.size() - k_edge_bytes) : bytes);
  if (m_tail.size() > k_edge_bytes) {
    m_tail.erase(0, m_tail.size() - k_edge_bytes);
  }
  while (!bytes.empty()) {
    const ssize_t written = ::write(m_fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw failure(m_folder, "cannot write a download");
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

const std::string& BodySpool::sha256() {
  if (m_sha256.empty()) {
    m_sha256 = m_digest.finish();
  }
  return m_sha256;
}

void BodySpool::read(const std::function<void(std::string_view)>& chunk) const {
  std::string buffer(256 * 1024, '\0');
  off_t offset = 0;
  for (;;) {
    const ssize_t got = ::pread(m_fd, buffer.data(), buffer.size(), offset);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw failure(m_folder, "cannot read a download back");
    }
    if (got == 0) {
      return;
    }
    offset += got;
    chunk(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
}

}  // namespace archiver
