// An e-paper's editions, streamed through the CrawlEngine (SiteCrawler::EditionStream, a
// TargetSource). Each edition reads its first page, then the 版面 it names (and any those name),
// then the articles they list; the engine fetches for many editions at once and takes each
// edition's next round as soon as the last page of its round is stored. 版面 go first: they name
// what comes next. New editions begin while the articles queued run low.
//
// Why: a round waits for the one before it (its URLs are on those pages). One edition alone has
// rounds of one, seven and eighty pages, and the parsers waited for the writer at each round's
// end. Groups of sixteen editions, three in flight, still drained at each stage's end: the parse
// pool idle while the writer stored a stage's last window and committed, every 550-650 ms of a
// benchmark crawl. A stream drains only before an edition that an interrupted crawl left (it goes
// alone), and at its end.
//
// Each edition's record is written in the order the editions began, once it and those before it
// are done, with the assets its pages refer to fetched first (the writer waits for them while the
// engine's pages wait, up to its window; the fetcher starts asset transfers even when it holds
// back pages). The assets earlier crawls left due are fetched with the last record, when nothing
// else is in flight: before, the pages of the editions in flight would be due as well, and their
// assets counted in the wrong record.

#include "crawl/site_crawler.hpp"
#include "util/clock.hpp"
#include "util/url.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace archiver {

class SiteCrawler::EditionStream final : public TargetSource {
 public:
  EditionStream(SiteCrawler& crawler, const std::vector<std::chrono::year_month_day>& days,
                CrawlStats& total)
      : m_crawler(crawler), m_days(days), m_total(total) {}

  std::optional<CrawlTarget> next(std::size_t id) override {
    take_answered();
    begin_editions();
    take_answered();  // a resumed edition's pages may be answered from the archive
    std::deque<Queued>& queue = !m_pages.empty() ? m_pages : m_articles;
    if (queue.empty()) {
      return std::nullopt;
    }
    Queued queued = std::move(queue.front());
    queue.pop_front();
    m_asked.emplace(id, queued.slot);
    return std::move(queued.target);
  }

  void stored(std::size_t id, const FetchReport& report) override {
    // Stopping, a page may be cut short: taken, it would end its round without what it lists.
    // The edition stays unfinished, and the resumed crawl reads it again.
    if (!stopping()) {
      take(m_asked.at(id), report);
    }
  }

  void committed(std::size_t id, FetchReport report) override {
    const auto asked = m_asked.find(id);
    const Slot slot = asked->second;
    m_asked.erase(asked);
    m_crawler.report_stored(report, slot.crawl->due_assets, slot.crawl->waiting);
    --slot.crawl->unsettled;
    record_done(false);
  }

  // After a run, with nothing in flight: the records of the editions done, the last with the
  // assets earlier crawls left due.
  void settle() {
    take_answered();
    record_done(true);
  }

  // Nothing to do for now: nothing in flight, queued or begun and unrecorded, and no day left to
  // begin (or one must wait: an interrupted edition, or one that goes alone).
  [[nodiscard]] bool at_rest() const {
    return m_editions.empty() && m_pages.empty() && m_articles.empty() && m_answered.empty() &&
           !may_begin_more();
  }

  // An edition an interrupted crawl left, found as it began: it waits until the stream is at rest.
  struct Interrupted {
    EditionCrawl crawl;
    CrawlStart start;
  };
  std::optional<Interrupted> take_interrupted() { return std::exchange(m_interrupted, {}); }

  // The edition goes alone: no other begins until it is recorded.
  void begin_alone(EditionCrawl crawl) {
    m_alone = true;
    begin(std::move(crawl));
  }
  void end_alone() { m_alone = false; }

  // Editions whose 版面 are still being read, at most, and articles queued, below which another
  // edition begins. Reading ahead covers the rounds an edition takes to list its articles
  // (each waits behind the engine's window); the articles queued keep the window full meanwhile.
  static constexpr std::size_t k_reading_ahead = 8;
  static constexpr std::size_t k_articles_ahead = 1024;

 private:
  // What a target is to its edition: one of its round of 版面 (at `position`) or an article.
  struct Slot {
    EditionCrawl* crawl = nullptr;
    std::size_t position = 0;
    bool page = false;
  };
  struct Queued {
    CrawlTarget target;
    Slot slot;
  };

