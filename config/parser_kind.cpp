// Parser families by name, and what a site of each family keeps beside the text by default.

#include "config/settings.hpp"

namespace archiver {

std::string_view to_string(ParserKind kind) {
  switch (kind) {
    case ParserKind::generic:
      return "generic";
    case ParserKind::epaper:
      return "epaper";
    case ParserKind::cms:
      return "cms";
    case ParserKind::portal:
      return "portal";
  }
  return "generic";
}

std::optional<ParserKind> parser_kind_from_string(std::string_view name) {
  for (const ParserKind kind :
       {ParserKind::generic, ParserKind::epaper, ParserKind::cms, ParserKind::portal}) {
    if (to_string(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

AssetKinds default_asset_kinds(ParserKind parser) {
  if (parser == ParserKind::epaper) {
    return {AssetKind::pdf, AssetKind::page_image, AssetKind::image};
  }
  return {AssetKind::image};
}

AssetKinds SiteSettings::asset_kinds() const {
  return fetch.assets ? *fetch.assets : default_asset_kinds(parser);
}

}  // namespace archiver
