#include "daemon/daemon.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "crawl/site_crawler.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/notify.hpp"
#include "daemon/signal_watch.hpp"
#include "scheduler/site_schedule.hpp"
#include "util/clock.hpp"
#include "util/timezone.hpp"
#include "webhooks/deliverer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace archiver {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How long a crawl held by another process waits before it is tried again (or the site's next
// slot, when that is sooner).
constexpr std::chrono::minutes k_busy_retry{5};
// How soon an edition not out yet is asked for again (or at the site's next slot).
constexpr std::chrono::hours k_unpublished_retry{1};
// How long a stopping daemon waits for its crawl to reach a safe point before it exits anyway
// (systemd's TimeoutStopSec is 20 s; the crawl resumes from its frontier at the next start).
constexpr std::chrono::seconds k_stop_deadline{15};

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             SteadyClock::now().time_since_epoch())
      .count();
}

// What one crawl job came to, as the event loop needs it to plan the site's next run.
struct CrawlDone {
  std::string site;
  CrawlStats stats;
  std::optional<LeaseHolder> busy;  // another process crawls the site: nothing was done
  bool today_unpublished = false;   // an e-paper's edition of today is not out yet
  // Another archiver changed the archive's schema meanwhile: this process can store no more.
  bool archive_changed = false;
};

// The worker: the archive's only writer. Crawls arrive as jobs and run one at a time, so the
// event loop never waits for SQLite or the network.
class CrawlWorker {
 public:
  using Done = std::function<void(CrawlDone done)>;
  using Stopped = std::function<void()>;

  CrawlWorker(std::unique_ptr<ArchiveWriter> writer, int max_connections, Done done,
              Stopped stopped)
      : m_writer(std::move(writer)),
        m_done(std::move(done)),
        m_stopped(std::move(stopped)),
        m_fetcher(max_connections),
        m_thread([this] { loop(); }) {}

  // Joins the thread: by then it has been asked to stop and has said it did (or the process is
  // exiting without it).
  ~CrawlWorker() {
    request_stop();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  CrawlWorker(const CrawlWorker&) = delete;
  CrawlWorker& operator=(const CrawlWorker&) = delete;

  // Queues a crawl of the site under these settings (kept alive by the job): of today's
  // edition and the catch-up window, or the lists, or the target an interrupted crawl left.
  void submit(std::shared_ptr<const Settings> settings, std::string site,
              std::optional<std::string> target = {}) {
    {
      const std::scoped_lock lock(m_mutex);
      m_jobs.push_back({std::move(settings), std::move(site), std::move(target)});
    }
    m_wake.notify_one();
  }

  // Asks the crawl in progress to stop at its next safe point and drops queued ones. Does not
  // wait: the worker calls `stopped` once its thread is done.
  void request_stop() {
    {
      const std::scoped_lock lock(m_mutex);
      m_stopping = true;
      m_jobs.clear();
    }
    m_abandon = true;
    m_wake.notify_one();
  }

  // The site being crawled, or the one queued to be crawled next; empty when idle.
  std::string current() {
    const std::scoped_lock lock(m_mutex);
    if (m_current.empty() && !m_jobs.empty()) {
      return m_jobs.front().site;
    }
    return m_current;
  }

  // The site whose crawl runs now; empty when none does.
  std::string running() {
    const std::scoped_lock lock(m_mutex);
    return m_current;
  }

  // Milliseconds on the steady clock when the running crawl last stored something (or began),
  // or when the fetcher was last seen waiting on purpose (a polite crawl is quiet, not stuck).
  [[nodiscard]] std::int64_t last_progress() {
    if (m_fetcher.waiting_on_purpose()) {
      m_progress = steady_now_ms();
    }
    return m_progress.load();
  }

 private:
  struct Job {
    std::shared_ptr<const Settings> settings;
    std::string site;
    std::optional<std::string> target;
  };

  void loop() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_stopping || !m_jobs.empty(); });
        if (m_stopping) {
          break;
        }
        job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_progress = steady_now_ms();  // before the crawl shows as running (the watchdog)
        m_current = job.site;
      }
      CrawlDone done = crawl(job);
      {
        const std::scoped_lock lock(m_mutex);
        m_current.clear();
      }
      m_done(std::move(done));
    }
    m_stopped();
  }

  CrawlDone crawl(const Job& job) {
    CrawlDone done{.site = job.site};
    const SiteSettings* site = job.settings->site_named(job.site);
    if (site == nullptr) {
      return done;  // removed by a reload while queued
    }
    try {
      auto lease = m_writer->take_lease(site->name, "archiver run");
      if (!lease) {
        done.busy = lease.error();
        return done;
      }
      m_writer->limit_size(job.settings->max_archive_size);  // a reload may have changed it
      m_writer->route_events(event_routes(*job.settings));   // and the webhooks
      FetchPipeline pipeline(*job.settings, *m_writer);
      pipeline.abort_when(&m_abandon);
      SiteCrawler crawler(*site, *m_writer, pipeline, m_fetcher, nullptr, job.settings->user_agent);
      crawler.stop_when(&m_abandon);
      crawler.report_progress_to(&m_progress);
      if (site->parser != ParserKind::epaper) {
        done.stats = crawler.crawl_lists();
        return done;
      }
      if (const auto day = job.target ? parse_iso_day(*job.target) : std::nullopt) {
        done.stats = crawler.crawl_editions({*day});  // an interrupted crawl, finished first
        return done;
      }
      const auto today =
          local_day_in(site->timezone, now_seconds()).value_or(*parse_iso_day(today_iso()));
      done.stats = crawler.crawl_recent_editions(today);
      done.today_unpublished = crawler.result_for(today) == "missing";
      return done;
    } catch (const CrawlStopped&) {
      spdlog::info("{}: crawl abandoned (stopping)", job.site);
    } catch (const StoreError& error) {
      spdlog::error("{}: cannot store the crawl of {}: {}{}", m_writer->path().string(), job.site,
                    error.what(), error.is_full() ? full_archive_advice : "");
      done.archive_changed = error.is_schema_changed();
    } catch (const std::exception& error) {
      spdlog::error("{}: crawl failed: {}", job.site, error.what());
    }
    done.stats.errors = 1;
    done.stats.result = "failed";
    return done;
  }

  std::unique_ptr<ArchiveWriter> m_writer;
  Done m_done;
  Stopped m_stopped;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Job> m_jobs;
  std::string m_current;
  bool m_stopping = false;
  std::atomic<bool> m_abandon{false};
  std::atomic<std::int64_t> m_progress{0};
  // One for every crawl: the politeness limits hold across sites sharing a host.
  PoliteFetcher m_fetcher;
  std::thread m_thread;  // last: it starts once everything above exists
};

