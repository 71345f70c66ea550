#pragma once
// The sample site under samples/www: pages modelled on the seeds, each with an expected JSON.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace archiver::testing {

inline std::filesystem::path samples_root() {
  return std::filesystem::path(ARCHIVER_SOURCE_DIR) / "samples" / "www";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct SamplePage {
  std::filesystem::path file;  // the HTML file
  std::string relative;        // its path under samples/www, with '/' separators
  nlohmann::json expected;     // NAME.expected.json
  std::string content_type;    // from NAME.headers when present, else empty
};

// Every page that has an expected JSON, sorted by path.
inline std::vector<SamplePage> sample_pages() {
  std::vector<SamplePage> pages;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(samples_root())) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = ".expected.json";
    if (!entry.is_regular_file() || !name.ends_with(suffix)) {
      continue;
    }
    SamplePage page;
    page.file = entry.path().parent_path() / name.substr(0, name.size() - suffix.size());
    page.relative = std::filesystem::relative(page.file, samples_root()).generic_string();
    page.expected = nlohmann::json::parse(read_file(entry.path()));
    std::istringstream headers(read_file(page.file.string() + ".headers"));
    for (std::string line; std::getline(headers, line);) {
      if (line.starts_with("Content-Type:")) {
        page.content_type = line.substr(line.find(':') + 2);
      }
    }
    pages.push_back(std::move(page));
  }
  std::ranges::sort(pages, {}, &SamplePage::relative);
  return pages;
}

}  // namespace archiver::testing
