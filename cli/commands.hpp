#pragma once
// One function per command; each returns the process exit code.

#include "cli/context.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct FetchOptions {
  std::vector<std::string> urls;
  std::string parser = "generic";
  bool json = false;
  // A crawl of a configured site instead of URLs: editions of --date, or --from..--to.
  std::optional<std::string> site;
  std::optional<std::string> date;
  std::optional<std::string> from;
  std::optional<std::string> to;
  // Articles already archived are fetched again too (If-None-Match), not only new ones.
  bool refetch = false;
};

struct ReparseOptions {
  std::optional<std::string> site;
  std::optional<std::string> since;  // pages fetched on or after this day
  bool json = false;
  bool dry_run = false;  // say what would change; write nothing
};

struct ArticlesOptions {
  std::optional<std::string> site;
  std::optional<std::string> since;
  std::optional<std::string> until;
  std::int64_t limit = -1;  // all
  bool json = false;
};

struct ShowOptions {
  std::string article;  // id or URL
  std::optional<std::int64_t> version;
  bool json = false;
};

struct DiffOptions {
  std::string article;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
  bool json = false;
};

struct SearchOptions {
  std::vector<std::string> words;  // joined by spaces: every term must occur
  std::optional<std::string> site;
  std::optional<std::string> since;
  std::optional<std::string> until;
  std::int64_t limit = -1;  // all matches
  bool all_versions = false;
  bool json = false;
};

struct ExportOptions {
  std::string format;  // jsonl or warc
  std::optional<std::string> site;
  std::optional<std::string> since;
  std::optional<std::string> until;
  std::optional<std::string> output;  // else stdout
  bool all_versions = false;          // jsonl: every version, not only the latest
};

struct AssetOptions {
  std::string asset;                  // SHA-256 or URL
  std::optional<std::string> output;  // else stdout
};

struct EditionsOptions {
  std::string site;
  std::optional<std::string> from;
  std::optional<std::string> to;
  bool json = false;
};

struct GcCommandOptions {
  std::optional<std::int64_t> keep_versions;
  bool vacuum = false;
  bool reindex = false;
  bool json = false;
};

struct ServeOptions {
  std::optional<std::string> listen;  // HOST:PORT; else [serve] listen
};

int run_fetch(const GlobalOptions& global, const FetchOptions& options);
int run_site_crawl(const GlobalOptions& global, const FetchOptions& options);
int run_reparse(const GlobalOptions& global, const ReparseOptions& options);
int run_articles(const GlobalOptions& global, const ArticlesOptions& options);
int run_show(const GlobalOptions& global, const ShowOptions& options);
int run_history(const GlobalOptions& global, const ShowOptions& options);
int run_diff(const GlobalOptions& global, const DiffOptions& options);
int run_search(const GlobalOptions& global, const SearchOptions& options);
int run_export(const GlobalOptions& global, const ExportOptions& options);
int run_asset(const GlobalOptions& global, const AssetOptions& options);
int run_editions(const GlobalOptions& global, const EditionsOptions& options);
int run_gc(const GlobalOptions& global, const GcCommandOptions& options);
int run_status(const GlobalOptions& global, bool json);
int run_sites(const GlobalOptions& global, bool json);
int run_check_config(const GlobalOptions& global);
int run_serve(const GlobalOptions& global, const ServeOptions& options);

}  // namespace archiver
