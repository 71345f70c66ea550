#pragma once
// A web server on 127.0.0.1 that fails in every way the Reliability issue lists, one route per
// fault, plus a good article and a list page linking every fault (so that a crawl meets them
// all). Tests run `archiver fetch` and the daemon against it.

#include "tests/support/test_server.hpp"

#include <string>
#include <vector>

namespace archiver::testing {

struct Fault {
  std::string path;      // route on the server, under /site/
  std::string expected;  // words the per-URL error must contain; empty: not an error
};

class FaultServer {
 public:
  FaultServer();

  [[nodiscard]] TestServer& server() { return m_server; }
  [[nodiscard]] std::string url(std::string_view path) const { return m_server.url(path); }

  // Every fault route, with what archiver must say about it.
  [[nodiscard]] static const std::vector<Fault>& faults();

  // A good article (/site/good.html) and a list page (/site/list.html) linking it and every
  // fault route.
  static constexpr std::string_view good_path = "/site/good.html";
  static constexpr std::string_view list_path = "/site/list.html";
  static constexpr std::string_view good_title = "市总工会启动职工疗休养活动";

 private:
  TestServer m_server;
};

}  // namespace archiver::testing
