// `archiver run` left alone: an edition not out yet is asked for again before the site's next
// slot, a site another process crawls is skipped and tried again, a wedged crawl stops feeding
// systemd's watchdog, and the event loop answers signals while the archive is locked.

#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/epaper_site.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/served_site.hpp"
#include "tests/support/shanghai_day.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <thread>

namespace archiver {
namespace {

using namespace std::chrono_literals;

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

std::size_t article_count(const std::filesystem::path& database) {
  try {
    return ArchiveReader(database).articles({}).size();
  } catch (const std::exception&) {
    return 0;  // not there yet
  }
}

struct Crawl {
  std::string started;
  std::string finished;
};

std::vector<Crawl> finished_crawls(const std::filesystem::path& database) {
  std::vector<Crawl> crawls;
  try {
    auto tables = testing::archive_sql(database);
    auto query = tables.prepare(
        "SELECT started_at, finished_at FROM crawls WHERE finished_at IS NOT NULL ORDER BY id");
    while (query.step()) {
      crawls.push_back({query.column_text(0), query.column_text(1)});
    }
  } catch (const std::exception&) {
  }
  return crawls;
}

const std::string k_union = R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
)";

void write_union_site(const testing::ServedSite& site, int articles) {
  std::vector<testing::ListEntry> entries;
  for (int n = 1; n <= articles; ++n) {
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
  testing::write_page(site.root, "union/news/index.html",
                      testing::union_list_html(entries, "", "utf-8"));
}

}  // namespace

TEST_SUITE("integration/daemon-unattended") {
  TEST_CASE("an edition not out at the scheduled run is asked for again by the next slot") {
    // Every 2 seconds: the retry may not wait an hour.
    testing::ServedSite site(R"([[site]]
name = "paper"
parser = "epaper"
edition_url = "@BASE@/paper/{yyyy}-{mm}/{dd}/node_01.html"
schedule = "every 2s"
catch_up = "0d"
)");
    const auto today = testing::shanghai_today();
    auto daemon = site.start({"run"}, site.dir / "daemon");
    const std::string first_page = "/paper/" + testing::epaper_folder(today) + "/node_01.html";
    REQUIRE(eventually([&] { return site.hits(first_page) >= 1; }, 10s));
    CHECK(article_count(site.database) == 0);
    // Published late.
    testing::write_epaper_edition(site.root, "paper/",
                                  {.day = today, .issue = 8200, .articles_per_page = 2});
    CHECK(eventually([&] { return article_count(site.database) == 4; }, 15s));
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
  }

  TEST_CASE("the daemon skips a site another process crawls, then crawls it itself") {
    testing::ServedSite site(k_union + "schedule = \"every 2s\"\n");
    write_union_site(site, 3);
    const std::string list = testing::slurp(site.root / "union/news/index.html");
    const auto slow = std::make_shared<std::atomic<bool>>(true);  // shared with the server
    site.server.route("/union/news/index.html", [slow, list](const testing::Request&) {
      testing::Response response{.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                                 .body = list};
      if (*slow) {
        response.mode = testing::Response::Mode::drip;
        response.drip_interval = 2ms;  // a few seconds for the whole page
      }
      return response;
    });
    // A manual crawl holds the site while the daemon starts.
    auto manual = site.start({"fetch", "--site", "union"}, site.dir / "manual");
    REQUIRE(eventually([&] { return site.hits("/union/news/index.html") == 1; }, 10s));
    auto daemon = site.start({"run"}, site.dir / "daemon");
    REQUIRE(eventually(
        [&] { return daemon->err().find("another archiver crawls it") != std::string::npos; },
        10s));
    CHECK(site.hits("/union/news/index.html") == 1);  // the daemon fetched nothing
    *slow = false;
    REQUIRE(manual->wait_for(30s) == 0);
    // Tried again within the site's 2 seconds, it crawls.
    REQUIRE(eventually([&] { return finished_crawls(site.database).size() >= 2; }, 15s));
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
    const auto crawls = finished_crawls(site.database);
    for (std::size_t i = 1; i < crawls.size(); ++i) {
      CHECK(crawls[i - 1].finished <= crawls[i].started);  // never two at once
    }
    CHECK(ArchiveReader(site.database).articles({}).size() == 3);
  }

  TEST_CASE("a wedged crawl stops the watchdog pings, the loop still stops on SIGTERM") {
    testing::ServedSite site(k_union +
                             "schedule = \"every 10s\"\n[site.fetch]\ntimeout = \"120s\"\n" +
                             "\n[daemon]\nstall_timeout = \"2s\"\n");
    write_union_site(site, 2);
    site.server.route("/union/news/index.html", [](const testing::Request&) {
      return testing::Response{.mode = testing::Response::Mode::hang};
    });
    testing::NotifySocket notify(site.dir / "notify.sock");
    auto daemon = site.start(
        {"run"}, site.dir / "daemon",
        {"NOTIFY_SOCKET=" + (site.dir / "notify.sock").string(), "WATCHDOG_USEC=600000"});
    REQUIRE(notify.wait_for("READY=1", 10s));
    CHECK(notify.wait_for("WATCHDOG=1", 5s));
    REQUIRE(eventually(
        [&] { return daemon->err().find("has stored nothing for") != std::string::npos; }, 10s));
    // Wedged: no more pings, however long the loop runs (those sent before are read first).
    static_cast<void>(notify.count_for("WATCHDOG=1", 300ms));
    CHECK(notify.count_for("WATCHDOG=1", 1500ms) == 0);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
  }

  TEST_CASE("SIGHUP is answered at once while another process locks the archive") {
    // A daily cron slot: nothing crawls during the test.
    testing::ServedSite site(k_union + "schedule = \"0 3 * * *\"\n");
    write_union_site(site, 1);
    testing::NotifySocket notify(site.dir / "notify.sock");
    auto daemon = site.start({"run"}, site.dir / "daemon",
                             {"NOTIFY_SOCKET=" + (site.dir / "notify.sock").string()});
    REQUIRE(notify.wait_for("READY=1", 10s));
    // Another process holds every read lock of the archive's WAL index (bytes 123 to 127 of
    // the -shm file, as sqlite.org/walformat.html describes them): each read waits its busy
    // timeout.
    const int shm = ::open((site.database.string() + "-shm").c_str(), O_RDWR);
    REQUIRE(shm >= 0);
    struct flock read_locks {};
    read_locks.l_type = F_WRLCK;
    read_locks.l_whence = SEEK_SET;
    read_locks.l_start = 123;
    read_locks.l_len = 5;
    REQUIRE(::fcntl(shm, F_SETLKW, &read_locks) == 0);  // once a read in progress ends
    // A read of the archive waits its 10 s busy timeout now: the loop, which reads none, answers
    // before that (the bound allows for a loaded machine and the sanitizers; a loop that waited
    // for a read would answer after 10 s).
    const auto asked = std::chrono::steady_clock::now();
    daemon->signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1", 8s));
    CHECK(notify.wait_for("READY=1", 8s));
    CHECK(std::chrono::steady_clock::now() - asked < 9s);
    ::close(shm);  // the locks go with it
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(15s) == 0);
  }
}

}  // namespace archiver
