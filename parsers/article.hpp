#pragma once
// What a parser pulls out of one page: at most one article, and any headline list it shows.

#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct Headline {
  std::string title;  // may be empty: e-paper lists carry entries with only a 摘要
  std::string url;    // absolute
  std::optional<std::string> summary;  // 摘要
};

struct Article {
  std::string title;
  std::optional<std::string> kicker;     // 引题
  std::optional<std::string> subtitle;   // 副题
  std::optional<std::string> published;  // ISO 8601 as in the contract, +08:00 when timed
  std::optional<std::string> author;
  std::optional<std::string> source;   // 来源
  std::vector<std::string> body;       // paragraphs, trimmed, no boilerplate
  std::optional<std::string> edition;  // e-paper: YYYY-MM-DD
  std::optional<std::string> page;     // e-paper: 第02版:工会新闻
  std::optional<std::string> issue;    // e-paper: 期次 digits

  [[nodiscard]] std::string body_text() const;  // paragraphs joined by '\n'
};

struct ParsedPage {
  std::optional<Article> article;  // none for pure list pages or pages without content
  std::vector<Headline> headlines;
};

}  // namespace archiver
