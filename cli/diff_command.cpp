// archiver diff: what changed between two versions of an article.

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "query/article_diff.hpp"
#include "query/json_output.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

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
  const ArticleDiff diff = diff_articles(before->article, after->article);
  if (options.json) {
    std::cout << json_line({{"id", latest->id},
                            {"from", from},
                            {"to", to},
                            {"fields", fields_json(diff)},
                            {"body", body_json(diff)}})
              << '\n';
    return k_exit_ok;
  }
  std::string out = fmt::format("article {}  v{} ({}) -> v{} ({})\n", latest->id, from,
                                before->version_first_seen, to, after->version_first_seen);
  for (const auto& change : diff.fields) {
    out += fmt::format("{}: {}\n", change.field,
                       inline_diff(change.from.value_or(""), change.to.value_or(""), colors));
  }
  for (const auto& change : diff.body) {
    switch (change.op) {
      case BodyChange::Op::equal:
        break;
      case BodyChange::Op::replace:
        out += fmt::format("~ {}\n", inline_diff(change.text, change.replacement, colors));
        break;
      case BodyChange::Op::remove:
        out += fmt::format("{}- {}{}\n", colors.removed, change.text, colors.reset);
        break;
      case BodyChange::Op::insert:
        out += fmt::format("{}+ {}{}\n", colors.added, change.text, colors.reset);
        break;
    }
  }
  if (diff.empty()) {
    out += "no differences in content\n";
  }
  std::cout << out;
  return k_exit_ok;
}

}  // namespace archiver
