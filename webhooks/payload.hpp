#pragma once
// The JSON object a webhook receives for an event: the article object of `show --json` for the
// version (query/json_output), with
//   event_id  the outbox row's id: the same for every retry of the event, for deduplication
//             (delivery is at least once); also sent as the X-Archiver-Event header
//   status    "new" (version 1) or "changed"
//   changes   for a changed version, the content fields that differ from the version before,
//             as `reparse --dry-run --json` names them ("title", "body", "images", ...)

#include "store/outbox.hpp"
#include "store/records.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace archiver {

// previous: the version before (nothing for a new article, or when it was deleted: then
// `changes` is empty).
[[nodiscard]] nlohmann::json event_payload(const OutboxEvent& event, const StoredArticle& version,
                                           const std::optional<StoredArticle>& previous);

}  // namespace archiver
