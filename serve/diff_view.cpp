#include "serve/diff_view.hpp"

#include "serve/views.hpp"

#include <fmt/format.h>

#include <array>

namespace archiver::serve {
namespace {

const char* field_label(std::string_view field) {
  static const std::array<std::pair<std::string_view, const char*>, 8> k_labels{{
      {"body", "正文"},
      {"images", "图片"},
      {"title", "标题"},
      {"kicker", "引题"},
      {"subtitle", "副题"},
      {"published", "日期"},
      {"author", "作者"},
      {"source", "来源"},
  }};
  for (const auto& [name, label] : k_labels) {
    if (field == name) {
      return label;
    }
  }
  return nullptr;
}

}  // namespace

// The field's name as the pages show it: 标题, 图片 2, 图注 2.
std::string field_display_name(std::string_view field) {
  if (const char* label = field_label(field)) {
    return label;
  }
  if (field.starts_with("image ") && field.ends_with(" sha256")) {
    return fmt::format("图片 {} 的内容", field.substr(6, field.size() - 13));
  }
  if (field.starts_with("image ")) {
    return fmt::format("图片 {}", field.substr(6));
  }
  if (field.starts_with("caption ")) {
    return fmt::format("图注 {}", field.substr(8));
  }
  return std::string(field);
}

// The view of a diff as diff.html and the feeds' entries show it.
nlohmann::json diff_view(const ArticleDiff& diff) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& change : diff.fields) {
    const auto spans = diff_characters(change.from.value_or(""), change.to.value_or(""));
    fields.push_back({{"label", field_display_name(change.field)},
                      {"old", segments(spans, "old")},
                      {"new", segments(spans, "new")},
                      {"ops", segments(spans, "both")}});
  }
  nlohmann::json paragraphs = nlohmann::json::array();
  for (const auto& change : diff.body) {
    std::vector<DiffSpan> spans;
    switch (change.op) {
      case BodyChange::Op::equal:
        spans = {{DiffKind::equal, change.text}};
        break;
      case BodyChange::Op::remove:
        spans = {{DiffKind::removed, change.text}};
        break;
      case BodyChange::Op::insert:
        spans = {{DiffKind::added, change.text}};
        break;
      case BodyChange::Op::replace:
        spans = change.chars;
        break;
    }
    paragraphs.push_back({{"kind", std::string(to_string(change.op))},
                          {"old", segments(spans, "old")},
                          {"new", segments(spans, "new")},
                          {"ops", segments(spans, "both")}});
  }
  return {{"has_fields", !fields.empty()},
          {"fields", fields},
          {"body_changed", diff.body_changed()},
          {"paragraphs", paragraphs},
          {"unchanged", diff.empty()}};
}

}  // namespace archiver::serve
