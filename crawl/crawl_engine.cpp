#include "crawl/crawl_engine.hpp"

#include "store/store_error.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace archiver {

// Where finished pages wait for the writer. Fetch completions and parses hold it by shared_ptr:
// once closed (the engine is going away) they drop their work instead of using the pool.
struct CrawlEngine::Inbox {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<Finished> finished;
  bool closed = false;
};

namespace {

// Body bytes the fetcher handed over and a batch holds, given back when the batch is gone
// (those handed on to the freer thread are given back by it, once freed).
class HeldBytes {
 public:
  explicit HeldBytes(PoliteFetcher& fetcher) : m_fetcher(fetcher) {}
  ~HeldBytes() { m_fetcher.release(m_bytes); }
  HeldBytes(const HeldBytes&) = delete;
  HeldBytes& operator=(const HeldBytes&) = delete;

  template <class Batch>
  void add(const Batch& batch) {
    for (const auto& done : batch) {
      m_bytes += done.result.response.body.size();
    }
  }
  void hand_on(std::uint64_t bytes) { m_bytes -= bytes; }

 private:
  PoliteFetcher& m_fetcher;
  std::uint64_t m_bytes = 0;
};

std::uint64_t next_engine_id() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

unsigned parser_threads() {
  // Parsing is the CPU work of a crawl; the fetch loop and the writer need little.
  return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

}  // namespace

CrawlEngine::CrawlEngine(FetchPipeline& pipeline, ArchiveWriter& writer, PoliteFetcher& fetcher,
                         bool read_back_articles)
    : m_pipeline(pipeline),
      m_writer(writer),
      m_fetcher(fetcher),
      m_read_back_articles(read_back_articles),
      m_id(next_engine_id()),
      m_parsers(parser_threads()),
      m_freer(1),
      m_inbox(std::make_shared<Inbox>()) {}

CrawlEngine::~CrawlEngine() {
  // A crawl that ended by an exception leaves requests queued: the shared fetcher must not
  // spend its politeness budget on pages nobody will store.
  m_fetcher.cancel(m_id);
  {
    const std::scoped_lock lock(m_inbox->mutex);
    m_inbox->closed = true;
  }
  m_parsers.join();
  m_freer.join();
  // Answers that came back and will not be stored now: the fetcher holds them no longer (it is
  // shared by the daemon's later crawls, which would otherwise wait for them for ever).
  std::uint64_t unstored = 0;
  const std::scoped_lock lock(m_inbox->mutex);
  for (const Finished& done : m_inbox->finished) {
    unstored += done.result.response.body.size();
  }
  m_inbox->finished.clear();
  m_fetcher.release(unstored);
}

namespace {

// fetch_all's targets, handed out in order; the reports kept in the same order.
class FixedTargets final : public TargetSource {
 public:
  FixedTargets(const std::vector<CrawlTarget>& targets, const CrawlEngine::Stored& on_stored,
               const CrawlEngine::Stored& while_storing, bool keep_reports)
      : m_targets(targets),
        m_on_stored(on_stored),
        m_while_storing(while_storing),
        m_reports(keep_reports ? targets.size() : 0) {}

  std::optional<CrawlTarget> next(std::size_t id) override {
    if (id >= m_targets.size()) {
      return std::nullopt;
    }
    return m_targets[id];
  }
  void while_storing(std::size_t id, const FetchReport& report) override {
    if (m_while_storing) {
      m_while_storing(id, report);
    }
  }
  void committed(std::size_t id, FetchReport report) override {
    if (m_on_stored) {
      m_on_stored(id, report);
    }
    if (!m_reports.empty()) {
      m_reports[id] = std::move(report);
    }
  }
  std::vector<FetchReport> take_reports() { return std::move(m_reports); }

