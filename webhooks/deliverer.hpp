#pragma once
// The daemon's delivery of webhook events from the archive's outbox (store/outbox.hpp).
//
// One lane per webhook URL, each a thread with its own SQLite connection and curl handle: a
// webhook that hangs holds up only its own lane (10 s at most per POST), never the others and
// never the crawl, which runs on the worker thread and only ever adds rows. A lane sends its
// webhook's events in the order they were stored; a failed one is tried again after a backoff
// (webhooks/backoff.hpp), and the events after it wait behind it, so a receiver sees each
// article's versions in order. Events already delivered are forgotten after 7 days.

#include "webhooks/backoff.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace archiver {

struct DelivererOptions {
  std::filesystem::path database;
  std::string user_agent;
  Backoff backoff;
  // How often an idle lane looks for new events (the crawl, or `archiver fetch` in another
  // process, adds them).
  std::chrono::milliseconds poll{500};
  std::chrono::milliseconds timeout{10'000};  // one POST, all of it
};

class WebhookLane;

class Deliverer {
 public:
  explicit Deliverer(DelivererOptions options);
  // Stops every lane (a POST under way is abandoned within about a second) and joins them.
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Delivers to exactly these webhooks from now on: lanes start for new URLs; those of URLs no
  // longer configured are asked to stop (their events wait in the outbox). Does not block.
  void serve(const std::vector<std::string>& webhooks);

  // Asks every lane to stop; does not wait.
  void request_stop();

 private:
  DelivererOptions m_options;
  std::map<std::string, std::unique_ptr<WebhookLane>> m_lanes;
  std::vector<std::unique_ptr<WebhookLane>> m_retired;  // stopping; joined by the destructor
};

}  // namespace archiver
