// An e-paper's editions, crawled in groups of sixteen (SiteCrawler::k_editions_at_once), and the
// groups overlapped. A group reads its first pages, then the 版面 they name, then the articles the
// 版面 list. Each stage fetches at once, for every group in flight, its next round: the articles
// of the oldest, the 版面 of the next, the first pages of the newest (k_groups_in_flight).
//
// Why: a round waits for the one before it (its URLs are on those pages), and the small rounds
// left the machine idle. One edition alone has rounds of one, seven and eighty pages: the parsers
// waited for the writer at each round's end, and the writer for the parsers at the next one's
// start. A group of sixteen alone still spent some 80 ms of every 630 on its first two rounds
// and the bookkeeping between (both CPUs idle 11-16% of a benchmark crawl, in dips at every
// group's start). Overlapped, the small rounds ride along with a group's articles.
//
// An edition whose crawl was interrupted goes alone, once the groups begun before it are done.

#include "crawl/site_crawler.hpp"
#include "util/clock.hpp"
#include "util/url.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <utility>

namespace archiver {

CrawlStats SiteCrawler::crawl_editions(const std::vector<std::chrono::year_month_day>& days) {
  CrawlStats total;
  std::deque<EditionGroup> in_flight;
  std::vector<EditionCrawl> forming;  // the next group, as its editions begin
  for (std::size_t index = 0; index < days.size(); ++index) {
    if (m_on_edition) {
      m_on_edition(index + 1, days.size(), days[index]);
    }
    EditionCrawl crawl{.day = days[index], .edition = day_iso(days[index])};
    const CrawlStart start = m_writer.begin_crawl(m_site.name, crawl.edition);
    crawl.crawl_id = start.id;
    if (start.done_before.empty() && start.pending.empty()) {
      forming.push_back(std::move(crawl));
      if (forming.size() == k_editions_at_once) {
        in_flight.push_back(start_group(std::exchange(forming, {})));
        crawl_groups(in_flight, false, total);
      }
      continue;
    }
    // An interrupted crawl of this edition: it goes on alone, with what it left in the frontier,
    // and what it fetched since it began (of any edition of the site) is read back, not fetched
    // again; only this edition's crawl may do that. The editions begun before it go first.
    if (!forming.empty()) {
      in_flight.push_back(start_group(std::exchange(forming, {})));
    }
    crawl_groups(in_flight, true, total);
    m_done_before = start.done_before;
    if (!start.pending.empty()) {
      crawl.stats = resume_edition(crawl.edition, start);
      m_results[crawl.edition] = crawl.stats.result;
      total += crawl.stats;
    } else {
      std::vector<EditionCrawl> alone;
      alone.push_back(std::move(crawl));
      in_flight.push_back(start_group(std::move(alone)));
      crawl_groups(in_flight, true, total);
    }
    m_done_before.clear();
  }
  if (!forming.empty()) {
    in_flight.push_back(start_group(std::move(forming)));
  }
  crawl_groups(in_flight, true, total);
  total.result = result_of(total);
  return total;
}

CrawlStats SiteCrawler::resume_edition(const std::string& edition, const CrawlStart& start) {
  // The interrupted crawl had read every 版面 and listed its articles: fetch what is left.
  spdlog::info("{}: edition {}: resuming an interrupted crawl, {} articles left", m_site.name,
               edition, start.pending.size());
  CrawlStats stats;
  fetch_frontier(start.id, start.pending, stats);
  return finish(start.id, edition, stats);
}

SiteCrawler::EditionGroup SiteCrawler::start_group(std::vector<EditionCrawl> editions) {
  EditionGroup group;
  for (const EditionCrawl& crawl : editions) {
    const std::string first_url = normal_or_same(expand_edition_url(m_site.edition_url, crawl.day));
    spdlog::info("{}: edition {} from {}", m_site.name, crawl.edition, first_url);
    group.page_urls.push_back({first_url});
    m_visited.insert(first_url);
  }
  group.fetched.assign(editions.size(), 0);
  group.editions = std::move(editions);
  return group;
}

void SiteCrawler::crawl_groups(std::deque<EditionGroup>& in_flight, bool all, CrawlStats& total) {
  // One stage for the group just begun, so that the groups in flight stay a round apart; more
  // while there are too many (a group may need a third round of 版面), or until none is left.
  bool first = true;
  while (!in_flight.empty() && (first || all || in_flight.size() >= k_groups_in_flight)) {
    first = false;
    run_edition_stage(in_flight);
    // The groups done, from the oldest: each edition's record, in order.
    while (!in_flight.empty() && in_flight.front().listed) {
      for (EditionCrawl& crawl : in_flight.front().editions) {
        crawl.stats = finish(crawl.crawl_id, crawl.edition, crawl.stats);
        m_results[crawl.edition] = crawl.stats.result;
        total += crawl.stats;
      }
      in_flight.pop_front();
    }
  }
}

void SiteCrawler::run_edition_stage(std::deque<EditionGroup>& in_flight) {
  std::vector<CrawlTarget> targets;
  std::vector<EditionCrawl*> edition_of;  // per target
  // The reports of 版面 are kept, each group's round in a row of its own; articles are counted.
  constexpr std::size_t k_article = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> kept_at;  // per target: its place in kept, or k_article
  std::vector<FetchReport> kept;
  std::vector<std::pair<EditionGroup*, std::size_t>> page_rounds;  // each round's first in kept
  for (EditionGroup& group : in_flight) {
    std::vector<CrawlTarget> round = next_round(group, edition_of);
    if (!group.listed) {
      page_rounds.emplace_back(&group, kept.size());
      for (std::size_t page = 0; page < round.size(); ++page) {
        kept_at.push_back(kept.size() + page);
      }
      kept.resize(kept.size() + round.size());
    } else {
      kept_at.insert(kept_at.end(), round.size(), k_article);
    }
    std::ranges::move(round, std::back_inserter(targets));
  }
  // A printed edition is not revisited (list sites' articles are: fetch_frontier).
  fetch_many(
      std::move(targets), {},
      [&](std::size_t index, const FetchReport& report) {
        if (kept_at[index] != k_article) {
          kept[kept_at[index]] = report;
        } else {
          count_article(report, edition_of[index]->stats);
        }
      },
      edition_of);
  for (const auto& [group, first] : page_rounds) {
    const auto from = kept.begin() + static_cast<std::ptrdiff_t>(first);
    take_edition_pages(
        *group, {std::make_move_iterator(from),
                 std::make_move_iterator(from + static_cast<std::ptrdiff_t>(group->round.size()))});
  }
}

// First every 版面, in order (the first page's list names them all), then the articles: an
// article listed on several 版面 (a front page's 导读) belongs to the one that prints it.
std::vector<CrawlTarget> SiteCrawler::next_round(EditionGroup& group,
                                                 std::vector<EditionCrawl*>& edition_of) {
  std::vector<CrawlTarget> round;
  group.round.clear();
  if (group.listed) {
    return round;  // its articles were fetched: it is done
  }
  for (std::size_t index = 0; index < group.editions.size(); ++index) {
    EditionCrawl& crawl = group.editions[index];
    if (crawl.ended) {
      continue;
    }
    for (std::size_t page = group.fetched[index]; page < group.page_urls[index].size(); ++page) {
      round.push_back(target(group.page_urls[index][page], true));
      // A 404 or 410 of the first page is a day without an edition, logged as such.
      round.back().context.edition_start = page == 0;
      group.round.push_back(index);
      edition_of.push_back(&crawl);
    }
  }
  if (!round.empty()) {
    return round;
  }
  // Every 版面 is in: the articles they list, each edition's in the frontier of its crawl.
  group.listed = true;
  for (EditionCrawl& crawl : group.editions) {
    if (crawl.ended) {
      continue;
    }
    for (const FrontierEntry& entry : edition_articles(crawl)) {
      round.push_back(frontier_target(entry, crawl.crawl_id));
      edition_of.push_back(&crawl);
    }
  }
  return round;
}

void SiteCrawler::take_edition_pages(EditionGroup& group, std::vector<FetchReport> reports) {
  for (std::size_t at = 0; at < reports.size(); ++at) {
    const std::size_t edition = group.round[at];
    EditionCrawl& crawl = group.editions[edition];
    FetchReport& page = reports[at];
    const bool first = group.fetched[edition]++ == 0;
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
      if (m_site.in_scope(link.url) && m_visited.insert(link.url).second) {
        group.page_urls[edition].push_back(link.url);
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
      if (!m_visited.insert(headline.url).second) {
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
