// The command line as a person meets it: --version, a mistyped command answered with the one
// meant, input too large refused with a clear message, Ctrl-C during a crawl (exit 130, the
// crawl resumable), and a progress line on a terminal but not on a pipe.

#include "store/archive_reader.hpp"
#include "tests/support/process.hpp"
#include "tests/support/served_site.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/union_site.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <thread>

namespace archiver {
namespace {

using namespace std::chrono_literals;

testing::ProcessResult archiver_in(const testing::TempDir& dir, std::vector<std::string> args) {
  return testing::run_process(ARCHIVER_BINARY, args, dir.path());
}

// A union site of n articles on one list page; the articles answer slowly when slow is set.
struct SlowSite : testing::ServedSite {
  // Shared with the server's threads, which the base class stops only after this is gone.
  std::shared_ptr<std::atomic<bool>> slow = std::make_shared<std::atomic<bool>>(true);

  explicit SlowSite(int articles)
      : ServedSite(
            "[[site]]\nname = \"union\"\nparser = \"cms\"\nstart_urls = "
            "[\"@BASE@/union/news/index.html\"]\n[site.fetch]\nconnections_per_host = 1\n") {
    std::vector<testing::ListEntry> entries;
    for (int n = 1; n <= articles; ++n) {
      const std::string title = fmt::format("市总工会召开第{}次职工代表座谈会", n);
      const std::string path = fmt::format("union/news/art/{}.html", n);
      const std::string page = testing::union_article_html({.path = "",
                                                            .title = title,
                                                            .date = "2024-05-01",
                                                            .body = testing::union_article_body(n)},
                                                           "utf-8");
      server.route("/" + path, [slow = slow, page](const testing::Request&) {
        testing::Response response{.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                                   .body = page};
        if (*slow) {
          response.mode = testing::Response::Mode::drip;
          response.drip_interval = 1ms;  // about two seconds an article
        }
        return response;
      });
      entries.push_back(
          {.href = fmt::format("art/{}.html", n), .title = title, .date = "2024-05-01"});
    }
    testing::write_page(root, "union/news/index.html",
                        testing::union_list_html(entries, "", "utf-8"));
  }
};

}  // namespace

TEST_SUITE("integration/cli-manners") {
  TEST_CASE("--version prints archiver X.Y.Z, a mistyped command names the one meant") {
    testing::TempDir dir;
    const auto version = archiver_in(dir, {"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.starts_with("archiver "));
    CHECK(version.out.find_first_of("0123456789") == 9);
    CHECK(std::count(version.out.begin(), version.out.end(), '.') == 2);

    const auto typo = archiver_in(dir, {"--db", (dir / "a.db").string(), "serach", "工会"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("did you mean \"search\"") != std::string::npos);
    CHECK(archiver_in(dir, {"stauts"}).err.find("did you mean \"status\"") != std::string::npos);
    CHECK(archiver_in(dir, {"edtions"}).err.find("did you mean \"editions\"") != std::string::npos);
    const auto nonsense = archiver_in(dir, {"frobnicate"});
    CHECK(nonsense.exit_code == 2);
    CHECK(nonsense.err.find("did you mean") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "a.db"));
  }

  TEST_CASE("bounds on input: a pasted page as a query, ten years and more of editions") {
    testing::TempDir dir;
    const auto db = (dir / "a.db").string();
    REQUIRE(archiver_in(dir, {"--db", db, "gc"}).exit_code == 0);
    std::string pasted;
    for (int i = 0; i < 300; ++i) {
      pasted += "工会";
    }
    const auto long_query = archiver_in(dir, {"--db", db, "search", pasted});
    CHECK(long_query.exit_code == 2);
    CHECK(long_query.err.find("the query is 600 characters long; at most 200") !=
          std::string::npos);
    CHECK(archiver_in(dir, {"--db", db, "search", pasted.substr(0, 3 * 100)}).exit_code == 0);

    std::ofstream(dir / "archiver.toml")
        << "[[site]]\nname = \"paper\"\nparser = \"epaper\"\n"
           "edition_url = \"http://127.0.0.1:9/{yyyy}-{mm}/{dd}/node_1.htm\"\n";
    const auto range =
        archiver_in(dir, {"--config", (dir / "archiver.toml").string(), "--db", db, "editions",
                          "--site", "paper", "--from", "1990-01-01", "--to", "2024-12-31"});
    CHECK(range.exit_code == 2);
    CHECK(range.err.find("more than the 3660 one command takes") != std::string::npos);
  }

  TEST_CASE("Ctrl-C during fetch --site: a message, exit 130, and the next run goes on") {
    SlowSite site(6);
    auto crawl = site.start({"fetch", "--site", "union"}, site.dir / "first");
    REQUIRE(crawl->started());
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (site.hits("/union/news/art/2.html") == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    REQUIRE(site.hits("/union/news/art/2.html") == 1);
    // The first article is stored (its batch committed) before the stop: on a loaded machine
    // the writer may be a moment behind the fetcher.
    const auto stored_one = [&] {
      try {
        return !ArchiveReader(site.database).articles({}).empty();
      } catch (const std::exception&) {
        return false;  // the archive is still being created
      }
    };
    while (!stored_one() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    REQUIRE(stored_one());
    crawl->signal(SIGINT);
    const auto code = crawl->wait_for(10s);
    REQUIRE(code.has_value());
    CHECK(*code == 130);
    CHECK(crawl->err().find("interrupted") != std::string::npos);
    CHECK(crawl->err().find("goes on where this crawl stopped") != std::string::npos);

    *site.slow = false;
    const auto stored_before = ArchiveReader(site.database).articles({});
    CHECK(stored_before.size() < 6);
    CHECK_FALSE(stored_before.empty());  // the first article was stored before the stop
    const auto again = site.run({"fetch", "--site", "union"});
    CHECK_MESSAGE(again.exit_code == 0, again.err);
    CHECK(again.err.find("resuming an interrupted crawl") != std::string::npos);
    CHECK(ArchiveReader(site.database).articles({}).size() == 6);
    // What the first run stored was not fetched again.
    for (const auto& article : stored_before) {
      CAPTURE(article.url);
      CHECK(site.hits(article.url.substr(site.url("").size() - 1)) == 1);
    }
  }

  TEST_CASE("a crawl shows its progress on a terminal, not on a pipe") {
    SlowSite site(3);
    *site.slow = false;
    // Under a pseudo-terminal (script(1)): the status line is drawn and erased.
    const auto tty =
        testing::run_process("/usr/bin/script",
                             {"-qec",
                              std::string(ARCHIVER_BINARY) + " --config " + site.config.string() +
                                  " --db " + site.database.string() + " fetch --site union",
                              "/dev/null"},
                             site.dir.path());
    CHECK(tty.exit_code == 0);
    CHECK(tty.out.find("\r\x1b[K") != std::string::npos);
    CHECK(tty.out.find("pages/s") != std::string::npos);
    // On a pipe: no status line, no escape codes.
    const auto piped = site.run({"fetch", "--site", "union", "--refetch"});
    CHECK(piped.exit_code == 0);
    CHECK(piped.err.find("pages/s") == std::string::npos);
    CHECK(piped.err.find("\x1b[K") == std::string::npos);
  }
}

}  // namespace archiver
