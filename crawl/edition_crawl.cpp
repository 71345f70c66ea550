// An e-paper's editions, crawled sixteen at a time (SiteCrawler::k_editions_at_once): the first
// page of each, then the 版面 they name, then the articles the 版面 list, each stage for all of
// the group at once (an edition whose crawl was interrupted goes alone). One edition alone left the
// parsers waiting for the writer at the end of every stage and the writer waiting for the parsers
// at the start of the next (three stages of one, seven and eighty pages); a group of editions keeps
// both busy.

#include "crawl/site_crawler.hpp"
#include "util/clock.hpp"
#include "util/url.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

namespace archiver {

CrawlStats SiteCrawler::crawl_editions(const std::vector<std::chrono::year_month_day>& days) {
  CrawlStats total;
  const auto record = [&](const EditionCrawl& crawl) {
    m_results[crawl.edition] = crawl.stats.result;
    total += crawl.stats;
  };
  for (std::size_t first = 0; first < days.size(); first += k_editions_at_once) {
    const std::size_t end = std::min(days.size(), first + k_editions_at_once);
    std::vector<EditionCrawl> group;
    for (std::size_t index = first; index < end; ++index) {
      if (m_on_edition) {
        m_on_edition(index + 1, days.size(), days[index]);
      }
      EditionCrawl crawl{.day = days[index], .edition = day_iso(days[index])};
      const CrawlStart start = m_writer.begin_crawl(m_site.name, crawl.edition);
      crawl.crawl_id = start.id;
      if (start.done_before.empty() && start.pending.empty()) {
        group.push_back(std::move(crawl));
        continue;
      }
      // An interrupted crawl of this edition: it goes on alone, with what it left in the
      // frontier, and what it fetched since it began (of any edition of the site) is read back,
      // not fetched again; only this edition's crawl may do that.
      m_done_before = start.done_before;
      if (!start.pending.empty()) {
        crawl.stats = resume_edition(crawl.edition, start);
      } else {
        std::vector<EditionCrawl> alone;
        alone.push_back(std::move(crawl));
        crawl_edition_group(alone);
        crawl = std::move(alone.front());
      }
      m_done_before.clear();
      record(crawl);
    }
    crawl_edition_group(group);
    for (const EditionCrawl& crawl : group) {
      record(crawl);
    }
  }
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

void SiteCrawler::crawl_edition_group(std::vector<EditionCrawl>& group) {
  if (group.empty()) {
    return;
  }
  crawl_edition_pages(group);
  std::vector<std::vector<FrontierEntry>> articles(group.size());
  for (std::size_t index = 0; index < group.size(); ++index) {
    if (!group[index].ended) {
      articles[index] = edition_articles(group[index]);
    }
  }
  fetch_edition_articles(group, articles);
  // Each edition's record, in order, once the group's stages are done.
  for (EditionCrawl& crawl : group) {
    crawl.stats = finish(crawl.crawl_id, crawl.edition, crawl.stats);
  }
}

// First every 版面, in order (the first page's list names them all), then the articles: an
// article listed on several 版面 (a front page's 导读) belongs to the one that prints it.
void SiteCrawler::crawl_edition_pages(std::vector<EditionCrawl>& group) {
  // Each edition's 版面 URLs as they become known, and how many of them were fetched.
  std::vector<std::vector<std::string>> page_urls(group.size());
  std::vector<std::size_t> fetched(group.size(), 0);
  for (std::size_t index = 0; index < group.size(); ++index) {
    const std::string first_url =
        normal_or_same(expand_edition_url(m_site.edition_url, group[index].day));
    spdlog::info("{}: edition {} from {}", m_site.name, group[index].edition, first_url);
    page_urls[index].push_back(first_url);
    m_visited.insert(first_url);
  }
  // The first pages alone, then each round the 版面 the pages before named, all at once.
  while (true) {
    std::vector<CrawlTarget> round;
    std::vector<std::size_t> edition_of;  // per target of the round
    std::vector<EditionCrawl*> crawl_of;
    for (std::size_t index = 0; index < group.size(); ++index) {
      if (group[index].ended) {
        continue;
      }
      for (std::size_t page = fetched[index]; page < page_urls[index].size(); ++page) {
        round.push_back(target(page_urls[index][page], true));
        // A 404 or 410 of the first page is a day without an edition, logged as such.
        round.back().context.edition_start = page == 0;
        edition_of.push_back(index);
        crawl_of.push_back(&group[index]);
      }
    }
    if (round.empty()) {
      return;
    }
    std::vector<FetchReport> reports = fetch_many(std::move(round), {}, {}, crawl_of);
    for (std::size_t at = 0; at < reports.size(); ++at) {
      EditionCrawl& crawl = group[edition_of[at]];
      FetchReport& page = reports[at];
      const bool first = fetched[edition_of[at]]++ == 0;
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
          page_urls[edition_of[at]].push_back(link.url);
        }
      }
      if (!page.edition.edition) {
        page.edition.edition = crawl.edition;  // what the 版面 says reaches its articles
      }
      crawl.pages.push_back(std::move(page));
    }
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

void SiteCrawler::fetch_edition_articles(std::vector<EditionCrawl>& group,
                                         const std::vector<std::vector<FrontierEntry>>& articles) {
  std::vector<CrawlTarget> targets;
  std::vector<EditionCrawl*> crawl_of;  // per target
  for (std::size_t index = 0; index < group.size(); ++index) {
    for (const auto& entry : articles[index]) {
      targets.push_back(frontier_target(entry, group[index].crawl_id));
      crawl_of.push_back(&group[index]);
    }
  }
  if (targets.empty()) {
    return;
  }
  // A printed edition is not revisited (list sites' articles are: fetch_frontier).
  fetch_many(
      std::move(targets), {},
      [&](std::size_t index, const FetchReport& report) {
        count_article(report, crawl_of[index]->stats);
      },
      crawl_of);
}

}  // namespace archiver
