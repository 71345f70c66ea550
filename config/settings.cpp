#include "config/settings.hpp"

#include <toml++/toml.h>

#include <fmt/format.h>

#include "decode/charset.hpp"
#include "parsers/selector.hpp"
#include "util/url.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <span>
#include <system_error>
#include <utility>

#include "scheduler/schedule.hpp"

namespace archiver {
namespace {

using std::chrono::milliseconds;

// ---- small text helpers ---------------------------------------------------------------------

[[nodiscard]] char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[nodiscard]] bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

[[nodiscard]] bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

[[nodiscard]] std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

[[nodiscard]] std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

[[nodiscard]] bool has_control_or_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

[[nodiscard]] bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

[[nodiscard]] bool all_of_set(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [extra](char c) {
    return is_alnum(c) || extra.find(c) != std::string_view::npos;
  });
}

// A leading run of digits as an unsigned number; nullopt when empty or too large.
struct Number {
  std::uint64_t value = 0;
  std::string_view rest;
};

[[nodiscard]] std::optional<Number> leading_number(std::string_view s) {
  Number n;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    const auto digit = static_cast<std::uint64_t>(s[i] - '0');
    if (n.value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    n.value = n.value * 10 + digit;
  }
  if (i == 0) {
    return std::nullopt;
  }
  n.rest = s.substr(i);
  return n;
}

// ---- URLs -----------------------------------------------------------------------------------

struct UrlParts {
  std::string_view scheme;     // "http" or "https", as written
  std::string_view authority;  // host[:port]
  std::string_view rest;       // path, query and fragment; may be empty
};

// Splits an absolute http(s) URL; nullopt when it is not one (or holds spaces or controls).
[[nodiscard]] std::optional<UrlParts> split_http_url(std::string_view url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos || has_control_or_space(url)) {
    return std::nullopt;
  }
  UrlParts parts;
  parts.scheme = url.substr(0, colon);
  if (!iequals(parts.scheme, "http") && !iequals(parts.scheme, "https")) {
    return std::nullopt;
  }
  const std::string_view after = url.substr(colon + 3);
  const std::size_t end = std::min(after.find_first_of("/?#"), after.size());
  parts.authority = after.substr(0, end);
  parts.rest = after.substr(end);
  const std::size_t port = parts.authority.rfind(':');
  const std::string_view host = parts.authority.substr(0, port);
  if (host.empty() || !all_of_set(host, ".-_[]:")) {
    return std::nullopt;
  }
  if (port != std::string_view::npos && parts.authority.front() != '[') {
    const std::string_view digits = parts.authority.substr(port + 1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) {
      return std::nullopt;
    }
  }
  return parts;
}

// The scope entries an URL implies when a site gives no scope (see settings.hpp).
void add_default_scope(std::string_view url, std::vector<std::string>& scope) {
  const auto parts = split_http_url(url);
  if (!parts || parts->authority.find('{') != std::string_view::npos) {
    return;
  }
  const std::string scheme = to_lower(parts->scheme);
  const auto own = normalize_url(scheme + "://" + std::string(parts->authority) + "/");
  if (!own) {
    return;
  }
  std::vector<std::string> origins{*own};
  // Without an explicit port (a default one counts as none), the other scheme too.
  const std::string authority = own->substr(scheme.size() + 3);
  if (authority.find("]:") == std::string::npos &&
      (authority.front() == '[' || authority.find(':') == std::string::npos)) {
    origins.push_back((scheme == "http" ? "https://" : "http://") + authority);
  }
  for (auto& origin : origins) {
    if (std::find(scope.begin(), scope.end(), origin) == scope.end()) {
      scope.push_back(std::move(origin));
    }
  }
}

// ---- edition URL templates ------------------------------------------------------------------

constexpr std::array<std::string_view, 4> k_placeholders{"yyyy", "mm", "dd", "yyyymmdd"};

