#include "tests/support/test_server.hpp"

#include "tests/support/static_site.hpp"

#define ZLIB_CONST
#include <zlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <iomanip>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace archiver::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::uint64_t max_request_body = 1024 * 1024;
constexpr std::uint32_t max_request_header = 64 * 1024;
constexpr std::size_t short_body_missing = 1024;
constexpr std::size_t endless_filler_size = 1024;
constexpr std::size_t max_chunk_size = 16 * 1024;
// Several threads so a slow handler on one connection does not stall the others.
constexpr int server_threads = 4;

std::string lower(std::string_view text) {
  std::string out{text};
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower(a) == lower(b);
}

std::string str(boost::beast::string_view view) { return {view.data(), view.size()}; }

const std::string* find_header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (iequals(key, name)) {
      return &value;
    }
  }
  return nullptr;
}

Response text_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

// One-shot zlib compression; window_bits picks the wrapper (15 + 16 = gzip, 15 = zlib).
std::string compress(std::string_view data, int window_bits) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  const std::unique_ptr<z_stream, decltype(&deflateEnd)> guard{&stream, &deflateEnd};
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<const Bytef*>(data.data());
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) {
    throw std::runtime_error("deflate did not finish");
  }
  out.resize(stream.total_out);
  return out;
}

std::string chunk(std::string_view data) {
  std::array<char, 20> size{};
  const auto end = std::to_chars(size.data(), size.data() + size.size(), data.size(), 16).ptr;
  std::string out{size.data(), end};
  out += "\r\n";
  out += data;
  out += "\r\n";
  return out;
}

// A few chunks even for small bodies, so clients really have to reassemble them.
std::string chunked(std::string_view body) {
  const std::size_t size = std::clamp<std::size_t>((body.size() + 2) / 3, 1, max_chunk_size);
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += size) {
    out += chunk(body.substr(at, size));
  }
  return out + "0\r\n\r\n";
}

bool status_has_body(int status) { return status >= 200 && status != 204 && status != 304; }

std::string status_line(int status) {
  const auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
  return "HTTP/1.1 " + std::to_string(status) + " " + str(reason) + "\r\n";
}

// When the kernel took in the first byte queued on the socket (SO_TIMESTAMPNS, set on the
// listening socket and so on every accepted one), on the steady clock; now when it does not say.
// Stamping in the kernel keeps a loaded machine's delay before a server thread runs out of the
// times that tests measure gaps with.
std::chrono::steady_clock::time_point arrival_of_queued_byte(int socket) {
  // The two clocks read as one instant: a thread preempted between the reads (a loaded CI
  // machine does that) would move the stamp by as long as it waited, so a pair read further
  // apart than a millisecond is read again.
  auto now = std::chrono::steady_clock::now();
  auto wall_now = std::chrono::system_clock::now();
  for (int tries = 0; tries < 10; ++tries) {
    const auto after = std::chrono::steady_clock::now();
    if (after - now < std::chrono::milliseconds(1)) {
      break;
    }
    now = after;
    wall_now = std::chrono::system_clock::now();
  }
  char byte = 0;
  iovec data{.iov_base = &byte, .iov_len = 1};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control{};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  if (::recvmsg(socket, &message, MSG_PEEK | MSG_DONTWAIT) <= 0) {
    return now;
  }
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
      timespec stamp{};
      std::memcpy(&stamp, CMSG_DATA(header), sizeof stamp);
      const auto wall = std::chrono::system_clock::time_point{
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::seconds{stamp.tv_sec} + std::chrono::nanoseconds{stamp.tv_nsec})};
      const auto ago = wall_now - wall;
      return ago > std::chrono::system_clock::duration::zero()
                 ? now - std::chrono::duration_cast<std::chrono::steady_clock::duration>(ago)
                 : now;
    }
  }
  return now;
}

// Whether the socket has nothing to read yet. A wait for readability can end with nothing queued
// (seen in the integration suite, a few times a run): asio's reactor, run by several threads, may
// hand the wait a readiness whose bytes the previous request's read took already.
bool nothing_queued(int socket) {
  char byte = 0;
  const auto got = ::recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

Request make_request(const http::request<http::string_body>& message, std::uint64_t connection,
                     std::chrono::steady_clock::time_point arrived) {
  Request request;
  request.method = str(message.method_string());
  request.target = str(message.target());
  const auto query = request.target.find('?');
  request.path = request.target.substr(0, query);
  request.query = query == std::string::npos ? "" : request.target.substr(query + 1);
  for (const auto& field : message) {
    auto [it, inserted] = request.headers.emplace(lower(str(field.name_string())), "");
    it->second += inserted ? str(field.value()) : ", " + str(field.value());
  }
  request.body = message.body();
  request.connection_id = connection;
  request.received = arrived;
  request.handled = std::chrono::steady_clock::now();
  return request;
}

}  // namespace

