#pragma once
// Many fetches at once, kept polite: a MultiFetcher on its own io_context thread, fed from
// per-host queues. A request starts only when its host has fewer than `connections_per_host`
// transfers running, `delay_per_host` has passed since the host's last request went out (its
// headers sent, or else its start), and fewer than `max_connections` transfers run overall.
// Failures worth another try (network errors, 429, 5xx) are tried again after the server's
// Retry-After or an exponential backoff with jitter; the wait holds back the whole host, since its
// server is the one asking for air.
//
// Memory stays bounded however big the pages: the bodies of completed requests count as held
// until their consumer calls release(); while they reach k_max_held_bytes no new transfer
// starts but those whose bodies go to a spool file (assets: a crawl may fetch them while its
// pages wait to be stored). The transfers running add at most max_connections times max_body.
//
// submit(), release() and abandon_all() may be called from any thread; completions run on the
// fetcher's own thread and must be quick (hand the work on).

#include "config/settings.hpp"
#include "fetch/fetch_types.hpp"
#include "fetch/multi_fetcher.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace archiver {

class PoliteFetcher {
 public:
  struct Result {
    FetchResponse response;                      // the last attempt
    std::vector<FetchResponse> failed_attempts;  // the ones before it, to be logged too
  };
  using Completion = std::function<void(Result)>;

  explicit PoliteFetcher(int max_connections);
  // Abandons what is queued or running (no completions are called) and joins the thread.
  ~PoliteFetcher();
  PoliteFetcher(const PoliteFetcher&) = delete;
  PoliteFetcher& operator=(const PoliteFetcher&) = delete;

  // Queues request under the politeness and retry settings of the site asking for it. owner
  // names who asked, for cancel().
  void submit(FetchRequest request, const FetchSettings& politeness, Completion done,
              std::uint64_t owner = 0);

  // Drops what owner queued and has not started yet; each completes with a "cancelled" error.
  // Transfers already running finish as usual.
  void cancel(std::uint64_t owner);

  // Every queued and running request completes now with an "abandoned" error (SIGTERM).
  void abandon_all();

  // The consumer is done with bytes of the bodies it was handed (stored them, or dropped
  // them): transfers may start again if they were held back.
  void release(std::uint64_t bytes);

  // Bodies handed out and not yet released, at most, before new transfers wait.
  static constexpr std::uint64_t k_max_held_bytes = 32ULL * 1024 * 1024;

  // Whether nothing runs because the fetcher waits on purpose (a host's delay_per_host,
  // Crawl-delay or Retry-After): a quiet crawl then is a polite one, not a wedged one.
  [[nodiscard]] bool waiting_on_purpose() const {
    return std::chrono::steady_clock::now().time_since_epoch().count() < m_waiting_until.load();
  }

 private:
  struct Queued {
    FetchRequest request;
    FetchSettings politeness;
    Completion done;
    std::vector<FetchResponse> failed_attempts;
    std::uint64_t owner = 0;
  };
  struct Host {
    std::deque<Queued> waiting;
    int running = 0;
    std::chrono::steady_clock::time_point next_start{};
    // Until then the host's server has asked to be left alone longer than we wait: requests to
    // it fail at once with `refusal`.
    std::chrono::steady_clock::time_point refused_until{};
    std::string refusal;
  };
  using TimePoint = std::chrono::steady_clock::time_point;

  void enqueue(Queued queued, bool first);
  void dispatch();
  void start(const std::string& host, Queued queued);
  void finished(const std::string& host, Queued queued, FetchResponse response);
  // Completes queued now with an error and nothing fetched.
  static void fail(Queued& queued, std::string error);

  boost::asio::io_context m_io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_work;
  MultiFetcher m_multi;
  boost::asio::steady_timer m_wakeup;  // for the host whose delay ends first
  std::map<std::string, Host> m_hosts;
  int m_max_connections;
  int m_running = 0;
  std::string m_last_served;             // the host that started a transfer last (round robin)
  bool m_abandoning = false;             // transfers failing now were abandoned: no retries
  std::atomic<std::uint64_t> m_held{0};  // body bytes handed out, not yet released
  // While nothing runs: until when the fetcher waits on purpose (steady clock ticks), else 0.
  std::atomic<std::int64_t> m_waiting_until{0};
  std::mt19937_64 m_random{std::random_device{}()};
  std::thread m_thread;  // last: it runs the members above
};

}  // namespace archiver
