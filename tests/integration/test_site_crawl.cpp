// `archiver fetch --site` and `archiver reparse` against the sample sites served on 127.0.0.1:
// whole e-paper editions (every article of every 版面 with edition, page and issue), list sites
// followed through their pagination, scope kept, reparse offline, parser health recorded.

#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sample_sites.hpp"
#include "tests/support/static_site.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <ranges>
#include <set>
#include <thread>

namespace archiver {
namespace {

using testing::ProcessResult;

using testing::SampleSites;

nlohmann::json json_of(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string joined(const nlohmann::json& paragraphs) {
  std::string text;
  for (const auto& paragraph : paragraphs) {
    text += (text.empty() ? "" : "\n") + paragraph.get<std::string>();
  }
  return text;
}

}  // namespace

TEST_SUITE("integration/site-crawl") {
  TEST_CASE("an e-paper edition: every article of every 版面, with edition, page and issue") {
    SampleSites sites;
    const auto crawl = sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13", "--json"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    // Both 版面 were read, and every headline on them became an article.
    std::size_t listed = 0;
    for (const char* page : {"ahgrb/2023-06/13/node_01.html", "ahgrb/2023-06/13/node_02.html"}) {
      listed += SampleSites::expected(page)["headlines"].size();
      CHECK(sites.server.request_count("/" + std::string(page)) == 1);
    }
    ArchiveReader reader(sites.database);
    const auto articles = reader.articles({.site = "ahgrb"});
    REQUIRE(articles.size() == listed);
    for (const auto& stored : articles) {
      const std::string relative = sites.relative(stored.url);
      INFO(relative);
      const auto expected = SampleSites::expected(relative);
      CHECK(stored.article.title == expected["title"]);
      CHECK(stored.article.edition == "2023-06-13");
      CHECK(stored.article.issue == "8100");
      CHECK(stored.article.page == expected["page"].get<std::string>());
      CHECK(json_of(stored.article.author) == expected["author"]);
      CHECK(stored.article.body_text() == joined(expected["body"]));
    }
    // The crawl's parser health is recorded and shown.
    const auto shown = sites.run({"sites", "--json"});
    CHECK(shown.exit_code == 0);
    bool found = false;
    for (const auto& line : shown.lines()) {
      const auto site = nlohmann::json::parse(line);
      if (site["name"] == "ahgrb") {
        found = true;
        CHECK(site["last_crawl"]["target"] == "2023-06-13");
        CHECK(site["last_crawl"]["result"] == "ok");
        CHECK(site["last_crawl"]["articles"] == listed);
        CHECK(site["last_crawl"]["with_date"] == listed);
        CHECK(site["last_crawl"]["with_body"] == listed);
        CHECK(site["articles"] == listed);
        // "30 7 * * *" in Shanghai: the next run is at 23:30 UTC plus at most 5 minutes.
        const auto next_due = site["next_due"].get<std::string>();
        CHECK(next_due.substr(10, 5) == "T23:3");
        CHECK(site["missed_run"] == false);
      }
    }
    CHECK(found);

    // Again: the 版面 come back not-modified and the archived articles are not fetched again
    // (a printed edition does not change).
    const auto again = sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13", "--json"});
    CHECK(again.exit_code == 0);
    CHECK(again.lines().size() == 2);
    for (const auto& line : again.lines()) {
      CHECK(nlohmann::json::parse(line)["status"] == "not-modified");
    }
    for (const auto& stored : articles) {
      CHECK(sites.server.request_count("/" + sites.relative(stored.url)) == 1);
    }
    // --refetch asks for every article again, conditionally: all not-modified, no new versions.
    const auto refetch =
        sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13", "--refetch", "--json"});
    CHECK(refetch.exit_code == 0);
    CHECK(refetch.lines().size() == 2 + listed);
    for (const auto& line : refetch.lines()) {
      const auto report = nlohmann::json::parse(line);
      CHECK(report["status"] == "not-modified");
      if (report.contains("title")) {
        CHECK(report["version"] == 1);
      }
    }
    for (const auto& stored : articles) {
      CHECK(sites.server.request_count("/" + sites.relative(stored.url)) == 2);
    }
  }

  TEST_CASE("a Founder edition: ?div duplicates folded, the mobile twin out of scope") {
    SampleSites sites;
    const auto crawl =
        sites.run({"fetch", "--site", "haidai-grb", "--date", "2022-02-13", "--json"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(sites.database);
    const auto articles = reader.articles({.site = "haidai-grb"});
    CHECK(articles.size() == 11);  // content_1182 .. content_1192, each once
    std::map<std::string, int> pages;
    for (const auto& stored : articles) {
      const auto expected = SampleSites::expected(sites.relative(stored.url));
      CHECK(stored.url.find('?') == std::string::npos);
      CHECK(stored.article.title == expected["title"]);
      CHECK(stored.article.edition == "2022-02-13");
      ++pages[stored.article.page.value_or("")];
    }
    CHECK(pages.size() == 4);
    // node_2 lists the mobile twin of an article; the crawl never goes there.
    bool pad_listed = false;
    for (const auto& line : crawl.lines()) {
      for (const auto& headline :
           nlohmann::json::parse(line).value("headlines", nlohmann::json::array())) {
        pad_listed =
            pad_listed || headline["url"].get<std::string>().find("/pad/") != std::string::npos;
      }
    }
    CHECK(pad_listed);
    for (const auto& request : sites.server.requests()) {
      CHECK(request.path.find("/pad/") == std::string::npos);
    }
  }

  TEST_CASE("a range of days: editions found, days without one reported, not failed") {
    SampleSites sites;
    const auto crawl = sites.run(
        {"fetch", "--site", "ahgrb", "--from", "2021-05-24", "--to", "2021-06-01", "--json"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(sites.database);
    std::map<std::string, int> editions;
    for (const auto& stored : reader.articles({.site = "ahgrb"})) {
      ++editions[stored.article.edition.value_or("")];
    }
    REQUIRE(editions.size() == 2);
    CHECK(editions["2021-05-24"] > 0);
    CHECK(editions["2021-06-01"] > 0);
    // One crawl record per day: two editions, seven days without one.
    const auto crawls = reader.recent_crawls("ahgrb", 20);
    CHECK(crawls.size() == 9);
    CHECK(std::ranges::count(crawls, std::string("missing"),
                             [](const CrawlRecord& c) { return c.stats.result; }) == 7);
  }

  TEST_CASE("list sites: pagination followed, only new articles fetched the next time") {
    SampleSites sites;
    const auto crawl = sites.run({"fetch", "--site", "gyghw", "--json"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    for (const char* list :
         {"/gyghw/news/index.html", "/gyghw/news/index_2.html", "/gyghw/news/index_3.html"}) {
      CHECK(sites.server.request_count(list) == 1);
    }
    ArchiveReader reader(sites.database);
    const auto articles = reader.articles({.site = "gyghw"});
    CHECK(articles.size() == 15);
    for (const auto& stored : articles) {
      const auto expected = SampleSites::expected(sites.relative(stored.url));
      CHECK(stored.article.title == expected["title"]);
      CHECK(json_of(stored.article.published) == expected["published"]);
      CHECK(json_of(stored.article.source) == expected["source"]);
    }
    const auto requests_before = sites.server.requests().size();
    const auto again = sites.run({"fetch", "--site", "gyghw", "--json"});
    CHECK(again.exit_code == 0);
    // Only the first list page again: everything on it is archived, so the older pages are too.
    CHECK(sites.server.requests().size() == requests_before + 1);
    CHECK(again.err.find("were found") == std::string::npos);  // no false health alarm
    const auto crawls = reader.recent_crawls("gyghw", 1);
    REQUIRE(crawls.size() == 1);
    CHECK(crawls[0].stats.known == 5);
    CHECK(crawls[0].stats.articles == 0);
    CHECK(crawls[0].stats.result == "ok");
  }

  TEST_CASE("a site left on the generic parser still follows its lists") {
    SampleSites sites;
    std::string config = testing::read_file(sites.config);
    const std::string cms = "name = \"gyghw\"\ntitle = \"广元工会网\"\nparser = \"cms\"";
    REQUIRE(config.find(cms) != std::string::npos);
    config.replace(config.find(cms), cms.size(), "name = \"gyghw\"\ntitle = \"广元工会网\"");
    std::ofstream(sites.config) << config;
    const auto crawl = sites.run({"fetch", "--site", "gyghw"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(sites.database);
    const auto articles = reader.articles({.site = "gyghw"});
    CHECK(articles.size() == 15);
    for (const auto& stored : articles) {
      CHECK(stored.parser == "generic");
    }
  }

  TEST_CASE("robots.txt: disallowed pages are not fetched, Crawl-delay is kept") {
    SampleSites sites;
    std::string config = testing::read_file(sites.config);
    config.replace(config.find("obey_robots = false"), 19, "obey_robots = true");
    std::ofstream(sites.config) << config;
    sites.server.route("/robots.txt", [](const testing::Request&) {
      return testing::Response{
          .body =
              "User-agent: *\nDisallow: /gyghw/news/2023/0706/\n\n"
              "User-agent: archiver-demo\nDisallow: /variant-cms/html/2023/0728/\n"
              "Crawl-delay: 0.3\n"};
    });
    // Our own group (archiver-demo, the sample config's user agent) applies, not "*".
    CHECK(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    CHECK(sites.server.request_count("/gyghw/news/2023/0706/1234.html") == 1);
    const auto crawl = sites.run({"fetch", "--site", "variant-cms"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    CHECK(sites.server.request_count("/variant-cms/html/2023/0728/3305.html") == 0);
    CHECK(sites.server.request_count("/robots.txt") == 2);  // once per crawl
    // The gaps between requests to the host, measured where they arrive.
    std::vector<testing::Request> requests;
    for (const auto& request : sites.server.requests()) {
      if (request.path.starts_with("/variant-cms/")) {
        requests.push_back(request);
      }
    }
    REQUIRE(requests.size() == 4);  // two list pages, two of the three articles
    for (std::size_t i = 1; i < requests.size(); ++i) {
      INFO(testing::describe_times(requests[i - 1], requests[0].received));
      INFO(testing::describe_times(requests[i], requests[0].received));
      CHECK(requests[i].received - requests[i - 1].received >= std::chrono::milliseconds(280));
    }
  }

  TEST_CASE("robots.txt that fails with 5xx means nothing is crawled for now") {
    SampleSites sites;
    std::string config = testing::read_file(sites.config);
    config.replace(config.find("obey_robots = false"), 19, "obey_robots = true");
    std::ofstream(sites.config) << config;
    sites.server.route("/robots.txt",
                       [](const testing::Request&) { return testing::Response{.status = 503}; });
    const auto crawl = sites.run({"fetch", "--site", "gyghw"});
    CHECK(crawl.exit_code == 0);
    CHECK(sites.server.requests().size() == 1);  // robots.txt, nothing else
    ArchiveReader reader(sites.database);
    CHECK(reader.recent_crawls("gyghw", 1).at(0).stats.result == "disallowed");
  }

  TEST_CASE("503 with Retry-After is waited out, a steady 500 is retried, then given up") {
    SampleSites sites;
    std::string config = testing::read_file(sites.config);
    config.replace(config.find("timeout = \"10s\""), 15,
                   "timeout = \"10s\"\nretries = 2\nretry_backoff = \"50ms\"");
    std::ofstream(sites.config) << config;
    std::atomic<int> calls{0};
    const auto root = testing::samples_root();
    sites.server.route("/gyghw/news/index.html", [&](const testing::Request& request) {
      if (calls++ == 0) {
        return testing::Response{.status = 503, .headers = {{"Retry-After", "1"}}};
      }
      return testing::serve_static(root, request);
    });
    sites.server.route("/variant-cms/list_1.html",
                       [](const testing::Request&) { return testing::Response{.status = 500}; });
    const auto crawl = sites.run({"fetch", "--site", "gyghw"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    // The retry goes out only after the 503 came back: the server's own times bound the wait.
    const auto times = sites.server.handled_times("/gyghw/news/index.html");
    REQUIRE(times.size() == 2);
    CHECK(times[1] - times[0] >= std::chrono::milliseconds(950));
    ArchiveReader reader(sites.database);
    CHECK(reader.articles({.site = "gyghw"}).size() == 15);

    const auto failing = sites.run({"fetch", "--site", "variant-cms"});
    CHECK(failing.exit_code == 1);
    CHECK(sites.server.request_count("/variant-cms/list_1.html") == 3);  // 1 + 2 retries
    // Every attempt is in the fetch log.
    auto tables = testing::archive_sql(sites.database);
    auto errors = tables.prepare(
        "SELECT count(*) FROM fetches WHERE url LIKE '%/variant-cms/list_1.html' AND "
        "outcome = 'error'");
    REQUIRE(errors.step());
    CHECK(errors.column_int(0) == 3);
    // sites and status count the failed crawls in a row.
    CHECK(sites.run({"fetch", "--site", "variant-cms"}).exit_code == 1);
    const auto status = sites.run({"status", "--json"});
    REQUIRE(status.exit_code == 0);
    bool found = false;
    const auto report = nlohmann::json::parse(status.lines().at(0));
    for (const auto& site : report["sites"]) {
      if (site["name"] == "variant-cms") {
        found = true;
        CHECK(site["consecutive_failures"] == 2);
        CHECK(site["last_crawl"]["result"] == "failed");
      }
      if (site["name"] == "gyghw") {
        CHECK(site["consecutive_failures"] == 0);
      }
    }
    CHECK(found);
  }

  TEST_CASE("recent articles are revisited on their schedule, and an edit becomes a version") {
    SampleSites sites;
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    const std::string path = "/gyghw/news/2023/0725/1251.html";
    const std::string url = sites.server.url(path);
    {
      auto tables = testing::archive_sql(sites.database);
      auto planned = tables.prepare(
          "SELECT count(*) FROM articles WHERE site = 'gyghw' AND next_visit IS NOT NULL");
      REQUIRE(planned.step());
      CHECK(planned.column_int(0) == 15);  // every new article has its first revisit planned
    }
    // An hour later (as far as the archive knows), the paper edited the article.
    {
      sqlite::Database db(sites.database, sqlite::Database::Mode::read_write_create);
      auto due =
          db.prepare("UPDATE articles SET next_visit = '2000-01-01T00:00:00Z' WHERE url = ?1");
      due.bind(1, url).run();
    }
    std::string page = testing::read_file(testing::samples_root() / path.substr(1));
    const std::string before = "市总工会";
    page.replace(page.find(before, page.find("<div id=\"zoom\"")), before.size(), "广元市总工会");
    sites.server.route(path, [page](const testing::Request&) {
      return testing::Response{.headers = {{"Content-Type", "text/html"}}, .body = page};
    });
    const auto requests = sites.server.request_count(path);
    REQUIRE(sites.run({"fetch", "--site", "gyghw"}).exit_code == 0);
    CHECK(sites.server.request_count(path) == requests + 1);  // only the due article
    ArchiveReader reader(sites.database);
    const auto article = reader.article(url);
    REQUIRE(article.has_value());
    CHECK(article->version == 2);
    auto tables = testing::archive_sql(sites.database);
    auto plan =
        tables.prepare("SELECT revisits, next_visit > '2000-01-02' FROM articles WHERE url = ?1");
    plan.bind(1, url);
    REQUIRE(plan.step());
    CHECK(plan.column_int(0) == 1);
    CHECK(plan.column_int(1) == 1);  // the next one (6 hours after first seen) is planned
  }

  TEST_CASE("kill -9 mid-crawl, then the crawl resumes: nothing lost, nothing fetched twice") {
    SampleSites sites;
    std::string config = testing::read_file(sites.config);
    config.replace(config.find("delay_per_host = \"0s\""), 22, "delay_per_host = \"250ms\"");
    std::ofstream(sites.config) << config;
    const auto article_requests = [&] {
      std::map<std::string, int> counts;
      for (const auto& request : sites.server.requests()) {
        if (request.path.find("/content_") != std::string::npos) {
          ++counts[request.path];
        }
      }
      return counts;
    };
    // The URLs of the articles the archive holds, as committed.
    const auto committed_articles = [&] {
      std::set<std::string> urls;
      if (!std::filesystem::exists(sites.database)) {
        return urls;
      }
      try {
        auto tables = testing::archive_sql(sites.database);
        auto rows = tables.prepare("SELECT url FROM articles");
        while (rows.step()) {
          urls.insert(rows.column_text(0));
        }
      } catch (const StoreError&) {
        urls.clear();  // (the archive being created: no tables yet)
      }
      return urls;
    };
    {
      testing::ChildProcess crawl(
          ARCHIVER_BINARY,
          {"--config", sites.config.string(), "--db", sites.database.string(), "--log-level",
           "warn", "fetch", "--site", "ahgrb", "--date", "2023-06-13"},
          sites.dir.path(), {});
      // Killed once some articles are committed (a slow build, ASan's, may have fetched more
      // than it has committed: what is fetched but not committed is fetched again, rightly).
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (committed_articles().size() < 3 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      crawl.signal(SIGKILL);
      REQUIRE(crawl.wait_for(std::chrono::seconds(5)).has_value());
    }
    const auto before = article_requests();
    const std::set<std::string> committed = committed_articles();
    REQUIRE(committed.size() >= 3);
    REQUIRE(before.size() < 11);  // killed mid-crawl

    const auto resumed = sites.run({"fetch", "--site", "ahgrb", "--date", "2023-06-13"});
    CHECK_MESSAGE(resumed.exit_code == 0, resumed.err);
    // Every article was fetched; the ones finished before the kill were not fetched again
    // (at most the one in flight at the kill is).
    const auto after = article_requests();
    CHECK(after.size() == 11);
    for (const auto& [path, count] : after) {
      CHECK(count <= 2);
    }
    // Those committed before the kill were not fetched again.
    for (const std::string& url : committed) {
      const std::string path = url.substr(url.find("/ahgrb/"));
      CHECK_MESSAGE(after.at(path) == 1, path);
    }
    CHECK(sites.server.request_count("/ahgrb/2023-06/13/node_01.html") == 1);
    ArchiveReader reader(sites.database);
    const auto articles = reader.articles({.site = "ahgrb"});
    CHECK(articles.size() == 11);
    for (const auto& stored : articles) {
      CHECK(stored.version == 1);
      CHECK(stored.article.page.has_value());
    }
    auto tables = testing::archive_sql(sites.database);
    auto check = tables.prepare("PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.column_text(0) == "ok");
    const auto crawls = reader.recent_crawls("ahgrb", 5);
    REQUIRE(crawls.size() == 2);
    CHECK(crawls[0].stats.result == "ok");
    CHECK(crawls[1].stats.result == "interrupted");
  }

  TEST_CASE("a page the archive refuses: its batch is stored again page by page, only it lost") {
    // An e-paper's pages are stored without a savepoint each (CrawlEngine, PageUndo::batch): a
    // page that fails undoes its whole batch, and the crawl goes on from the archive with a
    // savepoint a page. Here the archive itself refuses one article, by a trigger the test adds.
    const std::vector<std::string> crawl{"fetch",      "--site", "ahgrb",     "--from",
                                         "2021-05-24", "--to",   "2021-06-01"};
    const auto articles_of = [](SampleSites& sites) {
      std::set<std::string> urls;
      for (const auto& article : ArchiveReader(sites.database).articles({.site = "ahgrb"})) {
        CHECK(article.version == 1);
        urls.insert(sites.relative(article.url));
      }
      return urls;
    };
    SampleSites reference;  // the same crawl, nothing refused
    REQUIRE(reference.run(crawl).exit_code == 0);
    const std::set<std::string> all = articles_of(reference);
    REQUIRE(all.size() > 10);
    const std::string refused = "ahgrb/2021-06/01/content_7605_4.html";
    REQUIRE(all.contains(refused));

    SampleSites sites;
    const auto made = sites.run({"fetch", "--site", "ahgrb", "--date", "2021-05-25"});
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);  // no edition that day: an empty archive
    testing::archive_sql_to_change(sites.database)
        .execute("CREATE TRIGGER test_refuses BEFORE INSERT ON fetches WHEN NEW.url = '" +
                 sites.server.url(refused) + "' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    const auto refusing = sites.run(crawl);
    INFO(refusing.err);
    CHECK(refusing.err.find("its batch was undone") != std::string::npos);
    // The page that failed, then alone, is reported as the one lost.
    CHECK(refusing.err.find(sites.server.url(refused) + ": cannot store: step: refused") !=
          std::string::npos);

    // Every other article is archived, once; the refused one is not, nor its fetch.
    std::set<std::string> expected = all;
    expected.erase(refused);
    CHECK(articles_of(sites) == expected);
    auto tables = testing::archive_sql(sites.database);
    CHECK(testing::sql_text(tables, "PRAGMA integrity_check") == "ok");
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM fetches WHERE url = '" +
                                          sites.server.url(refused) + "'") == 0);
    // What the undone batch had fetched was fetched again, nothing more than that.
    CHECK(sites.server.request_count("/" + refused) == 2);
    for (const std::string& path : all) {
      CHECK(sites.server.request_count("/" + path) <= 2);
    }
    // Each day's latest record: two editions (one with the refused page's error), no edition
    // the other seven days.
    std::map<std::string, std::string> results;
    for (const auto& record : ArchiveReader(sites.database).recent_crawls("ahgrb", 30)) {
      results.try_emplace(record.target, record.stats.result);  // newest first
    }
    CHECK(results.size() == 9);
    CHECK(results["2021-05-24"] == "ok");
    CHECK(results["2021-06-01"] == "partial");
    CHECK(std::ranges::count(results | std::views::values, std::string("missing")) == 7);
  }

  TEST_CASE("sites sharing a host (overlapping scopes): each crawl reads as its own site") {
    SampleSites sites;
    std::string base = sites.server.url("");
    base.pop_back();
    // No scope given: both default to the whole host, and the e-paper comes first.
    std::ofstream(sites.config) << "[fetch]\ndelay_per_host = \"0s\"\nobey_robots = false\n"
                                << "[[site]]\nname = \"paper\"\nparser = \"epaper\"\n"
                                << "edition_url = \"" << base
                                << "/ahgrb/{yyyy}-{mm}/{dd}/node_01.html\"\n"
                                << "[[site]]\nname = \"union\"\nparser = \"cms\"\n"
                                << "start_urls = [\"" << base << "/gyghw/news/index.html\"]\n";
    const auto crawl = sites.run({"fetch", "--site", "union"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(sites.database);
    const auto articles = reader.articles({.site = "union"});
    CHECK(articles.size() == 15);
    for (const auto& stored : articles) {
      CHECK(stored.parser == "cms");
    }
  }

  TEST_CASE("layout variants crawl without selectors") {
    SampleSites sites;
    CHECK(sites.run({"fetch", "--site", "variant-cms"}).exit_code == 0);
    CHECK(sites.run({"fetch", "--site", "variant-portal"}).exit_code == 0);
    CHECK(sites.run({"fetch", "--site", "variant-epaper", "--date", "2023-08-01"}).exit_code == 0);
    ArchiveReader reader(sites.database);
    CHECK(reader.articles({.site = "variant-cms"}).size() == 3);
    CHECK(reader.articles({.site = "variant-portal"}).size() == 3);
    const auto epaper = reader.articles({.site = "variant-epaper"});
    CHECK(epaper.size() == 3);
    for (const auto& stored : epaper) {
      CHECK(stored.article.issue == "2345");
    }
  }

  TEST_CASE("reparse: the current parsers over stored pages, offline, versions only on change") {
    SampleSites sites;
    // A site set up with a wrong selector: its titles come out as the kicker.
    const std::string good_config = testing::read_file(sites.config);
    const auto next_site = good_config.find("[[site]]\nname = \"haidai-grb\"");
    REQUIRE(next_site != std::string::npos);
    std::ofstream(sites.config) << good_config.substr(0, next_site)
                                << "  [site.selectors]\n  title = \"h3.art-yinti\"\n\n"
                                << good_config.substr(next_site);
    const std::string url = sites.server.url("/ahgrb/2023-06/13/content_8100_1.html");
    REQUIRE(sites.run({"fetch", url}).exit_code == 0);
    ArchiveReader reader(sites.database);
    REQUIRE(reader.article(url)->article.title == "肥西县总工会");

    // A generic fetch (no config) of a Founder page whose text reads as an article: content
    // right, no 版面 or 期次 known.
    const std::string founder = sites.server.url("/epaper/html/2022-02/13/content_1182.htm");
    REQUIRE(testing::run_process(ARCHIVER_BINARY,
                                 {"--db", sites.database.string(), "fetch", founder},
                                 sites.dir.path())
                .exit_code == 0);
    CHECK_FALSE(reader.article(founder)->article.page.has_value());
    // One with a single sentence of text is read as the e-paper page it is, 版面 and all.
    const std::string brief = sites.server.url("/epaper/html/2022-02/13/content_1184.htm");
    const auto brief_fetch = testing::run_process(
        ARCHIVER_BINARY, {"--db", sites.database.string(), "fetch", "--json", brief},
        sites.dir.path());
    REQUIRE(brief_fetch.exit_code == 0);
    CHECK(nlohmann::json::parse(brief_fetch.lines().at(0))["page"] == "第01版：要闻");
    CHECK(nlohmann::json::parse(brief_fetch.lines().at(0))["parser"] == "generic");

    std::ofstream(sites.config) << good_config;  // the fix
    const auto requests = sites.server.requests().size();
    const auto reparsed = sites.run({"reparse", "--json"});
    CHECK_MESSAGE(reparsed.exit_code == 0, reparsed.err);
    CHECK(sites.server.requests().size() == requests);  // no network
    std::map<std::string, nlohmann::json> results;
    for (const auto& line : reparsed.lines()) {
      const auto object = nlohmann::json::parse(line);
      results[object["url"]] = object;
    }
    CHECK(results[url]["status"] == "changed");
    CHECK(results[url]["version"] == 2);
    CHECK(reader.article(url)->article.title == "锚定“五强”目标延伸工会触角");
    CHECK(reader.article(url)->article.kicker == "肥西县总工会");
    // The Founder page: same content, no new version, its place in the edition filled in.
    CHECK(results[founder]["status"] == "corrected");
    CHECK(results[founder]["version"] == 1);
    CHECK(results[founder]["fields"] == nlohmann::json::array({"edition", "page"}));
    CHECK(results[founder]["parser"] == "epaper");
    CHECK(reader.article(founder)->version == 1);
    CHECK(reader.article(founder)->article.page == "第01版：要闻");
    CHECK(reader.article(founder)->article.edition == "2022-02-13");

    // Nothing left to improve: a second reparse stores nothing.
    const auto again = sites.run({"reparse", "--site", "ahgrb", "--json"});
    REQUIRE(again.lines().size() == 1);
    CHECK(nlohmann::json::parse(again.lines().at(0))["status"] == "unchanged");
    CHECK(reader.history(reader.article(url)->id).size() == 2);
  }

  TEST_CASE("an article teased on the front page belongs to the 版面 that prints it") {
    testing::TestServer server;
    const auto node = [&](const std::string& pages_and_list) {
      return R"(<html><head><meta charset="utf-8"></head><body>
<div><a href="node_01.html">第01版:要闻</a> <a href="node_02.html">第02版:工会新闻</a></div>)" +
             pages_and_list + "</body></html>";
    };
    const auto article = [](const std::string& title) {
      return R"(<html><head><meta charset="utf-8"></head><body><h1>)" + title +
             R"(</h1><div id="ozoom"><p>本报讯 近日，市总工会组织开展职工技能竞赛，三百余名职工参加了比赛。</p><p>比赛设焊工、电工等六个工种。(王明)</p></div></body></html>)";
    };
    server.route("/paper/2024-01/02/node_01.html", [&](const testing::Request&) {
      return testing::Response{.body = node(R"(<div class="list"><ul>
<li><a href="content_1.html">头版头条：全市职工技能竞赛启幕</a></li>
<li><a href="content_2.html">导读：职工书屋建设再上新台阶</a></li></ul></div>
<map name="m"><area href="content_1.html" coords="0,0,1,1"></map>
<div class="list2"><a href="/paper/2023-12/20/content_9.html">往期：去年的一篇报道标题</a></div>)")};
    });
    server.route("/paper/2024-01/02/node_02.html", [&](const testing::Request&) {
      return testing::Response{
          .body = node(R"(<ul><li><a href="content_2.html">职工书屋建设再上新台阶</a></li></ul>
<map name="m"><area href="content_2.html" coords="0,0,1,1"></map>)")};
    });
    server.route("/paper/2024-01/02/content_1.html", [&](const testing::Request&) {
      return testing::Response{.body = article("全市职工技能竞赛启幕")};
    });
    server.route("/paper/2024-01/02/content_2.html", [&](const testing::Request&) {
      return testing::Response{.body = article("职工书屋建设再上新台阶")};
    });
    testing::TempDir dir;
    std::string base = server.url("");
    base.pop_back();
    std::ofstream(dir / "archiver.toml")
        << "[fetch]\ndelay_per_host = \"0s\"\n[[site]]\nname = \"p\"\nparser = \"epaper\"\n"
        << "edition_url = \"" << base << "/paper/{yyyy}-{mm}/{dd}/node_01.html\"\n"
        << "scope = [\"" << base << "/paper/\"]\n";
    const auto crawl = testing::run_process(
        ARCHIVER_BINARY,
        {"--config", (dir / "archiver.toml").string(), "--db", (dir / "a.db").string(), "fetch",
         "--site", "p", "--date", "2024-01-02"},
        dir.path());
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(dir / "a.db");
    const auto teased = reader.article(server.url("/paper/2024-01/02/content_2.html"));
    const auto front = reader.article(server.url("/paper/2024-01/02/content_1.html"));
    REQUIRE(teased.has_value());
    REQUIRE(front.has_value());
    CHECK(teased->article.page == "第02版:工会新闻");
    CHECK(front->article.page == "第01版:要闻");
    CHECK(reader.articles({}).size() == 2);
    CHECK(server.request_count("/paper/2023-12/20/content_9.html") == 0);  // another edition
  }

  TEST_CASE("fetch --site usage errors") {
    SampleSites sites;
    CHECK(sites.run({"fetch", "--site", "nope"}).exit_code == 2);
    CHECK(sites.run({"fetch", "--site", "gyghw", "--date", "2023-06-13"}).exit_code == 2);
    CHECK(sites.run({"fetch", "--site", "ahgrb", "--date", "13/06/2023"}).exit_code == 2);
    CHECK(sites.run({"fetch", "--site", "ahgrb", "--from", "2023-06-13", "--to", "2023-06-01"})
              .exit_code == 2);
    CHECK(sites.run({"reparse", "--site", "nosuch"}).exit_code == 2);
    CHECK(sites.server.requests().empty());
    CHECK_FALSE(std::filesystem::exists(sites.database));  // exit 2: nothing was done
  }
}

}  // namespace archiver
