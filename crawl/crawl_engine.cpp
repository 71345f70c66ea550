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

std::vector<FetchReport> CrawlEngine::fetch_all(const std::vector<CrawlTarget>& targets,
                                                const Stored& on_stored,
                                                const Stored& while_storing, bool keep_reports) {
  const std::uint64_t generation = ++m_generation;
  std::vector<FetchReport> reports(keep_reports ? targets.size() : 0);
  std::size_t submitted = 0;
  std::size_t stored = 0;
  // Requests go to the fetcher a window at a time, so that a stage of many thousand URLs holds
  // only so many prepared requests and answers at once.
  const auto submit_window = [&] {
    while (submitted < targets.size() && submitted - stored < k_window) {
      submit(targets[submitted], generation, submitted);
      ++submitted;
    }
  };
  while (stored < targets.size()) {
    submit_window();
    std::vector<Finished> first = wait_for_finished(std::nullopt);
    std::vector<StoredPage> batch;
    if (!first.empty()) {
      // One transaction while pages keep coming, up to k_commit_after: every commit writes the
      // pages it touched and a segment of the search index, so fewer and larger batches write
      // less. Once none comes within k_linger the batch commits: a slow or polite crawl keeps
      // no stored page uncommitted for longer than that.
      auto transaction = m_writer.begin_batch();
      const auto commit_by = std::chrono::steady_clock::now() + k_commit_after;
      std::size_t more = store_all(std::move(first), generation, targets, while_storing, batch);
      stored += more;
      while (more > 0 && stored < targets.size() && !stopping()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= commit_by) {
          break;
        }
        submit_window();
        more = store_all(wait_for_finished(std::min(commit_by, now + k_linger)), generation,
                         targets, while_storing, batch);
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
      if (on_stored) {
        on_stored(page.index, page.report);
      }
      if (keep_reports) {
        reports[page.index] = std::move(page.report);
      }
    }
    if (stopping() && stored < targets.size()) {
      m_fetcher.abandon_all();
      throw CrawlStopped{};
    }
  }
  if (stopping()) {
    throw CrawlStopped{};  // what came back as the stop began may be cut short: not finished
  }
  return reports;
}

std::size_t CrawlEngine::store_all(std::vector<Finished> finished, std::uint64_t generation,
                                   const std::vector<CrawlTarget>& targets,
                                   const Stored& while_storing, std::vector<StoredPage>& batch) {
  // The fetcher holds back new transfers while what it handed over is not stored: these bytes
  // are released once they are gone, however this ends (declared first, so it goes last).
  HeldBytes held(m_fetcher);
  std::vector<Finished> pages = std::move(finished);
  held.add(pages);
  std::size_t count = 0;
  for (Finished& done : pages) {
    if (done.generation == generation) {  // else an earlier fetch_all's, ended by an exception
      batch.push_back(
          {.index = done.index, .report = store(done, targets[done.index], while_storing)});
      ++count;
    }
    // What is left of the page (its body, text and parse) is freed on a thread of its own:
    // glibc's malloc gives each thread an arena, and a free takes the lock of the arena the
    // block came from, held often by a parse thread busy allocating, or preempted with it. The
    // writer, the crawl's busiest thread, slept at those locks for a seventh of a crawl. The
    // body's bytes stay counted against the fetcher's bound until they are freed.
    const std::uint64_t bytes = done.result.response.body.size();
    held.hand_on(bytes);
    boost::asio::post(m_freer, [fetcher = &m_fetcher, leftover = std::move(done), bytes]() mutable {
      leftover = {};
      fetcher->release(bytes);
    });
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
       prepared](PoliteFetcher::Result result) mutable {
        const std::scoped_lock lock(inbox->mutex);
        if (inbox->closed) {
          fetcher->release(result.response.body.size());  // nobody will store it
          return;  // the engine is gone, and its pool with it
        }
        boost::asio::post(*pool, [inbox, fetcher, generation, index, prepared = std::move(prepared),
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
                                     .prepared = std::move(prepared),
                                     .result = std::move(result),
                                     .processed = std::move(processed)});
          inbox->ready.notify_one();
        });
      },
      m_id);
}

FetchReport CrawlEngine::store(Finished& done, const CrawlTarget& target,
                               const Stored& while_storing) {
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
    auto page = m_writer.begin_page();  // a savepoint: all of this page or none
    // Every attempt is in the fetch log, the failed ones before the last.
    for (const FetchResponse& attempt : done.result.failed_attempts) {
      ProcessedPage unparsed;  // a failed attempt has nothing parsed
      static_cast<void>(m_pipeline.store(*done.prepared, attempt, unparsed, false));
    }
    FetchReport report =
        m_pipeline.store(*done.prepared, response, done.processed, m_read_back_articles);
    if (target.frontier_of && report.outcome != Outcome::error) {
      m_writer.remove_from_frontier(*target.frontier_of, done.prepared->url);
    }
    if (while_storing) {
      while_storing(done.index, report);
    }
    page.commit();
    return report;
  } catch (const std::exception& error) {
    const auto* store_error = dynamic_cast<const StoreError*>(&error);
    if (!m_writer.in_transaction() || (store_error != nullptr && store_error->is_full())) {
      // The batch cannot be stored (SQLite rolled it back, or there is no room): the crawl
      // stops, unfinished, and its frontier still lists what this batch held.
      throw;
    }
    // This page's savepoint is undone; the rest of the batch stands.
    spdlog::error("{}: cannot store: {}", done.prepared->url, error.what());
    FetchReport report;
    report.url = done.prepared->url;
    report.error = std::string("cannot store: ") + error.what();
    return report;
  }
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
