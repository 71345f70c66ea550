#include "fetch/multi_fetcher.hpp"

#include "fetch/transfer.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace archiver {

// What is kept for one socket curl asked us to watch.
struct MultiFetcher::Socket {
  Socket(boost::asio::io_context& io, curl_socket_t socket_fd)
      : fd(socket_fd), descriptor(io, fd) {}
  ~Socket() { forget(); }

  // curl owns the file descriptor and closes it itself: Asio must only forget it, and at once,
  // before curl reuses the number for a new connection (registering it again would fail).
  void forget() {
    if (descriptor.is_open()) {
      boost::system::error_code ignored;
      descriptor.cancel(ignored);
      static_cast<void>(descriptor.release());
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  curl_socket_t fd;
  boost::asio::posix::stream_descriptor descriptor;
  int wanted = 0;  // CURL_POLL_IN / _OUT / _INOUT
  bool reading = false;
  bool writing = false;
};

struct MultiFetcher::Running {
  Running(FetchRequest request, Completion completion)
      : handle(curl_easy_init()),
        transfer(handle.get(), std::move(request)),
        done(std::move(completion)) {}
  CurlEasy handle;
  Transfer transfer;
  Completion done;
};

MultiFetcher::MultiFetcher(boost::asio::io_context& io) : m_io(io), m_timer(io) {
  ensure_curl_initialised();
  m_multi.reset(curl_multi_init());
  if (!m_multi) {
    throw std::runtime_error("curl_multi_init failed");
  }
  curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETFUNCTION, &MultiFetcher::on_socket);
  curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERFUNCTION, &MultiFetcher::on_timer);
  curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERDATA, this);
}

MultiFetcher::~MultiFetcher() {
  m_self.reset();  // handlers still queued see the fetcher gone
  for (auto& [easy, running] : m_running) {
    curl_multi_remove_handle(m_multi.get(), easy);
  }
  m_running.clear();
  m_multi.reset();  // may call on_socket (REMOVE) for cached connections: members still alive
  for (auto& [fd, socket] : m_sockets) {
    socket->forget();
  }
  m_sockets.clear();
  m_timer.cancel();
}

void MultiFetcher::start(FetchRequest request, Completion done) {
  auto running = std::make_unique<Running>(std::move(request), std::move(done));
  if (!running->handle) {
    throw std::runtime_error("curl_easy_init failed");
  }
  if (auto refused = running->transfer.prepare()) {
    // Refused before any network: complete on the next turn of the loop, never re-entrantly.
    boost::asio::post(m_io, [done = std::move(running->done), response = std::move(*refused)]() {
      done(response);
    });
    return;
  }
  CURL* easy = running->handle.get();
  curl_easy_setopt(easy, CURLOPT_PRIVATE, running.get());
  m_running.emplace(easy, std::move(running));
  if (const CURLMcode code = curl_multi_add_handle(m_multi.get(), easy); code != CURLM_OK) {
    auto failed = std::move(m_running.at(easy));
    m_running.erase(easy);
    FetchResponse response = failed->transfer.finish(CURLE_FAILED_INIT);
    response.error = std::string("curl_multi_add_handle: ") + curl_multi_strerror(code);
    boost::asio::post(m_io, [done = std::move(failed->done), response]() { done(response); });
  }
}

void MultiFetcher::abandon_all() {
  std::vector<std::unique_ptr<Running>> abandoned;
  for (auto& [easy, running] : m_running) {
    curl_multi_remove_handle(m_multi.get(), easy);
    abandoned.push_back(std::move(running));
  }
  m_running.clear();
  for (auto& running : abandoned) {
    FetchResponse response = running->transfer.finish(CURLE_ABORTED_BY_CALLBACK);
    response.error_kind = FetchErrorKind::transfer;
    response.error = "abandoned: archiver is stopping";
    running->done(std::move(response));
  }
}

// No exception may cross curl's C frames: it would leave the multi handle believing it is
// still inside a callback, refusing every later call (a busy loop of errors). A failure here
// is logged and reported to curl, which then fails the transfer.
int MultiFetcher::on_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* self,
                            void* /*socket_state*/) {
  try {
    static_cast<MultiFetcher*>(self)->watch(fd, what);
    return 0;
  } catch (const std::exception& error) {
    spdlog::error("watching socket {}: {}", fd, error.what());
    return -1;
  }
}

int MultiFetcher::on_timer(CURLM* /*multi*/, long timeout_ms, void* self) {
  auto* fetcher = static_cast<MultiFetcher*>(self);
  try {
    // curl must not be re-entered from its own callback: only note the time here. Each call
    // replaces the timeout before it.
    if (timeout_ms < 0) {
      fetcher->m_due.reset();
      if (fetcher->m_timer_ends) {
        fetcher->m_timer.cancel();  // no wait left behind to keep the io_context running
        fetcher->m_timer_ends.reset();
      }
      return 0;
    }
    fetcher->m_due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (timeout_ms == 0) {
      fetcher->post_due();
    } else {
      fetcher->wait_for_due();
    }
    return 0;
  } catch (const std::exception& error) {
    spdlog::error("curl timer: {}", error.what());
    return -1;
  }
}

