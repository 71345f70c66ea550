#pragma once
// What every command needs: the config (resolved per the contract's search order) and the
// archive path.

#include "config/settings.hpp"

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

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

// The config files tried when neither --config nor $ARCHIVER_CONFIG names one, in order:
// ./archiver.toml, the install's own (PREFIX/etc/archiver/archiver.toml; for the prefix /usr that
// is /etc/archiver/archiver.toml, the file the systemd units pass), /etc/archiver/archiver.toml.
[[nodiscard]] std::vector<std::filesystem::path> default_config_paths();

// --config, else $ARCHIVER_CONFIG, else the first of default_config_paths() that is a file, else
// none. Empty when there is no config.
[[nodiscard]] std::filesystem::path find_config(const GlobalOptions& options);

// --db, else $ARCHIVER_DB, else the config's [archive] database, else ./archive.db.
[[nodiscard]] std::filesystem::path find_database(const GlobalOptions& options,
                                                  const Settings& settings);

// Loads the config; on failure prints every error (file:line: key: message) and returns the
// exit code to use.
[[nodiscard]] std::expected<Context, int> load_context(const GlobalOptions& options);

}  // namespace archiver
