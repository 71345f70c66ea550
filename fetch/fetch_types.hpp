#pragma once
// What goes into a fetch and what comes out, whichever fetcher runs it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver {

class BodySpool;

struct FetchRequest {
  std::string url;
  std::string user_agent;
  std::optional<std::string> etag;           // sent as If-None-Match
  std::optional<std::string> last_modified;  // sent as If-Modified-Since
  std::chrono::milliseconds connect_timeout{15'000};
  std::chrono::milliseconds timeout{60'000};
  // Abort when fewer than low_speed_bytes arrive per second for low_speed_time.
  long low_speed_bytes = 16;
  std::chrono::seconds low_speed_time{30};
  std::uint64_t max_body = 20ULL * 1024 * 1024;
  int max_redirects = 5;
  // When set and it turns true, the transfer is abandoned within about a second (SIGTERM).
  const std::atomic<bool>* abort = nullptr;
  // When set, the body goes to this file as it arrives (assets), not into the response's body;
  // max_body still caps it. Emptied at the start of each attempt.
  std::shared_ptr<BodySpool> spool;
  // When set, called on the fetching thread each time the request's headers have gone out (at
  // least once per redirect hop; a resend on a reused connection that died counts again).
  // Politeness counts delay_per_host from there: a request that waited on a busy machine before it
  // was sent still keeps its gap to the next one.
  std::function<void()> on_sent;
};

enum class FetchErrorKind {
  none,
  bad_url,
  scheme_refused,  // not http/https, first or after a redirect
  too_many_redirects,
  dns,
  connect,
  timeout,
  body_too_large,
  tls,
  bad_response,  // headers no page sends (too large, two lengths): not worth asking again
  transfer,      // connection reset, truncated body, bad encoding, ...
};

struct FetchResponse {
  std::string url;                                           // as requested
  std::string final_url;                                     // after redirects
  long http_status = 0;                                      // 0 when no response arrived
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response
  std::string raw_headers;           // the final response's status line and headers, as received
  std::string request_headers;       // the final request's headers, as sent
  std::string body;                  // decoded (Content-Encoding removed); empty when spooled
  std::shared_ptr<BodySpool> spool;  // the request's spool, holding the body, when it had one
  std::chrono::milliseconds duration{0};
  long redirects = 0;
  FetchErrorKind error_kind = FetchErrorKind::none;
  std::string error;  // human message naming the URL's problem; empty when none

  [[nodiscard]] bool ok() const { return error_kind == FetchErrorKind::none; }
  // Header value by case-insensitive name, or empty.
  [[nodiscard]] std::string header(std::string_view name) const;
};

[[nodiscard]] std::string_view to_string(FetchErrorKind kind);

}  // namespace archiver
