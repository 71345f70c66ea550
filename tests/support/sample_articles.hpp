#pragma once
// Fetch records and parsed pages for tests that write an archive directly, without HTTP.

#include "parsers/article.hpp"
#include "store/records.hpp"

#include <string>
#include <utility>
#include <vector>

namespace archiver::testing {

// A 200 of url at `when` (UTC ISO), served as UTF-8 HTML.
inline FetchRecord fetch_of(const std::string& url, const std::string& when) {
  FetchRecord record;
  record.url = url;
  record.final_url = url;
  record.fetched_at = when;
  record.http_status = 200;
  record.content_type = "text/html; charset=utf-8";
  record.charset = "UTF-8";
  record.charset_reason = "utf8-valid";
  return record;
}

// A page holding one article published 2023-06-13 with this title and these paragraphs.
inline ParsedPage page_with(const std::string& title, std::vector<std::string> body,
                            std::string published = "2023-06-13") {
  Article article;
  article.title = title;
  article.published = std::move(published);
  article.author = "肥工";
  article.body = std::move(body);
  ParsedPage page;
  page.articles.push_back(std::move(article));
  return page;
}

}  // namespace archiver::testing
