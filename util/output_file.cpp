#include "util/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace archiver {
namespace {

std::runtime_error failure(const std::filesystem::path& path, std::string_view what) {
  return std::runtime_error(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

// The descriptor a path names when it is one of this process's own: /dev/stdout, /dev/stderr,
// /dev/fd/N, /proc/self/fd/N. Written through a duplicate, it shares the shell's offset and
// append mode (`-o /dev/stdout >> all.jsonl` appends), where opening the path would not.
std::optional<int> own_descriptor(const std::filesystem::path& path) {
  const std::string text = path.string();
  if (text == "/dev/stdout") {
    return STDOUT_FILENO;
  }
  if (text == "/dev/stderr") {
    return STDERR_FILENO;
  }
  for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (text.starts_with(prefix) && text.size() > prefix.size() &&
        text.find_first_not_of("0123456789", prefix.size()) == std::string::npos) {
      return std::stoi(text.substr(prefix.size()));
    }
  }
  return std::nullopt;
}

// The process's umask, without changing it for good.
mode_t current_umask() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

}  // namespace

// A stream buffer over a file descriptor: 64 KiB at a time, EINTR and short writes handled. A
// failed write is remembered (and the stream's badbit set) for finish() to report.
class OutputFile::Buffer : public std::streambuf {
 public:
  explicit Buffer(int fd) : m_fd(fd), m_space(64 * 1024) {
    setp(m_space.data(), m_space.data() + m_space.size());
  }

  [[nodiscard]] int error() const { return m_error; }
  [[nodiscard]] std::uint64_t written() const {
    return m_written + static_cast<std::uint64_t>(pptr() - pbase());
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* data = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && m_error == 0) {
      const ssize_t wrote = ::write(m_fd, data, left);
      if (wrote < 0) {
        if (errno == EINTR) {
          continue;
        }
        m_error = errno;
        break;
      }
      data += wrote;
      left -= static_cast<std::size_t>(wrote);
      m_written += static_cast<std::uint64_t>(wrote);
    }
    setp(m_space.data(), m_space.data() + m_space.size());
    return m_error == 0;
  }

  int m_fd;
  std::vector<char> m_space;
  int m_error = 0;
  std::uint64_t m_written = 0;
};

OutputFile::OutputFile(const std::filesystem::path& path) : m_path(path) {
  if (const auto descriptor = own_descriptor(path)) {
    m_fd = ::fcntl(*descriptor, F_DUPFD_CLOEXEC, 0);
    if (m_fd < 0) {
      throw failure(path, "cannot write");
    }
    m_buffer = std::make_unique<Buffer>(m_fd);
    m_stream = std::make_unique<std::ostream>(m_buffer.get());
    return;
  }
  struct stat info {};
  const bool exists = ::stat(path.c_str(), &info) == 0;  // follows symlinks
  if (exists && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) {
      errno = EISDIR;
      throw failure(path, "cannot write");
    }
    // A FIFO, a terminal, a device: written through, as a shell redirection would.
    m_fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (m_fd < 0) {
      throw failure(path, "cannot write");
    }
  } else {
    // A regular file, or none yet: through a symlink to where it points.
    std::error_code error;
    m_target = std::filesystem::weakly_canonical(path, error);
    if (error) {
      m_target = path;
    }
    const auto folder =
        m_target.parent_path().empty() ? std::filesystem::path(".") : m_target.parent_path();
    std::string name = (folder / ("." + m_target.filename().string() + ".XXXXXX.part")).string();
    m_fd = ::mkstemps(name.data(), 5);
    if (m_fd < 0) {
      throw failure(folder, "cannot create a file in");
    }
    m_temporary = name;
    // mkstemp makes 0600; the file gets what a plain creation would, or keeps the mode of the
    // file it replaces.
    const mode_t mode = exists ? (info.st_mode & 07777) : (0666 & ~current_umask());
    ::fchmod(m_fd, mode);
  }
  m_buffer = std::make_unique<Buffer>(m_fd);
  m_stream = std::make_unique<std::ostream>(m_buffer.get());
}

OutputFile::~OutputFile() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
  if (!m_done && !m_temporary.empty()) {
    ::unlink(m_temporary.c_str());
  }
}

std::uint64_t OutputFile::bytes() const { return m_buffer->written(); }

void OutputFile::finish() {
  m_stream->flush();
  if (m_buffer->error() != 0 || !*m_stream) {
    errno = m_buffer->error() != 0 ? m_buffer->error() : EIO;
    throw failure(m_path, "writing");
  }
  if (m_temporary.empty()) {
    m_done = true;
    return;  // written through: nothing to put in place
  }
  if (::fsync(m_fd) != 0) {
    throw failure(m_path, "writing");
  }
  ::close(m_fd);
  m_fd = -1;
  if (::rename(m_temporary.c_str(), m_target.c_str()) != 0) {
    throw failure(m_target, "cannot put in place");
  }
  m_done = true;
  // The rename itself survives a crash once the folder is synced too.
  const int folder = ::open(m_target.parent_path().empty() ? "." : m_target.parent_path().c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
}

}  // namespace archiver
