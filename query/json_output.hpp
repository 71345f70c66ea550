#pragma once
// The contract's JSON objects. `--json` prints one per line.

#include "pipeline/fetch_pipeline.hpp"
#include "store/records.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace archiver {

[[nodiscard]] nlohmann::json to_json(const StoredArticle& article);
[[nodiscard]] nlohmann::json to_json(const FetchReport& report);
[[nodiscard]] nlohmann::json to_json(const VersionSummary& version);
// The 版面 an article is printed on: `show --json`'s "printed_on".
[[nodiscard]] nlohmann::json to_json(const PrintedOn& printed);

// One compact line of UTF-8 JSON; invalid UTF-8 in strings is replaced, never thrown on.
[[nodiscard]] std::string json_line(const nlohmann::json& value);

}  // namespace archiver