class TestServer::Impl {
 public:
  explicit Impl(std::uint16_t port);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;

  [[nodiscard]] std::uint16_t port() const { return m_port; }
  void route(std::string path, Handler handler);
  void set_fallback(Handler handler);
  [[nodiscard]] std::vector<Request> requests() const;
  [[nodiscard]] std::size_t request_count(std::string_view path) const;

 private:
  class Connection;

  void accept();
  // For connections, on server threads.
  std::uint64_t next_connection_id() { return ++m_connection_ids; }
  void record(const Request& request);
  [[nodiscard]] Response respond(const Request& request) const;

  // Declared first so it is destroyed last: sockets and timers below must not outlive it.
  asio::io_context m_io;
  tcp::acceptor m_acceptor;
  std::uint16_t m_port = 0;
  mutable std::mutex m_mutex;  // guards routes, fallback, requests and connections
  std::map<std::string, Handler, std::less<>> m_routes;
  Handler m_fallback;
  std::vector<Request> m_requests;
  std::vector<std::weak_ptr<Connection>> m_connections;
  std::atomic<std::uint64_t> m_connection_ids{0};
  std::vector<std::thread> m_threads;
};

// One accepted socket. Every asynchronous step holds a shared_ptr to it, so it lives exactly as
// long as something is pending; all its handlers run on one strand (the socket's executor).
class TestServer::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& server, tcp::socket socket)
      : m_server(server),
        m_socket(std::move(socket)),
        m_timer(m_socket.get_executor()),
        m_id(server.next_connection_id()) {}

  void start() { read_request(); }

  // Idempotent. Pending operations then complete with errors and release the connection.
  void close() {
    error_code ignored;
    m_socket.shutdown(tcp::socket::shutdown_both, ignored);
    m_socket.close(ignored);
    m_timer.cancel();
  }

 private:
  using Step = void (Connection::*)();

  void read_request() {
    m_parser.emplace();
    m_parser->body_limit(max_request_body);
    m_parser->header_limit(max_request_header);
    if (m_buffer.size() > 0) {
      // Pipelined: the request is already here.
      m_arrived = std::chrono::steady_clock::now();
      read_message();
      return;
    }
    m_socket.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
      if (ec) {
        self->close();
        return;
      }
      const int socket = self->m_socket.native_handle();
      if (nothing_queued(socket)) {
        // Stamping now would date the request to before its client sent it: wait again.
        self->read_request();
        return;
      }
      self->m_arrived = arrival_of_queued_byte(socket);
      self->read_message();
    });
  }

  void read_message() {
    http::async_read(
        m_socket, m_buffer, *m_parser,
        [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec == http::error::body_limit) {
      send(Request{}, text_response(413, "request body over 1 MiB\n"), false);
      return;
    }
    const bool parse_error = ec.category() == make_error_code(http::error::bad_target).category() &&
                             ec != http::error::end_of_stream && ec != http::error::partial_message;
    if (parse_error) {
      send(Request{}, text_response(400, "bad request: " + ec.message() + "\n"), false);
      return;
    }
    if (ec) {
      close();  // the client went away, or the server is stopping
      return;
    }
    const auto message = m_parser->release();
    const Request request = make_request(message, m_id, m_arrived);
    m_server.record(request);
    send(request, m_server.respond(request), message.keep_alive() && message.version() >= 11);
  }

  void send(const Request& request, Response response, bool keep_alive) {
    if (response.mode == Response::Mode::hang) {
      watch();
      return;
    }
    const bool head_only = request.method == "HEAD" || !status_has_body(response.status);
    m_mode = head_only ? Response::Mode::normal : response.mode;
    m_interval = response.drip_interval;
    m_body = response.gzip      ? compress(response.body, 15 + 16)
             : response.deflate ? compress(response.body, 15)
                                : std::move(response.body);
    m_chunked = false;

    std::string head = status_line(response.status);
    for (const auto& [name, value] : response.headers) {
      head += name + ": " + value + "\r\n";
    }
    if ((response.gzip || response.deflate) && !find_header(response, "Content-Encoding")) {
      head += response.gzip ? "Content-Encoding: gzip\r\n" : "Content-Encoding: deflate\r\n";
    }
    const bool framed_by_caller = find_header(response, "Content-Length") != nullptr ||
                                  find_header(response, "Transfer-Encoding") != nullptr;
    if (!framed_by_caller && status_has_body(response.status)) {
      if (m_mode == Response::Mode::endless_chunked ||
          (response.chunked && m_mode != Response::Mode::short_body)) {
        m_chunked = true;
        head += "Transfer-Encoding: chunked\r\n";
      } else {
        const auto missing = m_mode == Response::Mode::short_body ? short_body_missing : 0;
        head += "Content-Length: " + std::to_string(m_body.size() + missing) + "\r\n";
      }
    }
    const auto* connection = find_header(response, "Connection");
    m_close_after = !keep_alive || m_mode != Response::Mode::normal ||
                    (connection != nullptr && iequals(*connection, "close"));
    if (connection == nullptr && m_close_after) {
      head += "Connection: close\r\n";
    }
    head += "\r\n";

    switch (m_mode) {
      case Response::Mode::normal:
        if (!head_only) {
          head += m_chunked ? chunked(m_body) : m_body;
        }
        write(std::move(head), &Connection::finish);
        break;
      case Response::Mode::short_body:
        write(std::move(head) + m_body, &Connection::finish);
        break;
      case Response::Mode::drip:
        m_sent = 0;
        watch();
        write(std::move(head), &Connection::drip_next);
        break;
      case Response::Mode::endless_chunked:
        if (m_body.empty()) {
          m_body.assign(endless_filler_size, 'x');
        }
        watch();
        write(std::move(head), &Connection::endless_next);
        break;
      case Response::Mode::hang:
        break;
    }
  }

  void write(std::string data, Step next) {
    m_out = std::move(data);
    asio::async_write(m_socket, asio::buffer(m_out),
                      [self = shared_from_this(), next](error_code ec, std::size_t) {
                        if (ec) {
                          self->close();
                          return;
                        }
                        (self.get()->*next)();
                      });
  }

  void after_pause(Step next) {
    if (m_interval.count() <= 0) {
      (this->*next)();
      return;
    }
    m_timer.expires_after(m_interval);
    m_timer.async_wait([self = shared_from_this(), next](error_code ec) {
      if (ec || !self->m_socket.is_open()) {
        return;
      }
      (self.get()->*next)();
    });
  }

  void finish() {
    if (!m_close_after) {
      read_request();
      return;
    }
    // Half-close first so the client reads everything sent before it sees the end.
    error_code ignored;
    m_socket.shutdown(tcp::socket::shutdown_send, ignored);
    close();
  }

  void drip_next() {
    if (m_sent < m_body.size()) {
      after_pause(&Connection::drip_byte);
    } else if (m_chunked) {
      write("0\r\n\r\n", &Connection::finish);
    } else {
      finish();
    }
  }

  void drip_byte() {
    const std::string_view byte{m_body.data() + m_sent, 1};
    ++m_sent;
    write(m_chunked ? chunk(byte) : std::string{byte}, &Connection::drip_next);
  }

  void endless_next() { after_pause(&Connection::endless_chunk); }
  void endless_chunk() { write(chunk(m_body), &Connection::endless_next); }

  // Reads and discards while a response is held back or trickling, to notice the client leaving.
  void watch() {
    m_socket.async_read_some(asio::buffer(m_discard),
                             [self = shared_from_this()](error_code ec, std::size_t) {
                               if (ec) {
                                 self->close();
                                 return;
                               }
                               self->watch();
                             });
  }

  Impl& m_server;
  tcp::socket m_socket;
  asio::steady_timer m_timer;
  std::uint64_t m_id;
  boost::beast::flat_buffer m_buffer;
  std::chrono::steady_clock::time_point m_arrived;  // the request's first byte
  std::optional<http::request_parser<http::string_body>> m_parser;
  std::array<char, 4096> m_discard{};
  // The response in flight.
  Response::Mode m_mode = Response::Mode::normal;
  std::chrono::milliseconds m_interval{0};
  std::string m_body;  // encoded
  std::string m_out;   // buffer of the current write
  std::size_t m_sent = 0;
  bool m_chunked = false;
  bool m_close_after = false;
};

