#pragma once
// Pieces the pages share: the layout's fields, how dates and times read, an article as a list
// item, replies of each kind, and checks of query values.

#include "change/diff.hpp"
#include "serve/http_types.hpp"
#include "serve/request_target.hpp"
#include "serve/web_app.hpp"
#include "store/records.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace archiver::serve {

// The fields the layout (_head.html, _foot.html) reads.
[[nodiscard]] nlohmann::json page_view(std::string title, const Target& target);

// "2026-11-21T05:13:46Z" (UTC, as the archive keeps it) as Beijing time "2026-11-21 13:13".
[[nodiscard]] std::string beijing_time(std::string_view utc_iso);
// A published date as shown: "2026-12-01 08:00" or "2026-12-01", "" when unknown.
[[nodiscard]] std::string shown_date(const std::optional<std::string>& published);

// An edition's status (EditionReport::status) as the pages say it: 完整, 不完整, 未出版, 缺失.
[[nodiscard]] std::string_view edition_status_text(std::string_view status);

// The configured site's display name (its title), or the name itself.
[[nodiscard]] std::string site_title(const Settings& settings,
                                     const std::optional<std::string>& site);

// An article as _article_item.html shows it.
[[nodiscard]] nlohmann::json article_item(const StoredArticle& article, const Settings& settings);

// Character runs as _segment.html shows them: removed, added or the same; only the runs of
// the old text (side "old"), of the new ("new"), or both in order ("both").
[[nodiscard]] nlohmann::json segments(const std::vector<DiffSpan>& spans, std::string_view side);

[[nodiscard]] Reply html_reply(std::string body);
[[nodiscard]] Reply json_reply(const nlohmann::json& value);
[[nodiscard]] Reply not_found(std::string_view what);
[[nodiscard]] Reply bad_request(std::string_view why);

// A query value checked: a day YYYY-MM-DD, a whole number in [low, high]. The error names the
// field and is the 400's message.
[[nodiscard]] std::expected<std::optional<std::string>, std::string> day_param(
    const Target& target, const std::string& name);
[[nodiscard]] std::expected<std::optional<std::int64_t>, std::string> number_param(
    const Target& target, const std::string& name, std::int64_t low, std::int64_t high);
// A whole number in a path segment ("12"), or nothing.
[[nodiscard]] std::optional<std::int64_t> path_number(std::string_view segment);

}  // namespace archiver::serve
