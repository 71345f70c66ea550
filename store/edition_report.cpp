#include "store/edition_report.hpp"

#include "util/clock.hpp"

#include <chrono>
#include <set>

namespace archiver {
namespace {

// The dates to report: every day of the range, or the dates the archive knows of.
std::vector<std::string> report_dates(sqlite::Database& db, const std::string& site,
                                      const std::optional<std::string>& from,
                                      const std::optional<std::string>& to) {
  std::vector<std::string> dates;
  if (from && to) {
    const auto first = parse_iso_day(*from);
    const auto last = parse_iso_day(*to);
    if (first && last) {
      for (auto day = std::chrono::sys_days(*first); day <= std::chrono::sys_days(*last);
           day += std::chrono::days(1)) {
        dates.push_back(day_iso(std::chrono::year_month_day(day)));
      }
    }
    return dates;
  }
  auto known = db.prepare(
      "SELECT target FROM crawls WHERE site = ?1 AND target != 'lists' "
      "UNION SELECT edition FROM edition_pages WHERE site = ?1 "
      "UNION SELECT v.edition FROM versions v JOIN articles a ON a.id = v.article_id "
      "WHERE a.site = ?1 AND v.edition IS NOT NULL ORDER BY 1");
  known.bind(1, site);
  while (known.step()) {
    const std::string date = known.column_text(0);
    if ((!from || date >= *from) && (!to || date <= *to)) {
      dates.push_back(date);
    }
  }
  return dates;
}

std::int64_t count(sqlite::Database& db, std::string_view sql, const std::string& site,
                   const std::string& edition) {
  auto statement = db.prepare(sql);
  statement.bind(1, site).bind(2, edition);
  return statement.step() ? statement.column_int(0) : 0;
}

EditionReport report_for(sqlite::Database& db, const std::string& site, const std::string& edition,
                         const std::function<bool(const std::string&)>& in_scope) {
  EditionReport report{.edition = edition};
  auto crawl = db.prepare(
      "SELECT coalesce(result, 'unfinished'), started_at FROM crawls WHERE site = ?1 AND "
      "target = ?2 ORDER BY id DESC LIMIT 1");
  crawl.bind(1, site).bind(2, edition);
  if (crawl.step()) {
    report.crawl = crawl.column_text(0);
    report.checked_at = crawl.column_text(1);
  }
  auto read = db.prepare(
      "SELECT result FROM crawls WHERE site = ?1 AND target = ?2 AND pages > 0 AND result IS "
      "NOT NULL ORDER BY id DESC LIMIT 1");
  read.bind(1, site).bind(2, edition);
  if (read.step()) {
    report.read_crawl = read.column_text(0);
  }
  report.pages = count(db, "SELECT count(*) FROM edition_pages WHERE site = ?1 AND edition = ?2",
                       site, edition);
  report.articles = count(db,
                          "SELECT count(DISTINCT v.article_id) FROM versions v "
                          "JOIN articles a ON a.id = v.article_id "
                          "WHERE a.site = ?1 AND v.edition = ?2",
                          site, edition);
  auto pages = db.prepare(
      "SELECT p.url, p.name, "
      "(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE max(a.sha256 IS NOT NULL) END "
      " FROM asset_refs r LEFT JOIN assets a ON a.url = r.url "
      " WHERE r.page_url = p.url AND r.kind = 'pdf'), "
      "(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE max(a.sha256 IS NOT NULL) END "
      " FROM asset_refs r LEFT JOIN assets a ON a.url = r.url "
      " WHERE r.page_url = p.url AND r.kind = 'page-image') "
      "FROM edition_pages p WHERE p.site = ?1 AND p.edition = ?2 ORDER BY p.position");
  pages.bind(1, site).bind(2, edition);
  while (pages.step()) {
    EditionPageRecord page{.url = pages.column_text(0),
                           .name = pages.column_optional_text(1),
                           .pdf = std::nullopt,
                           .scan = std::nullopt};
    if (!pages.is_null(2)) {
      page.pdf = pages.column_int(2) != 0;
    }
    if (!pages.is_null(3)) {
      page.scan = pages.column_int(3) != 0;
    }
    report.page_records.push_back(std::move(page));
  }
  // Each headline once, under the first 版面 listing it; an article stored as URL#anchor (one
  // of several on a page) counts for its page's URL.
  auto headlines = db.prepare(
      "SELECT h.url, h.title, p.name, EXISTS (SELECT 1 FROM articles a WHERE a.url = h.url OR "
      "(a.url > h.url || '#' AND a.url < h.url || '$')) "
      "FROM edition_pages p JOIN headlines h ON h.page_url = p.url "
      "WHERE p.site = ?1 AND p.edition = ?2 ORDER BY p.position, h.position");
  headlines.bind(1, site).bind(2, edition);
  std::set<std::string> seen;
  while (headlines.step()) {
    std::string url = headlines.column_text(0);
    if (!in_scope(url) || !seen.insert(url).second) {
      continue;
    }
    ++report.headlines;
    if (headlines.column_int(3) == 0) {
      report.missing.push_back({.title = headlines.column_text(1),
                                .url = std::move(url),
                                .page = headlines.column_optional_text(2)});
    }
  }
  return report;
}

}  // namespace

std::vector<EditionReport> edition_reports(
    sqlite::Database& db, const std::string& site, const std::optional<std::string>& from,
    const std::optional<std::string>& to, const std::function<bool(const std::string&)>& in_scope) {
  std::vector<EditionReport> reports;
  for (const auto& date : report_dates(db, site, from, to)) {
    reports.push_back(report_for(db, site, date, in_scope));
  }
  return reports;
}

}  // namespace archiver