 private:
  const std::vector<CrawlTarget>& m_targets;
  const CrawlEngine::Stored& m_on_stored;
  const CrawlEngine::Stored& m_while_storing;
  std::vector<FetchReport> m_reports;
};

}  // namespace

std::vector<FetchReport> CrawlEngine::fetch_all(const std::vector<CrawlTarget>& targets,
                                                const Stored& on_stored,
                                                const Stored& while_storing, bool keep_reports) {
  FixedTargets source(targets, on_stored, while_storing, keep_reports);
  run(source);
  return source.take_reports();
}

void CrawlEngine::run(TargetSource& source, PageUndo undo) {
  const std::uint64_t generation = ++m_generation;
  std::size_t submitted = 0;
  std::size_t stored = 0;
  // Requests go to the fetcher a window at a time, so that a crawl of many thousand URLs holds
  // only so many prepared requests and answers at once.
  const auto submit_window = [&] {
    while (submitted - stored < k_window) {
      std::optional<CrawlTarget> target = source.next(submitted);
      if (!target) {
        break;
      }
      submit(*target, generation, submitted);
      ++submitted;
    }
  };
  submit_window();
  while (stored < submitted) {
    std::vector<Finished> first = wait_for_finished(std::nullopt);
    std::vector<StoredPage> batch;
    if (!first.empty()) {
      // One transaction while pages keep coming, up to k_commit_after: every commit writes the
      // pages it touched and a segment of the search index, so fewer and larger batches write
      // less. Once none comes within k_linger the batch commits: a slow or polite crawl keeps
      // no stored page uncommitted for longer than that.
      auto transaction =
          undo == PageUndo::batch ? m_writer.begin_unguarded_batch() : m_writer.begin_batch();
      const auto commit_by = std::chrono::steady_clock::now() + k_commit_after;
      std::size_t more = store_all(std::move(first), generation, source, undo, batch);
      stored += more;
      while (more > 0 && !stopping()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= commit_by) {
          break;
        }
        submit_window();  // what the pages stored so far name, too
        if (stored == submitted) {
          break;
        }
        more = store_all(wait_for_finished(std::min(commit_by, now + k_linger)), generation, source,
                         undo, batch);
        stored += more;
      }
      transaction.commit();
    }
    if (!batch.empty() && m_progress != nullptr) {
      m_progress->store(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count());
    }
    for (StoredPage& page : batch) {
      source.committed(page.index, std::move(page.report));
    }
    if (stopping()) {
      if (stored < submitted) {
        m_fetcher.abandon_all();
      }
      throw CrawlStopped{};  // what came back as the stop began may be cut short: not finished
    }
    submit_window();
  }
  if (stopping()) {
    throw CrawlStopped{};
  }
}

std::size_t CrawlEngine::store_all(std::vector<Finished> finished, std::uint64_t generation,
                                   TargetSource& source, PageUndo undo,
                                   std::vector<StoredPage>& batch) {
  // The fetcher holds back new transfers while what it handed over is not stored: these bytes
  // are released once they are gone, however this ends (declared first, so it goes last).
  HeldBytes held(m_fetcher);
  std::vector<Finished> pages = std::move(finished);
  held.add(pages);
  // What is left of the pages (their bodies, text and parses) is freed on a thread of its own:
  // glibc's malloc gives each thread an arena, and a free takes the lock of the arena the block
  // came from, held often by a parse thread busy allocating, or preempted with it. The writer,
  // the crawl's busiest thread, slept at those locks for a seventh of a crawl. The bodies' bytes
  // stay counted against the fetcher's bound until they are freed. Handed on a few at a time:
  // each hand-over may wake the thread (a system call on either side), and a few pages wait
  // for the next one at most.
  constexpr std::size_t k_freed_together = 16;
  std::vector<Finished> leftovers;
  std::uint64_t leftover_bytes = 0;
  const auto hand_on = [&] {
    held.hand_on(leftover_bytes);
    boost::asio::post(m_freer, [fetcher = &m_fetcher, gone = std::move(leftovers),
                                bytes = leftover_bytes]() mutable {
      gone = {};
      fetcher->release(bytes);
    });
    leftovers = {};
    leftover_bytes = 0;
  };
  std::size_t count = 0;
  for (Finished& done : pages) {
    if (done.generation == generation) {  // else an earlier run's, ended by an exception
      FetchReport report = store(done, source, undo);
      source.stored(done.index, report);
      batch.push_back({.index = done.index, .report = std::move(report)});
      ++count;
    }
    leftover_bytes += done.result.response.body.size();
    leftovers.push_back(std::move(done));
    if (leftovers.size() == k_freed_together) {
      hand_on();
    }
  }
  if (!leftovers.empty()) {
    hand_on();
  }
  return count;
}

