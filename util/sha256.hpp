#pragma once
// SHA-256 digests, the content addresses of stored bodies.

#include <string>
#include <string_view>

namespace archiver {

// Lower-case hex SHA-256 of bytes (64 characters).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace archiver
