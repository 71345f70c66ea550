#include "daemon/signal_watch.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace archiver {
namespace {

int blocked_signal_fd(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : signals) {
    sigaddset(&set, signal);
  }
  if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
    throw std::system_error(error, std::generic_category(), "pthread_sigmask");
  }
  const int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "signalfd");
  }
  return fd;
}

}  // namespace

SignalWatch::SignalWatch(boost::asio::io_context& io, std::initializer_list<int> signals)
    : m_descriptor(io, blocked_signal_fd(signals)) {}

void SignalWatch::async_wait(std::function<void(int signal)> handler) {
  m_descriptor.async_wait(
      boost::asio::posix::stream_descriptor::wait_read,
      [this, handler = std::move(handler)](const boost::system::error_code& error) mutable {
        if (error) {
          return;  // the loop is going away
        }
        signalfd_siginfo info{};
        const ssize_t got = ::read(m_descriptor.native_handle(), &info, sizeof info);
        if (got != static_cast<ssize_t>(sizeof info)) {
          async_wait(std::move(handler));  // taken by no one else; spurious wake-ups are allowed
          return;
        }
        handler(static_cast<int>(info.ssi_signo));
      });
}

}  // namespace archiver
