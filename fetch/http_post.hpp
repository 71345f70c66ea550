#pragma once
// One HTTP(S) POST of a JSON document with libcurl, for webhooks: http and https only, no
// redirects followed (a 3xx is an answer like any other, not a 2xx), connect and total timeouts,
// and an abort flag that ends a hanging request within about a second. The answer's body is read
// and dropped (a little of it kept for the error message).

#include "fetch/curl_handles.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace archiver {

struct PostRequest {
  std::string url;
  std::string body;                  // sent as is, Content-Type: application/json
  std::vector<std::string> headers;  // more request header lines ("X-Name: value")
  std::string user_agent;
  std::chrono::milliseconds timeout{10'000};  // the whole exchange
  std::chrono::milliseconds connect_timeout{5'000};
  const std::atomic<bool>* abort = nullptr;  // set: the request ends early, as a failure
};

struct PostResult {
  long http_status = 0;  // 0: no answer
  std::string error;     // why it failed; empty for an answer (of any status)

  // A 2xx answer: the receiver has the document.
  [[nodiscard]] bool accepted() const {
    return error.empty() && http_status >= 200 && http_status < 300;
  }
  // "HTTP 503: <start of the answer>" or the transfer's error, for the log and the outbox.
  [[nodiscard]] std::string problem() const;

  std::string answer_start;  // the first bytes of the answer's body
};

// A client for one webhook: keeps its easy handle, so connections are reused between events.
// Used by one thread at a time.
class HttpPoster {
 public:
  HttpPoster();
  [[nodiscard]] PostResult post(const PostRequest& request);

 private:
  CurlEasy m_handle;
};

}  // namespace archiver
