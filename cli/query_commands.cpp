// archiver articles / show / history: reading the archive.

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "query/json_output.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace archiver {

int run_articles(const GlobalOptions& global, const ArticlesOptions& options) {
  if (!valid_day_option(options.since, "--since") || !valid_day_option(options.until, "--until")) {
    return k_exit_usage;
  }
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  ArchiveReader& reader = *session->reader;
  const auto articles = reader.articles({.site = options.site,
                                         .since = options.since,
                                         .until = options.until,
                                         .limit = options.limit});
  for (const auto& stored : articles) {
    if (options.json) {
      std::cout << json_line(to_json(stored)) << '\n';
    } else {
      std::cout << fmt::format("{:>6}  {:<25}  {:<10}  {}\n", stored.id,
                               stored.article.published.value_or("-"), stored.site.value_or("-"),
                               stored.article.title);
    }
  }
  return k_exit_ok;
}

int run_show(const GlobalOptions& global, const ShowOptions& options) {
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  ArchiveReader& reader = *session->reader;
  const auto stored = reader.article(options.article, options.version);
  if (!stored) {
    spdlog::error("no article {}{}", options.article,
                  options.version ? fmt::format(" with version {}", *options.version) : "");
    return k_exit_some_failed;
  }
  if (options.json) {
    nlohmann::json object = to_json(*stored);
    if (const auto printed = reader.printed_on(stored->url)) {
      object["printed_on"] = to_json(*printed);
    }
    std::cout << json_line(object) << '\n';
    return k_exit_ok;
  }
  const Article& article = stored->article;
  std::string out;
  if (article.kicker) {
    out += *article.kicker + '\n';
  }
  out += article.title + '\n';
  if (article.subtitle) {
    out += *article.subtitle + '\n';
  }
  out += fmt::format("\n  id        {}\n  url       {}\n  site      {}\n  version   {}\n",
                     stored->id, stored->url, stored->site.value_or("-"), stored->version);
  out += fmt::format("  published {}\n  author    {}\n  source    {}\n",
                     article.published.value_or("-"), article.author.value_or("-"),
                     article.source.value_or("-"));
  if (article.edition) {
    out += fmt::format("  edition   {}  {}  期次 {}\n", *article.edition,
                       article.page.value_or("-"), article.issue.value_or("-"));
  }
  out += fmt::format("  seen      {} .. {}\n\n", stored->version_first_seen,
                     stored->version_last_seen);
  for (const auto& paragraph : article.body) {
    out += paragraph + "\n\n";
  }
  // The photos, archived or not, and the 版面 the article is printed on with its PDF and scan.
  for (std::size_t index = 0; index < article.images.size(); ++index) {
    const ArticleImage& image = article.images[index];
    out += fmt::format("  photo {}   {}\n            {}\n", index + 1,
                       image.sha256 ? fmt::format("{} {} bytes  sha256 {}", image.media_type,
                                                  image.bytes, *image.sha256)
                                    : std::string("not archived"),
                       image.url.substr(0, 160));
    if (image.caption) {
      out += fmt::format("            {}\n", *image.caption);
    }
  }
  if (const auto printed = reader.printed_on(stored->url)) {
    out +=
        fmt::format("  版面       {}  {}\n", printed->page_name.value_or("-"), printed->page_url);
    for (const StoredAsset& asset : printed->assets) {
      out += fmt::format("  {:<10} {}  {}\n", to_string(asset.kind),
                         asset.sha256
                             ? fmt::format("{} bytes  sha256 {}", asset.bytes, *asset.sha256)
                             : "not archived" + (asset.error ? ": " + *asset.error : std::string()),
                         asset.url);
    }
    if (printed->area) {
      out += fmt::format("  on the scan: {} {}\n", printed->area->shape, printed->area->coords);
    }
  }
  std::cout << out;
  return k_exit_ok;
}

int run_history(const GlobalOptions& global, const ShowOptions& options) {
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  ArchiveReader& reader = *session->reader;
  const auto stored = reader.article(options.article);
  if (!stored) {
    spdlog::error("no article {}", options.article);
    return k_exit_some_failed;
  }
  for (const auto& version : reader.history(stored->id)) {
    if (options.json) {
      std::cout << json_line(to_json(version)) << '\n';
    } else {
      // Which extraction made the version: a reparse is never an edit by the publisher.
      const std::string made_by =
          version.parser +
          (version.parser_version ? fmt::format("/{}", *version.parser_version) : std::string());
      std::cout << fmt::format("v{:<3} {}  {}  {}  {:<7} {:<10} {}\n", version.version,
                               version.first_seen, version.last_seen,
                               version.content_hash.substr(0, 12), version.origin, made_by,
                               version.title);
    }
  }
  return k_exit_ok;
}

}  // namespace archiver
