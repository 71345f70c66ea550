#pragma once
// What changed between two versions of an article, as `diff`, the web interface's diff page and
// the feeds show it: the fields that differ, and the body paragraph by paragraph with the
// characters of a changed paragraph diffed.

#include "change/diff.hpp"
#include "parsers/article.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct FieldChange {
  std::string field;  // title, kicker, ..., "image 2", "caption 2", "image 2 sha256"
  std::optional<std::string> from;
  std::optional<std::string> to;
};

// One step through the body: a paragraph kept, deleted or inserted, or a paragraph replaced by
// another (then `chars` holds its character diff).
struct BodyChange {
  enum class Op { equal, remove, insert, replace };
  Op op = Op::equal;
  std::string text;             // equal, remove, insert: the paragraph; replace: the old paragraph
  std::string replacement;      // replace: the new paragraph
  std::vector<DiffSpan> chars;  // replace: from text to replacement
};

struct ArticleDiff {
  std::vector<FieldChange> fields;
  std::vector<BodyChange> body;

  [[nodiscard]] bool body_changed() const;
  [[nodiscard]] bool empty() const { return fields.empty() && !body_changed(); }
};

[[nodiscard]] ArticleDiff diff_articles(const Article& before, const Article& after);

// `diff --json`'s "fields" and "body" arrays.
[[nodiscard]] nlohmann::json fields_json(const ArticleDiff& diff);
[[nodiscard]] nlohmann::json body_json(const ArticleDiff& diff);

[[nodiscard]] std::string_view to_string(BodyChange::Op op);  // "equal", "delete", ...

}  // namespace archiver
