#include "scheduler/schedule.hpp"

#include "util/ascii.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

namespace archiver {
namespace {

using namespace std::chrono_literals;

// The longest interval accepted: a larger one is almost certainly a typo, and the cap keeps
// after + every far from overflowing sys_seconds.
constexpr std::chrono::seconds k_max_interval = std::chrono::days{3650};

[[nodiscard]] std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) {
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && !is_ascii_space(s[i])) {
      ++i;
    }
    if (i > start) {
      words.push_back(s.substr(start, i - start));
    }
  }
  return words;
}

[[nodiscard]] std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

// A run of decimal digits as a number; nullopt when empty, not all digits, or absurdly long.
[[nodiscard]] std::optional<std::int64_t> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 9) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char c : s) {
    if (!is_ascii_digit(c)) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

[[nodiscard]] std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

// ---- "every N{s,m,h,d}" ---------------------------------------------------------------------

[[nodiscard]] std::optional<std::chrono::seconds> interval_unit(std::string_view unit) {
  if (unit == "s") {
    return 1s;
  }
  if (unit == "m") {
    return 1min;
  }
  if (unit == "h") {
    return 1h;
  }
  if (unit == "d") {
    return std::chrono::days{1};
  }
  return std::nullopt;
}

[[nodiscard]] std::expected<Schedule, std::string> parse_interval(
    std::string_view text, const std::vector<std::string_view>& words) {
  if (words.size() == 1) {
    return std::unexpected("missing interval after \"every\" (e.g. \"every 6h\")");
  }
  if (words.size() > 2) {
    return std::unexpected(
        "expected \"every N\" with a unit s, m, h or d (e.g. \"every 6h\"), got " +
        in_quotes(text));
  }
  const std::string_view spec = words[1];
  std::size_t digits = 0;
  while (digits < spec.size() && is_ascii_digit(spec[digits])) {
    ++digits;
  }
  if (digits == 0) {
    return std::unexpected("expected a number after \"every\", got " + in_quotes(spec));
  }
  const std::string_view unit_text = spec.substr(digits);
  if (unit_text.empty()) {
    return std::unexpected("missing unit in " + in_quotes(text) + " (use s, m, h or d)");
  }
  const auto unit = interval_unit(unit_text);
  if (!unit) {
    return std::unexpected("unknown unit " + in_quotes(unit_text) + " in " + in_quotes(text) +
                           " (use s, m, h or d)");
  }
  const auto count = parse_digits(spec.substr(0, digits));
  if (count && *count == 0) {
    return std::unexpected("the interval must be at least 1, got " + in_quotes(text));
  }
  if (!count || *count > k_max_interval / *unit) {
    return std::unexpected("interval " + in_quotes(text) + " is too long (at most 3650d)");
  }
  return IntervalSchedule{*count * *unit};
}

// ---- cron -----------------------------------------------------------------------------------

struct FieldSpec {
  std::string_view name;
  int min;
  int max;
  int size;                                       // of the bit vector
  const std::array<std::string_view, 12>* names;  // names[i] is min + i; nullptr: numbers only
};

constexpr std::array<std::string_view, 12> k_month_names{"jan", "feb", "mar", "apr", "may", "jun",
                                                         "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> k_weekday_names{"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};

// Day-of-week accepts 7 as a second Sunday; it is folded onto 0 when the bits are set.
constexpr std::array<FieldSpec, 5> k_fields{{
    {"minute", 0, 59, 60, nullptr},
    {"hour", 0, 23, 24, nullptr},
    {"day-of-month", 1, 31, 32, nullptr},
    {"month", 1, 12, 13, &k_month_names},
    {"day-of-week", 0, 7, 7, &k_weekday_names},
}};

class FieldParser {
 public:
  FieldParser(std::size_t index, const FieldSpec& spec) : m_index(index), m_spec(spec) {}

  [[nodiscard]] std::expected<std::vector<bool>, std::string> parse(std::string_view field) {
    std::vector<bool> bits(static_cast<std::size_t>(m_spec.size), false);
    for (const std::string_view item : split(field, ',')) {
      if (auto ok = parse_item(item, bits); !ok) {
        return std::unexpected(ok.error());
      }
    }
    return bits;
  }

 private:
  [[nodiscard]] std::string error(std::string_view what) const {
    return "cron field " + std::to_string(m_index + 1) + " (" + std::string(m_spec.name) +
           "): " + std::string(what);
  }

  [[nodiscard]] std::string range_text() const {
    return std::to_string(m_spec.min) + "-" + std::to_string(m_spec.max);
  }

  [[nodiscard]] std::expected<int, std::string> parse_value(std::string_view text) const {
    if (text.empty()) {
      return std::unexpected(error("missing number"));
    }
    if (!is_ascii_digit(text.front())) {
      return parse_name(text);
    }
    const auto value = parse_digits(text);
    if (!value) {
      return std::unexpected(error(in_quotes(text) + " is not a number"));
    }
    if (*value < m_spec.min || *value > m_spec.max) {
      return std::unexpected(error(std::string(text) + " is out of " + range_text()));
    }
    return static_cast<int>(*value);
  }

  [[nodiscard]] std::expected<int, std::string> parse_name(std::string_view text) const {
    if (m_spec.names != nullptr) {
      for (std::size_t i = 0; i < m_spec.names->size(); ++i) {
        if (!(*m_spec.names)[i].empty() && equals_ignoring_case((*m_spec.names)[i], text)) {
          return m_spec.min + static_cast<int>(i);
        }
      }
      return std::unexpected(error("unknown name " + in_quotes(text)));
    }
    return std::unexpected(error(in_quotes(text) + " is not a number"));
  }

  // One list item: "*", "N", "A-B", each optionally followed by "/STEP".
  [[nodiscard]] std::expected<void, std::string> parse_item(std::string_view item,
                                                            std::vector<bool>& bits) const {
    if (item.empty()) {
      return std::unexpected(error("empty list item"));
    }
    const std::size_t slash = item.find('/');
    const std::string_view base = item.substr(0, slash);
    int step = 1;
    if (slash != std::string_view::npos) {
      const std::string_view step_text = item.substr(slash + 1);
      const auto parsed = parse_digits(step_text);
      if (!parsed) {
        return std::unexpected(error("step " + in_quotes(step_text) + " is not a number"));
      }
      if (*parsed < 1 || *parsed > m_spec.max) {
        return std::unexpected(
            error("step " + std::string(step_text) + " is out of 1-" + std::to_string(m_spec.max)));
      }
      step = static_cast<int>(*parsed);
    }
    auto range = parse_range(base, slash != std::string_view::npos);
    if (!range) {
      return std::unexpected(range.error());
    }
    for (int v = range->first; v <= range->second; v += step) {
      bits[static_cast<std::size_t>(v % m_spec.size)] = true;  // folds weekday 7 onto 0
    }
    return {};
  }

  [[nodiscard]] std::expected<std::pair<int, int>, std::string> parse_range(std::string_view base,
                                                                            bool stepped) const {
    if (base == "*") {
      return std::pair{m_spec.min, m_spec.max};
    }
    const std::size_t dash = base.find('-');
    if (dash == std::string_view::npos) {
      if (stepped) {
        // Crons differ on what "5/15" means; refusing it avoids guessing.
        return std::unexpected(
            error("a step needs '*' or a range before it (e.g. */15 or 5-59/15), got " +
                  in_quotes(base)));
      }
      auto value = parse_value(base);
      if (!value) {
        return std::unexpected(value.error());
      }
      return std::pair{*value, *value};
    }
    auto low = parse_value(base.substr(0, dash));
    if (!low) {
      return std::unexpected(low.error());
    }
    auto high = parse_value(base.substr(dash + 1));
    if (!high) {
      return std::unexpected(high.error());
    }
    if (*low > *high) {
      return std::unexpected(error("range " + std::string(base) + " runs backwards"));
    }
    return std::pair{*low, *high};
  }

  std::size_t m_index;
  const FieldSpec& m_spec;
};

[[nodiscard]] int days_in_month(int month) {
  constexpr std::array<int, 13> k_days{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return k_days[static_cast<std::size_t>(month)];
}

// With only the day-of-month restricted, a list like "30 feb" would never fire; say so now
// rather than let the daemon wait forever.
[[nodiscard]] bool can_fire(const CronSchedule& cron) {
  if (!cron.day_restricted || cron.weekday_restricted) {
    return true;
  }
  for (int month = 1; month <= 12; ++month) {
    if (!cron.months[static_cast<std::size_t>(month)]) {
      continue;
    }
    for (int day = 1; day <= days_in_month(month); ++day) {
      if (cron.days[static_cast<std::size_t>(day)]) {
        return true;
      }
    }
  }
  return false;
}

[[nodiscard]] std::optional<std::string_view> expand_macro(std::string_view word) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 7> k_macros{{
      {"@yearly", "0 0 1 1 *"},
      {"@annually", "0 0 1 1 *"},
      {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},
      {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},
  }};
  for (const auto& [name, expansion] : k_macros) {
    if (equals_ignoring_case(name, word)) {
      return expansion;
    }
  }
  return std::nullopt;
}

[[nodiscard]] std::expected<Schedule, std::string> parse_cron(
    const std::vector<std::string_view>& words) {
  if (words.size() != k_fields.size()) {
    return std::unexpected(
        "expected 5 cron fields (minute hour day-of-month month day-of-week) or \"every N\" "
        "with a unit s, m, h or d, got " +
        std::to_string(words.size()) + (words.size() == 1 ? " field" : " fields"));
  }
  std::array<std::vector<bool>, 5> bits;
  for (std::size_t i = 0; i < k_fields.size(); ++i) {
    auto parsed = FieldParser(i, k_fields[i]).parse(words[i]);
    if (!parsed) {
      return std::unexpected(parsed.error());
    }
    bits[i] = std::move(*parsed);
  }
  CronSchedule cron;
  cron.minutes = std::move(bits[0]);
  cron.hours = std::move(bits[1]);
  cron.days = std::move(bits[2]);
  cron.months = std::move(bits[3]);
  cron.weekdays = std::move(bits[4]);
  cron.day_restricted = words[2].front() != '*';
  cron.weekday_restricted = words[4].front() != '*';
  if (!can_fire(cron)) {
    return std::unexpected("cron fields 3 and 4 (day-of-month, month) never match a real date");
  }
  return cron;
}

// ---- next run -------------------------------------------------------------------------------

[[nodiscard]] bool bit(const std::vector<bool>& bits, unsigned index) {
  return index < bits.size() && bits[index];
}

[[nodiscard]] bool day_matches(const CronSchedule& cron, std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  if (!bit(cron.months, static_cast<unsigned>(date.month()))) {
    return false;
  }
  const bool by_day = bit(cron.days, static_cast<unsigned>(date.day()));
  const bool by_weekday = bit(cron.weekdays, std::chrono::weekday{day}.c_encoding());
  if (cron.day_restricted && cron.weekday_restricted) {
    return by_day || by_weekday;
  }
  return by_day && by_weekday;
}

// The first matching minute of the day at or after first_minute, if any.
[[nodiscard]] std::optional<std::chrono::minutes> first_minute_in_day(
    const CronSchedule& cron, std::chrono::minutes first_minute) {
  const auto start_hour = static_cast<unsigned>(first_minute.count() / 60);
  for (unsigned hour = start_hour; hour < 24; ++hour) {
    if (!bit(cron.hours, hour)) {
      continue;
    }
    const unsigned start =
        hour == start_hour ? static_cast<unsigned>(first_minute.count() % 60) : 0U;
    for (unsigned minute = start; minute < 60; ++minute) {
      if (bit(cron.minutes, minute)) {
        return std::chrono::hours{hour} + std::chrono::minutes{minute};
      }
    }
  }
  return std::nullopt;
}

[[nodiscard]] std::chrono::sys_seconds next_cron_run(const CronSchedule& cron,
                                                     std::chrono::sys_seconds after,
                                                     std::chrono::seconds utc_offset) {
  // Work in wall-clock time shifted by the offset, then shift the answer back to UTC.
  const auto local = std::chrono::floor<std::chrono::minutes>(after + utc_offset) + 1min;
  auto day = std::chrono::floor<std::chrono::days>(local);
  auto first_minute = std::chrono::duration_cast<std::chrono::minutes>(local - day);
  // A 29 February may be eight years away (2096 -> 2104); nine years of days covers every case.
  constexpr int k_max_days = 9 * 366;
  for (int i = 0; i < k_max_days; ++i) {
    if (day_matches(cron, day)) {
      if (const auto minute = first_minute_in_day(cron, first_minute)) {
        return std::chrono::sys_seconds{day + *minute} - utc_offset;
      }
    }
    day += std::chrono::days{1};
    first_minute = 0min;
  }
  return std::chrono::sys_seconds::max();
}

}  // namespace

