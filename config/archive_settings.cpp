#include "config/archive_settings.hpp"

#include "util/ascii.hpp"

#include <array>

namespace archiver::config {
namespace {

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
  if (has_ascii_control(*text)) {
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

constexpr std::array<KeySpec<Settings>, 1> k_daemon_keys{{
    {"stall_timeout",
     [](const Field& f, Settings& s) {
       // Allowed down to a second (the tests wedge a crawl on purpose); in service, a value under
       // max_retry_wait + timeout would take a patient crawl for a wedged one.
       read_duration(f, s.stall_timeout, std::chrono::milliseconds{1000});
     }},
}};

}  // namespace

void read_archive_table(const Field& f, Settings& settings) {
  if (const auto* table = get_table(f)) {
    read_table<Settings>(*table, k_archive_keys, f.key, f.diagnostics, settings);
  }
}

void read_daemon_table(const Field& f, Settings& settings) {
  if (const auto* table = get_table(f)) {
    read_table<Settings>(*table, k_daemon_keys, f.key, f.diagnostics, settings);
  }
}

}  // namespace archiver::config
