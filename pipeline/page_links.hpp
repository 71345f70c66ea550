#pragma once
// What a page fetched for its links listed (its headlines, an edition's 版面, the next list
// page, the edition it belongs to), packed to be kept beside the page in the archive. A crawl
// that asks again and hears 304 reads them back instead of parsing the stored page: on the
// benchmark's unchanged re-crawl, parsing the 1,980 stored 版面 was nearly half the CPU.
//
// The links are only what the parser made of those bytes under those conditions, so they are
// kept with a key of the conditions (links_parse_key) and the body's SHA-256: other reading
// rules (k_parser_version, and a digest of parsers/ and decode/ made by the build), other
// selectors or charset, another parser family or another listing context, and the page is
// parsed again.

#include "config/settings.hpp"
#include "parsers/article.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// The links of page (headlines, pages, next_page, edition), as compressed JSON. Pure: any
// thread may call it.
[[nodiscard]] std::string pack_links(const ParsedPage& page);

// The links pack_links kept, in a ParsedPage (its articles, assets and areas empty); nothing
// when the bytes are not such a pack.
[[nodiscard]] std::optional<ParsedPage> unpack_links(std::string_view packed);

// What the links of a page depend on besides its bytes and URL, as a short hex digest: the
// revision of the extraction rules and the build's digest of the code that reads pages, the
// parser family, the site's charset override and selectors, and what the listing page said of
// the edition.
[[nodiscard]] std::string links_parse_key(ParserKind parser, const SiteSettings* site,
                                          const std::optional<EditionContext>& listed_in);

}  // namespace archiver
