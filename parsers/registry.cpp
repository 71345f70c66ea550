#include "parsers/registry.hpp"

#include "parsers/epaper.hpp"
#include "parsers/generic.hpp"
#include "parsers/list_page.hpp"

namespace archiver {

ParsedPage parse_page(ParserKind kind, const ParseInput& input) {
  switch (kind) {
    case ParserKind::epaper:
      return parse_epaper(input);
    case ParserKind::cms:
      return parse_cms(input);
    case ParserKind::portal:
      return parse_portal(input);
    case ParserKind::generic:
      return parse_generic(input);
  }
  return parse_generic(input);
}

}  // namespace archiver