  void begin_editions() {
    while (may_begin_more() && !stopping() && m_reading < k_reading_ahead &&
           m_articles.size() < k_articles_ahead && m_editions.size() < k_editions_in_flight) {
      const std::size_t index = m_next_day++;
      if (m_crawler.m_on_edition) {
        m_crawler.m_on_edition(index + 1, m_days.size(), m_days[index]);
      }
      EditionCrawl crawl{.day = m_days[index], .edition = day_iso(m_days[index])};
      const CrawlStart start = m_crawler.m_writer.begin_crawl(m_crawler.m_site.name, crawl.edition);
      crawl.crawl_id = start.id;
      if (!start.done_before.empty() || !start.pending.empty()) {
        // An interrupted crawl of this edition: it goes on alone, with what it left in the
        // frontier, and what it fetched since it began (of any edition of the site) is read
        // back, not fetched again; only this edition's crawl may do that.
        m_interrupted = Interrupted{.crawl = std::move(crawl), .start = start};
        return;
      }
      begin(std::move(crawl));
    }
  }

  void begin(EditionCrawl crawl) {
    const std::string first_url =
        normal_or_same(expand_edition_url(m_crawler.m_site.edition_url, crawl.day));
    spdlog::info("{}: edition {} from {}", m_crawler.m_site.name, crawl.edition, first_url);
    crawl.page_urls.push_back(first_url);
    m_crawler.m_visited.insert(first_url);
    m_editions.push_back(std::move(crawl));
    ++m_reading;
    ask_round(m_editions.back());
  }

  // The edition's 版面 not asked for yet, at once.
  void ask_round(EditionCrawl& crawl) {
    const std::size_t count = crawl.page_urls.size() - crawl.pages_asked;
    crawl.round.assign(count, {});
    crawl.round_left = count;
    for (std::size_t position = 0; position < count; ++position) {
      CrawlTarget page = m_crawler.target(crawl.page_urls[crawl.pages_asked], true);
      // A 404 or 410 of the first page is a day without an edition, logged as such.
      page.context.edition_start = crawl.pages_asked == 0;
      ++crawl.pages_asked;
      ask(std::move(page), {.crawl = &crawl, .position = position, .page = true});
    }
  }

  void ask(CrawlTarget target, Slot slot) {
    ++slot.crawl->unsettled;
    if (std::optional<FetchReport> answer = m_crawler.answer_unfetched(target)) {
      m_answered.emplace_back(slot, std::move(*answer));  // taken in turn, not from in here
      return;
    }
    (slot.page ? m_pages : m_articles).push_back({.target = std::move(target), .slot = slot});
  }

  void take_answered() {
    while (!m_answered.empty()) {
      auto [slot, report] = std::move(m_answered.front());
      m_answered.pop_front();
      take(slot, report);
      --slot.crawl->unsettled;
    }
  }

  // A page's report, for what its edition does next: the last of a round of 版面 brings the next
  // round, or once every 版面 is in, the articles they list (a printed edition is not revisited,
  // list sites' articles are: fetch_frontier).
  void take(const Slot& slot, const FetchReport& report) {
    EditionCrawl& crawl = *slot.crawl;
    if (!slot.page) {
      m_crawler.count_article(report, crawl.stats);
      return;
    }
    crawl.round[slot.position] = report;
    if (--crawl.round_left > 0) {
      return;
    }
    m_crawler.take_edition_pages(crawl, std::exchange(crawl.round, {}));
    if (!crawl.ended && crawl.pages_asked < crawl.page_urls.size()) {
      ask_round(crawl);
      return;
    }
    crawl.listed = true;
    --m_reading;
    if (!crawl.ended) {
      for (const FrontierEntry& entry : m_crawler.edition_articles(crawl)) {
        ask(m_crawler.frontier_target(entry, crawl.crawl_id), {.crawl = &crawl});
      }
    }
    crawl.pages = {};  // what the articles needed of them is in their targets
  }

  // The records of the editions done, from the oldest begun. The last waits for the stream to
  // be at rest, to fetch the assets earlier crawls left due with it.
  void record_done(bool at_rest) {
    while (!stopping() && !m_editions.empty() && m_editions.front().listed &&
           m_editions.front().unsettled == 0) {
      const bool last = m_editions.size() == 1 && !may_begin_more();
      if (last && !at_rest) {
        return;
      }
      EditionCrawl& crawl = m_editions.front();
      fetch_assets_of(crawl);
      crawl.stats = m_crawler.finish(crawl.crawl_id, crawl.edition, crawl.stats, at_rest);
      m_crawler.m_results[crawl.edition] = crawl.stats.result;
      m_total += crawl.stats;
      m_editions.pop_front();
    }
  }