[[nodiscard]] std::string two_digits(unsigned value) {
  return std::string{static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

[[nodiscard]] std::optional<std::string> placeholder_value(std::string_view name,
                                                           std::chrono::year_month_day day) {
  const int year = static_cast<int>(day.year());
  const std::string yyyy = std::to_string(year);
  const std::string mm = two_digits(static_cast<unsigned>(day.month()));
  const std::string dd = two_digits(static_cast<unsigned>(day.day()));
  if (name == "yyyy") {
    return yyyy;
  }
  if (name == "mm") {
    return mm;
  }
  if (name == "dd") {
    return dd;
  }
  if (name == "yyyymmdd") {
    return yyyy + mm + dd;
  }
  return std::nullopt;
}

// What is wrong with an edition URL template, or nullopt when it is fine.
[[nodiscard]] std::optional<std::string> edition_url_problem(std::string_view tmpl) {
  bool has_placeholder = false;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '}') {
      return "unmatched '}' in " + in_quotes(tmpl);
    }
    if (tmpl[i] != '{') {
      continue;
    }
    const std::size_t close = tmpl.find('}', i);
    if (close == std::string_view::npos) {
      return "unmatched '{' in " + in_quotes(tmpl);
    }
    const std::string_view name = tmpl.substr(i + 1, close - i - 1);
    if (std::find(k_placeholders.begin(), k_placeholders.end(), name) == k_placeholders.end()) {
      return "unknown placeholder {" + std::string(name) + "} (known: {yyyy} {mm} {dd} {yyyymmdd})";
    }
    has_placeholder = true;
    i = close;
  }
  if (!has_placeholder) {
    return "must contain at least one of {yyyy} {mm} {dd} {yyyymmdd}, got " + in_quotes(tmpl);
  }
  const std::string sample = expand_edition_url(
      tmpl, std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::month{1},
                                        std::chrono::day{1}});
  if (!split_http_url(sample)) {
    return "not an http(s) URL: " + in_quotes(tmpl);
  }
  return std::nullopt;
}

// ---- collecting problems --------------------------------------------------------------------

// Gathers every problem so that one check-config run shows them all.
class Diagnostics {
 public:
  explicit Diagnostics(std::filesystem::path file) : m_file(std::move(file)) {}

  void add(int line, std::string key, std::string message) {
    m_errors.push_back(ConfigError{m_file, line, std::move(key), std::move(message)});
  }

  [[nodiscard]] bool empty() const { return m_errors.empty(); }

