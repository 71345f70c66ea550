#pragma once
// Many URLs of a crawl at once, through the FetchPipeline's three stages on three kinds of
// thread: prepare and store on the calling thread (the archive's one writer), fetch on the
// PoliteFetcher's event loop, decode and parse on a small worker pool (and what the writer has
// stored is freed on a thread of its own: store_all says why). What comes back is stored
// as it comes, in batches of one transaction each: a batch takes pages while they keep coming
// (each within k_linger of the last), for k_commit_after at most. A batch commits whole or not
// at all, so a kill at any moment loses at most the fetches of one batch, and the frontier still
// lists them.

#include "config/settings.hpp"
#include "fetch/polite_fetcher.hpp"
#include "pipeline/fetch_pipeline.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace archiver {

// Thrown out of a crawl asked to stop (SIGTERM): the crawl is abandoned between two batches,
// with everything fetched so far stored.
struct CrawlStopped {};

// How a page that cannot be stored is undone inside its batch. savepoint: each page is a
// savepoint of its own; its failure undoes only it, reported as the page's error, and the batch
// goes on. batch: pages have no savepoint (SQLite copies every database page a savepoint
// changes: the writer's work is a tenth less without, BENCHMARKS.md); a page that fails rolls the
// whole batch back, and run throws PageNotStoredAlone.
enum class PageUndo { savepoint, batch };

// Thrown out of run(source, PageUndo::batch) when a page could not be stored: its batch was
// rolled back, and the source knows of pages that are not in the archive. As after a kill, the
// crawl's frontier still lists what the batch held: a crawl run again (with page savepoints, so
// that the page fails alone) resumes from the archive, not from this source.
struct PageNotStoredAlone : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CrawlTarget {
  std::string url;
  FetchContext context;
  // robots.txt's Crawl-delay, when longer than the site's delay_per_host.
  std::optional<std::chrono::milliseconds> crawl_delay;
  // The crawl whose frontier lists this URL: the row goes when the page is stored.
  std::optional<std::int64_t> frontier_of;
};

// Where a crawl's targets come from while it runs: an e-paper's 版面 name the next pages, so
// the next ones are known only as pages come in. CrawlEngine::run asks for a target whenever its
// window has room; ids count the targets handed out in that run, from 0.
class TargetSource {
 public:
  TargetSource() = default;
  virtual ~TargetSource() = default;
  TargetSource(const TargetSource&) = delete;
  TargetSource& operator=(const TargetSource&) = delete;

  // The target to fetch as `id`, or nothing when none is known now: run ends when nothing is in
  // flight either.
  virtual std::optional<CrawlTarget> next(std::size_t id) = 0;
  // In the page's own savepoint: what must not part from the page.
  virtual void while_storing(std::size_t /*id*/, const FetchReport& /*report*/) {}
  // Once the page is stored, in its batch's transaction: what it names can be asked for at once
  // (the batch may stay open for half a second).
  virtual void stored(std::size_t /*id*/, const FetchReport& /*report*/) {}
  // Once its batch has committed.
  virtual void committed(std::size_t id, FetchReport report) = 0;
};

class CrawlEngine {
 public:
  using Stored = std::function<void(std::size_t index, const FetchReport& report)>;

  // read_back_articles: reports carry the stored articles as `fetch --json` prints them; without
  // it they carry only what the crawl counts (ids, versions, parsed fields).
  CrawlEngine(FetchPipeline& pipeline, ArchiveWriter& writer, PoliteFetcher& fetcher,
              bool read_back_articles);
  // Waits for the pool's running parses and the freer's frees; nothing else is waited for.
  ~CrawlEngine();
  CrawlEngine(const CrawlEngine&) = delete;
  CrawlEngine& operator=(const CrawlEngine&) = delete;

  // Checked while waiting; when it turns true every transfer is abandoned, the batch in hand is
  // committed and fetch_all or run throws CrawlStopped.
  void stop_when(const std::atomic<bool>* stop) { m_stop = stop; }

