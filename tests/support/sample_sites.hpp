#pragma once
// The sample sites (samples/www, configured by samples/archiver.toml.in) served on 127.0.0.1,
// with a config pointing at them and an archive to crawl into; `run` runs the archiver binary.

#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace archiver::testing {

struct SampleSites {
  TestServer server;
  TempDir dir;
  std::filesystem::path config = dir / "archiver.toml";
  std::filesystem::path database = dir / "archive.db";

  // root: the site files to serve (a copy of samples/www when a test edits pages).
  explicit SampleSites(const std::filesystem::path& root = samples_root()) {
    server.serve_directory(root);
    std::string text =
        read_file(std::filesystem::path(ARCHIVER_SOURCE_DIR) / "samples" / "archiver.toml.in");
    std::string base = server.url("");
    base.pop_back();  // no trailing slash: the template adds the paths
    for (auto pos = text.find("@BASE@"); pos != std::string::npos; pos = text.find("@BASE@")) {
      text.replace(pos, 6, base);
    }
    std::ofstream(config) << text;
  }

  ProcessResult run(std::vector<std::string> args) {
    std::vector<std::string> full{"--config",        config.string(), "--db",
                                  database.string(), "--log-level",   "warn"};
    full.insert(full.end(), args.begin(), args.end());
    return run_process(ARCHIVER_BINARY, full, dir.path());
  }

  // Expected fields of the article page at a sample path.
  static nlohmann::json expected(const std::string& relative) {
    return nlohmann::json::parse(read_file(samples_root() / (relative + ".expected.json")));
  }

  std::string relative(const std::string& url) const { return url.substr(server.url("").size()); }
};

}  // namespace archiver::testing
