// The polite fetcher against real servers on 127.0.0.1, measured from the servers' side: the gap
// between two requests to one host, how many run at once per host and overall, a 429 whose
// Retry-After is waited out, one that asks too much, and abandoning what is queued.

#include "fetch/body_spool.hpp"
#include "fetch/polite_fetcher.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace archiver {
namespace {

using testing::describe_times;
using testing::Request;
using testing::Response;
using testing::TestServer;
using namespace std::chrono_literals;

// Submits requests and waits for all their results.
class Collector {
 public:
  void submit(PoliteFetcher& fetcher, const std::string& url, const FetchSettings& politeness,
              std::uint64_t owner = 0, std::shared_ptr<BodySpool> spool = nullptr) {
    FetchRequest request;
    request.url = url;
    request.user_agent = "archiver-test";
    request.timeout = 10s;
    request.spool = std::move(spool);
    {
      const std::scoped_lock lock(m_mutex);
      ++m_expected;
    }
    fetcher.submit(
        std::move(request), politeness,
        [this](PoliteFetcher::Result result) {
          const std::scoped_lock lock(m_mutex);
          m_results.push_back(std::move(result));
          m_done.notify_all();
        },
        owner);
  }

  // How many results came so far.
  std::size_t count() {
    const std::scoped_lock lock(m_mutex);
    return m_results.size();
  }

