#include "config/serve_settings.hpp"

#include "util/ascii.hpp"

#include <algorithm>
#include <array>

namespace archiver::config {
namespace {

void read_listen(const Field& f, ServeSettings& serve) {
  const auto text = get_nonempty_string(f);
  if (!text) {
    return;
  }
  const std::size_t colon = text->rfind(':');
  const std::string_view port =
      colon == std::string::npos ? std::string_view() : std::string_view(*text).substr(colon + 1);
  if (colon == 0 || port.empty() || port.size() > 5 || !std::ranges::all_of(port, is_ascii_digit) ||
      std::stoi(std::string(port)) > 65535) {
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
  // The scheme in lower case, as written: the feeds' links start with it, and serve/escape lets
  // only "http://" and "https://" through as link targets.
  const bool http = text->starts_with("http://") || text->starts_with("https://");
  if (!http || has_ascii_control(*text)) {
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
       read_duration(f, s.request_timeout, std::chrono::milliseconds{100});
     }},
}};

}  // namespace

void read_serve_table(const Field& f, ServeSettings& serve) {
  if (const auto* table = get_table(f)) {
    serve.line = f.line;
    read_table<ServeSettings>(*table, k_serve_keys, f.key, f.diagnostics, serve);
  }
}

}  // namespace archiver::config
