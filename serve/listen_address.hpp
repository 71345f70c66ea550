#pragma once
// Where `archiver serve` listens: "HOST:PORT" with HOST an IP address ("[::1]" for IPv6) or
// localhost, as --listen and [serve] listen give it.

#include <boost/asio/ip/tcp.hpp>

#include <expected>
#include <string>
#include <string_view>

namespace archiver::serve {

inline constexpr std::string_view k_default_listen = "127.0.0.1:8080";

[[nodiscard]] std::expected<boost::asio::ip::tcp::endpoint, std::string> parse_listen_address(
    std::string_view text);

}  // namespace archiver::serve