  // In file order: toml++ tables iterate their keys sorted by name, not as written.
  [[nodiscard]] std::vector<ConfigError> take() {
    std::stable_sort(m_errors.begin(), m_errors.end(),
                     [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
    return std::move(m_errors);
  }

 private:
  std::filesystem::path m_file;
  std::vector<ConfigError> m_errors;
};

[[nodiscard]] int line_of(const toml::source_region& region) {
  return static_cast<int>(region.begin.line);
}

[[nodiscard]] std::string join_key(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

[[nodiscard]] std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// One value being read: the node, its dotted key and its line, for messages.
struct Field {
  Diagnostics& diagnostics;
  std::string key;
  int line;
  const toml::node& node;

  void fail(std::string message) const { diagnostics.add(line, key, std::move(message)); }

  void wrong_type(std::string_view expected) const {
    fail("expected " + std::string(expected) + ", got " + std::string(type_name(node)));
  }
};

// One known key of a table and how to read it into Target: the key tables below are the single
// place that lists what a config may contain.
template <class Target>
struct KeySpec {
  std::string_view name;
  void (*read)(const Field&, Target&);
};

template <class Target>
[[nodiscard]] std::string known_keys(std::span<const KeySpec<Target>> keys) {
  std::string out;
  for (const auto& spec : keys) {
    out += out.empty() ? "" : ", ";
    out += spec.name;
  }
  return out;
}

template <class Target>
void read_table(const toml::table& table, std::span<const KeySpec<Target>> keys,
                std::string_view prefix, Diagnostics& diagnostics, Target& target) {
  for (const auto& [key, node] : table) {
    const Field field{diagnostics, join_key(prefix, key.str()), line_of(key.source()), node};
    const auto spec =
        std::find_if(keys.begin(), keys.end(), [&](const auto& s) { return s.name == key.str(); });
    if (spec == keys.end()) {
      field.fail("unknown key (known: " + known_keys(keys) + ")");
      continue;
    }
    spec->read(field, target);
  }
}

// ---- typed readers: each reports its own problem and returns nullopt ------------------------

[[nodiscard]] std::optional<std::string> get_string(const Field& f) {
  if (const auto* value = f.node.as_string()) {
    return value->get();
  }
  f.wrong_type("a string");
  return std::nullopt;
}

[[nodiscard]] std::optional<std::string> get_nonempty_string(const Field& f) {
  auto text = get_string(f);
  if (text && text->find_first_not_of(" \t\r\n") == std::string::npos) {
    f.fail("must not be empty");
    return std::nullopt;
  }
  return text;
}

[[nodiscard]] const toml::table* get_table(const Field& f) {
  if (const auto* table = f.node.as_table()) {
    return table;
  }
  f.wrong_type("a table");
  return nullptr;
}

void read_bool(const Field& f, bool& out) {
  if (const auto* value = f.node.as_boolean()) {
    out = value->get();
    return;
  }
  f.wrong_type("a boolean (true or false)");
}

void read_count(const Field& f, int& out) {
  constexpr std::int64_t k_max = 10'000;
  const auto* value = f.node.as_integer();
  if (value == nullptr) {
    f.wrong_type("an integer");
    return;
  }
  if (value->get() < 1) {
    f.fail("must be at least 1, got " + std::to_string(value->get()));
    return;
  }
  if (value->get() > k_max) {
    f.fail("must be at most " + std::to_string(k_max) + ", got " + std::to_string(value->get()));
    return;
  }
  out = static_cast<int>(value->get());
}

void read_duration(const Field& f, milliseconds& out, milliseconds minimum) {
  if (f.node.is_number()) {
    f.fail("expected a duration string with a unit, like \"60s\" or \"500ms\", got " +
           std::string(type_name(f.node)));
    return;
  }
  const auto text = get_string(f);
  if (!text) {
    return;
  }
  const auto duration = parse_duration(*text);
  if (!duration) {
    f.fail("bad duration " + in_quotes(*text) +
           " (use a whole number and a unit ms, s, m, h or d, like \"60s\")");
    return;
  }
  if (*duration < minimum) {
    f.fail("must be at least " + std::to_string(minimum.count()) + "ms, got " + in_quotes(*text));
    return;
  }
  out = *duration;
}

void read_size(const Field& f, std::uint64_t& out) {
  std::optional<std::uint64_t> bytes;
  if (const auto* integer = f.node.as_integer()) {
    if (integer->get() >= 0) {
      bytes = static_cast<std::uint64_t>(integer->get());
    }
  } else if (const auto* string = f.node.as_string()) {
    bytes = parse_size(string->get());
    if (!bytes) {
      f.fail("bad size " + in_quotes(string->get()) +
             " (use bytes or a number with a unit kB, MB, GB, KiB, MiB or GiB, like \"20MiB\")");
      return;
    }
  } else {
    f.wrong_type("a size (a string like \"20MiB\" or an integer of bytes)");
    return;
  }
  if (!bytes || *bytes == 0) {
    f.fail("must be at least 1 byte");
    return;
  }
  out = *bytes;
}

// An array of strings; each element is checked by `valid`, which returns a problem or nullopt.
template <class Check>
[[nodiscard]] std::optional<std::vector<std::string>> get_string_array(const Field& f,
                                                                       Check valid) {
  const auto* array = f.node.as_array();
  if (array == nullptr) {
    f.wrong_type("an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const toml::node& element : *array) {
    const Field item{f.diagnostics, f.key, line_of(element.source()), element};
    const auto text = get_string(item);
    if (!text) {
      ok = false;
      continue;
    }
    if (auto problem = valid(*text)) {
      item.fail(std::move(*problem));
      ok = false;
      continue;
    }
    out.push_back(*text);
  }
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

[[nodiscard]] std::optional<std::string> http_url_problem(std::string_view url) {
  if (!split_http_url(url)) {
    return "not an http(s) URL: " + in_quotes(url);
  }
  return std::nullopt;
}

// ---- [fetch] --------------------------------------------------------------------------------

void read_retries(const Field& f, int& out) {
  const auto* value = f.node.as_integer();
  if (value == nullptr) {
    f.wrong_type("an integer");
    return;
  }
  if (value->get() < 0 || value->get() > 20) {
    f.fail("must be from 0 to 20, got " + std::to_string(value->get()));
    return;
  }
  out = static_cast<int>(value->get());
}

// `assets`: a list of "pdf", "page-image" and "images" (photos in articles); [] keeps none.
void read_assets(const Field& f, FetchSettings& s) {
  const auto* array = f.node.as_array();
  if (array == nullptr) {
    f.wrong_type(R"(an array of "pdf", "page-image", "images")");
    return;
  }
  AssetKinds kinds;
  for (const toml::node& element : *array) {
    const Field item{f.diagnostics, f.key, line_of(element.source()), element};
    const auto text = get_string(item);
    if (!text) {
      return;
    }
    if (*text == "pdf") {
      kinds.insert(AssetKind::pdf);
    } else if (*text == "page-image") {
      kinds.insert(AssetKind::page_image);
    } else if (*text == "images") {
      kinds.insert(AssetKind::image);
    } else {
      item.fail("unknown asset " + in_quotes(*text) + R"( (known: "pdf", "page-image", "images"))");
      return;
    }
  }
  s.assets = std::move(kinds);
}

constexpr std::array<KeySpec<FetchSettings>, 12> k_fetch_keys{{
    {"delay_per_host",
     [](const Field& f, FetchSettings& s) { read_duration(f, s.delay_per_host, milliseconds{0}); }},
    {"connections_per_host",
     [](const Field& f, FetchSettings& s) { read_count(f, s.connections_per_host); }},
    {"max_connections", [](const Field& f, FetchSettings& s) { read_count(f, s.max_connections); }},
    {"timeout",
     [](const Field& f, FetchSettings& s) { read_duration(f, s.timeout, milliseconds{1}); }},
    {"connect_timeout",
     [](const Field& f, FetchSettings& s) {
       read_duration(f, s.connect_timeout, milliseconds{1});
     }},
    {"max_body", [](const Field& f, FetchSettings& s) { read_size(f, s.max_body); }},
    {"max_asset", [](const Field& f, FetchSettings& s) { read_size(f, s.max_asset); }},
    {"assets", read_assets},
    {"obey_robots", [](const Field& f, FetchSettings& s) { read_bool(f, s.obey_robots); }},
    {"retries", [](const Field& f, FetchSettings& s) { read_retries(f, s.retries); }},
    {"retry_backoff",
     [](const Field& f, FetchSettings& s) { read_duration(f, s.retry_backoff, milliseconds{1}); }},
    {"max_retry_wait",
     [](const Field& f, FetchSettings& s) { read_duration(f, s.max_retry_wait, milliseconds{0}); }},
}};

void read_fetch_table(const Field& f, FetchSettings& fetch) {
  if (const auto* table = get_table(f)) {
    read_table<FetchSettings>(*table, k_fetch_keys, f.key, f.diagnostics, fetch);
  }
}

// ---- [archive] ------------------------------------------------------------------------------

void read_database(const Field& f, Settings& settings) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  std::filesystem::path path(*text);
  if (path.is_relative()) {
    path = settings.source.parent_path() / path;
  }
  settings.database = path.lexically_normal();
}

void read_user_agent(const Field& f, Settings& settings) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  if (has_control(*text)) {
    f.fail("must not contain control characters such as line breaks");
    return;
  }
  settings.user_agent = *text;
}

void read_max_size(const Field& f, Settings& settings) {
  std::uint64_t bytes = 0;
  read_size(f, bytes);
  if (bytes > 0) {
    settings.max_archive_size = bytes;
  }
}

constexpr std::array<KeySpec<Settings>, 3> k_archive_keys{{
    {"database", read_database},
    {"user_agent", read_user_agent},
    {"max_size", read_max_size},
}};

// ---- [daemon] -------------------------------------------------------------------------------

constexpr std::array<KeySpec<Settings>, 1> k_daemon_keys{{
    {"stall_timeout",
     [](const Field& f, Settings& s) {
       // Allowed down to a second (the tests wedge a crawl on purpose); in service, a value under
       // max_retry_wait + timeout would take a patient crawl for a wedged one.
       read_duration(f, s.stall_timeout, milliseconds{1000});
     }},
}};

// ---- [serve] --------------------------------------------------------------------------------

void read_listen(const Field& f, ServeSettings& serve) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  const std::size_t colon = text->rfind(':');
  const std::string_view port =
      colon == std::string::npos ? std::string_view() : std::string_view(*text).substr(colon + 1);
  if (colon == 0 || port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), is_digit) || std::stoi(std::string(port)) > 65535) {
    f.fail("expected HOST:PORT, for example \"127.0.0.1:8080\" or \"[::1]:8080\"");
    return;
  }
  serve.listen = *text;
}