  // Each committed batch sets *progress to the steady clock's milliseconds: the daemon's sign
  // that the crawl moves (its watchdog).
  void report_progress_to(std::atomic<std::int64_t>* progress) { m_progress = progress; }

  // Fetches, parses and stores every target. while_storing sees each report inside its batch's
  // transaction (to write what must not part from the page); on_stored sees it once the batch
  // has committed. Returns the reports in the targets' order.
  // keep_reports false: reports are not kept once on_stored has seen them, and the returned
  // vector is empty (a stage of thousands of articles then holds none of them).
  std::vector<FetchReport> fetch_all(const std::vector<CrawlTarget>& targets,
                                     const Stored& on_stored = {}, const Stored& while_storing = {},
                                     bool keep_reports = true);

  // Fetches, parses and stores what the source hands out, asking for more as the window has
  // room and as pages are stored, until it has nothing more and nothing is in flight.
  void run(TargetSource& source, PageUndo undo = PageUndo::savepoint);

  // Pages taken from the finished ones at once, at most (the batch may go on taking more).
  static constexpr std::size_t k_max_batch = 256;
  // How long a batch stays open for more pages at most. A commit costs about the same however
  // much it holds (the B-tree pages it touched, a segment of the search index that is merged
  // later), so a crawl that commits what it has every few milliseconds writes several times
  // what it stores; a kill loses at most what was fetched in this long.
  static constexpr std::chrono::milliseconds k_commit_after{500};
  // How long an open batch waits for the next page before it commits.
  static constexpr std::chrono::milliseconds k_linger{5};
  // Requests handed to the fetcher and not yet stored, at most. In bytes, what the fetcher
  // hands over and the engine has not stored yet is bounded by the fetcher
  // (PoliteFetcher::k_max_held_bytes): a stage of big pages holds about that much, not its
  // page count times max_body. 256 keep the benchmark's 32 connections busy; 512 with sixteen
  // editions at once held more pages for little (21.3 s against 22.4 s, one run each, but
  // 68.3 MB peak RSS against 59.2, measured before the allocator's thresholds were fixed).
  static constexpr std::size_t k_window = 256;

 private:
  struct Finished {
    std::uint64_t generation = 0;
    std::size_t index = 0;
    std::optional<std::int64_t> frontier_of;  // the target's
    std::shared_ptr<const PreparedFetch> prepared;
    PoliteFetcher::Result result;
    ProcessedPage processed;
  };
  struct Inbox;
  struct StoredPage {
    std::size_t index = 0;  // of the target
    FetchReport report;
  };

  void submit(const CrawlTarget& target, std::uint64_t generation, std::size_t index);
  // Waits for finished pages until some come, a stop is asked for, or `until` passes.
  std::vector<Finished> wait_for_finished(
      std::optional<std::chrono::steady_clock::time_point> until);
  // Stores the pages of this run (dropping an earlier one's) in the open batch, adding their
  // reports to it; returns how many.
  std::size_t store_all(std::vector<Finished> finished, std::uint64_t generation,
                        TargetSource& source, PageUndo undo, std::vector<StoredPage>& batch);
  // One page inside the batch's transaction, undone as `undo` says when it fails.
  FetchReport store(Finished& done, TargetSource& source, PageUndo undo);
  // One page's stores: its failed attempts, then the answer.
  FetchReport store_page(Finished& done, TargetSource& source);
  bool stopping() const { return m_stop != nullptr && m_stop->load(); }

  FetchPipeline& m_pipeline;
  ArchiveWriter& m_writer;
  PoliteFetcher& m_fetcher;
  bool m_read_back_articles;
  const std::atomic<bool>* m_stop = nullptr;
  std::atomic<std::int64_t>* m_progress = nullptr;
  std::uint64_t m_generation = 0;
  std::uint64_t m_id;  // as the fetcher knows this engine (cancel)
  boost::asio::thread_pool m_parsers;
  boost::asio::thread_pool m_freer;  // frees what the writer has stored (store_all says why)
  std::shared_ptr<Inbox> m_inbox;    // shared with callbacks that may outlive a run
};

}  // namespace archiver