  // Whether another edition may begin in this stream, now or later.
  [[nodiscard]] bool may_begin_more() const {
    return !m_alone && !m_interrupted && m_next_day < m_days.size();
  }

  // The assets its pages stored so far refer to, into its figures; then the reports waiting for
  // them.
  void fetch_assets_of(EditionCrawl& crawl) {
    m_crawler.fetch_assets(std::exchange(crawl.due_assets, {}));
    crawl.stats += m_crawler.m_asset_stats;
    m_crawler.m_asset_stats = {};
    m_crawler.show_waiting(std::exchange(crawl.waiting, {}));
  }

  [[nodiscard]] bool stopping() const {
    return m_crawler.m_stop != nullptr && m_crawler.m_stop->load();
  }

  SiteCrawler& m_crawler;
  const std::vector<std::chrono::year_month_day>& m_days;
  CrawlStats& m_total;
  std::size_t m_next_day = 0;
  std::deque<EditionCrawl> m_editions;  // begun and not recorded, in order (references stay)
  std::size_t m_reading = 0;            // of them, not listed yet
  std::deque<Queued> m_pages;           // 版面 to ask for, first
  std::deque<Queued> m_articles;
  std::deque<std::pair<Slot, FetchReport>> m_answered;  // without a fetch, to take in turn
  std::unordered_map<std::size_t, Slot> m_asked;        // by the engine's id
  std::optional<Interrupted> m_interrupted;
  bool m_alone = false;
};

CrawlStats SiteCrawler::crawl_editions(const std::vector<std::chrono::year_month_day>& days) {
  CrawlStats total;
  if (m_site.fetch.obey_robots && !days.empty()) {
    // Fetched now, not by the first target inside a batch (its transaction would stay open as
    // long); other hosts' are fetched as they come.
    static_cast<void>(robots_for(expand_edition_url(m_site.edition_url, days.front())));
  }
  // Where reports wait for their edition's assets (as stored: `fetch --json`), a page keeps its
  // savepoint: an undone batch would take with it reports of committed pages not shown yet.
  const PageUndo undo = m_reports_as_stored ? PageUndo::savepoint : PageUndo::batch;
  try {
    stream_editions(days, total, undo);
  } catch (const PageNotStoredAlone& failure) {
    // Its batch is undone. What this crawl saw of the pages in it is forgotten, as a killed
    // crawl's is; the days not recorded yet are crawled again from the archive (an edition
    // begun resumes from its frontier), each page in a savepoint of its own: the page that
    // failed fails alone now.
    spdlog::warn(
        "{}: cannot store {}; its batch was undone, and the crawl goes on from the "
        "archive, each page stored on its own",
        m_site.name, failure.what());
    m_visited = {};
    m_fetched = {};
    m_done_before.clear();
    std::vector<std::chrono::year_month_day> left;
    std::ranges::copy_if(days, std::back_inserter(left),
                         [&](std::chrono::year_month_day day) { return !result_for(day); });
    stream_editions(left, total, PageUndo::savepoint);
  }
  total.result = result_of(total);
  return total;
}

void SiteCrawler::stream_editions(const std::vector<std::chrono::year_month_day>& days,
                                  CrawlStats& total, PageUndo undo) {
  EditionStream stream(*this, days, total);
  const auto run_until_at_rest = [&] {
    do {
      m_engine.run(stream, undo);
      stream.settle();
    } while (!stream.at_rest());
  };
  while (true) {
    run_until_at_rest();
    std::optional<EditionStream::Interrupted> interrupted = stream.take_interrupted();
    if (!interrupted) {
      break;  // every day begun and recorded
    }
    m_done_before = interrupted->start.done_before;
    if (!interrupted->start.pending.empty()) {
      EditionCrawl& crawl = interrupted->crawl;
      crawl.stats = resume_edition(crawl.edition, interrupted->start);
      m_results[crawl.edition] = crawl.stats.result;
      total += crawl.stats;
    } else {
      stream.begin_alone(std::move(interrupted->crawl));
      run_until_at_rest();
      stream.end_alone();
    }
    m_done_before.clear();
  }
}

