#include "daemon/daemon.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "crawl/site_crawler.hpp"
#include "daemon/notify.hpp"
#include "scheduler/site_schedule.hpp"
#include "util/clock.hpp"
#include "util/timezone.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

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

using Clock = std::chrono::system_clock;

SysSeconds now_seconds() { return std::chrono::floor<std::chrono::seconds>(Clock::now()); }

// The worker: the archive's only writer. Crawls arrive as jobs, one at a time.
class CrawlWorker {
 public:
  using Done = std::function<void(const std::string& site, const CrawlStats& stats)>;

  CrawlWorker(std::unique_ptr<ArchiveWriter> writer, int max_connections, Done done)
      : m_writer(std::move(writer)),
        m_done(std::move(done)),
        m_fetcher(max_connections),
        m_thread([this] { loop(); }) {}

  ~CrawlWorker() { stop(); }
  CrawlWorker(const CrawlWorker&) = delete;
  CrawlWorker& operator=(const CrawlWorker&) = delete;

  // Queues a crawl of the site under these settings (kept alive by the job): of today's
  // edition or the lists, or of the target an interrupted crawl left unfinished.
  void submit(std::shared_ptr<const Settings> settings, std::string site,
              std::optional<std::string> target = {}) {
    {
      const std::scoped_lock lock(m_mutex);
      m_jobs.push_back({std::move(settings), std::move(site), std::move(target)});
    }
    m_wake.notify_one();
  }

  // Asks the crawl in progress to stop between two fetches, drops queued ones, and joins.
  void stop() {
    {
      const std::scoped_lock lock(m_mutex);
      m_stopping = true;
      m_jobs.clear();
    }
    m_abandon = true;
    m_wake.notify_one();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }

  std::string current() {
    const std::scoped_lock lock(m_mutex);
    return m_current;
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
          return;
        }
        job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_current = job.site;
      }
      const CrawlStats stats = crawl(job);
      {
        const std::scoped_lock lock(m_mutex);
        m_current.clear();
      }
      m_done(job.site, stats);
    }
  }

  CrawlStats crawl(const Job& job) {
    const SiteSettings* site = job.settings->site_named(job.site);
    if (site == nullptr) {
      return {};  // removed by a reload while queued
    }
    try {
      m_writer->limit_size(job.settings->max_archive_size);  // a reload may have changed it
      FetchPipeline pipeline(*job.settings, *m_writer);
      pipeline.abort_when(&m_abandon);
      SiteCrawler crawler(*site, *m_writer, pipeline, m_fetcher, nullptr, job.settings->user_agent);
      crawler.stop_when(&m_abandon);
      if (site->parser != ParserKind::epaper) {
        return crawler.crawl_lists();
      }
      auto day = job.target ? parse_iso_day(*job.target) : std::nullopt;
      if (!day) {
        day = local_day_in(site->timezone, now_seconds());
      }
      return crawler.crawl_editions({day.value_or(*parse_iso_day(today_iso()))});
    } catch (const CrawlStopped&) {
      spdlog::info("{}: crawl abandoned (stopping)", job.site);
    } catch (const sqlite::StoreError& error) {
      spdlog::error("{}: cannot store the crawl of {}: {}{}", m_writer->database().path().string(),
                    job.site, error.what(), error.is_full() ? sqlite::full_archive_advice : "");
    } catch (const std::exception& error) {
      spdlog::error("{}: crawl failed: {}", job.site, error.what());
    }
    CrawlStats failed;
    failed.errors = 1;
    failed.result = "failed";
    return failed;
  }

  std::unique_ptr<ArchiveWriter> m_writer;
  Done m_done;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Job> m_jobs;
  std::string m_current;
  bool m_stopping = false;
  std::atomic<bool> m_abandon{false};
  // One for every crawl: the politeness limits hold across sites sharing a host.
  PoliteFetcher m_fetcher;
  std::thread m_thread;  // last: it starts once everything above exists
};

class Daemon {
 public:
  Daemon(std::filesystem::path config, Settings settings, std::unique_ptr<ArchiveWriter> writer,
         std::unique_ptr<ArchiveReader> reader)
      : m_config(std::move(config)),
        m_unfinished(writer->unfinished_crawls()),
        m_settings(std::make_shared<const Settings>(std::move(settings))),
        m_reader(std::move(reader)),
        m_signals(m_io, SIGINT, SIGTERM, SIGHUP),
        m_watchdog(m_io),
        m_worker(std::move(writer), m_settings->fetch.max_connections,
                 [this](const std::string& site, const CrawlStats& stats) {
                   // Back on the loop's thread: the worker never touches timers.
                   boost::asio::post(m_io, [this, site, stats] { crawled(site, stats); });
                 }) {}

