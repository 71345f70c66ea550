#pragma once
// A plain HTTP/1.1 client over a socket, for the web interface's tests: requests go out exactly
// as written (a path with "..", any Host header, a broken request line), which a real client
// library would tidy up first.

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <map>
#include <string>

namespace archiver::testing {

struct WebAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  [[nodiscard]] std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

// Sends raw (a whole request) to 127.0.0.1:port and reads the answer to the connection's end.
inline WebAnswer raw_request(unsigned short port, const std::string& raw) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(raw));
  std::string received;
  boost::system::error_code error;
  std::array<char, 65536> buffer{};
  for (;;) {
    const std::size_t n = socket.read_some(asio::buffer(buffer), error);
    received.append(buffer.data(), n);
    if (error) {
      break;
    }
  }
  WebAnswer answer;
  const std::size_t head_end = received.find("\r\n\r\n");
  if (head_end == std::string::npos || !received.starts_with("HTTP/1.1 ")) {
    return answer;  // status 0: no answer
  }
  answer.status = std::stoi(received.substr(9, 3));
  std::size_t line = received.find("\r\n") + 2;
  while (line < head_end) {
    const std::size_t end = received.find("\r\n", line);
    const std::string field = received.substr(line, end - line);
    const std::size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string value = field.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    answer.headers[name] = value;
    line = end + 2;
  }
  answer.body = received.substr(head_end + 4);
  return answer;
}

// A GET of target with the Host header given (localhost by default), the connection closed
// after the answer.
inline WebAnswer web_get(unsigned short port, const std::string& target,
                         const std::string& host = "localhost",
                         const std::string& extra_headers = "") {
  return raw_request(port, "GET " + target + " HTTP/1.1\r\nHost: " + host +
                               "\r\nConnection: close\r\n" + extra_headers + "\r\n");
}

}  // namespace archiver::testing

namespace archiver::testing {

// text percent-encoded for a query value (UTF-8 bytes as %XX).
inline std::string query_value(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4U];
      out += k_hex[byte & 15U];
    }
  }
  return out;
}

}  // namespace archiver::testing