TestServer::Impl::Impl(std::uint16_t port) : m_acceptor(m_io) {
  const tcp::endpoint endpoint{asio::ip::make_address_v4("127.0.0.1"), port};
  m_acceptor.open(endpoint.protocol());
  m_acceptor.set_option(tcp::acceptor::reuse_address(true));
  // Accepted sockets inherit it: see arrival_of_queued_byte.
  const int on = 1;
  ::setsockopt(m_acceptor.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  m_acceptor.bind(endpoint);
  m_acceptor.listen();
  m_port = m_acceptor.local_endpoint().port();
  accept();
  for (int i = 0; i < server_threads; ++i) {
    m_threads.emplace_back([this] { m_io.run(); });
  }
}

TestServer::Impl::~Impl() {
  // Stop the loop and join first: afterwards nothing runs concurrently, so sockets can be closed
  // directly, without a graceful dance that a hanging or endless connection could stretch out.
  m_io.stop();
  for (auto& thread : m_threads) {
    thread.join();
  }
  error_code ignored;
  m_acceptor.close(ignored);
  std::vector<std::shared_ptr<Connection>> live;
  {
    const std::lock_guard lock{m_mutex};
    for (const auto& weak : m_connections) {
      if (auto connection = weak.lock()) {
        live.push_back(std::move(connection));
      }
    }
    m_connections.clear();
  }
  for (const auto& connection : live) {
    connection->close();
  }
}

void TestServer::Impl::accept() {
  m_acceptor.async_accept(asio::make_strand(m_io), [this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) {
      return;
    }
    if (!ec) {
      auto connection = std::make_shared<Connection>(*this, std::move(socket));
      {
        const std::lock_guard lock{m_mutex};
        std::erase_if(m_connections, [](const auto& weak) { return weak.expired(); });
        m_connections.push_back(connection);
      }
      connection->start();
    }
    accept();
  });
}

