// archiver diff: what changed between two versions of an article.

#include "change/diff.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/open_archive.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace archiver {
namespace {

struct Palette {
  std::string_view removed;
  std::string_view added;
  std::string_view reset;
};

Palette palette_for_stdout() {
  if (isatty(STDOUT_FILENO) == 1) {
    return {"\x1b[31m", "\x1b[32m", "\x1b[0m"};
  }
  return {"", "", ""};
}

std::string inline_diff(std::string_view before, std::string_view after, const Palette& colors) {
  std::string out;
  for (const auto& span : diff_characters(before, after)) {
    switch (span.kind) {
      case DiffKind::equal:
        out += span.text;
        break;
      case DiffKind::removed:
        out += fmt::format("{}[-{}-]{}", colors.removed, span.text, colors.reset);
        break;
      case DiffKind::added:
        out += fmt::format("{}{{+{}+}}{}", colors.added, span.text, colors.reset);
        break;
    }
  }
  return out;
}

nlohmann::json char_ops_json(std::string_view before, std::string_view after) {
  nlohmann::json ops = nlohmann::json::array();
  for (const auto& span : diff_characters(before, after)) {
    const char* op = span.kind == DiffKind::equal     ? "equal"
                     : span.kind == DiffKind::removed ? "delete"
                                                      : "insert";
    ops.push_back({{"op", op}, {"text", span.text}});
  }
  return ops;
}

}  // namespace

int run_diff(const GlobalOptions& global, const DiffOptions& options) {
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  ArchiveReader& reader = *session->reader;
  const auto latest = reader.article(options.article);
  if (!latest) {
    spdlog::error("no article {}", options.article);
    return k_exit_some_failed;
  }
  const std::int64_t to = options.to.value_or(latest->version);
  const std::int64_t from = options.from.value_or(to - 1);
  if (from < 1) {
    // Nothing to compare; stdout stays clean for --json.
    spdlog::info("article {} has only one version", latest->id);
    return k_exit_ok;
  }
  const auto before = reader.article(std::to_string(latest->id), from);
  const auto after = reader.article(std::to_string(latest->id), to);
  if (!before || !after) {
    spdlog::error("article {} has no version {}", latest->id, !before ? from : to);
    return k_exit_some_failed;
  }

  const Palette colors = options.json ? Palette{"", "", ""} : palette_for_stdout();
  const Article& a = before->article;
  const Article& b = after->article;
  nlohmann::json json_fields = nlohmann::json::array();
  std::string out = fmt::format("article {}  v{} ({}) -> v{} ({})\n", latest->id, from,
                                before->version_first_seen, to, after->version_first_seen);
  const auto field = [&](std::string_view name, const std::optional<std::string>& old_value,
                         const std::optional<std::string>& new_value) {
    if (old_value == new_value) {
      return;
    }
    json_fields.push_back({{"field", name},
                           {"from", old_value ? nlohmann::json(*old_value) : nlohmann::json()},
                           {"to", new_value ? nlohmann::json(*new_value) : nlohmann::json()}});
    out += fmt::format("{}: {}\n", name,
                       inline_diff(old_value.value_or(""), new_value.value_or(""), colors));
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
  for (std::size_t index = 0; index < std::max(a.images.size(), b.images.size()); ++index) {
    const auto old_image = image_at(a, index);
    const auto new_image = image_at(b, index);
    const auto url = [](const std::optional<ArticleImage>& image) {
      return image ? std::optional(image->url) : std::nullopt;
    };
    field(fmt::format("image {}", index + 1), url(old_image), url(new_image));
    field(fmt::format("caption {}", index + 1), old_image ? old_image->caption : std::nullopt,
          new_image ? new_image->caption : std::nullopt);
    if (old_image && new_image && old_image->url == new_image->url && old_image->sha256 &&
        new_image->sha256) {
      field(fmt::format("image {} sha256", index + 1), old_image->sha256, new_image->sha256);
    }
  }

  // Body: paragraphs; a run of removed paragraphs followed by as many added ones is shown as
  // changed paragraphs with their characters diffed.
  nlohmann::json json_body = nlohmann::json::array();
  const auto spans = diff_paragraphs(a.body, b.body);
  bool body_changed = false;
  for (std::size_t i = 0; i < spans.size();) {
    if (spans[i].kind == DiffKind::equal) {
      json_body.push_back({{"op", "equal"}, {"text", spans[i].text}});
      ++i;
      continue;
    }
    body_changed = true;
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
      out += fmt::format("~ {}\n", inline_diff(old_text, new_text, colors));
      json_body.push_back({{"op", "replace"},
                           {"from", old_text},
                           {"to", new_text},
                           {"chars", char_ops_json(old_text, new_text)}});
    }
    for (std::size_t k = paired; k < removed; ++k) {
      out += fmt::format("{}- {}{}\n", colors.removed, spans[i + k].text, colors.reset);
      json_body.push_back({{"op", "delete"}, {"text", spans[i + k].text}});
    }
    for (std::size_t k = paired; k < added; ++k) {
      out += fmt::format("{}+ {}{}\n", colors.added, spans[removed_end + k].text, colors.reset);
      json_body.push_back({{"op", "insert"}, {"text", spans[removed_end + k].text}});
    }
    i = added_end;
  }
  if (options.json) {
    std::cout << json_line({{"id", latest->id},
                            {"from", from},
                            {"to", to},
                            {"fields", json_fields},
                            {"body", json_body}})
              << '\n';
    return k_exit_ok;
  }
  if (json_fields.empty() && !body_changed) {
    out += "no differences in content\n";
  }
  std::cout << out;
  return k_exit_ok;
}

}  // namespace archiver
