// Unattended crawls through the real binary: e-paper editions of earlier days caught up (days
// without an edition cost one request a day and are no failures), parser health that survives a
// crawl with nothing new, list pagination followed to its end across crawls, and one crawl per
// site at a time across processes.

#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/epaper_site.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/served_site.hpp"
#include "tests/support/shanghai_day.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

namespace archiver {
namespace {

using namespace std::chrono_literals;
using Day = std::chrono::year_month_day;

Day days_before(Day day, int count) {
  return Day(std::chrono::sys_days(day) - std::chrono::days(count));
}

nlohmann::json site_json(const testing::ServedSite& site, const std::string& name) {
  const auto sites = site.run({"sites", "--json"});
  REQUIRE_MESSAGE(sites.exit_code == 0, sites.err);
  for (const auto& line : sites.lines()) {
    auto object = nlohmann::json::parse(line);
    if (object["name"] == name) {
      return object;
    }
  }
  FAIL("no site " << name);
  return nullptr;
}

// Waits for a condition, checking every 50 ms, at most `limit`.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

const std::string k_paper = R"([[site]]
name = "paper"
parser = "epaper"
edition_url = "@BASE@/paper/{yyyy}-{mm}/{dd}/node_01.html"
)";

}  // namespace

TEST_SUITE("integration/unattended") {
  TEST_CASE(
      "catch_up: earlier editions missing or incomplete are crawled, unpublished days cost one "
      "request a day") {
    // No retries: a failure stays a failure within the crawl.
    testing::ServedSite site(k_paper + "[site.fetch]\nretries = 0\n");
    const Day today = testing::shanghai_today();
    // Published: today, and 1, 3 and 5 days ago (that one in GB18030); 2 days ago the server
    // fails; the other days of the week there is no edition; 9 days ago is outside the window.
    std::map<int, testing::EpaperEdition> published;
    for (const int back : {0, 1, 3, 5, 9}) {
      published[back] = {.day = days_before(today, back),
                         .issue = 9000 - back,
                         .articles_per_page = 2,
                         .charset = back == 5 ? "gb18030" : "utf-8"};
      testing::write_epaper_edition(site.root, "paper/", published[back]);
    }
    const std::string broken =
        "/paper/" + testing::epaper_folder(days_before(today, 2)) + "/node_01.html";
    site.server.route(broken, [](const testing::Request&) {
      return testing::Response{.status = 503, .body = "维护中"};
    });
    // One article of three days ago fails the first time: that edition stays incomplete.
    const std::string flaky = "/paper/" + testing::epaper_folder(published[3].day) + "/" +
                              testing::epaper_article_name(published[3], 2);
    // Shared with the server's threads, which may outlive this scope's locals by a moment.
    const auto flaky_calls = std::make_shared<std::atomic<int>>(0);
    const auto flaky_file = site.root / flaky.substr(1);
    site.server.route(flaky, [flaky_calls, flaky_file](const testing::Request&) {
      if ((*flaky_calls)++ == 0) {
        return testing::Response{.status = 500, .body = "服务器错误"};
      }
      return testing::Response{.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                               .body = testing::slurp(flaky_file)};
    });
    const auto first_page = [&](int back) {
      return "/paper/" + testing::epaper_folder(days_before(today, back)) + "/node_01.html";
    };
    // Six days ago the server says "gone" (410): no edition that day either.
    site.server.route(first_page(6), [](const testing::Request&) {
      return testing::Response{.status = 410, .body = "该日无报纸"};
    });

    const auto first = site.run({"fetch", "--site", "paper"});
    CHECK(first.exit_code == 1);  // the 503 and the 500 are failures
    for (int back = 0; back <= 7; ++back) {
      CAPTURE(back);
      CHECK(site.hits(first_page(back)) == 1);
    }
    CHECK(site.hits(first_page(8)) == 0);
    CHECK(site.hits(first_page(9)) == 0);
    ArchiveReader reader(site.database);
    CHECK(reader.articles({.site = "paper"}).size() == 4 * 4 - 1);

    // Days without an edition are no failures; the 503 and the 500 are.
    auto paper = site_json(site, "paper");
    CHECK(paper["fetch_errors"] == 2);
    CHECK(paper["days_not_published"] == 3);
    const auto status = nlohmann::json::parse(site.run({"status", "--json"}).out);
    for (const auto& error : status["recent_errors"]) {
      CHECK(error["http_status"] != 404);
    }
    CHECK(status["fetch_errors"] == 2);

    // editions tells a day without an edition from one that could not be read.
    const auto editions =
        site.run({"editions", "--site", "paper", "--from", day_iso(days_before(today, 7)), "--to",
                  day_iso(today), "--json"});
    REQUIRE_MESSAGE(editions.exit_code == 0, editions.err);
    std::map<std::string, std::string> statuses;
    for (const auto& line : editions.lines()) {
      const auto object = nlohmann::json::parse(line);
      statuses[object["edition"]] = object["status"];
    }
    CHECK(statuses[day_iso(today)] == "complete");
    CHECK(statuses[day_iso(days_before(today, 1))] == "complete");
    CHECK(statuses[day_iso(days_before(today, 2))] == "missing");
    CHECK(statuses[day_iso(days_before(today, 3))] == "incomplete");
    CHECK(statuses[day_iso(days_before(today, 4))] == "not-published");
    CHECK(statuses[day_iso(days_before(today, 5))] == "complete");
    CHECK(statuses[day_iso(days_before(today, 6))] == "not-published");
    CHECK(statuses[day_iso(days_before(today, 7))] == "not-published");

    // The next crawl: today again, the failed and the incomplete days, nothing else (the days
    // without an edition were asked within the day).
    const auto second = site.run({"fetch", "--site", "paper"});
    CHECK(second.exit_code == 1);  // the 503 again
    CHECK(site.hits(first_page(0)) == 2);
    CHECK(site.hits(first_page(1)) == 1);
    CHECK(site.hits(first_page(2)) == 2);
    CHECK(site.hits(first_page(3)) == 2);
    for (const int back : {4, 6, 7}) {
      CAPTURE(back);
      CHECK(site.hits(first_page(back)) == 1);
    }
    CHECK(*flaky_calls == 2);
    CHECK(reader.articles({.site = "paper"}).size() == 4 * 4);
    CHECK(nlohmann::json::parse(
              site.run({"editions", "--site", "paper", "--from", day_iso(published[3].day), "--to",
                        day_iso(published[3].day), "--json"})
                  .out)["status"] == "complete");

    // A crawl that finds nothing new: the last crawl parsed nothing, the parser health still
    // describes the last crawl that did.
    const auto third = site.run({"fetch", "--site", "paper", "--date", day_iso(today)});
    CHECK(third.exit_code == 0);
    paper = site_json(site, "paper");
    CHECK(paper["last_crawl"]["articles"] == 0);
    CHECK(paper["parser_health"]["articles"] > 0);
    CHECK(paper["parser_health"]["with_title"] == paper["parser_health"]["articles"]);
    CHECK(paper["parser_health"]["with_date"] == paper["parser_health"]["articles"]);
    const auto text = site.run({"sites"});
    CHECK(text.out.find("parser health: 0 articles") == std::string::npos);
  }

  TEST_CASE("editions crawled together keep their own crawl records, frontiers and assets") {
    testing::ServedSite site(k_paper + "[site.fetch]\nretries = 0\n");
    // Six days in a row, begun at once (crawl/edition_crawl.cpp: k_reading_ahead); the last day
    // without an edition. Each edition: two 版面 with a PDF and a scan each, its own number
    // of articles.
    const Day first{std::chrono::year{2024}, std::chrono::May, std::chrono::day{6}};
    std::map<std::string, int> articles;
    for (int offset = 0; offset < 5; ++offset) {
      const Day day(std::chrono::sys_days(first) + std::chrono::days(offset));
      const testing::EpaperEdition edition{
          .day = day, .issue = 7000 + offset, .articles_per_page = 1 + offset};
      testing::write_epaper_edition(site.root, "paper/", edition);
      articles[day_iso(day)] = 2 * edition.articles_per_page;
    }
    // The fifth edition's first PDF fails for now (a 500 stays due): its error, nobody else's,
    // though the day without an edition is crawled beside it and finished after it. Tried once
    // in the crawl (AssetFetcher: each URL once per crawl).
    site.server.route("/pdf/2024-05-10/01.pdf", [](const testing::Request&) {
      return testing::Response{.status = 500, .body = "服务器错误"};
    });
    const auto crawl =
        site.run({"fetch", "--site", "paper", "--from", "2024-05-06", "--to", "2024-05-11"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(site.database);
    const auto crawls = reader.recent_crawls("paper", 20);
    REQUIRE(crawls.size() == 6);
    for (const CrawlRecord& record : crawls) {
      CAPTURE(record.target);
      CHECK_FALSE(record.finished_at.empty());
      if (record.target == "2024-05-11") {
        CHECK(record.stats.result == "missing");
        CHECK(record.stats.pages == 0);
        CHECK(record.stats.assets == 0);
        CHECK(record.stats.asset_errors == 0);
        continue;
      }
      CHECK(record.stats.result == "ok");
      CHECK(record.stats.pages == 2);
      CHECK(record.stats.headlines == articles[record.target]);
      CHECK(record.stats.articles == articles[record.target]);
      CHECK(record.stats.new_versions == articles[record.target]);
      // Its own two PDFs and two scans, not another edition's.
      if (record.target == "2024-05-10") {
        CHECK(record.stats.assets == 3);
        CHECK(record.stats.asset_errors >= 1);
      } else {
        CHECK(record.stats.assets == 4);
        CHECK(record.stats.asset_errors == 0);
      }
    }
    // Every article stored under its own edition, and no frontier left behind.
    for (const auto& stored : reader.articles({.site = "paper"})) {
      CHECK(articles.contains(stored.article.edition.value_or("")));
    }
    CHECK(reader.articles({.site = "paper"}).size() == 2U * (1 + 2 + 3 + 4 + 5));
    CHECK(site.hits("/pdf/2024-05-10/01.pdf") == 1);
    auto db = testing::archive_sql(site.database);
    CHECK(testing::sql_scalar(db, "SELECT count(*) FROM frontier") == 0);
  }

  TEST_CASE("an article page's 标题导航: in fetch --json's reports, and the same archive without") {
    // Founder article pages list their 版面's headlines beside the article. `fetch --json`
    // prints them (CONTRACT: a page that lists headlines has `headlines`); a crawl that prints
    // no reports does not read them, and archives the same.
    const Day day{std::chrono::year{2024}, std::chrono::May, std::chrono::day{6}};
    const testing::EpaperEdition edition{
        .day = day, .issue = 7100, .articles_per_page = 3, .titles_beside_articles = true};
    const auto headlines_by_page = [](const testing::ServedSite& site) {
      auto db = testing::archive_sql(site.database);
      return testing::sql_text(
          db,
          "SELECT group_concat(page || ' ' || count, '; ') FROM (SELECT substr(page_url, "
          "instr(page_url, '/paper/')) AS page, count(*) AS count FROM headlines GROUP BY "
          "page_url ORDER BY page_url)");
    };

    testing::ServedSite printed(k_paper);
    testing::write_epaper_edition(printed.root, "paper/", edition);
    const auto json = printed.run({"fetch", "--site", "paper", "--date", day_iso(day), "--json"});
    CHECK_MESSAGE(json.exit_code == 0, json.err);
    int article_reports = 0;
    for (const auto& line : json.lines()) {
      const auto report = nlohmann::json::parse(line);
      const std::string url = report["url"];
      if (url.find("/content_") == std::string::npos) {
        continue;
      }
      CAPTURE(url);
      ++article_reports;
      CHECK(report.contains("title"));
      // The other two of its own 版面: articles 1-3 are on the first, 4-6 on the second.
      REQUIRE(report.contains("headlines"));
      REQUIRE(report["headlines"].size() == 2);
      const char article = url[url.size() - 6];
      for (const auto& headline : report["headlines"]) {
        const std::string listed = headline["url"];
        const char other = listed[listed.size() - 6];
        CHECK(other != article);
        CHECK((other <= '3') == (article <= '3'));
      }
    }
    CHECK(article_reports == 6);

    testing::ServedSite quiet(k_paper);
    testing::write_epaper_edition(quiet.root, "paper/", edition);
    const auto listing = quiet.run({"fetch", "--site", "paper", "--date", day_iso(day)});
    CHECK_MESSAGE(listing.exit_code == 0, listing.err);
    // The archive keeps a page's headlines only where the page holds no article: the 版面.
    const std::string expected =
        "/paper/2024-05/06/node_01.html 3; /paper/2024-05/06/node_02.html 3";
    CHECK(headlines_by_page(printed) == expected);
    CHECK(headlines_by_page(quiet) == expected);
    ArchiveReader reader(quiet.database);
    CHECK(reader.articles({.site = "paper"}).size() == 6);
    const auto crawls = reader.recent_crawls("paper", 5);
    REQUIRE(crawls.size() == 1);
    CHECK(crawls[0].stats.headlines == 6);
    CHECK(crawls[0].stats.articles == 6);
  }

  TEST_CASE("fifty-two days: editions stream, and each edition is whole and its own") {
    testing::ServedSite site(k_paper + "[site.fetch]\nretries = 0\n");
    // Fifty-two days, more than the editions on their way at once (SiteCrawler::
    // k_editions_in_flight), each edition with its PDFs and scans (which pause the stream as
    // they are fetched). Three days without an edition. On the seventh, 版面 02 names a 版面 03
    // that the first page does not: a third round of 版面 for that edition, answered only once
    // a later edition's articles were asked for.
    const Day first{std::chrono::year{2024}, std::chrono::March, std::chrono::day{1}};
    const auto day_at = [&](int offset) {
      return Day(std::chrono::sys_days(first) + std::chrono::days(offset));
    };
    constexpr int k_days = 52;
    const std::set<int> unpublished{4, 20, 37};
    constexpr int k_third_page_on = 6;
    std::map<std::string, int> articles;  // by edition
    for (int offset = 0; offset < k_days; ++offset) {
      if (unpublished.contains(offset)) {
        continue;
      }
      const testing::EpaperEdition edition{
          .day = day_at(offset), .issue = 6000 + offset, .articles_per_page = 1 + offset % 3};
      testing::write_epaper_edition(site.root, "paper/", edition);
      articles[day_iso(edition.day)] = 2 * edition.articles_per_page;
    }
    const auto folder = site.root / "paper" / testing::epaper_folder(day_at(k_third_page_on));
    std::string second = testing::read_file(folder / "node_02.html");
    const std::string nav_end = "</ul></div><div class=\"title-nav\">";
    REQUIRE(second.find(nav_end) != std::string::npos);
    second.replace(second.find(nav_end), 0,
                   "<li><a class=\"page-tit\" href=\"node_03.html\">第03版:副刊</a></li>");
    std::ofstream(folder / "node_02.html") << second;
    std::string third = second;
    third.replace(third.find("第02版:工会新闻</span>"), std::string("第02版:工会新闻").size(),
                  "第03版:副刊");
    std::ofstream(folder / "node_03.html") << third;
    // The third 版面 waits until the server is asked for an article of an edition begun after
    // it: the other editions go on without it. Crawled in stages, or in groups that wait for their
    // slowest edition, none would be asked first. It waits 20 s at most, within the crawl's
    // timeout (60 s): a sanitizer build on a loaded machine may take seconds to get there.
    const std::string third_path =
        "/paper/" + testing::epaper_folder(day_at(k_third_page_on)) + "/node_03.html";
    const auto later_article = [&](const std::string& path) {
      for (int offset = k_third_page_on + 2; offset < k_days; ++offset) {
        if (path.starts_with("/paper/" + testing::epaper_folder(day_at(offset)) + "/content_")) {
          return true;
        }
      }
      return false;
    };
    auto others_went_on = std::make_shared<std::atomic<bool>>(false);
    site.server.route(third_path, [&, others_went_on, third](const testing::Request&) {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (std::chrono::steady_clock::now() < give_up) {
        if (std::ranges::any_of(site.server.requests(), [&](const testing::Request& request) {
              return later_article(request.path);
            })) {
          others_went_on->store(true);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      return testing::Response{.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                               .body = third};
    });

    const auto crawl = site.run({"--log-level", "info", "fetch", "--site", "paper", "--from",
                                 day_iso(day_at(0)), "--to", day_iso(day_at(k_days - 1))});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(site.database);
    const auto crawls = reader.recent_crawls("paper", 100);
    REQUIRE(crawls.size() == k_days);
    for (const CrawlRecord& record : crawls) {
      CAPTURE(record.target);
      CHECK_FALSE(record.finished_at.empty());
      if (!articles.contains(record.target)) {
        CHECK(record.stats.result == "missing");
        CHECK(record.stats.pages == 0);
        continue;
      }
      CHECK(record.stats.result == "ok");
      CHECK(record.stats.pages == (record.target == day_iso(day_at(k_third_page_on)) ? 3 : 2));
      CHECK(record.stats.headlines == articles[record.target]);
      CHECK(record.stats.articles == articles[record.target]);
      // Its own two PDFs and two scans, whichever stage fetched them.
      CHECK(record.stats.assets == 4);
      CHECK(record.stats.asset_errors == 0);
    }
    int expected = 0;
    for (const auto& [edition, count] : articles) {
      expected += count;
    }
    const auto stored = reader.articles({.site = "paper"});
    CHECK(stored.size() == static_cast<std::size_t>(expected));
    for (const auto& article : stored) {
      CHECK(articles.contains(article.article.edition.value_or("")));
    }
    auto db = testing::archive_sql(site.database);
    CHECK(testing::sql_scalar(db, "SELECT count(*) FROM frontier") == 0);
    CHECK(site.hits("/paper/" + testing::epaper_folder(day_at(k_third_page_on)) +
                    "/node_03.html") == 1);

    CHECK(others_went_on->load());
    // Begun in the order of the days (each crawl's id after the day before's), and recorded in
    // that order (the log's line for each record), though the seventh was done last of many.
    std::map<std::string, const CrawlRecord*> record_of;
    for (const CrawlRecord& record : crawls) {
      record_of[record.target] = &record;
    }
    std::size_t last_logged = 0;
    for (int offset = 0; offset < k_days; ++offset) {
      const std::string day = day_iso(day_at(offset));
      CAPTURE(day);
      if (offset > 0) {
        CHECK(record_of.at(day_iso(day_at(offset - 1)))->id < record_of.at(day)->id);
      }
      const auto logged = crawl.err.find("paper: " + day + " recorded: ");
      REQUIRE(logged != std::string::npos);
      CHECK(logged > last_logged);
      last_logged = logged;
    }
  }

  TEST_CASE("catch_up = \"0d\" crawls today only, a bad catch_up is a config error") {
    testing::ServedSite site(k_paper + "catch_up = \"0d\"\n");
    const auto crawl = site.run({"fetch", "--site", "paper"});
    CHECK(crawl.exit_code == 0);
    CHECK(site.server.requests().size() == 1);
    site.write_config(k_paper + "catch_up = \"36h\"\n");
    const auto bad = site.run({"check-config"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("site \"paper\".catch_up: must be whole days") != std::string::npos);
  }

  TEST_CASE("a list is followed to its end across crawls, max_list_pages at a time") {
    testing::ServedSite site(R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
max_list_pages = 10
)");
    // 25 list pages of 4 articles each, newest first.
    const auto write_lists = [&](int articles) {
      const int pages = (articles + 3) / 4;
      for (int page = 1; page <= pages; ++page) {
        std::vector<testing::ListEntry> entries;
        for (int n = articles - (page - 1) * 4; n > articles - page * 4 && n > 0; --n) {
          entries.push_back({.href = fmt::format("art/{}.html", n),
                             .title = fmt::format("市总工会召开第{}次职工代表座谈会", n),
                             .date = "2024-05-01"});
        }
        testing::write_page(
            site.root,
            page == 1 ? "union/news/index.html" : fmt::format("union/news/index_{}.html", page),
            testing::union_list_html(
                entries, page < pages ? fmt::format("index_{}.html", page + 1) : "", "utf-8"));
      }
    };
    for (int n = 1; n <= 102; ++n) {
      testing::write_page(
          site.root, fmt::format("union/news/art/{}.html", n),
          testing::union_article_html({.path = "",
                                       .title = fmt::format("市总工会召开第{}次职工代表座谈会", n),
                                       .date = "2024-05-01",
                                       .body = testing::union_article_body(n)},
                                      "utf-8"));
    }
    write_lists(100);
    const auto crawl = [&] {
      const auto result = site.run({"fetch", "--site", "union"});
      CHECK_MESSAGE(result.exit_code == 0, result.err);
      return result;
    };
    const auto first = crawl();
    ArchiveReader reader(site.database);
    CHECK(first.err.find("after 10 pages (max_list_pages)") != std::string::npos);
    CHECK(reader.articles({.site = "union"}).size() == 40);
    CHECK(site.hits("/union/news/index_11.html") == 0);
    crawl();  // the first page has nothing new: on from page 11, ten pages in all
    CHECK(reader.articles({.site = "union"}).size() == 76);
    CHECK(site.hits("/union/news/index_2.html") == 1);
    CHECK(site.hits("/union/news/index_11.html") == 1);
    CHECK(site.hits("/union/news/index_20.html") == 0);
    const auto third = crawl();
    CHECK(reader.articles({.site = "union"}).size() == 100);
    CHECK(site.hits("/union/news/index_25.html") == 1);
    CHECK(third.err.find("max_list_pages") == std::string::npos);

    // Read to its end: from now on a crawl stops at the first page with nothing new.
    write_lists(102);  // two new articles on top; everything shifts down
    const auto before = site.server.requests().size();
    crawl();
    CHECK(reader.articles({.site = "union"}).size() == 102);
    std::size_t list_pages = 0;
    const auto requests = site.server.requests();
    for (std::size_t i = before; i < requests.size(); ++i) {
      list_pages += requests[i].path.find("/index") != std::string::npos ? 1U : 0U;
    }
    CHECK(list_pages == 2);
  }

  TEST_CASE("the way down goes on even when the top of the list always has new entries") {
    testing::ServedSite site(R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
max_list_pages = 4
)");
    // 12 list pages of 2 articles each, and on every page a link that never becomes an article
    // (the page is gone): it is new to every crawl.
    constexpr int k_pages = 12;
    for (int page = 1; page <= k_pages; ++page) {
      std::vector<testing::ListEntry> entries;
      for (int n = page * 2 - 1; n <= page * 2; ++n) {
        const std::string title = fmt::format("市总工会召开第{}次职工代表座谈会", n);
        testing::write_page(site.root, fmt::format("union/news/art/{}.html", n),
                            testing::union_article_html({.path = "",
                                                         .title = title,
                                                         .date = "2024-05-01",
                                                         .body = testing::union_article_body(n)},
                                                        "utf-8"));
        entries.push_back(
            {.href = fmt::format("art/{}.html", n), .title = title, .date = "2024-05-01"});
      }
      entries.push_back({.href = fmt::format("gone/{}.html", page),
                         .title = fmt::format("已删除的通知{}", page),
                         .date = "2024-05-01"});
      testing::write_page(
          site.root,
          page == 1 ? "union/news/index.html" : fmt::format("union/news/index_{}.html", page),
          testing::union_list_html(
              entries, page < k_pages ? fmt::format("index_{}.html", page + 1) : "", "utf-8"));
    }
    const auto list_page = [](int page) {
      return page == 1 ? std::string("/union/news/index.html")
                       : fmt::format("/union/news/index_{}.html", page);
    };
    const auto crawl = [&] { return site.run({"fetch", "--site", "union"}); };
    crawl();  // pages 1 to 4; the next crawl goes on from page 5
    CHECK(site.hits(list_page(4)) == 1);
    CHECK(site.hits(list_page(5)) == 0);
    crawl();  // the top (pages 1 and 2, half the budget), then pages 5 and 6
    CHECK(site.hits(list_page(3)) == 1);
    CHECK(site.hits(list_page(5)) == 1);
    CHECK(site.hits(list_page(6)) == 1);
    CHECK(site.hits(list_page(7)) == 0);
    crawl();  // pages 7 and 8; resume at 9

    // The site trims its list: page 9 is gone. The way down starts again from the top.
    std::filesystem::remove(site.root / "union/news/index_9.html");
    const auto trimmed = crawl();
    CHECK(trimmed.err.find("where an earlier crawl stopped is gone (HTTP 404)") !=
          std::string::npos);
    const auto again = crawl();
    CHECK(site.hits(list_page(3)) == 2);  // read again on the way down from the top
    CHECK(again.err.find("where an earlier crawl stopped is gone") == std::string::npos);
    ArchiveReader reader(site.database);
    CHECK(reader.articles({.site = "union"}).size() == 16);  // pages 1 to 8
  }

  TEST_CASE("one crawl per site: a second exits 1 naming the first, a kill -9 frees the site") {
    testing::ServedSite site(R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
)");
    std::vector<testing::ListEntry> entries;
    for (int n = 1; n <= 3; ++n) {
      testing::write_page(
          site.root, fmt::format("union/news/art/{}.html", n),
          testing::union_article_html({.path = "",
                                       .title = fmt::format("市总工会召开第{}次职工代表座谈会", n),
                                       .date = "2024-05-01",
                                       .body = testing::union_article_body(n)},
                                      "utf-8"));
      entries.push_back({.href = fmt::format("art/{}.html", n),
                         .title = fmt::format("市总工会召开第{}次职工代表座谈会", n),
                         .date = "2024-05-01"});
    }
    const std::string list = testing::union_list_html(entries, "", "utf-8");
    // The list page answers slowly while `slow` is set: a crawl that takes a while.
    const auto slow = std::make_shared<std::atomic<bool>>(true);  // shared with the server
    site.server.route("/union/news/index.html", [slow, list](const testing::Request&) {
      testing::Response response{.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                                 .body = list};
      if (*slow) {
        response.mode = testing::Response::Mode::drip;
        response.drip_interval = 20ms;  // a few seconds for the whole page
      }
      return response;
    });
    auto running = site.start({"fetch", "--site", "union"}, site.dir / "first");
    REQUIRE(eventually([&] { return site.hits("/union/news/index.html") == 1; }, 10s));

    const auto second = site.run({"fetch", "--site", "union"});
    CHECK(second.exit_code == 1);
    CHECK(second.seconds < 5.0);
    CHECK_MESSAGE(
        second.err.find("already being crawled by another archiver (pid") != std::string::npos,
        second.err);
    CHECK(site.hits("/union/news/index.html") == 1);  // it fetched nothing
    // A fetch of one URL is not a crawl of the site: it goes ahead.
    const auto one = site.run({"fetch", site.url("union/news/art/1.html")});
    CHECK_MESSAGE(one.exit_code == 0, one.err);

    // Killed: the lease stays in the archive, and the next crawl takes it over.
    running->signal(SIGKILL);
    REQUIRE(running->wait_for(5s).has_value());
    *slow = false;
    const auto third = site.run({"fetch", "--site", "union"});
    CHECK_MESSAGE(third.exit_code == 0, third.err);
    CHECK(third.err.find("no longer running") != std::string::npos);
    ArchiveReader reader(site.database);
    CHECK(reader.articles({.site = "union"}).size() == 3);
  }
}

}  // namespace archiver

namespace archiver {

TEST_SUITE("integration/unattended") {
  // Without a bound in bytes, a stage held every answer the fetcher brought while the parsers
  // lagged: each page more, its weight more. Bounded, 50 pages of 2 MiB take about what 10 do.
  TEST_CASE("a stage of big pages holds a window bounded in bytes") {
    std::string paragraph;
    for (int i = 0; i < 40; ++i) {
      paragraph += "全市各级工会组织深入开展职工技能提升行动，广泛开展岗位练兵和技能竞赛。";
    }
#if defined(__SANITIZE_ADDRESS__)
    constexpr std::size_t k_page_mib = 1;  // the sanitizers parse ten times slower
#else
    constexpr std::size_t k_page_mib = 2;
#endif
    std::vector<std::string> body;
    while (body.size() * paragraph.size() < k_page_mib * 1024 * 1024) {
      body.push_back(paragraph);
    }
    const auto crawl_peak_kb = [&](int pages) {
      testing::ServedSite site(R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
[site.fetch]
max_connections = 4
connections_per_host = 4
)");
      std::vector<testing::ListEntry> entries;
      for (int n = 1; n <= pages; ++n) {
        const std::string title = fmt::format("市总工会技能竞赛综述之{}", n);
        testing::write_page(
            site.root, fmt::format("union/news/art/{}.html", n),
            testing::union_article_html(
                {.path = "", .title = title, .date = "2024-05-01", .body = body}, "utf-8"));
        entries.push_back(
            {.href = fmt::format("art/{}.html", n), .title = title, .date = "2024-05-01"});
      }
      testing::write_page(site.root, "union/news/index.html",
                          testing::union_list_html(entries, "", "utf-8"));
      const auto crawl = site.run({"--log-level", "warn", "fetch", "--site", "union"});
      REQUIRE_MESSAGE(crawl.exit_code == 0, crawl.err);
      CHECK(ArchiveReader(site.database).articles({}).size() == static_cast<std::size_t>(pages));
      MESSAGE("peak RSS " << crawl.max_rss_kb / 1024 << " MiB for "
                          << pages * static_cast<int>(k_page_mib) << " MiB of pages");
      return crawl.max_rss_kb;
    };
    const long few = crawl_peak_kb(10);
    const long many = crawl_peak_kb(50);
#if defined(__SANITIZE_ADDRESS__)
    constexpr long k_more_kb = 320L * 1024;  // ASan keeps freed memory in quarantine a while
#else
    constexpr long k_more_kb = 120L * 1024;  // unbounded, 36 pages more held 350 MiB more
#endif
    CHECK(many < few + k_more_kb);
  }
}

}  // namespace archiver
