#include "query/article_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace archiver {
namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

void compare_fields(const Article& a, const Article& b, std::vector<FieldChange>& out) {
  const auto field = [&out](std::string name, const std::optional<std::string>& from,
                            const std::optional<std::string>& to) {
    if (from != to) {
      out.push_back({std::move(name), from, to});
    }
  };
  field("title", a.title, b.title);
  field("kicker", a.kicker, b.kicker);
  field("subtitle", a.subtitle, b.subtitle);
  field("published", a.published, b.published);
  field("author", a.author, b.author);
  field("source", a.source, b.source);
  // Pictures by place: a new URL or caption, or other bytes at the same URL (a replaced photo).
  const auto image_at = [](const Article& article, std::size_t index) {
    return index < article.images.size() ? std::optional(article.images[index]) : std::nullopt;
  };
  const auto url = [](const std::optional<ArticleImage>& image) {
    return image ? std::optional(image->url) : std::nullopt;
  };
  for (std::size_t index = 0; index < std::max(a.images.size(), b.images.size()); ++index) {
    const auto old_image = image_at(a, index);
    const auto new_image = image_at(b, index);
    field(fmt::format("image {}", index + 1), url(old_image), url(new_image));
    field(fmt::format("caption {}", index + 1), old_image ? old_image->caption : std::nullopt,
          new_image ? new_image->caption : std::nullopt);
    if (old_image && new_image && old_image->url == new_image->url && old_image->sha256 &&
        new_image->sha256) {
      field(fmt::format("image {} sha256", index + 1), old_image->sha256, new_image->sha256);
    }
  }
}

// A run of removed paragraphs followed by as many added ones reads as paragraphs changed in
// place: their characters are diffed. Runs of other lengths stay deletions and insertions.
std::vector<BodyChange> compare_bodies(const Article& a, const Article& b) {
  std::vector<BodyChange> out;
  const auto spans = diff_paragraphs(a.body, b.body);
  for (std::size_t i = 0; i < spans.size();) {
    if (spans[i].kind == DiffKind::equal) {
      out.push_back({.op = BodyChange::Op::equal, .text = spans[i].text});
      ++i;
      continue;
    }
    std::size_t removed_end = i;
    while (removed_end < spans.size() && spans[removed_end].kind == DiffKind::removed) {
      ++removed_end;
    }
    std::size_t added_end = removed_end;
    while (added_end < spans.size() && spans[added_end].kind == DiffKind::added) {
      ++added_end;
    }
    const std::size_t removed = removed_end - i;
    const std::size_t added = added_end - removed_end;
    const std::size_t paired = removed == added ? removed : 0;
    for (std::size_t k = 0; k < paired; ++k) {
      const auto& old_text = spans[i + k].text;
      const auto& new_text = spans[removed_end + k].text;
      out.push_back({.op = BodyChange::Op::replace,
                     .text = old_text,
                     .replacement = new_text,
                     .chars = diff_characters(old_text, new_text)});
    }
    for (std::size_t k = paired; k < removed; ++k) {
      out.push_back({.op = BodyChange::Op::remove, .text = spans[i + k].text});
    }
    for (std::size_t k = paired; k < added; ++k) {
      out.push_back({.op = BodyChange::Op::insert, .text = spans[removed_end + k].text});
    }
    i = added_end;
  }
  return out;
}

}  // namespace

bool ArticleDiff::body_changed() const {
  return std::ranges::any_of(
      body, [](const BodyChange& change) { return change.op != BodyChange::Op::equal; });
}

ArticleDiff diff_articles(const Article& before, const Article& after) {
  ArticleDiff diff;
  compare_fields(before, after, diff.fields);
  diff.body = compare_bodies(before, after);
  return diff;
}

std::string_view to_string(BodyChange::Op op) {
  switch (op) {
    case BodyChange::Op::equal:
      return "equal";
    case BodyChange::Op::remove:
      return "delete";
    case BodyChange::Op::insert:
      return "insert";
    case BodyChange::Op::replace:
      return "replace";
  }
  return "equal";
}

nlohmann::json fields_json(const ArticleDiff& diff) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& change : diff.fields) {
    fields.push_back({{"field", change.field},
                      {"from", optional_json(change.from)},
                      {"to", optional_json(change.to)}});
  }
  return fields;
}

nlohmann::json body_json(const ArticleDiff& diff) {
  nlohmann::json body = nlohmann::json::array();
  for (const auto& change : diff.body) {
    if (change.op != BodyChange::Op::replace) {
      body.push_back({{"op", to_string(change.op)}, {"text", change.text}});
      continue;
    }
    nlohmann::json chars = nlohmann::json::array();
    for (const auto& span : change.chars) {
      const char* op = span.kind == DiffKind::equal     ? "equal"
                       : span.kind == DiffKind::removed ? "delete"
                                                        : "insert";
      chars.push_back({{"op", op}, {"text", span.text}});
    }
    body.push_back(
        {{"op", "replace"}, {"from", change.text}, {"to", change.replacement}, {"chars", chars}});
  }
  return body;
}

}  // namespace archiver
