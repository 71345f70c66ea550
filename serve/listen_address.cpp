#include "serve/listen_address.hpp"

#include <charconv>

namespace archiver::serve {

std::expected<boost::asio::ip::tcp::endpoint, std::string> parse_listen_address(
    std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    return std::unexpected("\"" + std::string(text) +
                           "\" is not HOST:PORT (for example 127.0.0.1:8080 or [::1]:8080)");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto parsed = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (parsed.ec != std::errc{} || parsed.ptr != port_text.data() + port_text.size() ||
      port > 65535) {
    return std::unexpected("\"" + std::string(port_text) + "\" is not a port (0 to 65535)");
  }
  if (host.starts_with('[') && host.ends_with(']')) {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") {
    host = "127.0.0.1";
  }
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(host), error);
  if (error) {
    return std::unexpected("\"" + std::string(host) +
                           "\" is not an IP address (write 127.0.0.1, 0.0.0.0 or [::1])");
  }
  return boost::asio::ip::tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace archiver::serve
