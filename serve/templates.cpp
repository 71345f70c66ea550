#include "serve/templates.hpp"

#include "serve/escape.hpp"
#include "serve/ui_files.hpp"

#include <kainjow/mustache.hpp>

#include <stdexcept>

namespace archiver::serve {
namespace {

namespace mustache = kainjow::mustache;

std::string file_text(std::string_view name) {
  const UiFile* file = ui_file(name);
  if (file == nullptr) {
    throw std::runtime_error("web interface: no template " + std::string(name));
  }
  return std::string(file->bytes);
}

// JSON as Mustache data: objects and arrays as they are, null and false as an empty section.
mustache::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) {
        object.set(key, to_data(item));
      }
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) {
        list.push_back(to_data(item));
      }
      return list;
    }
    case nlohmann::json::value_t::string:
      return {value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? mustache::data{mustache::data::type::bool_true}
                               : mustache::data{mustache::data::type::bool_false};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return {value.dump()};  // numbers
  }
}

std::string render(std::string_view name, const nlohmann::json& view, bool with_layout,
                   std::string (*escape)(std::string_view)) {
  mustache::mustache page{file_text(name)};
  if (!page.is_valid()) {
    throw std::runtime_error("web interface: template " + std::string(name) + ": " +
                             page.error_message());
  }
  page.set_custom_escape([escape](const std::string& text) { return escape(text); });
  mustache::data data = to_data(view);
  // Every _NAME.html is the partial {{> NAME}}: the layout's head and foot, list items.
  for (const UiFile& file : ui_files()) {
    if (file.name.starts_with('_') && file.name.ends_with(".html")) {
      const std::string partial_name(file.name.substr(1, file.name.size() - 6));
      if (!with_layout && (partial_name == "head" || partial_name == "foot")) {
        continue;
      }
      // Without the file's last line break: a partial inside a line (a run of a diff) must not
      // add a space of its own.
      std::string_view bytes = file.bytes;
      if (bytes.ends_with('\n')) {
        bytes.remove_suffix(1);
      }
      data.set(partial_name, mustache::partial([bytes] { return std::string(bytes); }));
    }
  }
  std::string out = page.render(data);
  if (!page.is_valid()) {
    throw std::runtime_error("web interface: rendering " + std::string(name) + ": " +
                             page.error_message());
  }
  return out;
}

}  // namespace

std::string render_page(std::string_view name, const nlohmann::json& view) {
  return render(std::string(name) + ".html", view, true, escape_html);
}

std::string render_feed(const nlohmann::json& view) {
  return render("feed.atom", view, false, escape_xml);
}

std::string render_fragment(std::string_view name, const nlohmann::json& view) {
  return render(std::string(name) + ".html", view, false, escape_html);
}

}  // namespace archiver::serve
