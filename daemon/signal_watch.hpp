#pragma once
// Signals as events of an Asio loop, read from a signalfd(2).
//
// The watched signals are blocked in the thread that makes the watch, and so in every thread it
// starts afterwards: no thread is interrupted by them, and the loop reads them when it is ready.
// boost::asio::signal_set runs its handler on whichever thread the kernel picks; under
// ThreadSanitizer that handler waits until the thread next calls an intercepted function, and a
// SIGHUP that landed on a thread in SQLite's busy wait went unanswered for over 16 s.
//
// Make the watch before any thread starts (a thread started earlier keeps the signals unblocked
// and could take them). The signals stay blocked when the watch goes: the process is ending,
// and a second SIGTERM still pending must not kill it on the way out. The processes that use it
// start no child processes (a child would inherit the blocked signals).

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <functional>
#include <initializer_list>

namespace archiver {

class SignalWatch {
 public:
  // Throws std::system_error when the signalfd cannot be made.
  SignalWatch(boost::asio::io_context& io, std::initializer_list<int> signals);

  // Calls `handler` on the loop with the next signal that arrives; once per call.
  void async_wait(std::function<void(int signal)> handler);

 private:
  boost::asio::posix::stream_descriptor m_descriptor;
};

}  // namespace archiver
