#pragma once
// Parser families by name: the one place that maps a `parser =` value to code.

#include "config/settings.hpp"
#include "parsers/parser.hpp"

namespace archiver {

[[nodiscard]] ParsedPage parse_page(ParserKind kind, const ParseInput& input);

}  // namespace archiver