void read_hosts(const Field& f, ServeSettings& serve) {
  const auto* array = f.node.as_array();
  if (array == nullptr) {
    f.wrong_type("an array of host names");
    return;
  }
  std::vector<std::string> names;
  for (const auto& item : *array) {
    const auto* name = item.as_string();
    if (name == nullptr || name->get().empty() ||
        name->get().find_first_of(" /:@\t") != std::string::npos) {
      f.fail("expected host names such as \"archive.example.org\" (no scheme, port or path)");
      return;
    }
    names.push_back(name->get());
  }
  serve.hosts = std::move(names);
}

void read_base_url(const Field& f, ServeSettings& serve) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  if (!(text->starts_with("http://") || text->starts_with("https://")) || has_control(*text)) {
    f.fail(
        "expected the interface's address as users reach it, e.g. \"https://archive.example.org\"");
    return;
  }
  std::string url = *text;
  while (url.ends_with('/')) {
    url.pop_back();
  }
  serve.base_url = url;
}

constexpr std::array<KeySpec<ServeSettings>, 4> k_serve_keys{{
    {"listen", read_listen},
    {"hosts", read_hosts},
    {"base_url", read_base_url},
    {"request_timeout",
     [](const Field& f, ServeSettings& s) {
       read_duration(f, s.request_timeout, milliseconds{100});
     }},
}};

