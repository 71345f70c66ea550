// archiver fetch URL...: each URL now, through the same pipeline the daemon uses.

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "crawl/asset_fetcher.hpp"
#include "pipeline/fetch_pipeline.hpp"
#include "query/json_output.hpp"
#include "store/store_error.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace archiver {
namespace {

void print_human(const FetchReport& report) {
  std::string line = fmt::format("{:<12} {:>3}  {:<8} {}", to_string(report.outcome),
                                 report.http_status, report.parser, report.url);
  if (report.error) {
    line += "  error: " + *report.error;
  }
  for (const auto& stored : report.articles) {
    const Article& article = stored.article;
    line += fmt::format("\n    #{} v{}  {}  [{}] {} / {}", stored.id, stored.version, article.title,
                        article.published.value_or("-"), article.author.value_or("-"),
                        article.source.value_or("-"));
  }
  if (!report.pages.empty()) {
    line += fmt::format("\n    {} pages (版面)", report.pages.size());
  }
  if (!report.headlines.empty()) {
    line += fmt::format("\n    {} headlines", report.headlines.size());
  }
  for (const auto& asset : report.assets) {
    line += fmt::format("\n    {:<10} {}  {}", to_string(asset.kind),
                        asset.sha256 ? fmt::format("{} bytes", asset.bytes)
                                     : "not archived: " + asset.error.value_or("not fetched"),
                        asset.url);
  }
  for (const auto& stored : report.articles) {
    for (const auto& image : stored.article.images) {
      line += fmt::format("\n    photo      {}  {}",
                          image.sha256 ? fmt::format("{} bytes", image.bytes) : "not archived",
                          image.url.substr(0, 120));
    }
  }
  std::cout << line << '\n';
}

}  // namespace

int run_fetch(const GlobalOptions& global, const FetchOptions& options) {
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  const auto fallback = parser_kind_from_string(options.parser);
  if (!fallback) {
    spdlog::error("--parser: unknown parser \"{}\" (epaper, cms, portal or generic)",
                  options.parser);
    return k_exit_usage;
  }
  auto writer = open_writer(context->database, context->settings);
  if (!writer) {
    return writer.error();
  }
  FetchPipeline pipeline(context->settings, **writer);
  // Made when a page has assets to fetch (its PDF and scan, its photos).
  std::unique_ptr<PoliteFetcher> fetcher;
  std::unique_ptr<AssetFetcher> assets;
  const auto fetch_assets = [&](FetchReport& report) {
    const SiteSettings* site = report.site ? context->settings.site_named(*report.site) : nullptr;
    const AssetKinds kept = site != nullptr
                                ? site->asset_kinds()
                                : context->settings.fetch.assets.value_or(default_asset_kinds(
                                      parser_kind_from_string(report.parser).value_or(*fallback)));
    std::vector<AssetRef> wanted;
    for (const AssetRef& asset : report.due_assets) {
      if (kept.contains(asset.kind)) {
        wanted.push_back(asset);
      }
    }
    if (!wanted.empty()) {
      if (!fetcher) {
        fetcher = std::make_unique<PoliteFetcher>(context->settings.fetch.max_connections);
        assets = std::make_unique<AssetFetcher>(**writer, *fetcher, context->settings,
                                                spool_folder_for(context->database));
      }
      assets->fetch(wanted, site);
    }
    pipeline.describe_assets(report);
  };
  int exit_code = k_exit_ok;
  for (const auto& url : options.urls) {
    FetchReport report;
    try {
      report = pipeline.fetch_url(url, {.fallback_parser = *fallback});
    } catch (const std::exception& error) {
      if (is_schema_change(error)) {
        throw;  // no URL after it can be stored either
      }
      // A full disk, a broken file, memory: this URL failed; the others are still tried.
      spdlog::error("{}: {}", url, error.what());
      report.url = url;
      report.outcome = Outcome::error;
      report.parser = options.parser;
      report.error = std::string("not stored: ") + error.what();
    }
    if (report.outcome == Outcome::error) {
      exit_code = k_exit_some_failed;
    } else {
      try {
        fetch_assets(report);  // an asset that cannot be had is logged, never a failure
      } catch (const std::exception& error) {
        if (is_schema_change(error)) {
          throw;
        }
        spdlog::error("{}: assets not stored: {}", url, error.what());
      }
    }
    if (options.json) {
      std::cout << json_line(to_json(report)) << '\n';
    } else {
      print_human(report);
    }
    std::cout.flush();  // what is stored is reported at once, whatever happens next
  }
  return exit_code;
}

}  // namespace archiver
