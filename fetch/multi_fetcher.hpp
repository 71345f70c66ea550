#pragma once
// Many transfers at once on one Boost.Asio io_context: libcurl's multi interface driven by
// curl_multi_socket_action, in the pattern of curl's multi-event.c / multi-uv.c examples. Each
// socket curl announces is watched with async_wait and re-armed after every event; curl's timer
// is a post when it is due at once and a steady_timer otherwise; the state kept per socket is freed
// only on CURL_POLL_REMOVE, and handlers still pending then find it gone instead of touching freed
// memory.
//
// Everything happens on the io_context's thread: start() must be called there, and completions
// are called there.

#include "fetch/curl_handles.hpp"
#include "fetch/fetch_types.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace archiver {

class MultiFetcher {
 public:
  using Completion = std::function<void(FetchResponse)>;

  explicit MultiFetcher(boost::asio::io_context& io);
  // Transfers still running are abandoned: their completions are not called.
  ~MultiFetcher();
  MultiFetcher(const MultiFetcher&) = delete;
  MultiFetcher& operator=(const MultiFetcher&) = delete;

  // Starts request; done is called with the response (or the error) on the io_context's thread.
  void start(FetchRequest request, Completion done);

  [[nodiscard]] std::size_t in_flight() const { return m_running.size(); }

  // Abandons every transfer in flight; each completion is called with a "abandoned" error.
  void abandon_all();

 private:
  struct Socket;
  struct Running;

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_state);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  void watch(curl_socket_t fd, int what);
  void arm(const std::shared_ptr<Socket>& socket);
  void act(curl_socket_t fd, int events);
  // When curl's timeout (m_due) may have come: acted on if it has, else waited for again.
  void on_due();
  void post_due();
  void wait_for_due();
  void collect_finished();

  boost::asio::io_context& m_io;
  // Handlers left in the io_context when the fetcher goes (a wait that completed just before)
  // hold a weak_ptr to this and find it expired: they never touch a destroyed fetcher.
  std::shared_ptr<MultiFetcher*> m_self = std::make_shared<MultiFetcher*>(this);
  // Declared before m_multi: curl_multi_cleanup may still call on_socket and on_timer.
  boost::asio::steady_timer m_timer;
  // When curl wants CURL_SOCKET_TIMEOUT acted on; none: it wants no timeout. Most of curl's calls
  // ask for "at once" (a transfer added or ended) or for a later time than the wait pending:
  // setting m_timer again for each was a timerfd_settime call, some 30,000 in the benchmark's
  // crawl. "At once" is a post instead, and a wait that ends before m_due is left to end and
  // wait again.
  std::optional<std::chrono::steady_clock::time_point> m_due;
  // When m_timer's pending wait ends (its handler may be queued already); none: no wait.
  std::optional<std::chrono::steady_clock::time_point> m_timer_ends;
  std::uint64_t m_timer_generation = 0;  // of the pending wait: an older one's end is ignored
  bool m_due_posted = false;             // a post of on_due is queued: one is enough
  std::map<curl_socket_t, std::shared_ptr<Socket>> m_sockets;
  std::map<CURL*, std::unique_ptr<Running>> m_running;
  CurlMulti m_multi;
};

}  // namespace archiver
