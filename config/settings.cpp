// The config file as a whole: reading it, its top-level tables in the order they depend on each
// other (each table's keys are read in a file of its own), and the lookups on the result.

#include "config/settings.hpp"

#include "config/archive_settings.hpp"
#include "config/fetch_settings.hpp"
#include "config/field_reader.hpp"
#include "config/notify_settings.hpp"
#include "config/serve_settings.hpp"
#include "config/site_settings.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace archiver {
namespace {

using config::Diagnostics;
using config::Field;

// [archive] and [fetch] are read before [[site]] so that sites start from the global fetch
// settings, and [[site]] before [[notify]], whose sites must exist; the table order in the file
// does not matter.
void read_document(const toml::table& root, Diagnostics& diagnostics, Settings& settings) {
  constexpr std::array<std::string_view, 6> k_order{"archive", "fetch", "daemon",
                                                    "serve",   "site",  "notify"};
  for (const auto& [key, node] : root) {
    if (std::find(k_order.begin(), k_order.end(), key.str()) == k_order.end()) {
      diagnostics.add(
          config::line_of(key.source()), std::string(key.str()),
          "unknown key (known: [archive], [fetch], [daemon], [serve], [[site]], [[notify]])");
    }
  }
  for (const std::string_view name : k_order) {
    const toml::node* node = root.get(name);
    if (node == nullptr) {
      continue;
    }
    const Field field{diagnostics, std::string(name), config::line_of(node->source()), *node};
    if (name == "archive") {
      config::read_archive_table(field, settings);
    } else if (name == "fetch") {
      config::read_fetch_table(field, settings.fetch);
    } else if (name == "daemon") {
      config::read_daemon_table(field, settings);
    } else if (name == "serve") {
      config::read_serve_table(field, settings.serve);
    } else if (name == "site") {
      config::read_sites(field, settings);
    } else {
      config::read_notify(field, settings);
    }
  }
}

}  // namespace

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
    diagnostics.add(config::line_of(error.source()), "", std::string(error.description()));
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

}  // namespace archiver
