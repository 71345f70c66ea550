// The Host check that keeps a DNS-rebinding page from reading the archive through a browser.

#include "serve/host_allowlist.hpp"
#include "serve/listen_address.hpp"

#include <doctest/doctest.h>

namespace archiver::serve {

TEST_SUITE("serve/host_allowlist") {
  TEST_CASE("localhost, IP addresses and the listed names are served, other names are not") {
    const HostAllowlist hosts({"Archive.Example.org"});
    CHECK(hosts.allows("localhost:8080"));
    CHECK(hosts.allows("LOCALHOST"));
    CHECK(hosts.allows("localhost.:8080"));
    CHECK(hosts.allows("127.0.0.1:8080"));
    CHECK(hosts.allows("192.168.1.20"));
    CHECK(hosts.allows("[::1]:8080"));
    CHECK(hosts.allows("archive.example.org"));
    CHECK(hosts.allows("archive.example.org.:443"));
    CHECK_FALSE(hosts.allows("evil.example"));
    CHECK_FALSE(hosts.allows("localhost.evil.example"));
    CHECK_FALSE(hosts.allows("127.0.0.1.evil.example"));
    CHECK_FALSE(hosts.allows("archive.example.org.evil.example"));
    CHECK_FALSE(hosts.allows(""));
    CHECK_FALSE(hosts.allows("[::1"));
    CHECK_FALSE(HostAllowlist({}).allows("archive.example.org"));
  }

  TEST_CASE("host_name drops the port and the brackets") {
    CHECK(host_name("[::1]:8080") == "::1");
    CHECK(host_name("Example.ORG:80") == "example.org");
    CHECK(host_name("example.org.") == "example.org");
  }

  TEST_CASE("listen addresses: IPv4, IPv6 in brackets, localhost, and errors say what is wrong") {
    CHECK(parse_listen_address("127.0.0.1:8080")->port() == 8080);
    CHECK(parse_listen_address("[::1]:0")->address().is_v6());
    CHECK(parse_listen_address("localhost:9000")->address().to_string() == "127.0.0.1");
    CHECK(parse_listen_address("0.0.0.0:80")->address().is_unspecified());
    CHECK(parse_listen_address("8080").error().find("HOST:PORT") != std::string::npos);
    CHECK(parse_listen_address("127.0.0.1:99999").error().find("port") != std::string::npos);
    CHECK(parse_listen_address("example.org:80").error().find("IP address") != std::string::npos);
  }
}

}  // namespace archiver::serve