  int run() {
    wait_for_signals();
    resume_unfinished();
    schedule_all();
    start_watchdog();
    notify_ready();
    report_status();
    spdlog::info("archiver running: {} sites scheduled", m_timers.size());
    m_io.run();
    return k_exit_ok;
  }

 private:
  void wait_for_signals() {
    m_signals.async_wait([this](const boost::system::error_code& error, int signal) {
      if (error) {
        return;
      }
      if (signal == SIGHUP) {
        reload();
        wait_for_signals();
        return;
      }
      stop(signal);
    });
  }

  void stop(int signal) {
    spdlog::info("{}: stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
    notify_stopping();
    for (auto& [name, timer] : m_timers) {
      timer->cancel();
    }
    m_timers.clear();
    m_watchdog.cancel();
    // The worker abandons its crawl between two fetches; what it stored stays stored.
    m_worker.stop();
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
    } else {
      m_settings = std::make_shared<const Settings>(std::move(*loaded));
      for (auto& [name, timer] : m_timers) {
        timer->cancel();
      }
      m_timers.clear();
      schedule_all();
      spdlog::info("reload: {} sites scheduled", m_timers.size());
    }
    notify_ready();
    report_status();
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

  std::optional<SysSeconds> last_run(const std::string& site) {
    const auto crawls = m_reader->recent_crawls(site, 1);
    if (crawls.empty()) {
      return std::nullopt;
    }
    return parse_utc_iso(crawls.front().started_at);
  }

  void schedule_all() {
    for (const auto& site : m_settings->sites) {
      schedule(site, last_run(site.name));
    }
  }

  void schedule(const SiteSettings& site, std::optional<SysSeconds> after) {
    const auto plan = next_due(site, after, now_seconds());
    if (!plan) {
      return;  // manual crawls only
    }
    if (plan->missed) {
      spdlog::info("{}: a run was missed while archiver was down; running it now", site.name);
    }
    auto& timer = m_timers[site.name];
    timer = std::make_unique<boost::asio::steady_timer>(m_io);
    timer->expires_after(std::max(std::chrono::seconds(0), plan->due - now_seconds()));
    m_due[site.name] = plan->due;
    timer->async_wait([this, name = site.name](const boost::system::error_code& error) {
      if (!error) {
        m_due.erase(name);
        m_worker.submit(m_settings, name);
        report_status();
      }
    });
  }

  void crawled(const std::string& name, const CrawlStats& stats) {
    spdlog::info("{}: crawl {}: {} articles, {} revisited, {} errors", name, stats.result,
                 stats.articles, stats.revisited, stats.errors);
    const SiteSettings* site = m_settings->site_named(name);
    if (site != nullptr && !m_timers.empty()) {
      // An edition not out yet is tried again within the hour, not at tomorrow's slot.
      if (stats.result == "missing" && site->parser == ParserKind::epaper) {
        auto& timer = m_timers[name];
        timer = std::make_unique<boost::asio::steady_timer>(m_io, std::chrono::hours(1));
        m_due[name] = now_seconds() + std::chrono::hours(1);
        timer->async_wait([this, name](const boost::system::error_code& error) {
          if (!error) {
            m_due.erase(name);
            m_worker.submit(m_settings, name);
          }
        });
      } else {
        schedule(*site, now_seconds());
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

  // WATCHDOG=1 from the event loop itself: if the loop hangs, systemd notices.
  void start_watchdog() {
    const auto interval = watchdog_interval();
    if (!interval) {
      return;
    }
    m_watchdog.expires_after(*interval / 2);
    m_watchdog.async_wait([this](const boost::system::error_code& error) {
      if (!error) {
        notify_watchdog();
        start_watchdog();
      }
    });
  }

  std::filesystem::path m_config;
  std::vector<UnfinishedCrawl> m_unfinished;  // read before the worker owns the archive
  std::shared_ptr<const Settings> m_settings;
  std::unique_ptr<ArchiveReader> m_reader;
  boost::asio::io_context m_io;
  boost::asio::signal_set m_signals;
  boost::asio::steady_timer m_watchdog;
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> m_timers;
  std::map<std::string, SysSeconds> m_due;
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
  Daemon daemon(find_config(global), std::move(context->settings), std::move(*writer),
                std::move(*reader));
  return daemon.run();
}

}  // namespace archiver
