#pragma once
// Value types that cross the store's boundary.

#include "parsers/article.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// What a fetch of one URL came to; the contract's `status` values.
enum class Outcome { created, changed, unchanged, not_modified, error };

[[nodiscard]] std::string_view to_string(Outcome outcome);  // "new", "changed", ...

// One attempt to fetch a URL, as logged in the fetches table.
struct FetchRecord {
  std::string url;
  std::string final_url;
  std::optional<std::string> site;
  std::string fetched_at;  // UTC ISO
  std::optional<std::int64_t> http_status;
  std::int64_t bytes = 0;
  std::int64_t duration_ms = 0;
  std::string content_type;
  std::string request_headers;
  std::string response_headers;
  std::string etag;
  std::string last_modified;
  std::string charset;
  std::string charset_reason;
  std::optional<std::string> error;
};

// What the archive remembers of a URL, for conditional requests and change checks.
struct PageState {
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> body_sha256;
};

struct StoreResult {
  Outcome outcome = Outcome::error;
  std::optional<std::int64_t> article_id;
  std::optional<std::int64_t> version;
};

// An article as read back from the archive: one version of it.
struct StoredArticle {
  std::int64_t id = 0;
  std::optional<std::string> site;
  std::string url;
  std::int64_t version = 0;
  std::string content_hash;
  std::string parser;
  Article article;
  std::string first_seen;  // of the article (its first version)
  std::string last_seen;   // of the article (any version)
  std::string version_first_seen;
  std::string version_last_seen;
};

struct VersionSummary {
  std::int64_t version = 0;
  std::string first_seen;
  std::string last_seen;
  std::string content_hash;
  std::string title;
};

}  // namespace archiver
