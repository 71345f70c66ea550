#include "webhooks/payload.hpp"

#include "change/fingerprint.hpp"
#include "query/json_output.hpp"

#include <algorithm>

namespace archiver {
namespace {

// A photo replaced at the same URL (other bytes archived) makes a version of its own; the
// content fields compare URLs and captions only, so it is named here.
bool photo_bytes_differ(const Article& before, const Article& now) {
  const std::size_t shared = std::min(before.images.size(), now.images.size());
  for (std::size_t i = 0; i < shared; ++i) {
    const ArticleImage& a = before.images[i];
    const ArticleImage& b = now.images[i];
    if (a.url == b.url && a.sha256 && b.sha256 && a.sha256 != b.sha256) {
      return true;
    }
  }
  return false;
}

}  // namespace

nlohmann::json event_payload(const OutboxEvent& event, const StoredArticle& version,
                             const std::optional<StoredArticle>& previous) {
  nlohmann::json object = to_json(version);
  object["event_id"] = event.id;
  object["status"] = event.status;
  if (event.status == "changed") {
    std::vector<std::string> changes;
    if (previous) {
      changes = changed_fields(previous->article, version.article);
      if (std::ranges::find(changes, "images") == changes.end() &&
          photo_bytes_differ(previous->article, version.article)) {
        changes.emplace_back("images");
      }
    }
    object["changes"] = changes;
  }
  return object;
}

}  // namespace archiver
