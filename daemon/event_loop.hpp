#pragma once
// Running the daemon's event loop so that a failing handler is a logged bug, not the end of the
// service: an exception out of a handler is logged and the loop goes on with the next one.

#include <boost/asio/io_context.hpp>

namespace archiver {

// Runs io until it is stopped or runs out of work; returns how many handler exceptions it
// logged on the way.
std::size_t run_event_loop(boost::asio::io_context& io);

}  // namespace archiver
