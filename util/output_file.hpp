#pragma once
// Where `-o FILE` output goes (exports, stored assets). A user naming a file expects:
// - a regular file (new or existing) appears only when complete: the output is written to a
//   unique temporary file beside it (mkstemp), synced, then renamed over it; an interrupted or
//   failed write leaves the old file (or none) as it was, and two writers to one path each
//   leave a whole file, never a mix;
// - a symlink is followed: the file it points to is replaced that way, the link stays;
// - a FIFO, a terminal, /dev/null or another device is written through, never replaced by a
//   regular file; /dev/stdout, /dev/stderr and /dev/fd/N write to the process's own descriptor
//   (so `-o /dev/stdout >> all.jsonl` appends, and `-o >(gzip)` works).

#include <filesystem>
#include <memory>
#include <ostream>
#include <streambuf>

namespace archiver {

class OutputFile {
 public:
  // Opens the output; throws std::runtime_error naming the path and the reason.
  explicit OutputFile(const std::filesystem::path& path);
  // Without finish(): a temporary file is removed, the destination stays untouched.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  [[nodiscard]] std::ostream& stream() { return *m_stream; }

  // Flushes, syncs and (for a regular file) renames it into place. Throws when any write
  // failed (a full disk, a closed pipe), naming the path.
  void finish();

  // Bytes written so far.
  [[nodiscard]] std::uint64_t bytes() const;

 private:
  class Buffer;
  std::filesystem::path m_path;       // what was asked for
  std::filesystem::path m_target;     // the regular file to replace (m_path, or a link's target)
  std::filesystem::path m_temporary;  // empty when writing through
  int m_fd = -1;
  std::unique_ptr<Buffer> m_buffer;
  std::unique_ptr<std::ostream> m_stream;
  bool m_done = false;
};

}  // namespace archiver