// ---- [[site]] -------------------------------------------------------------------------------

constexpr std::array<std::string_view, 10> k_selector_keys{
    "title",  "kicker", "subtitle",  "date",  "author",
    "source", "body",   "headlines", "pages", "next_page"};

[[nodiscard]] bool valid_site_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-';
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

// ---- [[notify]] ------------------------------------------------------------------------------

// A webhook being read, with the sites configured so far (they are read before [[notify]]).
struct NotifyDraft {
  NotifySettings notify;
  const Settings* settings = nullptr;
};

void read_notify_url(const Field& f, NotifyDraft& draft) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  if (auto problem = http_url_problem(*text)) {
    f.fail(std::move(*problem));
    return;
  }
  draft.notify.url = *text;
}

void read_notify_sites(const Field& f, NotifyDraft& draft) {
  auto names = get_string_array(f, [&](std::string_view name) -> std::optional<std::string> {
    if (draft.settings->site_named(name) == nullptr) {
      return "no [[site]] is named " + in_quotes(name);
    }
    return std::nullopt;
  });
  if (names && names->empty()) {
    f.fail("must name at least one site (or leave the key out for every site)");
    return;
  }
  if (names) {
    draft.notify.sites = std::move(*names);
  }
}

void read_notify_events(const Field& f, NotifyDraft& draft) {
  const auto events = get_string_array(f, [](std::string_view event) -> std::optional<std::string> {
    if (event != "new" && event != "changed") {
      return "unknown event " + in_quotes(event) + R"( (known: "new", "changed"))";
    }
    return std::nullopt;
  });
  if (!events) {
    return;
  }
  if (events->empty()) {
    f.fail(R"(must list at least one of "new", "changed" (or leave the key out for both))");
    return;
  }
  draft.notify.on_new = std::ranges::find(*events, "new") != events->end();
  draft.notify.on_changed = std::ranges::find(*events, "changed") != events->end();
}

