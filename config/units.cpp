// Durations and sizes as the config writes them: a whole number and a unit (settings.hpp).

#include "config/settings.hpp"

#include "util/ascii.hpp"

#include <array>
#include <limits>
#include <utility>

namespace archiver {
namespace {

// A leading run of digits as an unsigned number; nullopt when empty or too large.
struct Number {
  std::uint64_t value = 0;
  std::string_view rest;
};

[[nodiscard]] std::optional<Number> leading_number(std::string_view s) {
  Number n;
  std::size_t i = 0;
  for (; i < s.size() && is_ascii_digit(s[i]); ++i) {
    const auto digit = static_cast<std::uint64_t>(s[i] - '0');
    if (n.value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    n.value = n.value * 10 + digit;
  }
  if (i == 0) {
    return std::nullopt;
  }
  n.rest = s.substr(i);
  return n;
}

[[nodiscard]] std::optional<std::uint64_t> size_unit(std::string_view unit) {
  constexpr std::array<std::pair<std::string_view, std::uint64_t>, 10> k_units{{
      {"b", 1ULL},
      {"kb", 1000ULL},
      {"mb", 1000ULL * 1000},
      {"gb", 1000ULL * 1000 * 1000},
      {"tb", 1000ULL * 1000 * 1000 * 1000},
      {"kib", 1ULL << 10},
      {"mib", 1ULL << 20},
      {"gib", 1ULL << 30},
      {"tib", 1ULL << 40},
      {"", 1ULL},
  }};
  const std::string lowered = ascii_lower(unit);
  for (const auto& [name, factor] : k_units) {
    if (lowered == name) {
      return factor;
    }
  }
  return std::nullopt;
}

[[nodiscard]] std::optional<std::int64_t> duration_unit_ms(std::string_view unit) {
  constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> k_units{{
      {"ms", 1},
      {"s", 1000},
      {"m", 60 * 1000},
      {"h", 60 * 60 * 1000},
      {"d", 24 * 60 * 60 * 1000},
  }};
  for (const auto& [name, factor] : k_units) {
    if (unit == name) {
      return factor;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const auto number = leading_number(text);
  if (!number) {
    return std::nullopt;
  }
  const auto factor = duration_unit_ms(number->rest);
  if (!factor) {
    return std::nullopt;  // also "60": a unit is required
  }
  const auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (number->value > max / static_cast<std::uint64_t>(*factor)) {
    return std::nullopt;
  }
  return std::chrono::milliseconds{static_cast<std::int64_t>(number->value) * *factor};
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  const auto number = leading_number(text);
  if (!number) {
    return std::nullopt;
  }
  const auto factor = size_unit(number->rest);
  if (!factor || number->value > std::numeric_limits<std::uint64_t>::max() / *factor) {
    return std::nullopt;
  }
  return number->value * *factor;
}

}  // namespace archiver