  // Every result, or fails the test after the timeout.
  std::vector<PoliteFetcher::Result> wait(std::chrono::seconds timeout) {
    std::unique_lock lock(m_mutex);
    REQUIRE(m_done.wait_for(lock, timeout, [&] { return m_results.size() == m_expected; }));
    return m_results;
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_done;
  std::size_t m_expected = 0;
  std::vector<PoliteFetcher::Result> m_results;
};

FetchSettings politeness(std::chrono::milliseconds delay, int per_host) {
  FetchSettings settings;
  settings.delay_per_host = delay;
  settings.connections_per_host = per_host;
  settings.retries = 0;
  return settings;
}

// The most requests the server saw start within any window of this length.
std::size_t most_within(const std::vector<Request>& requests, std::chrono::milliseconds window) {
  std::size_t most = 0;
  for (const auto& request : requests) {
    const auto together = std::ranges::count_if(requests, [&](const Request& other) {
      return other.received >= request.received && other.received < request.received + window;
    });
    most = std::max(most, static_cast<std::size_t>(together));
  }
  return most;
}

// A response that takes about 300 ms to send: three bytes, one per 100 ms.
Response slow(const Request&) {
  return Response{.body = "慢", .mode = Response::Mode::drip, .drip_interval = 100ms};
}

}  // namespace

TEST_SUITE("fetch/polite") {
  TEST_CASE("delay_per_host: the server sees requests at least that far apart") {
    TestServer server;
    server.set_fallback([](const Request&) { return Response{.body = "ok"}; });
    PoliteFetcher fetcher(16);
    Collector collector;
    for (int i = 0; i < 6; ++i) {
      collector.submit(fetcher, server.url("/page/" + std::to_string(i)), politeness(150ms, 4));
    }
    const auto results = collector.wait(10s);
    CHECK(
        std::ranges::all_of(results, [](const auto& r) { return r.response.http_status == 200; }));
    const auto requests = server.requests();
    REQUIRE(requests.size() == 6);
    // The delay runs from when archiver starts a request; the server sees it a little later,
    // by however long a loaded machine takes to connect and send it.
    for (std::size_t i = 1; i < requests.size(); ++i) {
      INFO(describe_times(requests[i - 1], requests[0].received));
      INFO(describe_times(requests[i], requests[0].received));
      CHECK(requests[i].received - requests[i - 1].received >= 120ms);
    }
    CHECK(requests.back().received - requests.front().received >= 5 * 150ms - 20ms);
  }

  TEST_CASE("delay_per_host counts from when a request went out: a slow redirect's last hop too") {
    TestServer server;
    // /a thinks for 400 ms, then sends the client on to /b, which answers at once.
    server.route("/a", [](const Request&) {
      std::this_thread::sleep_for(400ms);
      return Response{.status = 302, .headers = {{"Location", "/b"}}};
    });
    server.set_fallback([](const Request&) { return Response{.body = "ok"}; });
    PoliteFetcher fetcher(16);
    Collector collector;
    collector.submit(fetcher, server.url("/a"), politeness(300ms, 1));
    collector.submit(fetcher, server.url("/c"), politeness(300ms, 1));
    collector.wait(10s);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    REQUIRE(requests[1].path == "/b");
    REQUIRE(requests[2].path == "/c");
    // Counted from /a's start, the delay would have passed when /b came back, and /c would have
    // followed /b at once.
    INFO(describe_times(requests[1], requests[0].received));
    INFO(describe_times(requests[2], requests[0].received));
    CHECK(requests[2].received - requests[1].received >= 280ms);
  }

  TEST_CASE("connections_per_host and max_connections cap what runs at once") {
    TestServer first;
    TestServer second;  // another port: another host
    first.set_fallback(slow);
    second.set_fallback(slow);

    SUBCASE("two per host") {
      PoliteFetcher fetcher(16);
      Collector collector;
      for (int i = 0; i < 6; ++i) {
        collector.submit(fetcher, first.url("/a/" + std::to_string(i)), politeness(0ms, 2));
      }
      const auto started = std::chrono::steady_clock::now();
      collector.wait(20s);
      // Six 300 ms answers, two at a time: three rounds.
      CHECK(std::chrono::steady_clock::now() - started >= 800ms);
      CHECK(most_within(first.requests(), 200ms) == 2);
    }
    SUBCASE("two overall, over two hosts allowing four each") {
      PoliteFetcher fetcher(2);
      Collector collector;
      for (int i = 0; i < 3; ++i) {
        collector.submit(fetcher, first.url("/a/" + std::to_string(i)), politeness(0ms, 4));
        collector.submit(fetcher, second.url("/b/" + std::to_string(i)), politeness(0ms, 4));
      }
      collector.wait(20s);
      auto all = first.requests();
      const auto more = second.requests();
      all.insert(all.end(), more.begin(), more.end());
      REQUIRE(all.size() == 6);
      CHECK(most_within(all, 200ms) == 2);
    }
  }

  TEST_CASE("429 with Retry-After: the host is left alone that long, then the page comes") {
    TestServer server;
    std::atomic<int> calls{0};
    server.route("/busy", [&](const Request&) {
      if (calls++ == 0) {
        return Response{.status = 429, .headers = {{"Retry-After", "1"}}, .body = "slow down"};
      }
      return Response{.body = "今天的版面"};
    });
    PoliteFetcher fetcher(16);
    Collector collector;
    FetchSettings settings = politeness(0ms, 2);
    settings.retries = 2;
    collector.submit(fetcher, server.url("/busy"), settings);
    const auto results = collector.wait(10s);
    REQUIRE(results.size() == 1);
    CHECK(results[0].response.http_status == 200);
    CHECK(results[0].response.body == "今天的版面");
    REQUIRE(results[0].failed_attempts.size() == 1);
    CHECK(results[0].failed_attempts[0].http_status == 429);
    // The retry goes out only after the 429 came back: the server's own times bound the wait.
    auto requests = server.requests();
    std::ranges::sort(requests, {}, &Request::handled);
    REQUIRE(requests.size() == 2);
    CHECK(requests[1].handled - requests[0].handled >= 950ms);
  }

  TEST_CASE("a Retry-After longer than max_retry_wait is given up at once") {
    TestServer server;
    server.route("/closed", [](const Request&) {
      return Response{.status = 503, .headers = {{"Retry-After", "3600"}}, .body = "维护中"};
    });
    PoliteFetcher fetcher(16);
    Collector collector;
    FetchSettings settings = politeness(0ms, 2);
    settings.retries = 3;
    settings.max_retry_wait = 60s;
    const auto started = std::chrono::steady_clock::now();
    collector.submit(fetcher, server.url("/closed"), settings);
    const auto results = collector.wait(10s);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    REQUIRE(results.size() == 1);
    CHECK(results[0].response.http_status == 503);
    CHECK(results[0].failed_attempts.empty());
    CHECK(server.request_count("/closed") == 1);

    // The host asked for an hour: its other pages are not asked for meanwhile.
    Collector later;
    later.submit(fetcher, server.url("/other"), settings);
    const auto refused = later.wait(5s);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].response.error.find("Retry-After") != std::string::npos);
    CHECK(server.requests().size() == 1);
  }

  TEST_CASE("a 500 is retried with backoff up to the limit, every attempt reported") {
    TestServer server;
    server.route("/broken", [](const Request&) { return Response{.status = 500, .body = "x"}; });
    PoliteFetcher fetcher(16);
    Collector collector;
    FetchSettings settings = politeness(0ms, 2);
    settings.retries = 2;
    settings.retry_backoff = 100ms;
    collector.submit(fetcher, server.url("/broken"), settings);
    const auto results = collector.wait(10s);
    REQUIRE(results.size() == 1);
    CHECK(results[0].response.http_status == 500);
    CHECK(results[0].failed_attempts.size() == 2);
    CHECK(server.request_count("/broken") == 3);
  }

  TEST_CASE("abandon_all completes queued and running requests at once") {
    TestServer server;
    server.set_fallback([](const Request&) { return Response{.mode = Response::Mode::hang}; });
    PoliteFetcher fetcher(16);
    Collector collector;
    for (int i = 0; i < 4; ++i) {
      // One runs (one connection), three wait in the queue behind it.
      collector.submit(fetcher, server.url("/hang/" + std::to_string(i)), politeness(0ms, 1));
    }
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (server.requests().empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    const auto started = std::chrono::steady_clock::now();
    fetcher.abandon_all();
    const auto results = collector.wait(5s);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    REQUIRE(results.size() == 4);
    for (const auto& result : results) {
      CHECK_FALSE(result.response.ok());
      CHECK(result.response.error.find("abandoned") != std::string::npos);
    }
    CHECK(server.requests().size() == 1);
  }
  TEST_CASE("at the bound on bodies held, pages wait for a release, and a spooled asset does not") {
    TestServer server;
    const std::string nine_mib(9U * 1024U * 1024U, 'x');
    server.set_fallback([&](const Request&) { return Response{.body = nine_mib}; });
    server.route("/scan.jpg", [](const Request&) { return Response{.body = "\xff\xd8\xff"}; });
    PoliteFetcher fetcher(16);
    Collector pages;
    for (int i = 0; i < 5; ++i) {  // 45 MiB, one at a time: the fifth waits past 32 MiB held
      pages.submit(fetcher, server.url("/page/" + std::to_string(i)), politeness(0ms, 1));
    }
    const auto until = [](const std::function<bool()>& done) {
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      while (!done() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
      }
      return done();
    };
    REQUIRE(until([&] { return pages.count() == 4; }));
    std::this_thread::sleep_for(300ms);
    CHECK(pages.count() == 4);
    CHECK(server.requests().size() == 4);

    // An asset's body goes to a spool file: it starts though the bound is reached (the crawl
    // fetching it may be the one to release what is held, once it has it).
    testing::TempDir spool_folder;
    Collector assets;
    assets.submit(fetcher, server.url("/scan.jpg"), politeness(0ms, 1), 0,
                  std::make_shared<BodySpool>(spool_folder.path()));
    const auto asset = assets.wait(10s);
    REQUIRE(asset.size() == 1);
    CHECK(asset[0].response.ok());
    CHECK(pages.count() == 4);

    // Released, what is held falls below the bound, and the fifth page comes.
    fetcher.release(4U * nine_mib.size());
    CHECK(pages.wait(10s).size() == 5);
  }

  TEST_CASE("cancel drops what one owner queued, leaving the others' requests") {
    TestServer server;
    server.route("/hang", [](const Request&) { return Response{.mode = Response::Mode::hang}; });
    server.set_fallback([](const Request&) { return Response{.body = "ok"}; });
    PoliteFetcher fetcher(16);
    Collector first;
    Collector second;
    first.submit(fetcher, server.url("/hang"), politeness(0ms, 1), 1);  // runs, holds the host
    for (int i = 0; i < 3; ++i) {
      first.submit(fetcher, server.url("/a/" + std::to_string(i)), politeness(0ms, 1), 1);
    }
    second.submit(fetcher, server.url("/b"), politeness(0ms, 1), 2);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (server.requests().empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    fetcher.cancel(1);
    fetcher.abandon_all();  // the running one, and owner 2's queued request, end too
    const auto ended = first.wait(5s);
    REQUIRE(ended.size() == 4);
    CHECK(std::ranges::count_if(ended, [](const PoliteFetcher::Result& r) {
            return r.response.error.find("cancelled") != std::string::npos;
          }) == 3);
    const auto other = second.wait(5s);
    REQUIRE(other.size() == 1);
    CHECK(other[0].response.error.find("abandoned") != std::string::npos);
    CHECK(server.requests().size() == 1);
  }
}

}  // namespace archiver
