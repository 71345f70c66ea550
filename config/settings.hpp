#pragma once
// The archiver configuration: an [archive] table, [fetch] defaults, and one [[site]] per paper or
// union site. Loaded from TOML; every error names file, line and key; unknown keys are errors.
//
// Value formats:
// - durations (delay_per_host, timeout, connect_timeout) are strings: a whole number and a unit
//   ms, s, m, h or d ("500ms", "60s"); bare numbers are errors, because "60" could mean seconds
//   or milliseconds. Fractions are not accepted: write "1500ms", not "1.5s".
// - max_body is a size string ("20MiB", "512KiB", "10MB", "10kB", "1000") or an integer of bytes.
// - a site's scope defaults to the origins ("scheme://host[:port]/") of its edition_url and
//   start_urls; for an origin without an explicit port the other scheme (http <-> https) is
//   added too, since these sites often move between the two. Scope prefixes and start_urls are
//   kept in the normal form of util/url.hpp, so a prefix that is only an origin ("http://host")
//   gets its "/" and cannot match "http://host.example/".
// - edition_url is allowed (and required) only for epaper sites; start_urls is required for cms.
//   A site must end up with some scope (otherwise it could never match a URL).
//
// The reading is split by table: config/field_reader (what every table shares), archive_settings
// ([archive], [daemon]), fetch_settings, serve_settings, site_settings, notify_settings; units,
// url_template, scope and parser_kind define the rest of what is declared here.
//
// Keys in error messages: "archive.database", "fetch.timeout", and for sites
// `site "ahgrb".schedule` when the site has a valid name, else `site[2].schedule` (the 2nd
// [[site]] table, counting from 1); for webhooks `notify[1].url`.

#include "util/asset_kind.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