constexpr std::array<KeySpec<NotifyDraft>, 3> k_notify_keys{{
    {"url", read_notify_url},
    {"sites", read_notify_sites},
    {"events", read_notify_events},
}};

void read_notify(const Field& f, Settings& settings) {
  const auto* array = f.node.as_array();
  if (array == nullptr) {
    f.fail("expected [[notify]] tables, got " + std::string(type_name(f.node)) +
           (f.node.is_table() ? " (write [[notify]], not [notify])" : ""));
    return;
  }
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& node = *array->get(i);
    const std::string prefix = "notify[" + std::to_string(i + 1) + "]";
    const auto* table = node.as_table();
    if (table == nullptr) {
      f.diagnostics.add(line_of(node.source()), prefix,
                        "expected a table ([[notify]]), got " + std::string(type_name(node)));
      continue;
    }
    NotifyDraft draft{.notify = {}, .settings = &settings};
    draft.notify.line = line_of(table->source());
    read_table<NotifyDraft>(*table, k_notify_keys, prefix, f.diagnostics, draft);
    if (!table->contains("url")) {
      f.diagnostics.add(draft.notify.line, join_key(prefix, "url"), "missing required key");
      continue;
    }
    if (draft.notify.url.empty()) {
      continue;  // reported already
    }
    // One outbox lane per URL: a second table with the same URL would send every event twice.
    const auto [it, inserted] = first_line.emplace(draft.notify.url, draft.notify.line);
    if (!inserted) {
      f.diagnostics.add(line_of(table->get("url")->source()), join_key(prefix, "url"),
                        "the same webhook twice (first at line " + std::to_string(it->second) +
                            "): list its sites and events in one [[notify]]");
      continue;
    }
    settings.notify.push_back(std::move(draft.notify));
  }
}

// ---- the document ---------------------------------------------------------------------------

// [archive] and [fetch] are read before [[site]] so that sites start from the global fetch
// settings, and [[site]] before [[notify]], whose sites must exist; the table order in the file
// does not matter.
void read_document(const toml::table& root, Diagnostics& diagnostics, Settings& settings) {
  constexpr std::array<std::string_view, 6> k_order{"archive", "fetch", "daemon",
                                                    "serve",   "site",  "notify"};
  for (const auto& [key, node] : root) {
    if (std::find(k_order.begin(), k_order.end(), key.str()) == k_order.end()) {
      diagnostics.add(
          line_of(key.source()), std::string(key.str()),
          "unknown key (known: [archive], [fetch], [daemon], [serve], [[site]], [[notify]])");
    }
  }
  for (const std::string_view name : k_order) {
    const toml::node* node = root.get(name);
    if (node == nullptr) {
      continue;
    }
    const Field field{diagnostics, std::string(name), line_of(node->source()), *node};
    if (name == "archive") {
      if (const auto* table = get_table(field)) {
        read_table<Settings>(*table, k_archive_keys, name, diagnostics, settings);
      }
    } else if (name == "fetch") {
      read_fetch_table(field, settings.fetch);
    } else if (name == "daemon") {
      if (const auto* table = get_table(field)) {
        read_table<Settings>(*table, k_daemon_keys, name, diagnostics, settings);
      }
    } else if (name == "serve") {
      if (const auto* table = get_table(field)) {
        settings.serve.line = field.line;
        read_table<ServeSettings>(*table, k_serve_keys, name, diagnostics, settings.serve);
      }
    } else if (name == "site") {
      read_sites(field, settings);
    } else {
      read_notify(field, settings);
    }
  }
}

