#include "config/site_settings.hpp"

#include "config/fetch_settings.hpp"
#include "config/scope.hpp"
#include "config/url_template.hpp"
#include "decode/charset.hpp"
#include "parsers/selector.hpp"
#include "scheduler/schedule.hpp"
#include "util/ascii.hpp"
#include "util/url.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <system_error>

namespace archiver::config {
namespace {

using std::chrono::milliseconds;

// Letters and digits, and the characters of extra.
[[nodiscard]] bool all_of_set(std::string_view s, std::string_view extra) {
  return std::ranges::all_of(
      s, [extra](char c) { return is_ascii_alnum(c) || extra.find(c) != std::string_view::npos; });
}

constexpr std::array<std::string_view, 10> k_selector_keys{
    "title",  "kicker", "subtitle",  "date",  "author",
    "source", "body",   "headlines", "pages", "next_page"};

[[nodiscard]] bool valid_site_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::ranges::all_of(name, [](char c) {
    return is_ascii_digit(c) || is_ascii_lower(c) || c == '-';
  });
}

[[nodiscard]] std::filesystem::path zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return (dir != nullptr && *dir != '\0') ? std::filesystem::path(dir)
                                          : std::filesystem::path("/usr/share/zoneinfo");
}

// True for a real compiled zone file ("TZif" magic), not for zone.tab and the like.
[[nodiscard]] bool is_zone_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 4> magic{};
  return in.read(magic.data(), magic.size()) && std::string_view(magic.data(), 4) == "TZif";
}

[[nodiscard]] std::optional<std::string> timezone_problem(std::string_view zone) {
  const bool safe = !zone.empty() && zone.front() != '/' && all_of_set(zone, "/_+-") &&
                    zone.find("//") == std::string_view::npos;
  if (!safe) {
    return "not a time zone name like \"Asia/Shanghai\": " + in_quotes(zone);
  }
  const std::filesystem::path path = zoneinfo_dir() / std::string(zone);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error) || !is_zone_file(path)) {
    return "unknown time zone " + in_quotes(zone) + " (no such zone in " + zoneinfo_dir().string() +
           ")";
  }
  return std::nullopt;
}

// A site being read, with what the checks after reading need to know.
struct SiteDraft {
  SiteSettings site;
  bool parser_ok = true;
};

void read_site_name(const Field& f, SiteDraft& draft) {
  const auto text = get_string(f);
  if (!text) {
    return;
  }
  if (!valid_site_name(*text)) {
    f.fail("site names use only a-z, 0-9 and '-' (at most 64), got " + in_quotes(*text));
    return;
  }
  draft.site.name = *text;
}

void read_parser(const Field& f, SiteDraft& draft) {
  const auto text = get_string(f);
  if (!text) {
    draft.parser_ok = false;
    return;
  }
  const auto kind = parser_kind_from_string(*text);
  if (!kind) {
    f.fail("unknown parser " + in_quotes(*text) + " (known: epaper, cms, portal, generic)");
    draft.parser_ok = false;
    return;
  }
  draft.site.parser = *kind;
}

void read_edition_url(const Field& f, SiteDraft& draft) {
  const auto text = get_string(f);
  if (!text) {
    return;
  }
  if (auto problem = edition_url_problem(*text)) {
    f.fail(std::move(*problem));
    return;
  }
  draft.site.edition_url = *text;
}

// An empty list is refused: it would leave a site with nothing to crawl or match, silently.
[[nodiscard]] std::optional<std::vector<std::string>> get_url_list(const Field& f) {
  auto urls = get_string_array(f, http_url_problem);
  if (urls && urls->empty()) {
    f.fail("must list at least one URL (or leave the key out)");
    return std::nullopt;
  }
  return urls;
}

void read_start_urls(const Field& f, SiteDraft& draft) {
  if (auto urls = get_url_list(f)) {
    for (auto& url : *urls) {
      url = normal_or_same(url);
    }
    draft.site.start_urls = std::move(*urls);
  }
}

void read_scope(const Field& f, SiteDraft& draft) {
  auto prefixes = get_url_list(f);
  if (!prefixes) {
    return;
  }
  for (auto& prefix : *prefixes) {
    // The URLs it is compared with are in normal form; "http://host" becomes "http://host/",
    // which cannot match "http://host.example/...".
    prefix = normal_or_same(prefix);
  }
  draft.site.scope = std::move(*prefixes);
}

void read_schedule(const Field& f, SiteDraft& draft) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  if (auto schedule = parse_schedule(*text); !schedule) {
    f.fail(schedule.error());
    return;
  }
  draft.site.schedule = *text;
}

