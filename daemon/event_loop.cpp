#include "daemon/event_loop.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace archiver {

std::size_t run_event_loop(boost::asio::io_context& io) {
  std::size_t failures = 0;
  for (;;) {
    try {
      io.run();
      return failures;
    } catch (const std::exception& error) {
      spdlog::error("event loop: {} (carrying on)", error.what());
    } catch (...) {
      spdlog::error("event loop: an unknown exception (carrying on)");
    }
    // Asio lets run() be called again after a handler threw, without restart().
    ++failures;
  }
}

}  // namespace archiver
