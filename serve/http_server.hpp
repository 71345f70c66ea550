#pragma once
// The web interface's HTTP/1.1 server (Boost.Beast on an Asio loop): one session per
// connection, a deadline on every read and write so that a slow or silent client is cut off, a
// cap on the request's size and on the connections held at once, keep-alive, gzip for text, and
// large bodies written a part at a time. What to answer is the handler's business.

#include "serve/http_types.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

namespace archiver::serve {

struct ServerLimits {
  std::size_t max_connections = 256;  // more are closed at once
  // To send a whole request, however slowly its bytes trickle in (slowloris): [serve]
  // request_timeout.
  std::chrono::milliseconds header_timeout{15'000};
  std::chrono::milliseconds idle_timeout{30'000};   // a kept-alive connection with no request
  std::chrono::milliseconds write_timeout{60'000};  // per part of a response the client takes
  std::size_t max_header_bytes = 16 * 1024;         // request line and headers
  unsigned max_requests_per_connection = 1000;
};

class HttpServer {
 public:
  // Listens on endpoint (port 0: any free port) at once; throws boost::system::system_error
  // when it cannot (address in use, no such address). The handler is called on the threads that
  // run io, several at a time.
  HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             Handler handler, ServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting; open sessions end with their current request.
  void stop();

  struct Shared;  // what sessions share with the server (handler, limits, connection count)

 private:
  std::shared_ptr<Shared> m_shared;
};

}  // namespace archiver::serve
