#include "config/fetch_settings.hpp"

#include <array>

namespace archiver::config {
namespace {

using std::chrono::milliseconds;

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

}  // namespace

void read_assets(const Field& f, FetchSettings& fetch) {
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
  fetch.assets = std::move(kinds);
}

void read_fetch_table(const Field& f, FetchSettings& fetch) {
  if (const auto* table = get_table(f)) {
    read_table<FetchSettings>(*table, k_fetch_keys, f.key, f.diagnostics, fetch);
  }
}

}  // namespace archiver::config
