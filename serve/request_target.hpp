#pragma once
// A request's target taken apart strictly: the path as decoded segments and the query as
// names and values. Whatever could reach a file by a detour (".." or "." segments, in any
// encoding; an encoded slash or backslash; a NUL) or is not text (invalid UTF-8, control
// characters), and anything too long or too many, is refused with the reason (a 400).

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archiver::serve {

inline constexpr std::size_t k_max_target_bytes = 4096;
inline constexpr std::size_t k_max_query_fields = 16;
inline constexpr std::size_t k_max_query_value_bytes = 1024;

struct Target {
  std::vector<std::string> path;  // "/articles/12/diff" -> {"articles", "12", "diff"}
  std::map<std::string, std::string> query;

  // The named query value, or nothing when absent or empty (a form's empty field).
  [[nodiscard]] std::optional<std::string> param(const std::string& name) const;
};

[[nodiscard]] std::expected<Target, std::string> parse_target(std::string_view target);

// %XX decoded (and '+' as a space when plus_is_space), or nothing when an escape is malformed.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// text with every byte outside the URL's unreserved characters percent-encoded: for building
// links with archived values in their query.
[[nodiscard]] std::string percent_encode(std::string_view text);

}  // namespace archiver::serve
