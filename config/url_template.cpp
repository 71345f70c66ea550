// Edition URL templates: {yyyy} {mm} {dd} {yyyymmdd} in an e-paper's edition_url.

#include "config/url_template.hpp"

#include "config/field_reader.hpp"
#include "config/settings.hpp"
#include "util/url.hpp"

#include <algorithm>
#include <array>

namespace archiver {
namespace {

constexpr std::array<std::string_view, 4> k_placeholders{"yyyy", "mm", "dd", "yyyymmdd"};

[[nodiscard]] std::string two_digits(unsigned value) {
  return std::string{static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

[[nodiscard]] std::optional<std::string> placeholder_value(std::string_view name,
                                                           std::chrono::year_month_day day) {
  const int year = static_cast<int>(day.year());
  const std::string yyyy = std::to_string(year);
  const std::string mm = two_digits(static_cast<unsigned>(day.month()));
  const std::string dd = two_digits(static_cast<unsigned>(day.day()));
  if (name == "yyyy") {
    return yyyy;
  }
  if (name == "mm") {
    return mm;
  }
  if (name == "dd") {
    return dd;
  }
  if (name == "yyyymmdd") {
    return yyyy + mm + dd;
  }
  return std::nullopt;
}

}  // namespace

std::string expand_edition_url(std::string_view url_template, std::chrono::year_month_day day) {
  std::string out;
  std::size_t i = 0;
  while (i < url_template.size()) {
    const std::size_t open = url_template.find('{', i);
    const std::size_t close = open == std::string_view::npos ? open : url_template.find('}', open);
    if (close == std::string_view::npos) {
      out += url_template.substr(i);
      break;
    }
    out += url_template.substr(i, open - i);
    const std::string_view name = url_template.substr(open + 1, close - open - 1);
    if (auto value = placeholder_value(name, day)) {
      out += *value;
    } else {
      out += url_template.substr(open, close - open + 1);
    }
    i = close + 1;
  }
  return out;
}

namespace config {

std::optional<std::string> edition_url_problem(std::string_view url_template) {
  bool has_placeholder = false;
  for (std::size_t i = 0; i < url_template.size(); ++i) {
    if (url_template[i] == '}') {
      return "unmatched '}' in " + in_quotes(url_template);
    }
    if (url_template[i] != '{') {
      continue;
    }
    const std::size_t close = url_template.find('}', i);
    if (close == std::string_view::npos) {
      return "unmatched '{' in " + in_quotes(url_template);
    }
    const std::string_view name = url_template.substr(i + 1, close - i - 1);
    if (std::find(k_placeholders.begin(), k_placeholders.end(), name) == k_placeholders.end()) {
      return "unknown placeholder {" + std::string(name) + "} (known: {yyyy} {mm} {dd} {yyyymmdd})";
    }
    has_placeholder = true;
    i = close;
  }
  if (!has_placeholder) {
    return "must contain at least one of {yyyy} {mm} {dd} {yyyymmdd}, got " +
           in_quotes(url_template);
  }
  const std::string sample = expand_edition_url(
      url_template, std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::month{1},
                                                std::chrono::day{1}});
  if (!split_http_url(sample)) {
    return "not an http(s) URL: " + in_quotes(url_template);
  }
  return std::nullopt;
}

}  // namespace config
}  // namespace archiver
