#include "tests/support/static_site.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <ranges>
#include <system_error>
#include <utility>

namespace archiver::testing {
namespace {

namespace fs = std::filesystem;

struct FileType {
  std::string_view extension;
  std::string_view content_type;
  bool text;  // worth gzipping
};

// HTML deliberately has no charset: the crawler must sniff it (or read a sidecar) like in the wild.
constexpr std::array file_types{
    FileType{".html", "text/html", true},        FileType{".htm", "text/html", true},
    FileType{".json", "application/json", true}, FileType{".css", "text/css", true},
    FileType{".js", "text/javascript", true},    FileType{".txt", "text/plain", true},
    FileType{".xml", "application/xml", true},   FileType{".jpg", "image/jpeg", false},
    FileType{".jpeg", "image/jpeg", false},      FileType{".png", "image/png", false},
    FileType{".gif", "image/gif", false},        FileType{".pdf", "application/pdf", false},
};
constexpr FileType unknown_type{"", "application/octet-stream", false};

constexpr std::array<const char*, 7> weekday_names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string lower(std::string_view text) {
  std::string out{text};
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

Response plain(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

const std::string* find_header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (lower(key) == lower(name)) {
      return &value;
    }
  }
  return nullptr;
}

void set_header(Response& response, std::string_view name, std::string_view value) {
  for (auto& [key, old_value] : response.headers) {
    if (lower(key) == lower(name)) {
      old_value = value;
      return;
    }
  }
  response.headers.emplace_back(name, value);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  const char folded = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return folded >= 'a' && folded <= 'f' ? folded - 'a' + 10 : -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || hex_digit(text[i + 1]) < 0 || hex_digit(text[i + 2]) < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
    i += 2;
  }
  return out;
}

// Decoded request path -> path relative to root; nullopt when it tries to climb out with "..".
std::optional<fs::path> relative_path(std::string_view decoded) {
  fs::path relative;
  for (const auto part : std::views::split(decoded, '/')) {
    const std::string_view segment{part.begin(), part.end()};
    if (segment == "..") {
      return std::nullopt;
    }
    if (!segment.empty() && segment != ".") {
      relative /= segment;
    }
  }
  return relative;
}

bool lies_within(const fs::path& root, const fs::path& file) {
  return std::mismatch(root.begin(), root.end(), file.begin(), file.end()).first == root.end();
}

std::optional<std::string> read_file(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) {
    return std::nullopt;
  }
  return std::string{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

// A strong validator derived from the bytes, so it changes exactly when the content does.
std::string etag_of(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
  for (const char byte : bytes) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 1099511628211ULL;
  }
  std::array<char, 16> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), hash, 16).ptr;
  return "\"" + std::string{digits.data(), end} + "\"";
}

void apply_sidecar(const fs::path& sidecar, Response& response) {
  std::ifstream in{sidecar};
  std::string line;
  while (std::getline(in, line)) {
    const auto text = trim(line.ends_with('\r') ? std::string_view{line}.substr(0, line.size() - 1)
                                                : std::string_view{line});
    const auto colon = text.find(':');
    if (text.empty() || text.starts_with('#') || colon == std::string_view::npos) {
      continue;
    }
    set_header(response, trim(text.substr(0, colon)), trim(text.substr(colon + 1)));
  }
}

bool etag_listed(std::string_view list, std::string_view etag) {
  if (trim(list) == "*") {
    return true;
  }
  for (const auto part : std::views::split(list, ',')) {
    auto candidate = trim(std::string_view{part.begin(), part.end()});
    if (candidate.starts_with("W/")) {
      candidate.remove_prefix(2);  // If-None-Match compares weakly
    }
    if (candidate == etag) {
      return true;
    }
  }
  return false;
}

bool not_modified(const Request& request, const Response& response) {
  const auto* etag = find_header(response, "ETag");
  if (request.headers.contains("if-none-match")) {
    // RFC 7232: If-Modified-Since is ignored when If-None-Match is present.
    return etag != nullptr && etag_listed(request.header("if-none-match"), *etag);
  }
  const auto* last_modified = find_header(response, "Last-Modified");
  const auto since = parse_http_date(request.header("if-modified-since"));
  const auto modified = last_modified ? parse_http_date(*last_modified) : std::nullopt;
  return since && modified && *modified <= *since;
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool wildcard = false;
  for (const auto part : std::views::split(accept_encoding, ',')) {
    const std::string_view item{part.begin(), part.end()};
    const auto semicolon = item.find(';');
    const auto coding = lower(trim(item.substr(0, semicolon)));
    double quality = 1.0;
    if (semicolon != std::string_view::npos) {
      const auto parameter = trim(item.substr(semicolon + 1));
      if (parameter.starts_with("q=") || parameter.starts_with("Q=")) {
        std::from_chars(parameter.data() + 2, parameter.data() + parameter.size(), quality);
      }
    }
    if (coding == "gzip" || coding == "x-gzip") {
      return quality > 0.0;
    }
    if (coding == "*") {
      wildcard = quality > 0.0;
    }
  }
  return wildcard;
}