CrawlStats SiteCrawler::resume_edition(const std::string& edition, const CrawlStart& start) {
  // The interrupted crawl had read every 版面 and listed its articles: fetch what is left.
  spdlog::info("{}: edition {}: resuming an interrupted crawl, {} articles left", m_site.name,
               edition, start.pending.size());
  CrawlStats stats;
  fetch_frontier(start.id, start.pending, stats);
  return finish(start.id, edition, stats);
}

void SiteCrawler::take_edition_pages(EditionCrawl& crawl, std::vector<FetchReport> reports) {
  for (FetchReport& page : reports) {
    const bool first = crawl.pages_taken++ == 0;
    if (crawl.ended) {
      continue;  // its first page said there is nothing to read
    }
    CrawlStats& stats = crawl.stats;
    if (page.skipped) {
      if (first) {
        stats.result = "disallowed";
        crawl.ended = true;
        spdlog::warn("{}: robots.txt forbids the edition page {}", m_site.name, page.url);
      }
      continue;
    }
    if (page.outcome == Outcome::error) {
      if (first) {
        // No edition that day (papers skip weekends and holidays) is news, not a failure; a
        // server error is a failure.
        const bool missing = page.http_status == 404 || page.http_status == 410;
        stats.errors += missing ? 0 : 1;
        stats.result = missing ? "missing" : "failed";
        crawl.ended = true;
        spdlog::warn("{}: edition {} is {} ({})", m_site.name, crawl.edition,
                     missing ? "not published" : "not available", page.error.value_or("no page"));
        continue;
      }
      ++stats.errors;
      continue;
    }
    ++stats.pages;
    count_article(page, stats);  // a 版面 printed whole carries its articles itself
    for (const auto& link : page.pages) {
      if (m_site.in_scope(link.url) && m_visited.insert(link.url)) {
        crawl.page_urls.push_back(link.url);
      }
    }
    if (!page.edition.edition) {
      page.edition.edition = crawl.edition;  // what the 版面 says reaches its articles
    }
    crawl.pages.push_back(std::move(page));
  }
}

std::vector<FrontierEntry> SiteCrawler::edition_articles(EditionCrawl& crawl) {
  const std::vector<FetchReport>& pages = crawl.pages;
  // Each article's 版面: one whose image map has it, else the last that lists it (a front page
  // teases articles printed further in).
  std::map<std::string, std::size_t> home;
  for (std::size_t index = 0; index < pages.size(); ++index) {
    for (const auto& headline : pages[index].headlines) {
      const auto [entry, fresh] = home.try_emplace(headline.url, index);
      const bool mapped_there = std::ranges::any_of(
          pages[entry->second].headlines,
          [&](const Headline& other) { return other.url == headline.url && other.on_page_map; });
      if (!fresh && (headline.on_page_map || !mapped_there)) {
        entry->second = index;
      }
    }
  }
  std::vector<EditionPage> edition_pages;
  for (const auto& page : pages) {
    edition_pages.push_back({.url = page.url, .name = page.edition.page});
  }
  m_writer.record_edition_pages(m_site.name, crawl.edition, edition_pages, crawl.stats.errors == 0);

  std::vector<FrontierEntry> listed;
  for (std::size_t index = 0; index < pages.size(); ++index) {
    for (const auto& headline : pages[index].headlines) {
      if (home.at(headline.url) != index) {
        continue;
      }
      if (!m_site.in_scope(headline.url)) {
        spdlog::debug("{}: {} is out of scope", m_site.name, headline.url);
        continue;
      }
      if (!m_visited.insert(headline.url)) {
        continue;
      }
      ++crawl.stats.headlines;
      listed.push_back({.url = headline.url, .listed_in = pages[index].edition});
    }
  }
  // A printed edition does not change: what is archived of it is not fetched again.
  std::set<std::string> known;
  if (!m_refetch_known) {
    std::vector<std::string> urls;
    urls.reserve(listed.size());
    for (const FrontierEntry& entry : listed) {
      urls.push_back(entry.url);
    }
    known = m_writer.archived_among(urls);
  }
  std::vector<FrontierEntry> articles;
  for (FrontierEntry& entry : listed) {
    if (known.contains(entry.url)) {
      ++crawl.stats.known;
    } else {
      articles.push_back(std::move(entry));
    }
  }
  m_writer.add_to_frontier(crawl.crawl_id, articles);
  return articles;
}

}  // namespace archiver
