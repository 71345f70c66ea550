#include "config/notify_settings.hpp"

#include <array>
#include <map>

namespace archiver::config {
namespace {

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

}  // namespace

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

}  // namespace archiver::config
