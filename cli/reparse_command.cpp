// archiver reparse: today's parsers over the stored pages, offline. A version it makes is marked
// origin "reparse" with the parser revision that made it, so it never passes for an edit by the
// publisher; --dry-run reads the archive only and says what would change.

#include "change/fingerprint.hpp"
#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "decode/charset.hpp"
#include "parsers/registry.hpp"
#include "pipeline/fetch_pipeline.hpp"
#include "query/json_output.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"
#include "store/store_error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <set>

namespace archiver {
namespace {

// How a stored page is read again: as the site it was fetched for (its family today, with its
// selectors); a page fetched by URL alone, as the site whose scope holds it today, else by the
// family that read it then.
struct ReadAs {
  const SiteSettings* site = nullptr;
  ParserKind parser = ParserKind::generic;
};

// Nothing when the page's site is gone from the config, or no record says how it was read: it
// is skipped rather than read as another kind of page (a 版面 or a list is no article).
std::optional<ReadAs> read_as(const Settings& settings, const StoredPage& page,
                              const std::optional<StoredArticle>& previous) {
  const auto recorded = [](const std::optional<std::string>& name) {
    return name ? parser_kind_from_string(*name) : std::nullopt;
  };
  if (page.site) {
    const SiteSettings* site = settings.site_named(*page.site);
    if (site == nullptr) {
      return std::nullopt;
    }
    // A generic site's list pages are read by the cms family's list logic, as the crawl does.
    if (site->parser == ParserKind::generic && recorded(page.parser) == ParserKind::cms) {
      return ReadAs{.site = site, .parser = ParserKind::cms};
    }
    return ReadAs{.site = site, .parser = site->parser};
  }
  // A page fetched by URL alone, that a site configured since claims, is read as that site.
  if (const SiteSettings* site = settings.site_for_url(page.url); site != nullptr) {
    return ReadAs{.site = site, .parser = site->parser};
  }
  if (const auto parser = recorded(page.parser)) {
    return ReadAs{.site = nullptr, .parser = *parser};
  }
  if (const auto parser = previous ? recorded(previous->parser) : std::nullopt) {
    return ReadAs{.site = nullptr, .parser = *parser};
  }
  return std::nullopt;
}

// An article as today's parser reads it from a stored page, under the URL it is archived at.
struct ReadArticle {
  std::string url;
  Article article;
};

std::vector<ReadArticle> read_again(const ReadAs& how, const StoredPage& page,
                                    std::string_view body,
                                    const std::optional<StoredArticle>& previous) {
  const SiteSettings* site = how.site;
  const DecodedText decoded = decode_to_utf8(
      {.bytes = body,
       .content_type = page.content_type,
       .override_charset = site != nullptr ? std::string_view(site->charset) : std::string_view(),
       .url = page.url});
  // What the 版面 said when the article was crawled is kept in its last version.
  EditionContext listed_in;
  if (previous) {
    listed_in = {.edition = previous->article.edition,
                 .page = previous->article.page,
                 .issue = previous->article.issue};
  }
  const std::optional<std::string> first_fetched =
      page.first_fetched.empty() ? std::nullopt : std::optional(page.first_fetched);
  ParsedPage parsed =
      parse_page(how.parser, {.url = page.final_url,
                              .html = decoded.utf8,
                              .reference_date = reference_date_for(page.final_url, first_fetched),
                              .selectors = site != nullptr ? &site->selectors : nullptr,
                              .listed_in = &listed_in});
  std::vector<ReadArticle> articles;
  for (Article& article : parsed.articles) {
    if (article.body.empty()) {
      continue;  // the rule fetch keeps: a page without body text holds no article
    }
    std::string url = article.anchor ? page.url + "#" + *article.anchor : page.url;
    articles.push_back({.url = std::move(url), .article = std::move(article)});
  }
  return articles;
}

// Where the article stood (edition, 版面, 期次): corrected in place, never a new version.
std::vector<std::string> corrected_place(const Article& before, const Article& now) {
  std::vector<std::string> fields;
  const auto fills = [&](std::string_view name, const std::optional<std::string>& old_value,
                         const std::optional<std::string>& new_value) {
    if (new_value && new_value != old_value) {
      fields.emplace_back(name);
    }
  };
  fills("edition", before.edition, now.edition);
  fills("page", before.page, now.page);
  fills("issue", before.issue, now.issue);
  return fields;
}

// What reading an article again does (or, in a dry run, would do) to the archive.
struct Verdict {
  std::string status;  // new, changed, corrected, unchanged
  std::int64_t article_id = 0;
  std::int64_t version = 0;  // the version it has (or would have) afterwards
  std::vector<std::string> fields;
};

Verdict judge(const ReadArticle& read, const std::optional<StoredArticle>& stored) {
  if (!stored) {
    return {.status = "new", .article_id = 0, .version = 1, .fields = {}};
  }
  if (content_hash(read.article) != stored->content_hash) {
    return {.status = "changed",
            .article_id = stored->id,
            .version = stored->version + 1,
            .fields = changed_fields(stored->article, read.article)};
  }
  auto place = corrected_place(stored->article, read.article);
  return {.status = place.empty() ? "unchanged" : "corrected",
          .article_id = stored->id,
          .version = stored->version,
          .fields = std::move(place)};
}

void print_verdict(const ReadArticle& read, const Verdict& verdict, ParserKind parser, bool dry_run,
                   bool json) {
  if (json) {
    nlohmann::json line = {{"url", read.url},
                           {"id", verdict.article_id == 0 ? nlohmann::json(nullptr)
                                                          : nlohmann::json(verdict.article_id)},
                           {"status", verdict.status},
                           {"version", verdict.version},
                           {"fields", verdict.fields},
                           {"parser", std::string(to_string(parser))}};
    if (dry_run) {
      line["dry_run"] = true;
    }
    std::cout << json_line(line) << '\n';
    return;
  }
  if (verdict.status == "unchanged") {
    return;
  }
  // fmt, not "#" + std::to_string: GCC 12 warns of a bogus overflow in that (-Wstringop-overflow,
  // optimised builds).
  const std::string id = verdict.article_id == 0 ? "new" : fmt::format("#{}", verdict.article_id);
  std::cout << fmt::format("{}{:<9} {} v{}  {}  {}\n", dry_run ? "would be " : "", verdict.status,
                           id, verdict.version, fmt::join(verdict.fields, ","), read.url);
}

// The stored pages and what the archive holds of them, read-only (dry run) or through the
// writer: the same questions either way.
struct ArchiveAccess {
  std::function<std::vector<StoredPage>()> pages;
  std::function<std::optional<std::string>(std::string_view)> body;
  std::function<std::optional<StoredArticle>(const std::string&)> latest;
};

}  // namespace

int run_reparse(const GlobalOptions& global, const ReparseOptions& options) {
  if (!valid_day_option(options.since, "--since")) {
    return k_exit_usage;
  }
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  // Usage errors before the archive is opened (or created): exit 2 means nothing was done.
  if (options.site && context->settings.site_named(*options.site) == nullptr) {
    spdlog::error("--site: no site named \"{}\" in the config", *options.site);
    return k_exit_usage;
  }
  std::unique_ptr<ArchiveReader> reader;
  std::unique_ptr<ArchiveWriter> writer;
  ArchiveAccess archive;
  if (options.dry_run) {
    // Read-only: a dry run writes nothing, and runs beside a crawling daemon.
    auto session = open_read_session(global);
    if (!session) {
      return session.error();
    }
    // The stored pages are found by their bodies' numbers, as schema 16 stores them.
    if (!has_current_schema(*session->reader, "reparse --dry-run")) {
      return k_exit_database;
    }
    reader = std::move(session->reader);
    archive = {.pages = [&] { return reader->stored_pages(options.site, options.since); },
               .body = [&](std::string_view sha256) { return reader->body(sha256); },
               .latest = [&](const std::string& url) { return reader->article(url); }};
  } else {
    auto opened = open_writer(context->database, context->settings);
    if (!opened) {
      return opened.error();
    }
    writer = std::move(*opened);
    archive = {.pages = [&] { return writer->stored_pages(options.site, options.since); },
               .body = [&](std::string_view sha256) { return writer->body(sha256); },
               .latest = [&](const std::string& url) { return writer->latest_version(url); }};
  }
  const Settings& settings = context->settings;
  std::int64_t pages = 0;
  std::int64_t articles = 0;
  std::int64_t changed = 0;
  std::int64_t skipped = 0;
  std::set<std::string> unknown_sites;
  int exit_code = k_exit_ok;
  for (const StoredPage& page : archive.pages()) {
    try {
      const auto previous = archive.latest(page.url);
      const auto how = read_as(settings, page, previous);
      if (!how) {
        ++skipped;
        unknown_sites.insert(page.site.value_or("(no site, no parser recorded)"));
        spdlog::debug("{}: skipped: fetched for {}, which the config does not have", page.url,
                      page.site.value_or("no site"));
        continue;
      }
      const auto body = archive.body(page.body_sha256);
      if (!body) {
        throw std::runtime_error("stored body " + page.body_sha256 + " is missing");
      }
      ++pages;
      for (const ReadArticle& read : read_again(*how, page, *body, previous)) {
        const auto stored = read.url == page.url ? previous : archive.latest(read.url);
        Verdict verdict = judge(read, stored);
        if (writer) {
          const ArticleResult result =
              writer->record_reparsed(page, read.url, read.article, to_string(how->parser));
          verdict.article_id = result.article_id;
          verdict.version = result.version;
        }
        ++articles;
        changed += verdict.status == "new" || verdict.status == "changed" ? 1 : 0;
        print_verdict(read, verdict, how->parser, options.dry_run, options.json);
      }
    } catch (const std::exception& error) {
      if (is_schema_change(error)) {
        throw;  // no page after it can be stored either
      }
      // One page the parser cannot read must not stop the rest.
      spdlog::error("{}: reparse failed: {}", page.url, error.what());
      exit_code = k_exit_some_failed;
    }
  }
  spdlog::info("reparse{}: {} pages, {} articles, {} with new versions{}",
               options.dry_run ? " --dry-run" : "", pages, articles, changed,
               options.dry_run ? " if run (nothing was written)" : "");
  if (skipped > 0) {
    spdlog::warn(
        "reparse: {} pages skipped: they were fetched for sites not in the config ({}), and are "
        "never read as another kind of page",
        skipped, fmt::join(unknown_sites, ", "));
  }
  return exit_code;
}

}  // namespace archiver
