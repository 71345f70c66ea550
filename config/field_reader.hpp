#pragma once
// How every table of the config is read: a table's known keys each with a reader (KeySpec), one
// value at a time (Field), every problem collected with its line (Diagnostics), and the readers
// of the value types the tables share (strings, booleans, counts, durations, sizes, lists). Each
// reader reports its own problem and leaves its target as it was. Used by the files that read one
// table each (fetch_settings.cpp, site_settings.cpp, ...); the public API is settings.hpp.

#include "config/settings.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver::config {

// Gathers every problem so that one check-config run shows them all.
class Diagnostics {
 public:
  explicit Diagnostics(std::filesystem::path file) : m_file(std::move(file)) {}

  void add(int line, std::string key, std::string message);

  [[nodiscard]] bool empty() const { return m_errors.empty(); }

  // In file order: toml++ tables iterate their keys sorted by name, not as written.
  [[nodiscard]] std::vector<ConfigError> take();

 private:
  std::filesystem::path m_file;
  std::vector<ConfigError> m_errors;
};

[[nodiscard]] int line_of(const toml::source_region& region);

// "fetch" and "timeout" give "fetch.timeout"; an empty prefix gives the key alone.
[[nodiscard]] std::string join_key(std::string_view prefix, std::string_view key);

// The TOML type of node as messages name it: "string", "integer", "table", ...
[[nodiscard]] std::string_view type_name(const toml::node& node);

// text in double quotes, as messages show the values they refuse.
[[nodiscard]] std::string in_quotes(std::string_view text);

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

// One known key of a table and how to read it into Target: the key tables of the readers are the
// single place that lists what a config may contain.
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

// Reads every key of table with its spec; a key without one is reported with the known keys.
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

[[nodiscard]] std::optional<std::string> get_string(const Field& f);
// A string with more than white space in it.
[[nodiscard]] std::optional<std::string> get_nonempty_string(const Field& f);
[[nodiscard]] const toml::table* get_table(const Field& f);

void read_bool(const Field& f, bool& out);
// A count of connections and the like: from 1 to 10,000.
void read_count(const Field& f, int& out);
// A duration string (units.cpp) of at least minimum; bare numbers are refused.
void read_duration(const Field& f, std::chrono::milliseconds& out,
                   std::chrono::milliseconds minimum);
// A size string (units.cpp) or an integer of bytes, at least 1.
void read_size(const Field& f, std::uint64_t& out);

// The problem with an http(s) URL as typed, or nullopt when it is one (util/url's
// split_http_url).
[[nodiscard]] std::optional<std::string> http_url_problem(std::string_view url);

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

}  // namespace archiver::config
