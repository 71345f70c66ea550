#include "fetch/polite_fetcher.hpp"

#include "fetch/retry.hpp"
#include "util/url.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <memory>

namespace archiver {

PoliteFetcher::PoliteFetcher(int max_connections)
    : m_work(boost::asio::make_work_guard(m_io)),
      m_multi(m_io),
      m_wakeup(m_io),
      m_max_connections(std::max(1, max_connections)),
      m_thread([this] {
        // A completion that throws must not take the loop (and every transfer) with it.
        for (;;) {
          try {
            m_io.run();
            return;
          } catch (const std::exception& error) {
            spdlog::error("fetch loop: {}", error.what());
          }
        }
      }) {}

PoliteFetcher::~PoliteFetcher() {
  m_io.stop();
  m_thread.join();
  // Running transfers go with m_multi, queued requests with m_hosts: no completion is called.
}

void PoliteFetcher::fail(Queued& queued, std::string error) {
  FetchResponse response;
  response.url = queued.request.url;
  response.final_url = queued.request.url;
  response.error_kind = FetchErrorKind::transfer;
  response.error = std::move(error);
  queued.done({std::move(response), std::move(queued.failed_attempts)});
}

void PoliteFetcher::submit(FetchRequest request, const FetchSettings& politeness, Completion done,
                           std::uint64_t owner) {
  boost::asio::post(m_io, [this, queued = Queued{.request = std::move(request),
                                                 .politeness = politeness,
                                                 .done = std::move(done),
                                                 .failed_attempts = {},
                                                 .owner = owner}]() mutable {
    enqueue(std::move(queued), false);
    dispatch();
  });
}

void PoliteFetcher::cancel(std::uint64_t owner) {
  boost::asio::post(m_io, [this, owner] {
    for (auto& [name, host] : m_hosts) {
      std::deque<Queued> kept;
      for (auto& queued : host.waiting) {
        if (queued.owner == owner) {
          fail(queued, "cancelled: the crawl that asked for it is over");
        } else {
          kept.push_back(std::move(queued));
        }
      }
      host.waiting = std::move(kept);
    }
    dispatch();
  });
}

void PoliteFetcher::abandon_all() {
  boost::asio::post(m_io, [this] {
    m_abandoning = true;  // nothing is retried or started until this is done
    for (auto& [name, host] : m_hosts) {
      while (!host.waiting.empty()) {
        Queued queued = std::move(host.waiting.front());
        host.waiting.pop_front();
        fail(queued, "abandoned: archiver is stopping");
      }
    }
    m_multi.abandon_all();  // running ones come back through finished()
    m_abandoning = false;
  });
}

void PoliteFetcher::release(std::uint64_t bytes) {
  std::uint64_t held = m_held.load();
  while (!m_held.compare_exchange_weak(held, held - std::min(held, bytes))) {
  }
  // Transfers wait for a release only while the bound is reached (dispatch runs on the loop's
  // thread, the only one that adds): the first release after that sees it reached, and wakes
  // the loop. Below it nothing waits, and a wake-up for every page stored cost the loop's thread
  // and the releasing one a system call each, some 20,000 times a benchmark crawl.
  if (held >= k_max_held_bytes) {
    boost::asio::post(m_io, [this] { dispatch(); });
  }
}

void PoliteFetcher::enqueue(Queued queued, bool first) {
  Host& host = m_hosts[host_of(queued.request.url)];
  if (first) {
    host.waiting.push_front(std::move(queued));
  } else {
    host.waiting.push_back(std::move(queued));
  }
}

void PoliteFetcher::dispatch() {
  if (m_abandoning) {
    return;
  }
  // The consumer holds enough: new transfers wait for its release().
  const bool held_back = m_held.load() >= k_max_held_bytes;
  const auto now = std::chrono::steady_clock::now();
  auto soonest = TimePoint::max();
  // Round robin over hosts, starting after the one served last, so that one big site does not
  // take every connection from the others.
  auto begin = m_hosts.upper_bound(m_last_served);
  for (std::size_t visited = 0; visited < m_hosts.size(); ++visited, ++begin) {
    if (begin == m_hosts.end()) {
      begin = m_hosts.begin();
    }
    auto& [name, host] = *begin;
    while (now < host.refused_until && !host.waiting.empty()) {
      Queued queued = std::move(host.waiting.front());
      host.waiting.pop_front();
      fail(queued, host.refusal);
    }
    while (!host.waiting.empty() && m_running < m_max_connections &&
           host.running < std::max(1, host.waiting.front().politeness.connections_per_host)) {
      if (now < host.next_start) {
        soonest = std::min(soonest, host.next_start);
        break;
      }
      // Held back, a request whose body goes to a spool file (an asset) still starts: it holds
      // no memory, and its consumer may be the one that releases what is held, once it is in.
      auto next = host.waiting.begin();
      if (held_back) {
        next = std::ranges::find_if(
            host.waiting, [](const Queued& waiting) { return waiting.request.spool != nullptr; });
        if (next == host.waiting.end()) {
          break;
        }
      }
      Queued queued = std::move(*next);
      host.waiting.erase(next);
      host.next_start = now + queued.politeness.delay_per_host;
      m_last_served = name;
      start(name, std::move(queued));
    }
  }
  m_waiting_until = m_running == 0 && soonest != TimePoint::max()
                        ? static_cast<std::int64_t>(soonest.time_since_epoch().count())
                        : 0;
  if (soonest != TimePoint::max()) {
    m_wakeup.expires_at(soonest);  // cancels the earlier wait, whose handler then does nothing
    m_wakeup.async_wait([this](const boost::system::error_code& error) {
      if (!error) {
        dispatch();
      }
    });
  }
}

void PoliteFetcher::start(const std::string& host, Queued queued) {
  ++m_running;
  ++m_hosts[host].running;
  FetchRequest request = queued.request;
  // The gap to the host's next request counts from when this one has really gone out, not from
  // when it was handed to curl: on a busy machine the two can be tens of milliseconds apart. A
  // redirect's hops count for the host the request was queued for, even when they go elsewhere.
  request.on_sent = [this, host, delay = queued.politeness.delay_per_host] {
    Host& to = m_hosts[host];
    to.next_start = std::max(to.next_start, std::chrono::steady_clock::now() + delay);
  };
  auto pending = std::make_shared<Queued>(std::move(queued));
  try {
    m_multi.start(std::move(request), [this, host, pending](FetchResponse response) {
      finished(host, std::move(*pending), std::move(response));
    });
  } catch (const std::exception& error) {
    --m_running;
    --m_hosts[host].running;
    fail(*pending, std::string("cannot start the transfer: ") + error.what());
  }
}

void PoliteFetcher::finished(const std::string& host_name, Queued queued, FetchResponse response) {
  --m_running;
  Host& host = m_hosts[host_name];
  --host.running;
  const FetchSettings& politeness = queued.politeness;
  const auto now = std::chrono::steady_clock::now();
  const bool stopping = queued.request.abort != nullptr && queued.request.abort->load();
  const bool retryable =
      !m_abandoning && !stopping && is_retryable(response.http_status, response.error_kind);
  const auto asked = retryable ? parse_retry_after(response.header("retry-after"),
                                                   std::chrono::system_clock::now())
                               : std::nullopt;
  if (asked && *asked > politeness.max_retry_wait) {
    // Longer than we wait: this page is given up, and so is every other page of the host until
    // then, instead of asking again and again at delay_per_host.
    host.refusal = fmt::format(
        "HTTP {}: the server asks to wait {} s (Retry-After), longer than max_retry_wait",
        response.http_status, asked->count());
    spdlog::warn("{}: {}; nothing more is fetched from {} until then", queued.request.url,
                 host.refusal, host_name);
    host.refused_until = now + *asked;
    host.next_start = std::max(host.next_start, host.refused_until);
    m_held += response.body.size();
    queued.done({std::move(response), std::move(queued.failed_attempts)});
    dispatch();
    return;
  }
  if (asked) {
    // The server named its wait: the whole host keeps it, retried or not.
    host.next_start = std::max(host.next_start, now + *asked);
  }
  const int attempt = static_cast<int>(queued.failed_attempts.size()) + 1;
  if (retryable && attempt <= politeness.retries) {
    const auto wait = asked ? std::chrono::duration_cast<std::chrono::milliseconds>(*asked)
                            : backoff_for(attempt, politeness, m_random);
    spdlog::info(
        "{}: {}; trying again in {} ms (attempt {} of {})", queued.request.url,
        response.error.empty() ? "HTTP " + std::to_string(response.http_status) : response.error,
        wait.count(), attempt + 1, politeness.retries + 1);
    // A failing server gets air: the wait holds back the whole host.
    host.next_start = std::max(host.next_start, now + wait);
    queued.failed_attempts.push_back(std::move(response));
    enqueue(std::move(queued), true);
    dispatch();
    return;
  }
  m_held += response.body.size();
  queued.done({std::move(response), std::move(queued.failed_attempts)});
  dispatch();
}

}  // namespace archiver