const FileType& file_type(const fs::path& file) {
  const auto extension = lower(file.extension().string());
  const auto found = std::ranges::find(file_types, extension, &FileType::extension);
  return found != file_types.end() ? *found : unknown_type;
}

}  // namespace

Response serve_static(const std::filesystem::path& root, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    auto response = plain(405, "method not allowed\n");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  const auto decoded = percent_decode(request.path);
  if (!decoded || !decoded->starts_with('/') || decoded->find('\0') != std::string::npos) {
    return plain(400, "bad path\n");
  }
  const auto relative = relative_path(*decoded);
  if (!relative) {
    return plain(403, "forbidden\n");
  }
  auto file = root / *relative;
  std::error_code error;
  if (fs::is_directory(file, error)) {
    if (!decoded->ends_with('/')) {
      // Relative links inside the index only resolve against "dir/", hence the redirect.
      auto response = plain(301, "moved\n");
      response.headers.emplace_back(
          "Location", request.path + "/" + (request.query.empty() ? "" : "?" + request.query));
      return response;
    }
    file /= "index.html";
  }
  const auto name = file.filename().string();
  if (name.ends_with(".headers") || name.ends_with(".expected.json") ||
      !fs::is_regular_file(file, error)) {
    return plain(404, "not found\n");
  }
  // Symlinks may point anywhere; only what really lies under root is served.
  std::error_code root_error;
  const auto real_root = fs::canonical(root, root_error);
  const auto real_file = fs::canonical(file, error);
  if (root_error || error || !lies_within(real_root, real_file)) {
    return plain(403, "forbidden\n");
  }
  auto content = read_file(file);
  const auto modified = fs::last_write_time(file, error);
  if (!content || error) {
    return plain(500, "cannot read file\n");
  }

  const auto& type = file_type(file);
  Response response;
  response.headers = {
      {"Content-Type", std::string{type.content_type}},
      {"ETag", etag_of(*content)},
      {"Last-Modified", format_http_date(std::chrono::file_clock::to_sys(modified))},
  };
  if (type.text) {
    response.headers.emplace_back("Vary", "Accept-Encoding");
  }
  apply_sidecar(fs::path{file} += ".headers", response);
  if (not_modified(request, response)) {
    response.status = 304;
    return response;
  }
  response.body = std::move(*content);
  response.gzip = type.text && find_header(response, "Content-Encoding") == nullptr &&
                  accepts_gzip(request.header("accept-encoding"));
  return response;
}

std::string format_http_date(std::chrono::system_clock::time_point time) {
  namespace chrono = std::chrono;
  const auto whole = chrono::floor<chrono::seconds>(time);
  const auto midnight = chrono::floor<chrono::days>(whole);
  const chrono::year_month_day date{midnight};
  const chrono::hh_mm_ss clock{whole - midnight};
  std::array<char, 40> text{};
  std::snprintf(
      text.data(), text.size(), "%s, %02u %s %04d %02d:%02d:%02d GMT",
      weekday_names.at(chrono::weekday{midnight}.c_encoding()), static_cast<unsigned>(date.day()),
      month_names.at(static_cast<unsigned>(date.month()) - 1), static_cast<int>(date.year()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()));
  return text.data();
}

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) {
  namespace chrono = std::chrono;
  // IMF-fixdate only: the obsolete RFC 850 and asctime forms are not worth supporting here.
  const std::string copy{trim(text)};
  std::array<char, 4> month{};
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (std::sscanf(copy.c_str(), "%*3s, %2d %3s %4d %2d:%2d:%2d GMT", &day, month.data(), &year,
                  &hour, &minute, &second) != 6) {
    return std::nullopt;
  }
  const auto found = std::ranges::find_if(
      month_names, [&](const char* name) { return std::string_view{name} == month.data(); });
  if (found == month_names.end() || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  const chrono::year_month_day date{
      chrono::year{year}, chrono::month{static_cast<unsigned>(found - month_names.begin() + 1)},
      chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return chrono::sys_days{date} + chrono::hours{hour} + chrono::minutes{minute} +
         chrono::seconds{second};
}

}  // namespace archiver::testing
