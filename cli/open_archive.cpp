#include "cli/open_archive.hpp"

#include "cli/exit_codes.hpp"
#include "store/schema.hpp"

#include <spdlog/spdlog.h>

namespace archiver {
namespace {

template <typename Archive>
std::expected<std::unique_ptr<Archive>, int> open_archive(const std::filesystem::path& path) {
  try {
    return std::make_unique<Archive>(path);
  } catch (const NotAnArchive& error) {
    spdlog::error("{}", error.what());
  } catch (const sqlite::StoreError& error) {
    spdlog::error("{}: {}", path.string(), error.what());
  }
  return std::unexpected(k_exit_database);
}

}  // namespace

std::expected<std::unique_ptr<ArchiveReader>, int> open_reader(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    spdlog::error("{}: no archive there (run `archiver fetch` first, or pass --db)", path.string());
    return std::unexpected(k_exit_database);
  }
  return open_archive<ArchiveReader>(path);
}

std::expected<std::unique_ptr<ArchiveWriter>, int> open_writer(
    const std::filesystem::path& path, std::optional<std::uint64_t> max_size) {
  auto writer = open_archive<ArchiveWriter>(path);
  if (writer) {
    (*writer)->limit_size(max_size);
  }
  return writer;
}

std::expected<ReadSession, int> open_read_session(const GlobalOptions& global) {
  auto context = load_context(global);
  if (!context) {
    return std::unexpected(context.error());
  }
  auto reader = open_reader(context->database);
  if (!reader) {
    return std::unexpected(reader.error());
  }
  return ReadSession{.context = std::move(*context), .reader = std::move(*reader)};
}

}  // namespace archiver
