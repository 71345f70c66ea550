#pragma once
// Opening the archive for a command: failures are logged with the file's name and become
// exit code 3.

#include "cli/context.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"

#include <expected>
#include <memory>

namespace archiver {

[[nodiscard]] std::expected<std::unique_ptr<ArchiveReader>, int> open_reader(
    const std::filesystem::path& path);
// max_size: the config's [archive] max_size (ArchiveWriter::limit_size).
[[nodiscard]] std::expected<std::unique_ptr<ArchiveWriter>, int> open_writer(
    const std::filesystem::path& path, std::optional<std::uint64_t> max_size = {});
// For the commands that store versions: the config's max_size, and its [[notify]] webhooks, whose
// events go into the outbox with each version (the daemon delivers them).
[[nodiscard]] std::expected<std::unique_ptr<ArchiveWriter>, int> open_writer(
    const std::filesystem::path& path, const Settings& settings);

// The config's [[notify]] tables as the writer routes events.
[[nodiscard]] std::vector<EventRoute> event_routes(const Settings& settings);

// Builds search's traditional-to-simplified table now; false (logged) when OpenCC's data is
// missing.
[[nodiscard]] bool load_search_folding();

// Whether the archive has the latest schema (search and editions need its tables); logs how to
// upgrade it when not.
[[nodiscard]] bool has_current_schema(ArchiveReader& reader, std::string_view command);

// The config and a read-only archive, as every query command starts; the error is the exit code
// (already logged).
struct ReadSession {
  Context context;
  std::unique_ptr<ArchiveReader> reader;
};
[[nodiscard]] std::expected<ReadSession, int> open_read_session(const GlobalOptions& global);

}  // namespace archiver
