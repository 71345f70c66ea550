#pragma once
// A folder of pages a test writes, served on 127.0.0.1, with a config for it and an archive to
// crawl into. The config text names the server as "@BASE@/" (replaced by its address).

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace archiver::testing {

struct ServedSite {
  TempDir dir;
  std::filesystem::path root = dir / "www";
  TestServer server;
  std::filesystem::path config = dir / "archiver.toml";
  std::filesystem::path database = dir / "archive.db";

  // site_toml: the [[site]] tables (and any other tables); [fetch] is set for a local server.
  explicit ServedSite(const std::string& site_toml) {
    std::filesystem::create_directories(root);
    server.serve_directory(root);
    write_config(site_toml);
  }

  void write_config(const std::string& site_toml) const {
    std::string text = site_toml;
    const std::string base = server.url("");
    for (auto pos = text.find("@BASE@/"); pos != std::string::npos; pos = text.find("@BASE@/")) {
      text.replace(pos, 7, base);
    }
    std::ofstream(config) << "[fetch]\ndelay_per_host = \"0s\"\nobey_robots = false\n"
                          << "timeout = \"10s\"\n\n"
                          << text;
  }

  [[nodiscard]] std::string url(const std::string& path) const { return server.url(path); }

  // The archiver binary with this config and archive; its output in files under dir.
  ProcessResult run(std::vector<std::string> args) const {
    std::vector<std::string> full{"--config", config.string(), "--db", database.string()};
    full.insert(full.end(), args.begin(), args.end());
    return run_process(ARCHIVER_BINARY, full, dir.path());
  }

  // The same, left running (the daemon, a crawl to interrupt); scratch keeps its output apart.
  [[nodiscard]] std::unique_ptr<ChildProcess> start(std::vector<std::string> args,
                                                    const std::filesystem::path& scratch,
                                                    std::vector<std::string> env = {}) const {
    std::filesystem::create_directories(scratch);
    std::vector<std::string> full{"--config", config.string(), "--db", database.string()};
    full.insert(full.end(), args.begin(), args.end());
    return std::make_unique<ChildProcess>(ARCHIVER_BINARY, full, scratch, env);
  }

  // How many requests the server has had for a path (no query).
  [[nodiscard]] std::size_t hits(const std::string& path) const {
    return server.request_count(path);
  }
};

}  // namespace archiver::testing