void read_timezone(const Field& f, SiteDraft& draft) {
  const auto text = get_string(f);
  if (!text) {
    return;
  }
  if (auto problem = timezone_problem(*text)) {
    f.fail(std::move(*problem));
    return;
  }
  draft.site.timezone = *text;
}

void read_charset(const Field& f, SiteDraft& draft) {
  const auto text = get_string(f);
  if (!text) {
    return;
  }
  if (text->empty() || text->size() > 40 || !all_of_set(*text, "_.:-")) {
    f.fail("not a charset label like \"gb18030\" or \"utf-8\": " + in_quotes(*text));
    return;
  }
  // The decoder would ignore a label it cannot use; a typo must not pass silently.
  if (canonical_charset(*text).empty()) {
    f.fail("unknown charset " + in_quotes(*text) + " (try gb18030, utf-8 or big5)");
    return;
  }
  draft.site.charset = *text;
}

void read_selectors(const Field& f, SiteDraft& draft) {
  const auto* table = get_table(f);
  if (table == nullptr) {
    return;
  }
  for (const auto& [key, node] : *table) {
    const Field item{f.diagnostics, join_key(f.key, key.str()), line_of(key.source()), node};
    const auto known = std::find(k_selector_keys.begin(), k_selector_keys.end(), key.str());
    if (known == k_selector_keys.end()) {
      item.fail(
          "unknown selector (known: title, kicker, subtitle, date, author, source, body, "
          "headlines, pages, next_page)");
      continue;
    }
    if (auto selector = get_nonempty_string(item)) {
      if (auto parsed = Selector::parse(*selector); !parsed) {
        item.fail("not a CSS selector: " + parsed.error());
        continue;
      }
      draft.site.selectors[std::string(key.str())] = std::move(*selector);
    }
  }
}

// catch_up: a duration of whole days back from today, "0d" to turn it off.
void read_catch_up(const Field& f, SiteDraft& draft) {
  milliseconds window{-1};  // stays negative when read_duration reported a problem
  read_duration(f, window, milliseconds{0});
  if (window.count() < 0) {
    return;
  }
  constexpr std::int64_t k_day_ms = 24LL * 60 * 60 * 1000;
  constexpr std::int64_t k_max_days = 3660;
  if (window.count() % k_day_ms != 0) {
    f.fail("must be whole days, like \"7d\" or \"0d\"");
    return;
  }
  if (window.count() / k_day_ms > k_max_days) {
    f.fail("must be at most " + std::to_string(k_max_days) + "d");
    return;
  }
  draft.site.catch_up_days = static_cast<int>(window.count() / k_day_ms);
}

void read_max_list_pages(const Field& f, SiteDraft& draft) {
  const auto* value = f.node.as_integer();
  if (value == nullptr) {
    f.wrong_type("an integer");
    return;
  }
  constexpr std::int64_t k_max = 1'000'000;
  if (value->get() < 1 || value->get() > k_max) {
    f.fail("must be from 1 to " + std::to_string(k_max) + ", got " + std::to_string(value->get()));
    return;
  }
  draft.site.max_list_pages = static_cast<int>(value->get());
}

constexpr std::array<KeySpec<SiteDraft>, 15> k_site_keys{{
    {"name", read_site_name},
    {"title",
     [](const Field& f, SiteDraft& d) {
       if (auto text = get_nonempty_string(f)) {
         d.site.title = std::move(*text);
       }
     }},
    {"parser", read_parser},
    {"edition_url", read_edition_url},
    {"start_urls", read_start_urls},
    {"scope", read_scope},
    {"schedule", read_schedule},
    {"timezone", read_timezone},
    {"charset", read_charset},
    {"selectors", read_selectors},
    {"fetch", [](const Field& f, SiteDraft& d) { read_fetch_table(f, d.site.fetch); }},
    {"catch_up", read_catch_up},
    {"max_list_pages", read_max_list_pages},
    // Site keys as the contract names them, also accepted in the site's [fetch] table.
    {"assets", [](const Field& f, SiteDraft& d) { read_assets(f, d.site.fetch); }},
    {"max_asset", [](const Field& f, SiteDraft& d) { read_size(f, d.site.fetch.max_asset); }},
}};

// `site "ahgrb"` when the site has a usable name, else `site[N]` counting from 1.
[[nodiscard]] std::string site_prefix(const toml::table& table, std::size_t index) {
  if (const auto* name = table.get_as<std::string>("name"); name && valid_site_name(name->get())) {
    return "site " + in_quotes(name->get());
  }
  return "site[" + std::to_string(index + 1) + "]";
}

