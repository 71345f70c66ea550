#pragma once
// What every command needs: the config (resolved per the contract's search order) and the
// archive path.

#include "config/settings.hpp"

#include <expected>
#include <filesystem>
#include <string>

namespace archiver {

struct GlobalOptions {
  std::string config;  // --config
  std::string db;      // --db
  std::string log_level = "info";
};

struct Context {
  Settings settings;
  std::filesystem::path database;
};

// --config, else $ARCHIVER_CONFIG, else ./archiver.toml, else /etc/archiver/archiver.toml, else
// none. Empty when there is no config.
[[nodiscard]] std::filesystem::path find_config(const GlobalOptions& options);

// --db, else $ARCHIVER_DB, else the config's [archive] database, else ./archive.db.
[[nodiscard]] std::filesystem::path find_database(const GlobalOptions& options,
                                                  const Settings& settings);

// Loads the config; on failure prints every error (file:line: key: message) and returns the
// exit code to use.
[[nodiscard]] std::expected<Context, int> load_context(const GlobalOptions& options);

}  // namespace archiver
