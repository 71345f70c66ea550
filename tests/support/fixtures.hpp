#pragma once
// The sample site under samples/www: pages modelled on the seeds, each with an expected JSON.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decode/charset.hpp"

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

  // "article" for article pages; "edition-page", "edition-page-full" or "list" otherwise.
  [[nodiscard]] std::string kind() const { return expected.value("kind", std::string("article")); }
};

// The pages the Foundation's generic parser is held to: one or more modelled on each seed.
inline bool is_seed_page(const std::string& relative) {
  static const std::vector<std::string> pages = {"ahgrb/2023-06/13/content_8100_1.html",
                                                 "ahgrb/2021-06/01/content_7605_6.html",
                                                 "ahgrb/2021-05/24/content_7598_1.html",
                                                 "ahgrb/2021-05/24/content_7598_3.html",
                                                 "gyghw/news/2023/0706/1234.html",
                                                 "gyghw/news/2023/0712/1240.html",
                                                 "portal/zixun/2022/02/11/article_5871.html",
                                                 "epaper/html/2022-02/13/content_1187.htm"};
  return std::ranges::find(pages, relative) != pages.end();
}

// Every page that has an expected JSON, sorted by path; only those of one kind when asked.
inline std::vector<SamplePage> sample_pages(std::string_view kind = {}) {
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
    if (kind.empty() || page.kind() == kind) {
      pages.push_back(std::move(page));
    }
  }
  std::ranges::sort(pages, {}, &SamplePage::relative);
  return pages;
}

// The page in the other family of charsets, with its labels rewritten to match.
inline std::string transcoded(const SamplePage& sample, std::string& content_type) {
  const std::string bytes = read_file(sample.file);
  const DecodedText decoded = decode_to_utf8(
      {.bytes = bytes, .content_type = sample.content_type, .override_charset = {}, .url = {}});
  std::string text = decoded.utf8;
  const auto relabel = [&](std::string_view from, std::string_view to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
      text.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  if (decoded.charset == "UTF-8") {
    relabel("charset=\"utf-8\"", "charset=\"gb2312\"");
    relabel("charset=utf-8", "charset=gb2312");
    relabel("charset=\"UTF-8\"", "charset=\"gb2312\"");
    content_type = "text/html; charset=GBK";
    auto encoded = encode_utf8_as(text, "GB18030");
    if (!encoded) {
      throw std::runtime_error(sample.relative + ": " + encoded.error());
    }
    return *encoded;
  }
  relabel("gb2312", "utf-8");
  relabel("GB2312", "utf-8");
  content_type = "text/html; charset=utf-8";
  return text;
}

}  // namespace archiver::testing
