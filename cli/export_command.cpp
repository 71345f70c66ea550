// archiver export: articles as JSON Lines, or the archived HTTP exchanges as WARC 1.1.

#include "cli/commands.hpp"
#include "cli/day_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "export/wacz_export.hpp"
#include "export/warc_export.hpp"
#include "query/json_output.hpp"
#include "util/output_file.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

namespace archiver {
namespace {

std::int64_t export_jsonl(ArchiveReader& reader, const ExportOptions& options, std::ostream& out) {
  std::int64_t lines = 0;
  reader.each_article({.site = options.site, .since = options.since, .until = options.until},
                      options.all_versions, [&](const StoredArticle& article) {
                        out << json_line(to_json(article)) << '\n';
                        if (!out) {
                          throw std::runtime_error("writing the export failed (disk full?)");
                        }
                        ++lines;
                      });
  return lines;
}

WarcExportStats export_warc_file(ArchiveReader& reader, const ExportOptions& options,
                                 std::ostream& out) {
  const WarcExportOptions warc_options{
      .site = options.site,
      .since = options.since,
      .until = options.until,
      .filename = options.output ? std::filesystem::path(*options.output).filename().string() : "-",
      .software = "archiver/" ARCHIVER_VERSION,
      .article_json = [](const StoredArticle& article) { return json_line(to_json(article)); }};
  return export_warc(reader, warc_options, out);
}

WaczExportStats export_wacz_file(ArchiveReader& reader, const ExportOptions& options,
                                 const std::filesystem::path& work_folder, std::ostream& out) {
  WaczExportOptions wacz_options{
      .warc = {.site = options.site,
               .since = options.since,
               .until = options.until,
               .filename = {},
               .software = "archiver/" ARCHIVER_VERSION,
               .article_json =
                   [](const StoredArticle& article) { return json_line(to_json(article)); },
               .on_record = {},
               .on_page = {}},
      .work_folder = work_folder,
      .title = "archiver" + (options.site ? " " + *options.site : std::string()) +
               (options.since || options.until
                    ? ", " + options.since.value_or("…") + " to " + options.until.value_or("…")
                    : std::string())};
  return export_wacz(reader, wacz_options, out);
}

}  // namespace

int run_export(const GlobalOptions& global, const ExportOptions& options) {
  if (!valid_day_option(options.since, "--since") || !valid_day_option(options.until, "--until")) {
    return k_exit_usage;
  }
  const bool warc = options.format == "warc";
  const bool wacz = options.format == "wacz";
  if ((warc || wacz) && options.all_versions) {
    spdlog::error("export: --all-versions is for jsonl; a WARC holds every archived exchange");
    return k_exit_usage;
  }
  if ((warc || wacz) && !options.output && isatty(STDOUT_FILENO) == 1) {
    spdlog::error("export: a {} is binary data; give -o FILE or redirect stdout",
                  warc ? "WARC" : "WACZ");
    return k_exit_usage;
  }
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  // The WARC's exchanges find their bytes by number, as schema 16 stores them.
  if ((warc || wacz) &&
      !has_current_schema(*session->reader, "export --format " + options.format)) {
    return k_exit_database;
  }
  std::optional<OutputFile> file;
  if (options.output) {
    file.emplace(*options.output);
  }
  std::ostream& out = file ? file->stream() : std::cout;
  const std::string destination = options.output.value_or("stdout");
  if (wacz) {
    // The WARC waits beside the output (the same disk), else beside the archive.
    std::filesystem::path folder = options.output
                                       ? std::filesystem::path(*options.output).parent_path()
                                       : session->context.database.parent_path();
    if (folder.empty()) {
      folder = ".";
    }
    const auto stats = export_wacz_file(*session->reader, options, folder, out);
    out.flush();
    if (file) {
      file->finish();
    }
    spdlog::info(
        "export: WACZ of {} responses, {} revisits, {} index lines, {} pages: {} bytes to {}",
        stats.warc.responses, stats.warc.revisits, stats.index_lines, stats.pages, stats.file_bytes,
        destination);
    return k_exit_ok;
  }
  if (warc) {
    const auto stats = export_warc_file(*session->reader, options, out);
    out.flush();
    if (file) {
      file->finish();
    }
    spdlog::info(
        "export: {} responses, {} requests, {} revisits, {} metadata records; {} payload bytes "
        "in {} bytes of WARC to {}",
        stats.responses, stats.requests, stats.revisits, stats.metadata, stats.payload_bytes,
        stats.file_bytes, destination);
    return k_exit_ok;
  }
  const std::int64_t lines = export_jsonl(*session->reader, options, out);
  out.flush();
  if (file) {
    file->finish();
  }
  spdlog::info("export: {} articles to {}", lines, destination);
  return k_exit_ok;
}

}  // namespace archiver
