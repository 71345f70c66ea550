#include "parsers/page_meta.hpp"

#include "util/ascii.hpp"
#include "util/utf8.hpp"

#include <algorithm>

namespace archiver {

std::optional<std::string> PageMeta::first_meta(
    std::initializer_list<std::string_view> names) const {
  for (const auto name : names) {
    const auto found = meta.find(std::string(name));
    if (found != meta.end() && !found->second.empty()) {
      return found->second;
    }
  }
  return std::nullopt;
}

std::optional<std::string> PageMeta::enp_field(std::string_view name) const {
  const auto found = enp.find(std::string(name));
  if (found == enp.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second;
}

std::map<std::string, std::string> parse_enpproperty(std::string_view comment) {
  std::map<std::string, std::string> fields;
  std::size_t pos = 0;
  while ((pos = comment.find('<', pos)) != std::string_view::npos) {
    const std::size_t name_end = comment.find('>', pos);
    if (name_end == std::string_view::npos) {
      break;
    }
    const std::string_view name = comment.substr(pos + 1, name_end - pos - 1);
    if (name.empty() || name.front() == '/' || name.find(' ') != std::string_view::npos) {
      pos = name_end;
      continue;
    }
    const std::string closing = "</" + std::string(name) + ">";
    const std::size_t value_end = comment.find(closing, name_end);
    if (value_end == std::string_view::npos) {
      pos = name_end;
      continue;
    }
    fields[std::string(name)] =
        utf8::collapse_spaces(comment.substr(name_end + 1, value_end - name_end - 1));
    pos = value_end + closing.size();
  }
  return fields;
}

PageMeta read_page_meta(const HtmlDocument& document) {
  PageMeta page;
  html::walk(document.root(), [&](const GumboNode* node) {
    if (node->type == GUMBO_NODE_COMMENT) {
      const std::string_view text = node->v.text.text;
      const auto start = text.find("enpproperty");
      if (start != std::string_view::npos) {
        for (auto& [key, value] : parse_enpproperty(text.substr(start))) {
          page.enp.try_emplace(key, value);
        }
      }
      return false;
    }
    const GumboTag tag = html::tag(node);
    if (tag == GUMBO_TAG_TITLE && page.title.empty()) {
      page.title = html::text(node);
      // <title> is in <head>, which html::text treats as invisible: read its text node directly.
      for (const GumboNode* child : html::children(node)) {
        if (child->type == GUMBO_NODE_TEXT) {
          page.title = utf8::collapse_spaces(child->v.text.text);
        }
      }
      return false;
    }
    if (tag == GUMBO_TAG_BASE) {
      if (const std::string_view href = html::attribute(node, "href");
          page.base_href.empty() && !href.empty()) {
        page.base_href = href;  // only the first counts, as in browsers
      }
      return false;
    }
    if (tag == GUMBO_TAG_META) {
      std::string_view attribute = html::attribute(node, "name");
      if (attribute.empty()) {
        attribute = html::attribute(node, "property");
      }
      const std::string name = ascii_lower(attribute);
      if (!name.empty()) {
        page.meta.try_emplace(name, utf8::collapse_spaces(html::attribute(node, "content")));
      }
      return false;
    }
    return true;
  });
  return page;
}

}  // namespace archiver
