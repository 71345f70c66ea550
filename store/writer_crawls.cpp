// The writer's bookkeeping of crawls: a crawl's start (taking over what an interrupted one left)
// and end, its frontier, how far list crawls have read each pagination, the 版面 of editions,
// and the revisits planned for articles.

#include "store/archive_writer.hpp"
#include "store/article_queries.hpp"
#include "util/clock.hpp"

namespace archiver {

std::vector<std::string> ArchiveWriter::due_revisits(const std::string& site,
                                                     const std::string& now, std::int64_t limit) {
  auto query = m_db.prepare(
      "SELECT url FROM articles WHERE site = ?1 AND next_visit IS NOT NULL AND next_visit <= ?2 "
      "ORDER BY next_visit LIMIT ?3");
  query.bind(1, site).bind(2, now).bind(3, limit);
  std::vector<std::string> urls;
  while (query.step()) {
    urls.push_back(query.column_text(0));
  }
  return urls;
}

void ArchiveWriter::plan_revisit(const std::string& url,
                                 const std::optional<std::string>& next_visit, bool count_visit) {
  auto update =
      m_db.prepare("UPDATE articles SET next_visit = ?2, revisits = revisits + ?3 WHERE url = ?1");
  update.bind(1, url).bind(2, next_visit).bind(3, count_visit ? 1 : 0).run();
}

CrawlStart ArchiveWriter::begin_crawl(const std::string& site, const std::string& target) {
  sqlite::Transaction transaction(m_db);
  CrawlStart start;
  auto find = m_db.prepare(
      "SELECT id, started_at FROM crawls WHERE site = ?1 AND target = ?2 AND finished_at IS NULL "
      "AND started_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days') ORDER BY id DESC "
      "LIMIT 1");
  find.bind(1, site).bind(2, target);
  std::optional<std::int64_t> interrupted;
  if (find.step()) {
    interrupted = find.column_int(0);
    const std::string started = find.column_text(1);
    auto fetched = m_db.prepare(
        "SELECT DISTINCT url FROM fetches WHERE site = ?1 AND fetched_at >= ?2 AND outcome != "
        "'error'");
    fetched.bind(1, site).bind(2, started);
    while (fetched.step()) {
      start.done_before.insert(fetched.column_text(0));
    }
  }
  // Every unfinished crawl of this target is over now (older ones too: their work is stale),
  // and frontier rows of finished crawls go.
  auto close = m_db.prepare(
      "UPDATE crawls SET finished_at = ?3, result = 'interrupted' WHERE site = ?1 AND "
      "target = ?2 AND finished_at IS NULL");
  close.bind(1, site).bind(2, target).bind(3, now_utc_iso()).run();
  auto insert = m_db.prepare("INSERT INTO crawls (site, target, started_at) VALUES (?1, ?2, ?3)");
  insert.bind(1, site).bind(2, target).bind(3, now_utc_iso()).run();
  start.id = m_db.last_insert_rowid();
  if (interrupted) {
    // The work the interrupted crawl had left is this one's now.
    auto adopt = m_db.prepare("UPDATE frontier SET crawl_id = ?2 WHERE crawl_id = ?1");
    adopt.bind(1, *interrupted).bind(2, start.id).run();
    start.pending = frontier(start.id);
  }
  // From the frontier's few rows, each crawl looked up by its key (an IN over the finished crawls
  // read every crawl the archive ever had, at every crawl's start).
  m_db.execute(
      "DELETE FROM frontier WHERE EXISTS (SELECT 1 FROM crawls c WHERE c.id = frontier.crawl_id "
      "AND c.finished_at IS NOT NULL)");
  transaction.commit();
  return start;
}

std::vector<UnfinishedCrawl> ArchiveWriter::unfinished_crawls() {
  std::vector<UnfinishedCrawl> crawls;
  auto find = m_db.prepare(
      "SELECT max(id), site, target FROM crawls WHERE finished_at IS NULL AND started_at >= "
      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days') GROUP BY site, target ORDER BY 1");
  while (find.step()) {
    crawls.push_back(
        {.id = find.column_int(0), .site = find.column_text(1), .target = find.column_text(2)});
  }
  return crawls;
}

void ArchiveWriter::add_to_frontier(std::int64_t crawl_id,
                                    const std::vector<FrontierEntry>& entries) {
  sqlite::Transaction transaction(m_db);
  auto last = m_db.prepare("SELECT coalesce(max(position), 0) FROM frontier WHERE crawl_id = ?1");
  last.bind(1, crawl_id);
  std::int64_t position = last.step() ? last.column_int(0) : 0;
  auto insert = m_db.prepare(
      "INSERT OR IGNORE INTO frontier (crawl_id, url, position, edition, page, issue) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const auto& entry : entries) {
    insert.bind(1, crawl_id)
        .bind(2, entry.url)
        .bind(3, ++position)
        .bind(4, entry.listed_in.edition)
        .bind(5, entry.listed_in.page)
        .bind(6, entry.listed_in.issue)
        .run();
  }
  transaction.commit();
}

void ArchiveWriter::record_edition_pages(const std::string& site, const std::string& edition,
                                         const std::vector<EditionPage>& pages, bool complete) {
  sqlite::Transaction transaction(m_db);
  if (complete) {
    auto clear = m_db.prepare("DELETE FROM edition_pages WHERE site = ?1 AND edition = ?2");
    clear.bind(1, site).bind(2, edition).run();
  }
  auto insert = m_db.prepare(
      "INSERT INTO edition_pages (site, edition, url, position, name) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET position = excluded.position, "
      "name = excluded.name");
  std::int64_t position = 0;
  for (const auto& page : pages) {
    insert.bind(1, site).bind(2, edition).bind(3, page.url).bind(4, ++position).bind(5, page.name);
    insert.run();
  }
  transaction.commit();
}

std::vector<FrontierEntry> ArchiveWriter::frontier(std::int64_t crawl_id) {
  std::vector<FrontierEntry> entries;
  auto select = m_db.prepare(
      "SELECT url, edition, page, issue FROM frontier WHERE crawl_id = ?1 ORDER BY position");
  select.bind(1, crawl_id);
  while (select.step()) {
    entries.push_back({.url = select.column_text(0),
                       .listed_in = {.edition = select.column_optional_text(1),
                                     .page = select.column_optional_text(2),
                                     .issue = select.column_optional_text(3)}});
  }
  return entries;
}

void ArchiveWriter::remove_from_frontier(std::int64_t crawl_id, const std::string& url) {
  auto remove = m_db.prepare("DELETE FROM frontier WHERE crawl_id = ?1 AND url = ?2");
  remove.bind(1, crawl_id).bind(2, url).run();
}

void ArchiveWriter::finish_crawl(std::int64_t crawl_id, const CrawlStats& stats) {
  sqlite::Transaction transaction(m_db);
  auto update = m_db.prepare(
      "UPDATE crawls SET finished_at = ?2, result = ?3, pages = ?4, headlines = ?5, "
      "articles = ?6, with_title = ?7, with_date = ?8, with_body = ?9, new_versions = ?10, "
      "errors = ?11, known = ?12, assets = ?13, asset_errors = ?14 WHERE id = ?1");
  update.bind(1, crawl_id)
      .bind(2, now_utc_iso())
      .bind(3, stats.result)
      .bind(4, stats.pages)
      .bind(5, stats.headlines)
      .bind(6, stats.articles)
      .bind(7, stats.with_title)
      .bind(8, stats.with_date)
      .bind(9, stats.with_body)
      .bind(10, stats.new_versions)
      .bind(11, stats.errors)
      .bind(12, stats.known)
      .bind(13, stats.assets)
      .bind(14, stats.asset_errors);
  update.run();
  // What is left failed in this crawl; the next crawl finds it again if it is still listed.
  auto forget = m_db.prepare("DELETE FROM frontier WHERE crawl_id = ?1");
  forget.bind(1, crawl_id).run();
  transaction.commit();
}

ListProgress ArchiveWriter::list_progress(const std::string& site, const std::string& start_url) {
  auto query = m_db.prepare(
      "SELECT resume_url, pages_read, complete FROM list_progress WHERE site = ?1 AND "
      "start_url = ?2");
  query.bind(1, site).bind(2, start_url);
  ListProgress progress;
  if (query.step()) {
    progress.resume_url = query.column_optional_text(0);
    progress.pages_read = query.column_int(1);
    progress.complete = query.column_int(2) != 0;
  }
  return progress;
}

void ArchiveWriter::save_list_progress(const std::string& site, const std::string& start_url,
                                       const ListProgress& progress) {
  auto save = m_db.prepare(
      "INSERT INTO list_progress (site, start_url, resume_url, pages_read, complete, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (site, start_url) DO UPDATE SET "
      "resume_url = excluded.resume_url, pages_read = excluded.pages_read, "
      "complete = excluded.complete, updated_at = excluded.updated_at");
  save.bind(1, site)
      .bind(2, start_url)
      .bind(3, progress.resume_url)
      .bind(4, progress.pages_read)
      .bind(5, std::int64_t{progress.complete ? 1 : 0})
      .bind(6, now_utc_iso())
      .run();
}

std::vector<EditionReport> ArchiveWriter::edition_reports(
    const std::string& site, const std::string& from, const std::string& to,
    const std::function<bool(const std::string&)>& in_scope) {
  return archiver::edition_reports(m_db, site, from, to, in_scope);
}

std::vector<CrawlRecord> ArchiveWriter::recent_crawls(const std::string& site, std::int64_t limit) {
  return read_recent_crawls(m_db, site, limit);
}

std::optional<RevisitState> ArchiveWriter::article_revisit_state(const std::string& url) {
  auto query = m_db.prepare("SELECT first_seen, revisits FROM articles WHERE url = ?1");
  query.bind(1, url);
  if (!query.step()) {
    return std::nullopt;
  }
  return RevisitState{.first_seen = query.column_text(0), .revisits = query.column_int(1)};
}

}  // namespace archiver