void CrawlEngine::submit(const CrawlTarget& target, std::uint64_t generation, std::size_t index) {
  auto prepared =
      std::make_shared<const PreparedFetch>(m_pipeline.prepare(target.url, target.context));
  FetchSettings politeness =
      prepared->site != nullptr ? prepared->site->fetch : m_pipeline.settings().fetch;
  if (target.crawl_delay) {
    politeness.delay_per_host = std::max(politeness.delay_per_host, *target.crawl_delay);
  }
  m_fetcher.submit(
      prepared->request, politeness,
      [inbox = m_inbox, pool = &m_parsers, fetcher = &m_fetcher, generation, index,
       frontier_of = target.frontier_of, prepared](PoliteFetcher::Result result) mutable {
        const std::scoped_lock lock(inbox->mutex);
        if (inbox->closed) {
          fetcher->release(result.response.body.size());  // nobody will store it
          return;  // the engine is gone, and its pool with it
        }
        boost::asio::post(
            *pool, [inbox, fetcher, generation, index, frontier_of, prepared = std::move(prepared),
                    result = std::move(result)]() mutable {
              ProcessedPage processed;
              try {
                processed = FetchPipeline::process(*prepared, result.response);
              } catch (const std::exception& error) {
                // Out of memory, a failing library: this page fails, the crawl goes
                // on.
                processed = ProcessedPage{};
                processed.parse_error = error.what();
              }
              const std::scoped_lock inner(inbox->mutex);
              if (inbox->closed) {
                fetcher->release(result.response.body.size());  // nobody will store it
                return;
              }
              inbox->finished.push_back({.generation = generation,
                                         .index = index,
                                         .frontier_of = frontier_of,
                                         .prepared = std::move(prepared),
                                         .result = std::move(result),
                                         .processed = std::move(processed)});
              inbox->ready.notify_one();
            });
      },
      m_id);
}

FetchReport CrawlEngine::store(Finished& done, TargetSource& source, PageUndo undo) {
  const auto& response = done.result.response;
  if (stopping() && !response.ok()) {
    // A transfer cut short by the stop says nothing about the page: nothing is logged, and
    // its frontier row stays for the resumed crawl.
    FetchReport report;
    report.url = done.prepared->url;
    report.error = response.error;
    return report;
  }
  try {
    if (undo == PageUndo::batch) {
      auto page = m_writer.begin_unguarded_page();
      FetchReport report = store_page(done, source);
      page.end();
      return report;
    }
    auto page = m_writer.begin_page();  // a savepoint: all of this page or none
    FetchReport report = store_page(done, source);
    page.commit();
    return report;
  } catch (const std::exception& error) {
    const auto* store_error = dynamic_cast<const StoreError*>(&error);
    if (!m_writer.in_transaction() || (store_error != nullptr && store_error->is_full())) {
      // The batch cannot be stored (SQLite rolled it back, or there is no room): the crawl
      // stops, unfinished, and its frontier still lists what this batch held.
      throw;
    }
    if (undo == PageUndo::batch) {
      // What the page wrote cannot be told from the rest of the batch: all of it goes (the
      // batch's transaction is rolled back as this leaves run). What this run queued is not
      // fetched for nothing meanwhile (at a polite pace, minutes ahead of the crawl run again).
      m_fetcher.cancel(m_id);
      throw PageNotStoredAlone(done.prepared->url + ": " + error.what());
    }
    // This page's savepoint is undone; the rest of the batch stands.
    m_writer.page_undone();
    spdlog::error("{}: cannot store: {}", done.prepared->url, error.what());
    FetchReport report;
    report.url = done.prepared->url;
    report.error = std::string("cannot store: ") + error.what();
    return report;
  }
}

FetchReport CrawlEngine::store_page(Finished& done, TargetSource& source) {
  // Every attempt is in the fetch log, the failed ones before the last.
  for (const FetchResponse& attempt : done.result.failed_attempts) {
    ProcessedPage unparsed;  // a failed attempt has nothing parsed
    static_cast<void>(m_pipeline.store(*done.prepared, attempt, unparsed, false));
  }
  FetchReport report =
      m_pipeline.store(*done.prepared, done.result.response, done.processed, m_read_back_articles);
  if (done.frontier_of && report.outcome != Outcome::error) {
    m_writer.remove_from_frontier(*done.frontier_of, done.prepared->url);
  }
  source.while_storing(done.index, report);
  return report;
}

std::vector<CrawlEngine::Finished> CrawlEngine::wait_for_finished(
    std::optional<std::chrono::steady_clock::time_point> until) {
  std::unique_lock lock(m_inbox->mutex);
  // In slices, so that a stop request is seen within a tenth of a second.
  while (m_inbox->finished.empty() && !stopping() &&
         (!until || std::chrono::steady_clock::now() < *until)) {
    const auto slice = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    m_inbox->ready.wait_until(lock, until ? std::min(slice, *until) : slice);
  }
  std::vector<Finished> batch;
  while (!m_inbox->finished.empty() && batch.size() < k_max_batch) {
    batch.push_back(std::move(m_inbox->finished.front()));
    m_inbox->finished.pop_front();
  }
  return batch;
}

}  // namespace archiver
