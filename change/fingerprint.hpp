#pragma once
// Change detection: an article's content hash covers only what a reader would call its content
// (title, kicker, subtitle, published, author, source, body, its pictures' URLs and captions),
// normalised so that whitespace
// noise does not make versions. Counters, related lists, ads and footers never reach it because
// parsers leave them out.

#include "parsers/article.hpp"

#include <string>
#include <vector>

namespace archiver {

// Lower-case hex SHA-256 over the normalised content fields.
[[nodiscard]] std::string content_hash(const Article& article);

// A field as compared: Unicode spaces (incl. U+3000, U+00A0) folded to one ASCII space, trimmed.
[[nodiscard]] std::string normalise_field(std::string_view text);

// The content fields (those the content hash covers) in which two readings of an article differ,
// in this order: title, kicker, subtitle, published, author, source, body, images (URLs and
// captions). `reparse --dry-run`'s "fields" and a webhook event's "changes".
[[nodiscard]] std::vector<std::string> changed_fields(const Article& before, const Article& now);

}  // namespace archiver