std::expected<Schedule, std::string> parse_schedule(std::string_view text) {
  const std::string_view trimmed = ascii_trim(text);
  if (trimmed.empty()) {
    return std::unexpected(
        "empty schedule (use 5 cron fields like \"30 7 * * *\" or \"every 6h\")");
  }
  const std::vector<std::string_view> words = split_words(trimmed);
  if (equals_ignoring_case(words.front(), "every")) {
    return parse_interval(trimmed, words);
  }
  if (words.front().front() == '@') {
    const auto expansion = expand_macro(words.front());
    if (!expansion || words.size() != 1) {
      return std::unexpected("unknown schedule " + in_quotes(trimmed) +
                             " (macros: @hourly, @daily, @weekly, @monthly, @yearly)");
    }
    return parse_cron(split_words(*expansion));
  }
  return parse_cron(words);
}

std::chrono::sys_seconds next_run(const Schedule& schedule, std::chrono::sys_seconds after,
                                  std::chrono::seconds utc_offset) {
  if (const auto* interval = std::get_if<IntervalSchedule>(&schedule)) {
    if (interval->every <= 0s) {
      return std::chrono::sys_seconds::max();
    }
    return after + interval->every;
  }
  return next_cron_run(std::get<CronSchedule>(schedule), after, utc_offset);
}

}  // namespace archiver