// Checks that involve more than one key, done once all keys are read.
void check_site(const toml::table& table, const std::string& prefix, SiteDraft& draft,
                Diagnostics& diagnostics) {
  const int site_line = line_of(table.source());
  bool missed = false;
  const auto missing = [&](std::string_view key, std::string message) {
    diagnostics.add(site_line, join_key(prefix, key), std::move(message));
    missed = true;
  };
  SiteSettings& site = draft.site;
  if (!table.contains("name")) {
    missing("name", "missing required key");
  }
  if (draft.parser_ok && site.parser == ParserKind::epaper && !table.contains("edition_url")) {
    missing("edition_url", "missing required key (epaper sites need it)");
  }
  if (const auto* node = table.get("edition_url");
      node != nullptr && draft.parser_ok && site.parser != ParserKind::epaper) {
    diagnostics.add(line_of(node->source()), join_key(prefix, "edition_url"),
                    "only epaper sites take an edition_url (this site's parser is " +
                        in_quotes(to_string(site.parser)) + ")");
  }
  if (const auto* node = table.get("catch_up");
      node != nullptr && draft.parser_ok && site.parser != ParserKind::epaper) {
    diagnostics.add(line_of(node->source()), join_key(prefix, "catch_up"),
                    "only epaper sites take catch_up (it covers editions of past days)");
  }
  if (const auto* node = table.get("max_list_pages");
      node != nullptr && draft.parser_ok && site.parser == ParserKind::epaper) {
    diagnostics.add(line_of(node->source()), join_key(prefix, "max_list_pages"),
                    "only list-driven sites take max_list_pages (epaper crawls read editions)");
  }
  if (draft.parser_ok && site.parser == ParserKind::cms && !table.contains("start_urls")) {
    missing("start_urls", "missing required key (cms sites need it)");
  }
  if (!table.contains("scope")) {
    add_default_scope(site.edition_url, site.scope);
    for (const auto& url : site.start_urls) {
      add_default_scope(url, site.scope);
    }
    // A missing edition_url or start_urls was reported already and is the real cause.
    if (site.scope.empty() && !missed && !table.contains("edition_url") &&
        !table.contains("start_urls")) {
      missing("scope", "a site needs scope, start_urls or edition_url");
    }
  }
  // A crawl only follows URLs inside scope: a start page outside it would crawl nothing.
  if (!site.scope.empty()) {
    for (const auto& url : site.start_urls) {
      if (!site.in_scope(url)) {
        const auto* node = table.get("start_urls");
        diagnostics.add(node != nullptr ? line_of(node->source()) : site_line,
                        join_key(prefix, "start_urls"),
                        in_quotes(url) + " is outside the site's scope");
      }
    }
    if (!site.edition_url.empty()) {
      const auto sample = expand_edition_url(
          site.edition_url, std::chrono::year_month_day{std::chrono::year{2024},
                                                        std::chrono::January, std::chrono::day{2}});
      if (!site.in_scope(sample)) {
        const auto* node = table.get("edition_url");
        diagnostics.add(node != nullptr ? line_of(node->source()) : site_line,
                        join_key(prefix, "edition_url"), "editions are outside the site's scope");
      }
    }
  }
  if (site.title.empty()) {
    site.title = site.name;
  }
  site.line = site_line;
}

[[nodiscard]] std::optional<SiteSettings> read_site(const toml::node& node, std::size_t index,
                                                    const FetchSettings& defaults,
                                                    Diagnostics& diagnostics) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    diagnostics.add(line_of(node.source()), "site[" + std::to_string(index + 1) + "]",
                    "expected a table ([[site]]), got " + std::string(type_name(node)));
    return std::nullopt;
  }
  const std::string prefix = site_prefix(*table, index);
  SiteDraft draft;
  draft.site.fetch = defaults;  // [site.fetch] overrides apply on top, whatever the file order
  read_table<SiteDraft>(*table, k_site_keys, prefix, diagnostics, draft);
  check_site(*table, prefix, draft, diagnostics);
  return std::move(draft.site);
}

}  // namespace

void read_sites(const Field& f, Settings& settings) {
  const auto* array = f.node.as_array();
  if (array == nullptr) {
    f.fail("expected [[site]] tables, got " + std::string(type_name(f.node)) +
           (f.node.is_table() ? " (write [[site]], not [site])" : ""));
    return;
  }
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& node = *array->get(i);
    auto site = read_site(node, i, settings.fetch, f.diagnostics);
    if (!site) {
      continue;
    }
    if (!site->name.empty()) {
      const auto [it, inserted] = first_line.emplace(site->name, site->line);
      if (!inserted) {
        const auto* name = node.as_table()->get("name");
        f.diagnostics.add(
            line_of(name->source()), "site " + in_quotes(site->name) + ".name",
            "duplicate site name (first used at line " + std::to_string(it->second) + ")");
        continue;
      }
    }
    settings.sites.push_back(std::move(*site));
  }
}
}  // namespace archiver::config
