#include "daemon/event_loop.hpp"

#include <doctest/doctest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <stdexcept>
#include <vector>

namespace archiver {

TEST_SUITE("daemon/event-loop") {
  TEST_CASE("a handler that throws is logged and the loop goes on") {
    boost::asio::io_context io;
    std::vector<int> ran;
    boost::asio::post(io, [&] { ran.push_back(1); });
    boost::asio::post(io, [&] {
      ran.push_back(2);
      throw std::runtime_error("a bug in a handler");
    });
    boost::asio::post(io, [&] { ran.push_back(3); });
    boost::asio::steady_timer later(io, std::chrono::milliseconds(10));
    later.async_wait([&](const boost::system::error_code&) {
      ran.push_back(4);
      throw 42;  // not even a std::exception
    });
    boost::asio::post(io, [&] { ran.push_back(5); });
    CHECK(run_event_loop(io) == 2);
    CHECK(ran == std::vector<int>{1, 2, 3, 5, 4});
  }

  TEST_CASE("a loop without failures returns when stopped") {
    boost::asio::io_context io;
    bool ran = false;
    boost::asio::post(io, [&] {
      ran = true;
      io.stop();
    });
    CHECK(run_event_loop(io) == 0);
    CHECK(ran);
  }
}

}  // namespace archiver
