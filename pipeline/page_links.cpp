#include "pipeline/page_links.hpp"

#include "parsers/version.hpp"
#include "pipeline/reading_rules.hpp"
#include "util/compression.hpp"
#include "util/sha256.hpp"

#include <nlohmann/json.hpp>

namespace archiver {
namespace {

using nlohmann::json;

// Bumped when the pack's layout changes: an older pack then reads as none, and the page is
// parsed again.
constexpr int k_pack_layout = 1;

// A 版面 lists some twenty links; a pack of more than this is not one of ours.
constexpr std::size_t k_max_unpacked = 16U << 20U;

json optional_text(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

std::optional<std::string> read_optional(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    return std::nullopt;
  }
  return found->get<std::string>();
}

}  // namespace

std::string pack_links(const ParsedPage& page) {
  json headlines = json::array();
  for (const Headline& headline : page.headlines) {
    headlines.push_back({{"title", headline.title},
                         {"url", headline.url},
                         {"summary", optional_text(headline.summary)},
                         {"on_page_map", headline.on_page_map}});
  }
  json pages = json::array();
  for (const PageLink& link : page.pages) {
    pages.push_back({{"title", link.title}, {"url", link.url}});
  }
  const json packed = {{"layout", k_pack_layout},
                       {"headlines", std::move(headlines)},
                       {"pages", std::move(pages)},
                       {"next_page", optional_text(page.next_page)},
                       {"edition",
                        {{"edition", optional_text(page.edition.edition)},
                         {"page", optional_text(page.edition.page)},
                         {"issue", optional_text(page.edition.issue)}}}};
  // (Invalid UTF-8, which a parser should never hand on, is replaced rather than thrown at.)
  return zstd_compress(packed.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::optional<ParsedPage> unpack_links(std::string_view packed) {
  const auto text = zstd_decompress(packed, k_max_unpacked);
  if (!text) {
    return std::nullopt;
  }
  const json links = json::parse(*text, nullptr, false);
  if (links.is_discarded() || !links.is_object()) {
    return std::nullopt;
  }
  try {
    if (links.at("layout").get<int>() != k_pack_layout) {
      return std::nullopt;
    }
    ParsedPage page;
    for (const json& headline : links.at("headlines")) {
      page.headlines.push_back({.title = headline.at("title").get<std::string>(),
                                .url = headline.at("url").get<std::string>(),
                                .summary = read_optional(headline, "summary"),
                                .on_page_map = headline.at("on_page_map").get<bool>()});
    }
    for (const json& link : links.at("pages")) {
      page.pages.push_back(
          {.title = link.at("title").get<std::string>(), .url = link.at("url").get<std::string>()});
    }
    page.next_page = read_optional(links, "next_page");
    const json& edition = links.at("edition");
    page.edition = {.edition = read_optional(edition, "edition"),
                    .page = read_optional(edition, "page"),
                    .issue = read_optional(edition, "issue")};
    return page;
  } catch (const json::exception&) {
    return std::nullopt;  // (a field missing or of another type)
  }
}

std::string links_parse_key(ParserKind parser, const SiteSettings* site,
                            const std::optional<EditionContext>& listed_in) {
  // Each part as JSON, so no value can pass for another's separator.
  json conditions = {{"parser_version", k_parser_version},
                     {"reading_rules", ARCHIVER_READING_RULES},
                     {"layout", k_pack_layout},
                     {"parser", to_string(parser)}};
  if (site != nullptr) {
    conditions["charset"] = site->charset;
    conditions["selectors"] = site->selectors;
  }
  if (listed_in) {
    conditions["listed_in"] = {optional_text(listed_in->edition), optional_text(listed_in->page),
                               optional_text(listed_in->issue)};
  }
  // 64 bits of the digest: the key tells conditions apart, it guards nothing.
  return sha256_hex(conditions.dump()).substr(0, 16);
}

}  // namespace archiver
