#include "parsers/registry.hpp"

#include "parsers/epaper.hpp"
#include "parsers/generic.hpp"

namespace archiver {

ParsedPage parse_page(ParserKind kind, const ParseInput& input) {
  switch (kind) {
    case ParserKind::epaper:
      return parse_epaper(input);
    case ParserKind::generic:
    case ParserKind::cms:
    case ParserKind::portal:
      // The epaper, cms and portal families are the "Site parsers" issue; until they land every
      // family extracts articles with the generic parser.
      return parse_generic(input);
  }
  return parse_generic(input);
}

}  // namespace archiver
