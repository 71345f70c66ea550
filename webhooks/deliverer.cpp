#include "webhooks/deliverer.hpp"

#include "fetch/http_post.hpp"
#include "query/json_output.hpp"
#include "store/outbox.hpp"
#include "webhooks/payload.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

namespace archiver {
namespace {

// Events read from the outbox at once; a lane goes on at once while it finds full batches.
constexpr std::int64_t k_batch = 50;
// Delivered events are kept this long (what was sent, and when), then pruned, once an hour.
constexpr std::chrono::hours k_keep_delivered{7 * 24};
constexpr std::chrono::hours k_prune_every{1};

}  // namespace

class WebhookLane {
 public:
  WebhookLane(const DelivererOptions& options, std::string webhook)
      : m_options(options), m_webhook(std::move(webhook)), m_thread([this] { run(); }) {}

  ~WebhookLane() {
    request_stop();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  WebhookLane(const WebhookLane&) = delete;
  WebhookLane& operator=(const WebhookLane&) = delete;

  void request_stop() {
    {
      const std::scoped_lock lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_one();
  }

 private:
  [[nodiscard]] bool stopping() const { return m_stop.load(); }

  // Sleeps for `wait` unless asked to stop first.
  void pause(std::chrono::milliseconds wait) {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, wait, [this] { return m_stop.load(); });
  }

  void run() {
    std::optional<Outbox> outbox;
    auto last_prune = std::chrono::steady_clock::time_point{};
    std::string last_problem;  // a store problem is logged once, not at every poll
    while (!stopping()) {
      bool more = false;
      try {
        if (!outbox) {
          outbox.emplace(m_options.database);
        }
        settle_unmarked(*outbox);
        if (std::chrono::steady_clock::now() - last_prune >= k_prune_every) {
          outbox->prune_delivered(m_webhook, k_keep_delivered);
          last_prune = std::chrono::steady_clock::now();
        }
        more = deliver_due(*outbox);
        last_problem.clear();
      } catch (const std::exception& error) {
        if (error.what() != last_problem) {
          spdlog::warn("notify {}: cannot use the outbox: {} (trying again)", m_webhook,
                       error.what());
          last_problem = error.what();
        }
      }
      if (!more) {
        pause(m_options.poll);
      }
    }
  }

  // Deliveries whose mark did not reach the archive (it was busy past busy_timeout): marked
  // now, and never sent again meanwhile.
  void settle_unmarked(Outbox& outbox) {
    for (auto it = m_unmarked.begin(); it != m_unmarked.end();) {
      outbox.mark_delivered(*it);
      it = m_unmarked.erase(it);
    }
  }

  // Sends the webhook's due events in order until one fails; true when a full batch went out
  // (more may be waiting).
  bool deliver_due(Outbox& outbox) {
    const auto events = outbox.pending(m_webhook, k_batch);
    for (const OutboxEvent& event : events) {
      if (stopping()) {
        return false;
      }
      if (m_unmarked.contains(event.id)) {
        continue;
      }
      if (!event.due) {
        return false;  // the oldest waits out its backoff, and the later ones behind it
      }
      if (!deliver(outbox, event)) {
        return false;
      }
    }
    return static_cast<std::int64_t>(events.size()) == k_batch;
  }

  bool deliver(Outbox& outbox, const OutboxEvent& event) {
    const auto version = outbox.version(event.article_id, event.version);
    if (!version) {
      return true;  // deleted meanwhile (gc), and its event with it
    }
    std::optional<StoredArticle> previous;
    if (event.status == "changed") {
      previous = outbox.version(event.article_id, event.version - 1);
    }
    const PostResult result = m_poster.post(
        {.url = m_webhook,
         .body = json_line(event_payload(event, *version, previous)),
         .headers = {"X-Archiver-Event: " + std::to_string(event.id)},
         .user_agent = m_options.user_agent,
         .timeout = m_options.timeout,
         .connect_timeout = std::min(m_options.timeout, std::chrono::milliseconds(5000)),
         .abort = &m_stop});
    if (result.accepted()) {
      if (event.attempts > 0) {
        spdlog::info("notify {}: event {} delivered after {} failed attempts", m_webhook, event.id,
                     event.attempts);
      }
      try {
        outbox.mark_delivered(event.id);
      } catch (const std::exception& error) {
        m_unmarked.insert(event.id);
        spdlog::warn("notify {}: event {} delivered, not yet marked: {}", m_webhook, event.id,
                     error.what());
      }
      return true;
    }
    if (stopping()) {
      return false;  // abandoned by the stop, not refused by the receiver: no attempt counted
    }
    const std::int64_t attempts = event.attempts + 1;
    const auto wait = retry_wait(m_options.backoff, attempts, m_unit(m_random));
    outbox.mark_failed(event.id, attempts, wait, result.problem());
    spdlog::warn(
        "notify {}: event {} ({} version {} of article {}) not delivered: {}; attempt {}, "
        "next in {} s",
        m_webhook, event.id, event.status, event.version, event.article_id, result.problem(),
        attempts, std::chrono::duration_cast<std::chrono::seconds>(wait).count());
    return false;
  }

  const DelivererOptions& m_options;
  std::string m_webhook;
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::condition_variable m_wake;
  HttpPoster m_poster;
  std::set<std::int64_t> m_unmarked;
  std::mt19937 m_random{std::random_device{}()};
  std::uniform_real_distribution<double> m_unit{0.0, 1.0};
  std::thread m_thread;  // last: it starts once everything above exists
};

Deliverer::Deliverer(DelivererOptions options) : m_options(std::move(options)) {}

Deliverer::~Deliverer() {
  request_stop();
  m_lanes.clear();  // each joins its thread
  m_retired.clear();
}

void Deliverer::serve(const std::vector<std::string>& webhooks) {
  for (auto it = m_lanes.begin(); it != m_lanes.end();) {
    if (std::ranges::find(webhooks, it->first) == webhooks.end()) {
      it->second->request_stop();
      m_retired.push_back(std::move(it->second));
      it = m_lanes.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& webhook : webhooks) {
    if (!m_lanes.contains(webhook)) {
      m_lanes.emplace(webhook, std::make_unique<WebhookLane>(m_options, webhook));
    }
  }
}

void Deliverer::request_stop() {
  for (auto& [webhook, lane] : m_lanes) {
    lane->request_stop();
  }
}

}  // namespace archiver
