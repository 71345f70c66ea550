#pragma once
// One URL's way through archiver: fetch (conditional) -> decode -> parse -> detect change ->
// store. `archiver fetch` runs it directly; the daemon will run the same stages.

#include "config/settings.hpp"
#include "fetch/http_client.hpp"
#include "parsers/article.hpp"
#include "store/archive_writer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace archiver {

// What became of one URL: the contract's `fetch --json` object.
struct FetchReport {
  std::string url;
  Outcome outcome = Outcome::error;
  long http_status = 0;
  std::string parser;
  std::optional<std::string> error;
  std::optional<std::string> site;
  std::optional<StoredArticle> article;  // when the page holds one
  std::vector<Headline> headlines;
  std::string charset;
  std::string charset_reason;
};

class FetchPipeline {
 public:
  FetchPipeline(const Settings& settings, ArchiveWriter& writer);

  // Fetches url now. The parser is the one of the site whose scope holds the URL, else
  // fallback_parser. Never throws for network or content problems: they come back as an error
  // report, and the attempt is logged in the archive.
  [[nodiscard]] FetchReport fetch_url(const std::string& url, ParserKind fallback_parser);

 private:
  const Settings& m_settings;
  ArchiveWriter& m_writer;
  HttpClient m_client;
};

}  // namespace archiver
