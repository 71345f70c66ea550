#include "serve/http_server.hpp"

#include "export/warc_record.hpp"
#include "serve/response_policy.hpp"
#include "util/ascii.hpp"
#include "util/text_parts.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace archiver::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Shared {
  Shared(asio::io_context& io, Handler h, ServerLimits l)
      : acceptor(asio::make_strand(io)), handler(std::move(h)), limits(l) {}
  tcp::acceptor acceptor;
  Handler handler;
  ServerLimits limits;
  std::atomic<std::size_t> connections{0};
};

namespace {

constexpr std::size_t k_stream_part = 256 * 1024;
constexpr std::size_t k_gzip_at_least = 512;  // smaller bodies gain nothing from it
// Larger ones go as they are: a second copy of a big page per slow client is memory not spent.
constexpr std::size_t k_gzip_at_most = 4 * 1024 * 1024;

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/atom+xml") ||
         content_type.starts_with("application/javascript");
}

// Whether an Accept-Encoding header takes gzip: listed, and not with q=0.
bool accepts_gzip(std::string_view header) {
  for (const std::string_view item : text_parts(header, ",")) {
    const std::size_t semicolon = item.find(';');
    const std::string_view coding = ascii_trim(item.substr(0, semicolon), k_http_whitespace);
    if (coding != "gzip" && coding != "x-gzip") {
      continue;
    }
    if (semicolon == std::string_view::npos) {
      return true;
    }
    const std::string_view parameters = item.substr(semicolon + 1);
    const std::size_t q = parameters.find("q=");
    if (q == std::string_view::npos) {
      return true;
    }
    // "q=0", "q=0.0", "q=0.000": refused; any other weight accepts.
    const std::string_view weight = parameters.substr(q + 2, parameters.find(';', q) - q - 2);
    return weight.find_first_of("123456789") != std::string_view::npos;
  }
  return false;
}