[[nodiscard]] std::optional<std::uint64_t> size_unit(std::string_view unit) {
  constexpr std::array<std::pair<std::string_view, std::uint64_t>, 10> k_units{{
      {"b", 1ULL},
      {"kb", 1000ULL},
      {"mb", 1000ULL * 1000},
      {"gb", 1000ULL * 1000 * 1000},
      {"tb", 1000ULL * 1000 * 1000 * 1000},
      {"kib", 1ULL << 10},
      {"mib", 1ULL << 20},
      {"gib", 1ULL << 30},
      {"tib", 1ULL << 40},
      {"", 1ULL},
  }};
  const std::string lowered = to_lower(unit);
  for (const auto& [name, factor] : k_units) {
    if (lowered == name) {
      return factor;
    }
  }
  return std::nullopt;
}

[[nodiscard]] std::optional<std::int64_t> duration_unit_ms(std::string_view unit) {
  constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> k_units{{
      {"ms", 1},
      {"s", 1000},
      {"m", 60 * 1000},
      {"h", 60 * 60 * 1000},
      {"d", 24 * 60 * 60 * 1000},
  }};
  for (const auto& [name, factor] : k_units) {
    if (unit == name) {
      return factor;
    }
  }
  return std::nullopt;
}

}  // namespace

// ---- public functions -----------------------------------------------------------------------

std::string ConfigError::to_string() const {
  std::string out = file.string();
  if (line > 0) {
    out += ":" + std::to_string(line);
  }
  out += ": ";
  if (!key.empty()) {
    out += key + ": ";
  }
  out += message;
  return out;
}

std::size_t SiteSettings::scope_match_length(std::string_view url) const {
  // On the normal form only: "/scope/%2e%2e/x" is "/x", outside "/scope/".
  const auto normal = normalize_url(url);
  if (!normal) {
    return 0;
  }
  std::size_t best = 0;
  for (const auto& prefix : scope) {
    if (prefix.size() > best && normal->starts_with(prefix)) {
      best = prefix.size();
    }
  }
  return best;
}

bool SiteSettings::in_scope(std::string_view url) const { return scope_match_length(url) > 0; }

AssetKinds default_asset_kinds(ParserKind parser) {
  if (parser == ParserKind::epaper) {
    return {AssetKind::pdf, AssetKind::page_image, AssetKind::image};
  }
  return {AssetKind::image};
}

AssetKinds SiteSettings::asset_kinds() const {
  return fetch.assets ? *fetch.assets : default_asset_kinds(parser);
}

const SiteSettings* Settings::site_for_url(std::string_view url) const {
  const SiteSettings* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& site : sites) {
    const std::size_t length = site.scope_match_length(url);
    if (length > best_length) {
      best = &site;
      best_length = length;
    }
  }
  return best;
}

std::vector<std::string> overlapping_scopes(const Settings& settings) {
  std::vector<std::string> warnings;
  for (std::size_t i = 0; i < settings.sites.size(); ++i) {
    for (std::size_t j = i + 1; j < settings.sites.size(); ++j) {
      const SiteSettings& a = settings.sites[i];
      const SiteSettings& b = settings.sites[j];
      for (const auto& left : a.scope) {
        for (const auto& right : b.scope) {
          if (!left.starts_with(right) && !right.starts_with(left)) {
            continue;
          }
          const bool a_wider = right.starts_with(left);
          // Who `fetch URL` gives a page of both to: the longer prefix, else the first site.
          const SiteSettings& owner = left == right ? a : (a_wider ? b : a);
          warnings.push_back(fmt::format(
              "sites \"{}\" and \"{}\" overlap: scope \"{}\" holds \"{}\"; `fetch URL` "
              "reads a page of both as \"{}\", and each site's crawl reads its pages as itself",
              a.name, b.name, a_wider ? left : right, a_wider ? right : left, owner.name));
        }
      }
    }
  }
  return warnings;
}

