#pragma once
// Metadata a page carries outside its visible text: <title>, <meta> tags (gov CMS PubDate and
// ContentSource, Open Graph) and Founder's <!--enpproperty ...--> comment.

#include "parsers/html_document.hpp"

#include <map>
#include <optional>
#include <string>

namespace archiver {

struct PageMeta {
  std::string title;                        // <title>, whitespace collapsed
  std::map<std::string, std::string> meta;  // lower-case name/property -> content
  std::map<std::string, std::string> enp;   // enpproperty fields: articleid, date, title, ...
  std::string base_href;                    // the first <base href>, as written; empty if none

  // The first non-empty meta value among names.
  [[nodiscard]] std::optional<std::string> first_meta(
      std::initializer_list<std::string_view> names) const;
  [[nodiscard]] std::optional<std::string> enp_field(std::string_view name) const;
};

[[nodiscard]] PageMeta read_page_meta(const HtmlDocument& document);

// Fields of an enpproperty comment body: "<date>2022-02-13 00:00:00:0</date><author>..</author>".
[[nodiscard]] std::map<std::string, std::string> parse_enpproperty(std::string_view comment);

}  // namespace archiver