// The event loop's thread never blocks: reading the archive (when each site last ran) happens on
// a helper thread with its own read-only connection, and the answer comes back as a handler.
class Daemon {
 public:
  Daemon(std::filesystem::path config, Settings settings, std::unique_ptr<ArchiveWriter> writer,
         std::unique_ptr<ArchiveReader> reader)
      : m_config(std::move(config)),
        m_unfinished(writer->unfinished_crawls()),
        m_settings(std::make_shared<const Settings>(std::move(settings))),
        m_reader(std::move(reader)),
        m_signals(m_io, {SIGINT, SIGTERM, SIGHUP}),
        m_deliverer({.database = writer->path(),
                     .user_agent = m_settings->user_agent,
                     .backoff = backoff_from_environment()}),
        m_watchdog(m_io),
        m_stop_deadline(m_io),
        m_worker(
            std::move(writer), m_settings->fetch.max_connections,
            // Back on the loop's thread: the worker never touches timers.
            [this](CrawlDone done) {
              boost::asio::post(m_io, [this, done = std::move(done)] { crawled(done); });
            },
            [this] { boost::asio::post(m_io, [this] { worker_stopped(); }); }) {}

  ~Daemon() {
    m_reads.join();  // before the reader it uses goes
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  int run() {
    wait_for_signals();
    m_deliverer.serve(webhooks());
    resume_unfinished();
    schedule_all();
    start_watchdog();
    notify_ready();
    report_status();
    spdlog::info("archiver running: {} sites configured, {} webhooks", m_settings->sites.size(),
                 m_settings->notify.size());
    run_event_loop(m_io);
    return m_exit_code;
  }

 private:
  void wait_for_signals() {
    m_signals.async_wait([this](int signal) {
      if (signal == SIGHUP) {
        wait_for_signals();  // first: a reload that fails must not leave signals unheard
        if (!m_stopping) {
          reload();
        }
        return;
      }
      stop(signal == SIGINT ? "SIGINT" : "SIGTERM", k_exit_ok);
    });
  }

  // Stops at the crawl's next safe point; run() then returns exit_code.
  void stop(std::string_view why, int exit_code) {
    if (exit_code != k_exit_ok) {
      m_exit_code = exit_code;  // a SIGTERM that follows does not make it a success
    }
    if (m_stopping) {
      return;  // stopping already, within the deadline set then
    }
    spdlog::info("{}: stopping", why);
    notify_stopping();
    m_stopping = true;
    cancel_timers();
    m_watchdog.cancel();
    // Events not delivered yet stay in the outbox for the next start.
    m_deliverer.request_stop();
    // The worker abandons its crawl at the next safe point; what it stored stays stored. The
    // loop goes on answering until it says it has stopped.
    m_worker.request_stop();
    m_stop_deadline.expires_after(k_stop_deadline);
    m_stop_deadline.async_wait([this](const boost::system::error_code& error) {
      if (error) {
        return;
      }
      spdlog::error(
          "the crawl did not stop within {} s; exiting without it (it resumes from its frontier "
          "at the next start)",
          k_stop_deadline.count());
      spdlog::default_logger()->flush();
      std::_Exit(m_exit_code);
    });
  }

  void worker_stopped() {
    m_stop_deadline.cancel();
    m_io.stop();
  }

  void reload() {
    notify_reloading();
    auto loaded = load_settings(m_config);
    if (!loaded) {
      for (const auto& error : loaded.error()) {
        spdlog::error("reload: {}", error.to_string());
      }
      spdlog::error("reload: {} is invalid; still running on the previous config",
                    m_config.string());
      notify_ready();
      report_status();
      return;
    }
    m_settings = std::make_shared<const Settings>(std::move(*loaded));
    m_deliverer.serve(webhooks());
    cancel_timers();
    schedule_all();
    spdlog::info("reload: {} sites configured", m_settings->sites.size());
    notify_ready();
    report_status();
  }

  void cancel_timers() {
    for (auto& [name, timer] : m_timers) {
      timer->cancel();
    }
    m_timers.clear();
    m_due.clear();
    ++m_generation;  // last-run answers asked for before this are stale
  }

  [[nodiscard]] std::vector<std::string> webhooks() const {
    std::vector<std::string> urls;
    for (const NotifySettings& notify : m_settings->notify) {
      urls.push_back(notify.url);
    }
    return urls;
  }

  // Crawls a kill or a crash cut short go first, each where it stopped (its frontier).
  void resume_unfinished() {
    for (const auto& crawl : m_unfinished) {
      if (m_settings->site_named(crawl.site) != nullptr) {
        spdlog::info("{}: resuming the crawl of {} that was cut short", crawl.site, crawl.target);
        m_worker.submit(m_settings, crawl.site, crawl.target);
      }
    }
    m_unfinished.clear();
  }

  // When each site last ran is read on the helper thread; the timers are set when it answers.
  void schedule_all() {
    std::vector<std::string> names;
    for (const auto& site : m_settings->sites) {
      names.push_back(site.name);
    }
    boost::asio::post(m_reads, [this, names = std::move(names), generation = m_generation] {
      std::map<std::string, std::optional<SysSeconds>> last_runs;
      for (const auto& name : names) {
        try {
          const auto crawls = m_reader->recent_crawls(name, 1);
          last_runs[name] = crawls.empty() ? std::nullopt : parse_utc_iso(crawls[0].started_at);
        } catch (const std::exception& error) {
          // The archive busy or unreadable for a moment: plan as if never run (due soon).
          spdlog::warn("{}: cannot read when it last ran: {}", name, error.what());
          last_runs[name] = std::nullopt;
        }
      }
      boost::asio::post(m_io, [this, last_runs = std::move(last_runs), generation] {
        if (generation != m_generation || m_stopping) {
          return;  // a reload or a stop came in between
        }
        for (const auto& [name, last_run] : last_runs) {
          if (const SiteSettings* site = m_settings->site_named(name)) {
            schedule(*site, last_run);
          }
        }
        spdlog::debug("{} sites scheduled", m_timers.size());
        report_status();
      });
    });
  }

  void schedule(const SiteSettings& site, std::optional<SysSeconds> after) {
    const auto plan = next_due(site, after, now_seconds());
    if (!plan) {
      return;  // manual crawls only
    }
    if (plan->missed) {
      spdlog::info("{}: a run was missed while archiver was down; running it now", site.name);
    }
    run_at(site.name, plan->due);
  }

  // The site's crawl at `due`, replacing any timer it had.
  void run_at(const std::string& name, SysSeconds due) {
    auto& timer = m_timers[name];
    timer = std::make_unique<boost::asio::steady_timer>(m_io);
    timer->expires_after(std::max(std::chrono::seconds(0), due - now_seconds()));
    m_due[name] = due;
    timer->async_wait([this, name](const boost::system::error_code& error) {
      if (!error) {
        m_due.erase(name);
        m_worker.submit(m_settings, name);
        report_status();
      }
    });
  }

  // The sooner of `wait` from now and the site's next regular slot.
  SysSeconds retry_time(const SiteSettings& site, std::chrono::seconds wait) {
    const auto now = now_seconds();
    SysSeconds when = now + wait;
    if (const auto plan = next_due(site, now, now)) {
      when = std::min(when, plan->due);
    }
    return when;
  }

  void crawled(const CrawlDone& done) {
    if (done.archive_changed && !m_stopping) {
      // Every later crawl would fail the same way, and the archive would silently stop growing.
      // Exiting lets systemd start the service again (Restart=on-failure): the archiver that is
      // installed now opens the archive, or says why it cannot.
      spdlog::error(
          "stopping with exit status {}: this daemon can store nothing more in the "
          "archive another archiver upgraded",
          static_cast<int>(k_exit_database));
      stop("the archive's schema changed", k_exit_database);
      return;
    }
    const SiteSettings* site = m_settings->site_named(done.site);
    if (done.busy) {
      spdlog::info("{}: not crawled: another archiver crawls it (pid {}: {}, since {})", done.site,
                   done.busy->pid, done.busy->command, done.busy->taken_at);
    } else {
      spdlog::info("{}: crawl {}: {} articles, {} revisited, {} errors", done.site,
                   done.stats.result, done.stats.articles, done.stats.revisited, done.stats.errors);
    }
    if (site != nullptr && !m_stopping && !site->schedule.empty()) {
      try {
        if (done.busy) {
          run_at(site->name, retry_time(*site, k_busy_retry));
        } else if (done.today_unpublished) {
          // Today's edition not out yet: asked again within the hour, or at the next slot.
          run_at(site->name, retry_time(*site, k_unpublished_retry));
        } else {
          schedule(*site, now_seconds());
        }
      } catch (const std::exception& error) {
        // The site must not drop out of the schedule: tried again in an hour.
        spdlog::error("{}: cannot plan the next crawl ({}); trying again in an hour", done.site,
                      error.what());
        run_at(site->name, now_seconds() + std::chrono::hours(1));
      }
    }
    report_status();
  }

  void report_status() {
    std::string next;
    SysSeconds soonest = SysSeconds::max();
    for (const auto& [name, due] : m_due) {
      if (due < soonest) {
        soonest = due;
        next = name;
      }
    }
    const std::string working = m_worker.current();
    notify_status(
        fmt::format("{}; next: {}", working.empty() ? "idle" : "crawling " + working,
                    next.empty() ? "nothing scheduled" : next + " at " + to_utc_iso(soonest)));
  }

  // WATCHDOG=1 from the event loop, while the loop runs and the crawl (if any) moves: a crawl
  // that stores nothing for stall_timeout is wedged, and systemd restarts the service (the
  // crawl resumes from its frontier).
  void start_watchdog() {
    const auto interval = watchdog_interval();
    if (!interval) {
      return;
    }
    m_watchdog.expires_after(*interval / 2);
    m_watchdog.async_wait([this](const boost::system::error_code& error) {
      if (error) {
        return;
      }
      const std::string working = m_worker.running();
      const auto quiet = std::chrono::milliseconds(steady_now_ms() - m_worker.last_progress());
      if (working.empty() || quiet < m_settings->stall_timeout) {
        notify_watchdog();
        m_stall_reported = false;
      } else if (!m_stall_reported) {
        spdlog::error(
            "{}: the crawl has stored nothing for {} s (stall_timeout): no longer telling "
            "systemd that archiver is alive, so that it restarts it",
            working, std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
        m_stall_reported = true;
      }
      start_watchdog();
    });
  }

  std::filesystem::path m_config;
  std::vector<UnfinishedCrawl> m_unfinished;  // read before the worker owns the archive
  std::shared_ptr<const Settings> m_settings;
  std::unique_ptr<ArchiveReader> m_reader;  // used on m_reads only
  boost::asio::io_context m_io;
  SignalWatch m_signals;  // before every member that starts a thread (see signal_watch.hpp)
  // Webhook events, from the outbox the crawls fill, on threads of their own (the writer
  // question: see webhooks/deliverer.hpp and store/outbox.hpp).
  Deliverer m_deliverer;
  boost::asio::thread_pool m_reads{1};
  boost::asio::steady_timer m_watchdog;
  boost::asio::steady_timer m_stop_deadline;
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> m_timers;
  std::map<std::string, SysSeconds> m_due;
  std::uint64_t m_generation = 0;
  bool m_stopping = false;
  int m_exit_code = k_exit_ok;  // what run() returns once stopped
  bool m_stall_reported = false;
  CrawlWorker m_worker;  // last: its thread calls back into the members above
};

}  // namespace

int run_daemon(const GlobalOptions& global) {
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  auto writer = open_writer(context->database, context->settings.max_archive_size);
  if (!writer) {
    return writer.error();
  }
  auto reader = open_reader(context->database);
  if (!reader) {
    return reader.error();
  }
  for (const auto& warning : overlapping_scopes(context->settings)) {
    spdlog::warn("{}", warning);
  }
  Daemon daemon(find_config(global), std::move(context->settings), std::move(*writer),
                std::move(*reader));
  return daemon.run();
}

}  // namespace archiver
