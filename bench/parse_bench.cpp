// The parse pool's work on an e-paper site's pages, on one thread: each page decoded, parsed,
// hashed and compressed, its articles packed for the store (FetchPipeline::process, as a crawl
// runs it, without a site's dictionaries). The CPU seconds of each pass over the pages and
// their median; the pages stay in memory, so nothing else is measured. bench/parse runs it on
// the benchmark's synthetic site.
//
// Usage: archiver-bench-parse SITE_DIR BASE_URL [RUNS] [MAX_PAGES]
//   SITE_DIR: the site's files (its *.htm pages are read, in name order)
//   BASE_URL: the address SITE_DIR is served at (the pages' URLs, which the parser reads)

#include "pipeline/fetch_pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Page {
  std::string url;
  std::string body;
};

std::vector<Page> load_pages(const std::filesystem::path& dir, const std::string& base,
                             std::size_t max_pages) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".htm") {
      files.push_back(entry.path());
    }
  }
  std::ranges::sort(files);
  files.resize(std::min(files.size(), max_pages));
  std::vector<Page> pages;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    pages.push_back({.url = base + "/" + std::filesystem::relative(file, dir).generic_string(),
                     .body = bytes.str()});
  }
  return pages;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: archiver-bench-parse SITE_DIR BASE_URL [RUNS] [MAX_PAGES]\n";
    return 2;
  }
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const std::size_t max_pages =
      argc > 4 ? static_cast<std::size_t>(std::strtoull(argv[4], nullptr, 10)) : SIZE_MAX;
  std::string base = argv[2];
  while (base.ends_with('/')) {
    base.pop_back();
  }
  const auto pages = load_pages(argv[1], base, max_pages);
  if (pages.empty()) {
    std::cerr << argv[1] << ": no .htm pages\n";
    return 1;
  }
  std::size_t bytes = 0;
  for (const Page& page : pages) {
    bytes += page.body.size();
  }
  std::vector<double> seconds;
  std::size_t articles = 0;
  for (int run = 0; run < runs; ++run) {
    articles = 0;
    const double start = thread_cpu_seconds();
    for (const Page& page : pages) {
      archiver::PreparedFetch prepared;
      prepared.url = page.url;
      prepared.parser = archiver::ParserKind::epaper;
      archiver::FetchResponse response;
      response.url = page.url;
      response.final_url = page.url;
      response.http_status = 200;
      response.headers = {{"Content-Type", "text/html"}};
      response.body = page.body;
      const auto processed = archiver::FetchPipeline::process(prepared, response);
      articles += processed.page.articles.size();
    }
    seconds.push_back(thread_cpu_seconds() - start);
  }
  std::vector<double> sorted = seconds;
  std::ranges::sort(sorted);
  const double median = sorted[sorted.size() / 2];
  fmt::print("{} pages ({:.1f} MB of HTML), {} articles; CPU s per pass:", pages.size(),
             static_cast<double>(bytes) / 1e6, articles);
  for (const double s : seconds) {
    fmt::print(" {:.3f}", s);
  }
  fmt::print("; median {:.3f} s = {:.3f} ms per page, {:.0f} pages/s on one core\n", median,
             median * 1000.0 / static_cast<double>(pages.size()),
             static_cast<double>(pages.size()) / median);
  return 0;
}