const SiteSettings* Settings::site_named(std::string_view name) const {
  const auto it =
      std::find_if(sites.begin(), sites.end(), [name](const auto& s) { return s.name == name; });
  return it == sites.end() ? nullptr : &*it;
}

std::expected<Settings, std::vector<ConfigError>> parse_settings(
    std::string_view toml_text, const std::filesystem::path& file) {
  Diagnostics diagnostics(file);
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(file.string()));
  } catch (const toml::parse_error& error) {
    diagnostics.add(line_of(error.source()), "", std::string(error.description()));
    return std::unexpected(diagnostics.take());
  }
  Settings settings;
  settings.source = file;
  read_document(root, diagnostics, settings);
  if (!diagnostics.empty()) {
    return std::unexpected(diagnostics.take());
  }
  return settings;
}

std::expected<Settings, std::vector<ConfigError>> load_settings(const std::filesystem::path& file) {
  const auto fail = [&](int error) {
    return std::unexpected(std::vector<ConfigError>{ConfigError{
        file, 0, "", "cannot read config file: " + std::generic_category().message(error)}});
  };
  // std::fopen and std::fread report errno reliably (a directory fails with EISDIR).
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"),
                                                           std::fclose);
  if (!in) {
    return fail(errno);
  }
  std::string text;
  std::array<char, 65536> buffer{};
  while (true) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get());
    text.append(buffer.data(), n);
    if (n < buffer.size()) {
      break;
    }
  }
  if (std::ferror(in.get()) != 0) {
    return fail(errno);
  }
  return parse_settings(text, file);
}

std::optional<milliseconds> parse_duration(std::string_view text) {
  const auto number = leading_number(text);
  if (!number) {
    return std::nullopt;
  }
  const auto factor = duration_unit_ms(number->rest);
  if (!factor) {
    return std::nullopt;  // also "60": a unit is required
  }
  const auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (number->value > max / static_cast<std::uint64_t>(*factor)) {
    return std::nullopt;
  }
  return milliseconds{static_cast<std::int64_t>(number->value) * *factor};
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  const auto number = leading_number(text);
  if (!number) {
    return std::nullopt;
  }
  const auto factor = size_unit(number->rest);
  if (!factor || number->value > std::numeric_limits<std::uint64_t>::max() / *factor) {
    return std::nullopt;
  }
  return number->value * *factor;
}

std::string expand_edition_url(std::string_view url_template, std::chrono::year_month_day day) {
  std::string out;
  std::size_t i = 0;
  while (i < url_template.size()) {
    const std::size_t open = url_template.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : url_template.find('}', open);
    if (close == std::string_view::npos) {
      out += url_template.substr(i);
      break;
    }
    out += url_template.substr(i, open - i);
    const std::string_view name = url_template.substr(open + 1, close - open - 1);
    if (auto value = placeholder_value(name, day)) {
      out += *value;
    } else {
      out += url_template.substr(open, close - open + 1);
    }
    i = close + 1;
  }
  return out;
}

std::string_view to_string(ParserKind kind) {
  switch (kind) {
    case ParserKind::generic:
      return "generic";
    case ParserKind::epaper:
      return "epaper";
    case ParserKind::cms:
      return "cms";
    case ParserKind::portal:
      return "portal";
  }
  return "generic";
}

std::optional<ParserKind> parser_kind_from_string(std::string_view name) {
  for (const ParserKind kind :
       {ParserKind::generic, ParserKind::epaper, ParserKind::cms, ParserKind::portal}) {
    if (to_string(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

}  // namespace archiver
