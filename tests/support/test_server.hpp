#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for integration tests and the demo tool. It speaks over
// actual sockets so the crawler's whole network stack (libcurl, keep-alive, compression, timeouts)
// is exercised, and it can misbehave on purpose (hang, drip, never end, truncate).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver::testing {

struct Request {
  std::string method{};
  std::string target{};                          // as sent: path plus optional "?query"
  std::string path{};                            // target before '?', still percent-encoded
  std::string query{};                           // target after '?', without the '?'
  std::map<std::string, std::string> headers{};  // lower-case names; repeats joined with ", "
  std::string body{};                            // empty when the request had none
  std::uint64_t connection_id = 0;  // same id for requests on one kept-alive connection
  // When the kernel took in the request's first byte (converted from its wall-clock stamp): the
  // time to measure gaps between requests a client sends on its own schedule.
  std::chrono::steady_clock::time_point received{};
  // When the server had read the whole request, just before it answers. A request that a client
  // sends only after an earlier answer (a retry, a follow-up) is handled later than that one by at
  // least the client's wait, with no clock conversion that could shrink the gap.
  std::chrono::steady_clock::time_point handled{};

  // Value of a header (any case), or "" when absent.
  [[nodiscard]] std::string header(std::string_view name) const;
};

struct Response {
  enum class Mode {
    normal,
    hang,             // read the request, never answer; closed when the client or server quits
    drip,             // headers at once, then the body one byte per drip_interval
    endless_chunked,  // chunked body that never ends: `body` (or 1 KiB of 'x') per drip_interval
    short_body,       // Content-Length 1024 bytes larger than the body sent, then close
  };

  // Every member has an initializer so designated initializers may name any subset
  // (-Wmissing-field-initializers).
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  Mode mode = Mode::normal;
  std::chrono::milliseconds drip_interval{1000};  // drip and endless_chunked; 0 = no pause
  bool gzip = false;     // compress the body and send Content-Encoding: gzip (wins over deflate)
  bool deflate = false;  // zlib-wrapped deflate, as HTTP's "deflate" coding means
  bool chunked = false;  // Transfer-Encoding: chunked instead of Content-Length

  // Framing headers (Content-Length, Transfer-Encoding, Content-Encoding, Connection) are added
  // by the server only when `headers` does not already name them, so tests can craft odd ones.
};

using Handler = std::function<Response(const Request&)>;

// "GET /a on connection 3: arrived +150.2 ms, handled +151.0 ms", counted from origin: for the
// message of a failing check on gaps, where the two clocks side by side show which one moved.
[[nodiscard]] std::string describe_times(const Request& request,
                                         std::chrono::steady_clock::time_point origin);

class TestServer {
 public:
  TestServer();                             // 127.0.0.1 on an ephemeral port
  explicit TestServer(std::uint16_t port);  // 0 = ephemeral; throws when the port is taken
  ~TestServer();  // closes every connection (hanging ones too) and joins; well under a second

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;
  TestServer(TestServer&&) = delete;
  TestServer& operator=(TestServer&&) = delete;

  // Exact match on Request::path (no query). Thread-safe; replaces an earlier handler.
  // Handlers run on the server's threads: one that blocks holds up the destructor, so use
  // Mode::hang or Mode::drip to simulate slow servers instead of sleeping.
  void route(std::string path, Handler handler);
  // Handler for paths no route matches; without one the server answers 404.
  void set_fallback(Handler handler);
  // set_fallback() with serve_static(root, ...) from static_site.hpp.
  void serve_directory(std::filesystem::path root);

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string url(std::string_view path) const;  // "http://127.0.0.1:PORT/path"

  [[nodiscard]] std::vector<Request> requests() const;  // all received so far, in order
  [[nodiscard]] std::size_t request_count(std::string_view path) const;
  // When the server handled each request to path (Request::handled), earliest first.
  [[nodiscard]] std::vector<std::chrono::steady_clock::time_point> handled_times(
      std::string_view path) const;

  class Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace archiver::testing
