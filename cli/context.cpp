#include "cli/context.hpp"

#include "cli/exit_codes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

// ARCHIVER_SYSCONFDIR: the install's config folder (cmake/layout.cmake), defined for this file
// only (cli/CMakeLists.txt).

namespace archiver {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

std::vector<std::filesystem::path> default_config_paths() {
  std::vector<std::filesystem::path> paths{"archiver.toml",
                                           ARCHIVER_SYSCONFDIR "/archiver/archiver.toml"};
  const std::filesystem::path system_wide = "/etc/archiver/archiver.toml";
  if (std::ranges::find(paths, system_wide) == paths.end()) {
    paths.push_back(system_wide);
  }
  return paths;
}

std::filesystem::path find_config(const GlobalOptions& options) {
  if (!options.config.empty()) {
    return options.config;
  }
  if (auto from_env = environment("ARCHIVER_CONFIG"); !from_env.empty()) {
    return from_env;
  }
  for (const auto& candidate : default_config_paths()) {
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) {
      return candidate;
    }
  }
  return {};
}

std::filesystem::path find_database(const GlobalOptions& options, const Settings& settings) {
  if (!options.db.empty()) {
    return options.db;
  }
  if (auto from_env = environment("ARCHIVER_DB"); !from_env.empty()) {
    return from_env;
  }
  if (!settings.database.empty()) {
    return settings.database;
  }
  return "archive.db";
}

std::expected<Context, int> load_context(const GlobalOptions& options) {
  Context context;
  const std::filesystem::path config = find_config(options);
  if (!config.empty()) {
    auto loaded = load_settings(config);
    if (!loaded) {
      for (const auto& error : loaded.error()) {
        spdlog::error("{}", error.to_string());
      }
      return std::unexpected(k_exit_usage);
    }
    context.settings = std::move(*loaded);
    spdlog::debug("config {} ({} sites)", config.string(), context.settings.sites.size());
  }
  context.database = find_database(options, context.settings);
  return context;
}

}  // namespace archiver
