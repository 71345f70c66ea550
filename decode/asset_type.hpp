#pragma once
// Is a downloaded asset what its link promised? Read from the bytes (their signature and, for
// the formats that have one, their end marker), never from the Content-Type alone: a PDF link
// that answers an HTML error page with "200 OK", or a photo cut short, is an error, not an asset.

#include "util/asset_kind.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archiver {

// The media type the first bytes show: application/pdf, image/jpeg, image/png, image/gif,
// image/webp, image/bmp, image/tiff, image/avif; empty when none of these.
[[nodiscard]] std::string_view sniff_media_type(std::string_view head);

// Why bytes with this start, end and size are not an asset of kind, or nothing when they are.
// The message names what came instead ("an HTML page, not a PDF").
[[nodiscard]] std::optional<std::string> asset_problem(AssetKind kind, std::string_view head,
                                                       std::string_view tail, std::uint64_t size);

// Whether the format compresses its own content (JPEG, PNG, GIF, WebP, AVIF, PDF): stored as it
// came, since zstd would spend time to gain nothing.
[[nodiscard]] bool compresses_itself(std::string_view media_type);

}  // namespace archiver