// How a site is fetched; a site may override any [fetch] key.
struct FetchSettings {
  std::chrono::milliseconds delay_per_host{1000};
  int connections_per_host = 2;
  int max_connections = 16;
  std::chrono::milliseconds timeout{60'000};
  std::chrono::milliseconds connect_timeout{15'000};
  std::uint64_t max_body = 20ULL * 1024 * 1024;  // bytes, counted after decompression
  bool obey_robots = true;
  // Network errors, 5xx, 429: tried again up to `retries` times, waiting retry_backoff doubled
  // each time (with jitter), or what Retry-After asks when it is at most max_retry_wait.
  int retries = 3;
  std::chrono::milliseconds retry_backoff{5'000};
  std::chrono::milliseconds max_retry_wait{120'000};
  // What a crawl keeps beside the text (`assets`); nothing set: what suits the site's parser
  // (SiteSettings::asset_kinds).
  std::optional<AssetKinds> assets;
  std::uint64_t max_asset = 50ULL * 1024 * 1024;  // one PDF, scan or photo at most
};

enum class ParserKind { generic, epaper, cms, portal };

struct SiteSettings {
  std::string name;   // unique, [a-z0-9-]+
  std::string title;  // display name, e.g. 安徽工人日报; defaults to name
  ParserKind parser = ParserKind::generic;
  std::string edition_url;              // epaper: date template with {yyyy} {mm} {dd} {yyyymmdd}
  std::vector<std::string> start_urls;  // list-driven sites
  std::vector<std::string> scope;       // URL prefixes this site owns
  std::string schedule;                 // 5-field cron or "every N{s,m,h,d}"; empty: manual only
  std::string timezone = "Asia/Shanghai";
  std::string charset;                           // forced charset, empty to detect
  std::map<std::string, std::string> selectors;  // [site.selectors] overrides, key -> CSS
  FetchSettings fetch;                           // [fetch] defaults with this site's overrides
  // E-papers: every crawl also covers the days this far back whose edition is missing or
  // incomplete (`catch_up`, a duration counted in whole days; 0 turns it off).
  int catch_up_days = 7;
  // List sites: at most this many list pages per start URL in one crawl; the next crawl goes on
  // where this one stopped (`max_list_pages`).
  int max_list_pages = 1000;
  int line = 0;  // where the [[site]] starts, for messages

  // True when url, in its normal form (util/url.hpp), starts with one of the scope prefixes
  // (kept in normal form too): a percent-encoded "../" cannot leave the scope.
  [[nodiscard]] bool in_scope(std::string_view url) const;
  // Length of the longest scope prefix url starts with, 0 when none does.
  [[nodiscard]] std::size_t scope_match_length(std::string_view url) const;
  // The `assets` key, else the default: PDFs, scans and photos for an e-paper, photos for the
  // others.
  [[nodiscard]] AssetKinds asset_kinds() const;
};

// The assets a page read by this family keeps when neither the site nor [fetch] says.
[[nodiscard]] AssetKinds default_asset_kinds(ParserKind parser);

// [serve]: the web interface (`archiver serve`).
struct ServeSettings {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; --listen overrides it
  // Host names the interface answers to besides localhost and IP addresses (the names a
  // reverse proxy forwards); any other Host header is refused (DNS rebinding).
  std::vector<std::string> hosts;
  // The interface's public address for the links in feeds ("https://archive.example.org"),
  // when it sits behind a proxy; else links are made from the request's Host.
  std::string base_url;
  // How long a client may take to send its whole request before the connection is closed (a
  // client that trickles its bytes must not hold a connection for ever).
  std::chrono::milliseconds request_timeout{15'000};
  int line = 0;  // where [serve] starts, for messages about it
};

// One [[notify]] table: a webhook told of every new or changed article version of its sites
// (daemon/ delivers them from the archive's outbox, store/outbox.hpp).
struct NotifySettings {
  std::string url;                 // http or https, as written
  std::vector<std::string> sites;  // names of configured sites; empty: every site
  bool on_new = true;              // events = ["new", "changed"] by default
  bool on_changed = true;
  int line = 0;  // where the [[notify]] starts, for messages
};

struct Settings {
  std::filesystem::path source;    // the file read; empty when no config was found
  std::filesystem::path database;  // resolved against the config file's folder; empty if unset
  std::string user_agent = "archiver/0.1 (+https://github.com/archiver)";
  // [archive] max_size: the archive stops growing here (a shared disk keeps room for others);
  // writes past it fail like a full disk, and crawls resume when it is raised.
  std::optional<std::uint64_t> max_archive_size;
  FetchSettings fetch;
  // [daemon] stall_timeout: a crawl that stores nothing for this long is taken as wedged; the
  // daemon stops feeding systemd's watchdog, which then restarts it (the crawl resumes).
  std::chrono::milliseconds stall_timeout{15 * 60 * 1000};
  ServeSettings serve;
  std::vector<SiteSettings> sites;
  std::vector<NotifySettings> notify;  // webhooks, each with its own URL

  // The site whose scope matches url (the longest matching prefix wins), or nullptr.
  [[nodiscard]] const SiteSettings* site_for_url(std::string_view url) const;
  [[nodiscard]] const SiteSettings* site_named(std::string_view name) const;
};

// One problem in a config file: "archiver.toml:12: site[1].parser: unknown parser \"foo\"".
struct ConfigError {
  std::filesystem::path file;
  int line = 0;     // 0 when the problem has no place (unreadable file)
  std::string key;  // "fetch.timeout", `site "ahgrb".schedule`, or "site[2].schedule" (no name)
  std::string message;

  // "FILE:LINE: KEY: MESSAGE"; LINE is left out when 0 and KEY when empty (syntax errors).
  [[nodiscard]] std::string to_string() const;
};

// Pairs of sites whose scopes overlap (one's prefix starts with another's), as warnings to show:
// a URL in both belongs to the longer prefix when fetched by URL, while each site's crawl keeps
// its own pages; usually a sign that one scope is too wide.
[[nodiscard]] std::vector<std::string> overlapping_scopes(const Settings& settings);

// Reads and validates a config file. All problems are reported, not just the first.
[[nodiscard]] std::expected<Settings, std::vector<ConfigError>> load_settings(
    const std::filesystem::path& file);

// Same, from text already in memory (file is used in messages and to resolve relative paths).
[[nodiscard]] std::expected<Settings, std::vector<ConfigError>> parse_settings(
    std::string_view toml_text, const std::filesystem::path& file);

// "1s", "500ms", "2m", "1h", "1d" -> milliseconds.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// "20MiB", "512KiB", "1GiB", "1000", "10MB", "10kB" -> bytes.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view text);

// An edition URL template with {yyyy} {mm} {dd} {yyyymmdd} replaced by the date's digits.
// Text that is not a known placeholder is copied unchanged.
[[nodiscard]] std::string expand_edition_url(std::string_view url_template,
                                             std::chrono::year_month_day day);

[[nodiscard]] std::string_view to_string(ParserKind kind);
[[nodiscard]] std::optional<ParserKind> parser_kind_from_string(std::string_view name);

}  // namespace archiver