// A header value as it may go on the wire: no line breaks or other control characters (a
// value that came from an archived response must not start a header of its own).
bool clean_header_value(std::string_view value) {
  return std::ranges::none_of(value, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7F;
  });
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared)
      : m_stream(std::move(socket)), m_shared(std::move(shared)) {}
  ~Session() { --m_shared->connections; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    asio::dispatch(m_stream.get_executor(),
                   beast::bind_front_handler(&Session::read_request, shared_from_this()));
  }

 private:
  const ServerLimits& limits() const { return m_shared->limits; }

  void read_request() {
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(limits().max_header_bytes));
    m_parser->body_limit(0);  // GET and HEAD only: a body is refused
    // The whole request must arrive by the deadline, however slowly its bytes trickle in.
    m_stream.expires_after(m_served == 0
                               ? limits().header_timeout
                               : std::max(limits().idle_timeout, limits().header_timeout));
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t /*bytes*/) {
    if (error == http::error::end_of_stream) {
      close();
      return;
    }
    m_gzip = false;
    if (error) {
      // A malformed or oversized request gets its answer; a dropped or timed-out connection
      // gets nothing.
      if (error.category() == http::make_error_code(http::error::header_limit).category() &&
          error != http::error::partial_message) {
        const bool too_big = error == http::error::header_limit || error == http::error::body_limit;
        Reply reply = error_reply(
            400, too_big ? "请求过大 (request too large)" : "请求格式有误 (malformed request)");
        send(std::move(reply), false, false);
      }
      return;
    }
    ++m_served;
    const auto& message = m_parser->get();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.host = std::string(message[http::field::host]);
    request.accepts_gzip = accepts_gzip(std::string_view(message[http::field::accept_encoding]));
    request.if_none_match = std::string(message[http::field::if_none_match]);
    m_gzip = request.accepts_gzip;
    const bool head = message.method() == http::verb::head;
    const bool keep_alive = message.keep_alive() && m_served < limits().max_requests_per_connection;
    if (message.method() != http::verb::get && !head) {
      Reply reply = error_reply(405, "只接受 GET 和 HEAD (only GET and HEAD)");
      reply.headers.emplace_back("Allow", "GET, HEAD");
      send(std::move(reply), false, false);
      return;
    }
    Reply reply;
    try {
      reply = m_shared->handler(request);
    } catch (const std::exception& failure) {
      spdlog::error("serve {}: {}", request.target, failure.what());
      reply = error_reply(500, "服务器内部错误 (internal error)");
    }
    try {
      send(std::move(reply), keep_alive, head);
    } catch (const std::exception& failure) {
      spdlog::error("serve {}: {}", request.target.substr(0, 200), failure.what());
    }
  }

  void send(Reply reply, bool keep_alive, bool head) {
    add_policy_headers(reply);
    if (reply.stream && !head) {
      send_stream(std::move(reply), keep_alive);
      return;
    }
    // HEAD: the length the body would have, and no body.
    const std::size_t length =
        reply.stream ? static_cast<std::size_t>(reply.stream->size()) : reply.body.size();
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(reply.status), 11);
    response->set(http::field::server, "archiver");
    if (reply.status != 304) {
      response->set(http::field::content_type, clean_header_value(reply.content_type)
                                                   ? reply.content_type
                                                   : "application/octet-stream");
    }
    for (const auto& [name, value] : reply.headers) {
      if (clean_header_value(value)) {
        response->set(name, value);
      }
    }
    std::size_t body_length = length;
    if (compressible(reply.content_type)) {
      response->set(http::field::vary, "Accept-Encoding");
      if (m_gzip && reply.body.size() >= k_gzip_at_least && reply.body.size() <= k_gzip_at_most) {
        reply.body = warc::gzip_member(reply.body);  // one member is a whole gzip file
        response->set(http::field::content_encoding, "gzip");
        body_length = reply.body.size();
      }
    }
    if (!head) {
      response->body() = std::move(reply.body);
    }
    if (reply.status == 304) {
      response->prepare_payload();  // no body and no length: the client keeps what it has
    } else {
      response->content_length(body_length);
    }
    response->keep_alive(keep_alive);
    m_response = response;
    m_stream.expires_after(limits().write_timeout);
    http::async_write(
        m_stream, *response,
        beast::bind_front_handler(&Session::on_written, shared_from_this(), keep_alive));
  }

  void on_written(bool keep_alive, beast::error_code error, std::size_t /*bytes*/) {
    m_response.reset();
    if (error) {
      return;
    }
    if (!keep_alive) {
      close();
      return;
    }
    read_request();
  }

  // A body read from the archive a part at a time: memory stays flat for a 50 MiB PDF, and each
  // part has its own write deadline.
  void send_stream(Reply reply, bool keep_alive) {
    m_source = std::move(reply.stream);
    m_offset = 0;
    m_keep_alive = keep_alive;
    m_stream_response.emplace(static_cast<http::status>(reply.status), 11);
    auto& response = *m_stream_response;
    response.set(http::field::server, "archiver");
    response.set(http::field::content_type, clean_header_value(reply.content_type)
                                                ? reply.content_type
                                                : "application/octet-stream");
    for (const auto& [name, value] : reply.headers) {
      if (clean_header_value(value)) {
        response.set(name, value);
      }
    }
    response.content_length(static_cast<std::uint64_t>(m_source->size()));
    response.keep_alive(keep_alive);
    response.body().data = nullptr;
    response.body().more = m_source->size() > 0;
    m_serializer.emplace(response);
    m_stream.expires_after(limits().write_timeout);
    http::async_write_header(
        m_stream, *m_serializer,
        beast::bind_front_handler(&Session::on_stream_part, shared_from_this()));
  }

  void on_stream_part(beast::error_code error, std::size_t /*bytes*/) {
    if (error == http::error::need_buffer) {
      error = {};
    }
    if (error) {
      return;
    }
    m_offset += static_cast<std::int64_t>(m_part.size());
    m_part.clear();
    if (m_serializer->is_done()) {
      m_serializer.reset();
      m_stream_response.reset();
      m_source.reset();
      on_written(m_keep_alive, {}, 0);
      return;
    }
    try {
      m_part = m_source->read(m_offset, k_stream_part);
    } catch (const std::exception& failure) {
      spdlog::error("serve: reading a stored body at {}: {}", m_offset, failure.what());
      return;  // the response is cut short; the client sees it from Content-Length
    }
    if (m_part.empty()) {
      return;  // shorter than announced: drop the connection rather than lie
    }
    auto& body = m_stream_response->body();
    body.data = m_part.data();
    body.size = m_part.size();
    body.more = m_offset + static_cast<std::int64_t>(m_part.size()) < m_source->size();
    m_stream.expires_after(limits().write_timeout);
    http::async_write(m_stream, *m_serializer,
                      beast::bind_front_handler(&Session::on_stream_part, shared_from_this()));
  }

  void close() {
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream m_stream;
  std::shared_ptr<HttpServer::Shared> m_shared;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::empty_body>> m_parser;
  std::shared_ptr<void> m_response;
  unsigned m_served = 0;
  bool m_gzip = false;  // the client takes gzip
  // A streamed body.
  std::shared_ptr<BodySource> m_source;
  std::optional<http::response<http::buffer_body>> m_stream_response;
  std::optional<http::response_serializer<http::buffer_body>> m_serializer;
  std::string m_part;
  std::int64_t m_offset = 0;
  bool m_keep_alive = false;
};

void accept_next(const std::shared_ptr<HttpServer::Shared>& shared) {
  auto& io = static_cast<asio::io_context&>(shared->acceptor.get_executor().context());
  shared->acceptor.async_accept(
      asio::make_strand(io), [shared](beast::error_code error, tcp::socket socket) {
        if (error == asio::error::operation_aborted || !shared->acceptor.is_open()) {
          return;
        }
        if (!error) {
          if (shared->connections.load() >= shared->limits.max_connections) {
            beast::error_code ignored;
            socket.close(ignored);  // full: the client may try again
          } else {
            ++shared->connections;
            std::make_shared<Session>(std::move(socket), shared)->start();
          }
        } else {
          // Out of file descriptors, say: wait a moment rather than spin on the error.
          spdlog::warn("serve: accept: {}", error.message());
          auto pause = std::make_shared<asio::steady_timer>(shared->acceptor.get_executor());
          pause->expires_after(std::chrono::milliseconds(100));
          pause->async_wait([shared, pause](const beast::error_code&) { accept_next(shared); });
          return;
        }
        accept_next(shared);
      });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, Handler handler,
                       ServerLimits limits)
    : m_shared(std::make_shared<Shared>(io, std::move(handler), limits)) {
  auto& acceptor = m_shared->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  accept_next(m_shared);
}

HttpServer::~HttpServer() { stop(); }

tcp::endpoint HttpServer::local_endpoint() const { return m_shared->acceptor.local_endpoint(); }

void HttpServer::stop() {
  asio::post(m_shared->acceptor.get_executor(), [shared = m_shared] {
    beast::error_code ignored;
    shared->acceptor.close(ignored);
  });
}

}  // namespace archiver::serve
