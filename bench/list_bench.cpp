// Time to read a union CMS list page of N entries (the cms family: entries, 摘要, pagination),
// the median of several parses; bench/list runs it for a few sizes. A list page used to take
// time quadratic in its entries (each paragraph compared with every entry).
//
// Usage: archiver-bench-list ENTRIES [RUNS]

#include "parsers/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Entries like those of union CMS lists: a title, a date, and a 摘要 beside it or under it.
std::string list_page(std::size_t entries) {
  std::string html =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>工会动态 - 某市总工会</title>"
      "</head><body><div class=\"nav\"><a href=\"/\">首页</a></div><div class=\"main\"><ul>\n";
  for (std::size_t i = 0; i < entries; ++i) {
    html += fmt::format(
        "<li><a href=\"2024/{0}.html\">市总工会开展第{0}期职工技能培训活动</a><span>2024-05-0{1}"
        "</span>{2}</li>\n",
        i, 1 + i % 9,
        i % 3 == 0 ? "<p>为提升职工技能水平，市总工会组织开展技能培训，参训职工积极踊跃。</p>"
                   : "<span>各基层工会积极组织职工参加，培训内容涵盖安全生产、技能提升和劳动保护"
                     "等方面。</span>");
  }
  return html +
         "</ul><div class=\"page\"><a href=\"list_2.html\">下一页</a></div></div></body>"
         "</html>";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: archiver-bench-list ENTRIES [RUNS]\n";
    return 2;
  }
  const auto entries = static_cast<std::size_t>(std::strtoull(argv[1], nullptr, 10));
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::string html = list_page(entries);
  std::vector<double> seconds;
  std::size_t found = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto page =
        archiver::parse_page(archiver::ParserKind::cms,
                             {.url = "http://union.example.cn/list/index.html", .html = html});
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    found = page.headlines.size();
  }
  std::ranges::sort(seconds);
  std::cout << fmt::format("{} entries ({:.1f} MB of HTML): {} found, median {:.2f} s of {} runs\n",
                           entries, static_cast<double>(html.size()) / 1e6, found,
                           seconds[seconds.size() / 2], runs);
  return 0;
}
