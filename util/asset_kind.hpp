#pragma once
// What a crawl keeps beside a page's text: a 版面's PDF, a 版面's scan, the photos of articles.
// Shared by the config (the `assets` key), the parsers (which find them), the store and the CLI.

#include <optional>
#include <set>
#include <string_view>

namespace archiver {

enum class AssetKind { pdf, page_image, image };

// As the archive and `fetch --json` name a kind: "pdf", "page-image", "image".
[[nodiscard]] constexpr std::string_view to_string(AssetKind kind) {
  switch (kind) {
    case AssetKind::pdf:
      return "pdf";
    case AssetKind::page_image:
      return "page-image";
    case AssetKind::image:
      break;
  }
  return "image";
}

// A kind as stored ("pdf", "page-image", "image"), or nothing.
[[nodiscard]] constexpr std::optional<AssetKind> asset_kind_named(std::string_view name) {
  if (name == "pdf") {
    return AssetKind::pdf;
  }
  if (name == "page-image") {
    return AssetKind::page_image;
  }
  if (name == "image") {
    return AssetKind::image;
  }
  return std::nullopt;
}

using AssetKinds = std::set<AssetKind>;

}  // namespace archiver
