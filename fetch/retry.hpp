#pragma once
// When a failed fetch is worth trying again, and how long to wait first: network errors, 5xx
// and 429 are retried; Retry-After (seconds or an HTTP date) is honoured when the server sends
// it; otherwise the wait doubles each attempt, with jitter so that crawlers do not come back in
// step.

#include "config/settings.hpp"
#include "fetch/fetch_types.hpp"

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

namespace archiver {

// True for failures that may pass: no answer, a timeout, a broken transfer, 429, 500-504.
[[nodiscard]] bool is_retryable(long http_status, FetchErrorKind error);

// Longer Retry-After values are read as this (a server asking for more means "not soon"); it
// keeps later arithmetic in milliseconds far from overflowing.
inline constexpr std::chrono::seconds k_longest_retry_after = std::chrono::days(366);

// A Retry-After value: delta-seconds ("120") or an IMF-fixdate ("Wed, 21 Oct 2026 07:28:00
// GMT"), as a wait from now, at most k_longest_retry_after; nothing for anything else.
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// The wait before attempt `attempt` (1 for the first retry): retry_backoff * 2^(attempt-1),
// scaled by a random factor in [0.5, 1.0], at most max_retry_wait.
[[nodiscard]] std::chrono::milliseconds backoff_for(int attempt, const FetchSettings& settings,
                                                    std::mt19937_64& random);

}  // namespace archiver