void MultiFetcher::on_due() {
  if (!m_due) {
    return;
  }
  if (*m_due > std::chrono::steady_clock::now()) {
    wait_for_due();
    return;
  }
  m_due.reset();  // before curl, which may set the next one
  act(CURL_SOCKET_TIMEOUT, 0);
  if (!m_due && m_timer_ends) {
    // curl wants no timeout now, and may not say so: before 8.10 it reports -1 only when it had
    // reported a timeout since the last one it acted on. A wait left behind would keep the
    // io_context running until it ends.
    m_timer.cancel();
    m_timer_ends.reset();
  }
}

void MultiFetcher::post_due() {
  if (m_due_posted) {
    return;
  }
  boost::asio::post(m_io, [self = std::weak_ptr<MultiFetcher*>(m_self)]() {
    if (const auto alive = self.lock()) {
      (*alive)->m_due_posted = false;
      (*alive)->on_due();
    }
  });
  m_due_posted = true;  // (after the post: one that threw leaves none pending)
}

void MultiFetcher::wait_for_due() {
  if (m_timer_ends && *m_timer_ends <= *m_due) {
    return;  // the wait pending ends first, and waits again for what is left
  }
  m_timer.expires_at(*m_due);  // cancels a later wait
  m_timer_ends = m_due;
  const std::uint64_t generation = ++m_timer_generation;
  m_timer.async_wait([self = std::weak_ptr<MultiFetcher*>(m_self),
                      generation](const boost::system::error_code& error) {
    const auto alive = self.lock();
    if (!alive || (*alive)->m_timer_generation != generation) {
      return;  // the fetcher is gone, or this wait was replaced or cancelled
    }
    (*alive)->m_timer_ends.reset();
    if (!error) {
      (*alive)->on_due();
    }
  });
}

void MultiFetcher::watch(curl_socket_t fd, int what) {
  if (what == CURL_POLL_REMOVE) {
    // The only place per-socket state is freed. Pending waits hold a reference to it, so the
    // descriptor is let go here (not in the destructor, which they would keep from running: curl
    // may open a new connection under the same number before then); their handlers then find
    // the socket gone from the map and touch nothing.
    if (const auto found = m_sockets.find(fd); found != m_sockets.end()) {
      found->second->forget();
      m_sockets.erase(found);
    }
    return;
  }
  auto found = m_sockets.find(fd);
  if (found == m_sockets.end()) {
    found = m_sockets.emplace(fd, std::make_shared<Socket>(m_io, fd)).first;
  }
  found->second->wanted = what;
  arm(found->second);
}

void MultiFetcher::arm(const std::shared_ptr<Socket>& socket) {
  using Wait = boost::asio::posix::stream_descriptor::wait_type;
  const auto wait = [this, socket](Wait type, int event, bool Socket::*pending) {
    (*socket).*pending = true;
    socket->descriptor.async_wait(type, [self = std::weak_ptr<MultiFetcher*>(m_self), socket, event,
                                         pending](const boost::system::error_code& error) {
      (*socket).*pending = false;
      // Cancelled: the socket was removed. Gone: the fetcher is. Touch nothing else.
      const auto alive = self.lock();
      if (error == boost::asio::error::operation_aborted || !alive) {
        return;
      }
      MultiFetcher& fetcher = **alive;
      const auto current = fetcher.m_sockets.find(socket->fd);
      if (current == fetcher.m_sockets.end() || current->second != socket) {
        return;  // replaced while we waited
      }
      fetcher.act(socket->fd, error ? CURL_CSELECT_ERR : event);
      // Re-armed after every event, for as long as curl still wants it.
      const auto still = fetcher.m_sockets.find(socket->fd);
      if (still != fetcher.m_sockets.end() && still->second == socket) {
        fetcher.arm(socket);
      }
    });
  };
  if ((socket->wanted & CURL_POLL_IN) != 0 && !socket->reading) {
    wait(Wait::wait_read, CURL_CSELECT_IN, &Socket::reading);
  }
  if ((socket->wanted & CURL_POLL_OUT) != 0 && !socket->writing) {
    wait(Wait::wait_write, CURL_CSELECT_OUT, &Socket::writing);
  }
}

void MultiFetcher::act(curl_socket_t fd, int events) {
  int running = 0;
  if (const CURLMcode code = curl_multi_socket_action(m_multi.get(), fd, events, &running);
      code != CURLM_OK) {
    spdlog::error("curl_multi_socket_action: {}", curl_multi_strerror(code));
  }
  collect_finished();
}

void MultiFetcher::collect_finished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(m_multi.get(), &queued)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    CURL* easy = message->easy_handle;
    const CURLcode result = message->data.result;
    const auto found = m_running.find(easy);
    if (found == m_running.end()) {
      continue;
    }
    curl_multi_remove_handle(m_multi.get(), easy);
    std::unique_ptr<Running> done = std::move(found->second);
    m_running.erase(found);
    // Completions may start new transfers: call them with the bookkeeping already settled.
    done->done(done->transfer.finish(result));
  }
}

}  // namespace archiver
