#include "config/field_reader.hpp"

#include "util/url.hpp"

namespace archiver::config {

using std::chrono::milliseconds;

void Diagnostics::add(int line, std::string key, std::string message) {
  m_errors.push_back(ConfigError{m_file, line, std::move(key), std::move(message)});
}

std::vector<ConfigError> Diagnostics::take() {
  std::stable_sort(m_errors.begin(), m_errors.end(),
                   [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  return std::move(m_errors);
}

int line_of(const toml::source_region& region) { return static_cast<int>(region.begin.line); }

std::string join_key(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

std::string_view type_name(const toml::node& node) {
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

std::string in_quotes(std::string_view text) {
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

std::optional<std::string> get_string(const Field& f) {
  if (const auto* value = f.node.as_string()) {
    return value->get();
  }
  f.wrong_type("a string");
  return std::nullopt;
}

std::optional<std::string> get_nonempty_string(const Field& f) {
  auto text = get_string(f);
  if (text && text->find_first_not_of(" \t\r\n") == std::string::npos) {
    f.fail("must not be empty");
    return std::nullopt;
  }
  return text;
}

const toml::table* get_table(const Field& f) {
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

std::optional<std::string> http_url_problem(std::string_view url) {
  if (!split_http_url(url)) {
    return "not an http(s) URL: " + in_quotes(url);
  }
  return std::nullopt;
}

}  // namespace archiver::config
