#include "cli/open_archive.hpp"

#include "cli/exit_codes.hpp"
#include "search/fold.hpp"
#include "store/schema.hpp"

#include <spdlog/spdlog.h>

namespace archiver {
namespace {

// SQLite says only "unable to open database file" when the folder is missing: say which.
bool folder_exists(const std::filesystem::path& path) {
  const auto folder = path.parent_path();
  std::error_code error;
  if (folder.empty() || std::filesystem::is_directory(folder, error)) {
    return true;
  }
  spdlog::error("{}: the folder {} does not exist (create it, or pass another --db)", path.string(),
                folder.string());
  return false;
}

// When opening fails on a full disk SQLite says "disk I/O error" (it cannot make its -shm file):
// say what the disk says.
std::string full_disk_note(const std::filesystem::path& path) {
  std::error_code error;
  const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  const auto space = std::filesystem::space(folder, error);
  constexpr std::uintmax_t k_nearly_full = 1024 * 1024;
  if (error || space.available >= k_nearly_full) {
    return {};
  }
  return " (the disk holding it is full: " + std::to_string(space.available) +
         " bytes free; free some space and try again)";
}

template <typename Archive>
std::expected<std::unique_ptr<Archive>, int> open_archive(const std::filesystem::path& path) {
  if (!folder_exists(path)) {
    return std::unexpected(k_exit_database);
  }
  try {
    return std::make_unique<Archive>(path);
  } catch (const NotAnArchive& error) {
    spdlog::error("{}", error.what());
  } catch (const StoreError& error) {
    spdlog::error("{}: {}{}", path.string(), error.what(), full_disk_note(path));
  }
  return std::unexpected(k_exit_database);
}

}  // namespace

std::expected<std::unique_ptr<ArchiveReader>, int> open_reader(const std::filesystem::path& path) {
  std::error_code error;
  if (!folder_exists(path)) {
    return std::unexpected(k_exit_database);
  }
  if (!std::filesystem::exists(path, error)) {
    spdlog::error("{}: no archive there (run `archiver fetch` first, or pass --db)", path.string());
    return std::unexpected(k_exit_database);
  }
  return open_archive<ArchiveReader>(path);
}

namespace {

// Runs a step of search's folding; false (logged) when OpenCC's data is missing.
bool folding_step_succeeds(void (*step)()) {
  try {
    step();
    return true;
  } catch (const std::exception& error) {
    spdlog::error("search folding: {}", error.what());
    return false;
  }
}

}  // namespace

bool load_search_folding() { return folding_step_succeeds(search::load_folding); }

bool has_current_schema(ArchiveReader& reader, std::string_view command) {
  const int found = reader.schema_version();
  if (found >= latest_schema_version()) {
    return true;
  }
  spdlog::error(
      "{}: {} has schema version {}, and {} needs {}: run any writing command once (for example "
      "`archiver gc`) to bring it up to date",
      command, reader.path().string(), found, command, latest_schema_version());
  return false;
}

std::expected<std::unique_ptr<ArchiveWriter>, int> open_writer(
    const std::filesystem::path& path, std::optional<std::uint64_t> max_size) {
  // Every version written is indexed for search; without OpenCC's table nothing could be. (The
  // table is built by the first version indexed.)
  if (!folding_step_succeeds(search::check_folding_data)) {
    return std::unexpected(k_exit_some_failed);
  }
  auto writer = open_archive<ArchiveWriter>(path);
  if (writer) {
    (*writer)->limit_size(max_size);
  }
  return writer;
}

std::expected<std::unique_ptr<ArchiveWriter>, int> open_writer(const std::filesystem::path& path,
                                                               const Settings& settings) {
  auto writer = open_writer(path, settings.max_archive_size);
  if (writer) {
    (*writer)->route_events(event_routes(settings));
  }
  return writer;
}

std::vector<EventRoute> event_routes(const Settings& settings) {
  std::vector<EventRoute> routes;
  for (const NotifySettings& notify : settings.notify) {
    routes.push_back({.webhook = notify.url,
                      .sites = notify.sites,
                      .on_new = notify.on_new,
                      .on_changed = notify.on_changed});
  }
  return routes;
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