void TestServer::Impl::route(std::string path, Handler handler) {
  const std::lock_guard lock{m_mutex};
  m_routes.insert_or_assign(std::move(path), std::move(handler));
}

void TestServer::Impl::set_fallback(Handler handler) {
  const std::lock_guard lock{m_mutex};
  m_fallback = std::move(handler);
}

std::vector<Request> TestServer::Impl::requests() const {
  const std::lock_guard lock{m_mutex};
  return m_requests;
}

std::size_t TestServer::Impl::request_count(std::string_view path) const {
  const std::lock_guard lock{m_mutex};
  return static_cast<std::size_t>(
      std::ranges::count_if(m_requests, [&](const Request& r) { return r.path == path; }));
}

void TestServer::Impl::record(const Request& request) {
  const std::lock_guard lock{m_mutex};
  // In order of arrival: two connections' requests may be parsed in the other order.
  const auto after = std::ranges::upper_bound(m_requests, request.received, {}, &Request::received);
  m_requests.insert(after, request);
}

Response TestServer::Impl::respond(const Request& request) const {
  Handler handler;
  {
    const std::lock_guard lock{m_mutex};
    const auto it = m_routes.find(request.path);
    handler = it != m_routes.end() ? it->second : m_fallback;
  }
  if (!handler) {
    return text_response(404, "not found\n");
  }
  // Called without the lock, so handlers may inspect the server (requests(), route()).
  try {
    return handler(request);
  } catch (const std::exception& error) {
    return text_response(500, std::string{"handler threw: "} + error.what() + "\n");
  } catch (...) {
    return text_response(500, "handler threw\n");
  }
}

std::string Request::header(std::string_view name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

std::string describe_times(const Request& request, std::chrono::steady_clock::time_point origin) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << std::showpos;
  const auto ms = [&](std::chrono::steady_clock::time_point time) {
    return std::chrono::duration<double, std::milli>(time - origin).count();
  };
  text << request.method << ' ' << request.target << " on connection " << std::noshowpos
       << request.connection_id << std::showpos << ": arrived " << ms(request.received)
       << " ms, handled " << ms(request.handled) << " ms";
  return text.str();
}

TestServer::TestServer() : TestServer(0) {}

TestServer::TestServer(std::uint16_t port) : m_impl(std::make_unique<Impl>(port)) {}

TestServer::~TestServer() = default;

void TestServer::route(std::string path, Handler handler) {
  m_impl->route(std::move(path), std::move(handler));
}

void TestServer::set_fallback(Handler handler) { m_impl->set_fallback(std::move(handler)); }

void TestServer::serve_directory(std::filesystem::path root) {
  set_fallback(
      [root = std::move(root)](const Request& request) { return serve_static(root, request); });
}

std::uint16_t TestServer::port() const { return m_impl->port(); }

std::string TestServer::url(std::string_view path) const {
  std::string out = "http://127.0.0.1:" + std::to_string(port());
  if (!path.starts_with('/')) {
    out += '/';
  }
  return out += path;
}

std::vector<Request> TestServer::requests() const { return m_impl->requests(); }

std::size_t TestServer::request_count(std::string_view path) const {
  return m_impl->request_count(path);
}

std::vector<std::chrono::steady_clock::time_point> TestServer::handled_times(
    std::string_view path) const {
  std::vector<std::chrono::steady_clock::time_point> times;
  for (const Request& request : requests()) {
    if (request.path == path) {
      times.push_back(request.handled);
    }
  }
  std::ranges::sort(times);
  return times;
}

}  // namespace archiver::testing
