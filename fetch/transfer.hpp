#pragma once
// One HTTP(S) GET on a libcurl easy handle: the options (http and https only, also for
// redirects; at most 5 redirects; connect/total timeouts and a low-speed abort; gzip, deflate, br
// and zstd; a cap on the decoded body; conditional headers), the callbacks that collect the
// response, and the result. The blocking HttpClient and the event-driven MultiFetcher both run
// their requests through it.

#include "fetch/body_spool.hpp"
#include "fetch/curl_handles.hpp"
#include "fetch/fetch_types.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace archiver {

class Transfer {
 public:
  // The response's headers, all lines together, at most (pages send a few KiB; curl's own
  // limit is 100 KiB for one line).
  static constexpr std::size_t k_max_header_bytes = 256 * 1024;

  // Collected by the callbacks while the transfer runs.
  struct State {
    std::uint64_t max_body = 0;
    bool body_too_large = false;
    // Why the headers were refused (too large, two different Content-Lengths).
    std::optional<std::string> header_problem;
    bool headers_done = false;  // the blank line that ends the (last) response's headers came
    std::string body;
    BodySpool* spool = nullptr;  // the body goes here instead, when the request has one
    std::optional<std::string> spool_problem;  // the spool could not take the body (disk full)
    std::string raw_headers;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  // What curl's debug callback sees of the request going out.
  struct Sent {
    std::string headers;  // the last request's headers, as sent
    const std::function<void()>* on_sent = nullptr;
  };

  // handle is borrowed: it must outlive the transfer. The transfer's address is given to curl,
  // so it must not move while curl runs it.
  Transfer(CURL* handle, FetchRequest request);
  // The handle outlives the transfer (HttpClient reuses it): the handle must not keep pointers
  // into it.
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Sets the handle up for the request. A response when the request is refused outright
  // (a scheme other than http/https): then nothing is to be run.
  [[nodiscard]] std::optional<FetchResponse> prepare();

  // The response once curl is done with the handle.
  [[nodiscard]] FetchResponse finish(CURLcode code);

 private:
  CURL* m_handle;
  FetchRequest m_request;
  State m_state;
  CurlSlist m_headers;
  Sent m_sent;
  std::string m_error_buffer;
  std::chrono::steady_clock::time_point m_started;
};

}  // namespace archiver
