// Webhooks: `archiver run` POSTs each new or changed version to the [[notify]] URLs from the
// archive's outbox. A receiving server on 127.0.0.1 records what arrives: the article objects of
// new and changed versions, a webhook that fails and then recovers, one that hangs while the crawl
// and another webhook go on, and a daemon killed with events undelivered that delivers them after
// its restart.

#include "query/json_output.hpp"
#include "store/archive_reader.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/served_site.hpp"
#include "tests/support/union_site.hpp"
#include "tests/support/web_client.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

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

std::string union_site(std::string_view extra) {
  return fmt::format(R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
schedule = "every 5s"

{}
)",
                     extra);
}

std::string article_title(int n) { return fmt::format("市总工会召开第{}次职工代表座谈会", n); }

void write_article(const testing::ServedSite& site, int n, std::vector<std::string> body) {
  testing::write_page(
      site.root, fmt::format("union/news/art/{}.html", n),
      testing::union_article_html(
          {.path = "", .title = article_title(n), .date = "2024-05-01", .body = std::move(body)},
          "utf-8"));
}

void write_union_site(const testing::ServedSite& site, int articles) {
  std::vector<testing::ListEntry> entries;
  for (int n = 1; n <= articles; ++n) {
    write_article(site, n, testing::union_article_body(n));
    entries.push_back(
        {.href = fmt::format("art/{}.html", n), .title = article_title(n), .date = "2024-05-01"});
  }
  testing::write_page(site.root, "union/news/index.html",
                      testing::union_list_html(entries, "", "utf-8"));
}

// The POSTs a path of the receiver got, bodies parsed.
std::vector<nlohmann::json> posts(const testing::TestServer& receiver, std::string_view path) {
  std::vector<nlohmann::json> bodies;
  for (const auto& request : receiver.requests()) {
    if (request.path == path && request.method == "POST") {
      bodies.push_back(nlohmann::json::parse(request.body));
    }
  }
  return bodies;
}

std::int64_t scalar(const std::filesystem::path& database, const std::string& sql) {
  try {
    auto tables = testing::archive_sql(database);
    auto query = tables.prepare(sql);
    return query.step() ? query.column_int(0) : -1;
  } catch (const std::exception&) {
    return -1;  // not created yet
  }
}

// The event is the version as the archive has it: every field of the article object (but
// last_seen, which later crawls move), with status and, for a changed one, changes.
void check_is_stored_version(const std::filesystem::path& database, const nlohmann::json& event) {
  INFO(event.dump());
  ArchiveReader reader(database);
  const auto stored = reader.article(std::to_string(event.at("id").get<std::int64_t>()),
                                     event.at("version").get<std::int64_t>());
  REQUIRE(stored.has_value());
  const nlohmann::json expected = to_json(*stored);
  for (const auto& [key, value] : expected.items()) {
    if (key != "last_seen") {
      INFO(key);
      CHECK(event.at(key) == value);
    }
  }
  CHECK(event.at("status") == (stored->version == 1 ? "new" : "changed"));
  CHECK(event.at("event_id").is_number_integer());
}

testing::Response accepted() { return testing::Response{.status = 204}; }

}  // namespace

TEST_SUITE("integration/notify") {
  TEST_CASE("new and changed versions reach their webhooks as article objects") {
    testing::TestServer receiver;
    receiver.route("/all", [](const testing::Request&) { return accepted(); });
    receiver.route("/changes", [](const testing::Request&) { return accepted(); });
    testing::ServedSite site(union_site(
        fmt::format("[[notify]]\nurl = \"{}\"\n\n[[notify]]\nurl = \"{}\"\nsites = [\"union\"]\n"
                    "events = [\"changed\"]\n",
                    receiver.url("all"), receiver.url("changes"))));
    write_union_site(site, 3);
    auto daemon = site.start({"run"}, site.dir / "daemon");

    REQUIRE(eventually([&] { return posts(receiver, "/all").size() >= 3; }, 20s));
    const auto news = posts(receiver, "/all");
    CHECK(news.size() == 3);
    std::set<std::int64_t> event_ids;
    for (const auto& event : news) {
      check_is_stored_version(site.database, event);
      CHECK(event.at("status") == "new");
      CHECK_FALSE(event.contains("changes"));
      CHECK(event.at("site") == "union");
      event_ids.insert(event.at("event_id").get<std::int64_t>());
    }
    CHECK(event_ids.size() == 3);
    for (const auto& request : receiver.requests()) {
      CHECK(request.header("content-type") == "application/json");
      CHECK(request.header("x-archiver-event") ==
            std::to_string(nlohmann::json::parse(request.body).at("event_id").get<std::int64_t>()));
    }
    CHECK(posts(receiver, "/changes").empty());  // it hears of changes only

    // The publisher edits article 2; a one-shot `fetch URL` stores the change and leaves its
    // events in the outbox, which the running daemon delivers.
    auto body = testing::union_article_body(2);
    body[1] = "座谈会上，职工代表围绕劳动保护、技能培训等话题发言（本文已更正）。";
    write_article(site, 2, body);
    const auto fetched = site.run({"fetch", site.url("union/news/art/2.html")});
    REQUIRE_MESSAGE(fetched.exit_code == 0, fetched.err);
    REQUIRE(eventually([&] { return posts(receiver, "/changes").size() == 1; }, 20s));
    REQUIRE(eventually([&] { return posts(receiver, "/all").size() == 4; }, 20s));
    for (const auto& list : {posts(receiver, "/all").back(), posts(receiver, "/changes")[0]}) {
      check_is_stored_version(site.database, list);
      CHECK(list.at("status") == "changed");
      CHECK(list.at("version") == 2);
      CHECK(list.at("title") == article_title(2));
      CHECK(list.at("changes") == nlohmann::json::array({"body"}));
    }
    // The receiver has the event before the daemon has its answer and marks it delivered.
    CHECK(eventually(
        [&] {
          return scalar(site.database, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL") ==
                 0;
        },
        10s));

    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
  }

  TEST_CASE("a webhook that fails gets the event later, in order, after a backoff") {
    testing::TestServer receiver;
    auto failures = std::make_shared<std::atomic<int>>(3);  // shared with the server's threads
    receiver.route("/flaky", [failures](const testing::Request&) {
      if (failures->fetch_sub(1) > 0) {
        return testing::Response{.status = 500, .body = "database is down"};
      }
      return accepted();
    });
    testing::ServedSite site(
        union_site(fmt::format("[[notify]]\nurl = \"{}\"\n", receiver.url("flaky"))));
    write_union_site(site, 2);
    auto daemon = site.start({"run"}, site.dir / "daemon", {"ARCHIVER_NOTIFY_BACKOFF_MS=200"});

    REQUIRE(eventually(
        [&] {
          return scalar(site.database,
                        "SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL") == 2;
        },
        30s));
    // In the order the receiver took them in hand: the daemon sends an attempt only after it has
    // the answer to the one before, so each gap is never shorter than the daemon's wait.
    auto requests = receiver.requests();
    std::ranges::sort(requests, {}, &testing::Request::handled);
    REQUIRE(requests.size() == 5);  // the first event 3 times refused, then both
    const auto event_id = [&](std::size_t i) {
      return nlohmann::json::parse(requests.at(i).body).at("event_id");
    };
    for (std::size_t i = 1; i < 4; ++i) {
      CHECK(event_id(i) == event_id(0));
    }
    // The later event waited behind the first: a receiver sees versions in the order stored.
    CHECK(event_id(4) != event_id(0));
    // 200 ms doubling (a tenth of jitter at most): the waits grew.
    CHECK(requests[1].handled - requests[0].handled >= 170ms);
    CHECK(requests[2].handled - requests[1].handled >= 350ms);
    CHECK(requests[3].handled - requests[2].handled >= 700ms);
    for (const auto& request : requests) {
      check_is_stored_version(site.database, nlohmann::json::parse(request.body));
    }
    CHECK(scalar(site.database, "SELECT attempts FROM outbox ORDER BY id LIMIT 1") == 3);
    CHECK(scalar(site.database, "SELECT count(*) FROM outbox WHERE last_error IS NOT NULL") == 0);
    CHECK(daemon->err().find("HTTP 500: database is down") != std::string::npos);

    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
  }

  TEST_CASE("a hanging webhook slows neither the crawl nor another webhook") {
    testing::TestServer receiver;
    receiver.route("/hangs", [](const testing::Request&) {
      return testing::Response{.mode = testing::Response::Mode::hang};
    });
    receiver.route("/fine", [](const testing::Request&) { return accepted(); });
    testing::ServedSite site(
        union_site(fmt::format("[[notify]]\nurl = \"{}\"\n\n[[notify]]\nurl = \"{}\"\n",
                               receiver.url("hangs"), receiver.url("fine"))));
    write_union_site(site, 5);
    auto daemon = site.start({"run"}, site.dir / "daemon");

    // The hanging webhook's first POST gets no answer, and the daemon gives it up only 10 s after
    // sending it: what follows is timed from when the receiver took it in hand, not from the
    // daemon's start, which a loaded machine may take seconds over.
    REQUIRE(eventually([&] { return receiver.request_count("/hangs") >= 1; }, 30s));
    const auto hung = receiver.handled_times("/hangs").front();
    // The crawl and the other webhook's five POSTs are done long before that POST could time out
    // (the other webhook's may even come first: the two are delivered apart).
    REQUIRE(eventually(
        [&] {
          return scalar(site.database, "SELECT count(*) FROM crawls WHERE result = 'ok'") >= 1;
        },
        30s));
    CHECK(std::chrono::steady_clock::now() - hung < 8s);
    CHECK(scalar(site.database, "SELECT count(*) FROM articles") == 5);
    REQUIRE(eventually([&] { return posts(receiver, "/fine").size() == 5; }, 30s));
    CHECK(receiver.handled_times("/fine").back() - hung < 8s);
    // The first event still waiting, and no second one sent beside it, read before the first
    // POST could have timed out.
    CHECK(receiver.request_count("/hangs") == 1);
    CHECK(std::chrono::steady_clock::now() - hung < 10s);
    CHECK(scalar(site.database,
                 "SELECT count(*) FROM outbox WHERE webhook LIKE '%/hangs' AND delivered_at IS "
                 "NULL") == 5);

    // Stopping does not wait for the hanging POST.
    const auto stopping = std::chrono::steady_clock::now();
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < 4s);
  }

  TEST_CASE("killed with events undelivered, the daemon delivers them after its restart") {
    testing::TestServer receiver;
    auto up = std::make_shared<std::atomic<bool>>(false);
    receiver.route("/later", [up](const testing::Request&) {
      return *up ? accepted() : testing::Response{.status = 503};
    });
    testing::ServedSite site(
        union_site(fmt::format("[[notify]]\nurl = \"{}\"\n", receiver.url("later"))));
    write_union_site(site, 3);
    {
      auto daemon = site.start({"run"}, site.dir / "first", {"ARCHIVER_NOTIFY_BACKOFF_MS=100"});
      // Killed once all three events are stored (the crawl commits its pages in batches, and the
      // first event may be refused twice before the last is in) and the first was refused twice.
      REQUIRE(eventually(
          [&] {
            return scalar(site.database, "SELECT count(*) FROM outbox") == 3 &&
                   scalar(site.database, "SELECT count(*) FROM outbox WHERE attempts >= 2") == 1;
          },
          20s));
      daemon->signal(SIGKILL);
      REQUIRE(daemon->wait_for(5s).has_value());
    }
    CHECK(scalar(site.database, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL") == 3);
    // A POST the killed daemon sent may still be on its way through the receiver. Its connections
    // were all accepted before this probe's (one accept at a time, in the kernel's order), so the
    // restarted daemon's POSTs are those on connections after the probe's.
    CHECK(testing::web_get(receiver.port(), "/probe").status == 404);
    std::uint64_t probe = 0;
    for (const auto& request : receiver.requests()) {
      probe = request.path == "/probe" ? request.connection_id : probe;
    }
    REQUIRE(probe > 0);

    *up = true;
    auto daemon = site.start({"run"}, site.dir / "second", {"ARCHIVER_NOTIFY_BACKOFF_MS=100"});
    REQUIRE(eventually(
        [&] {
          return scalar(site.database, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL") ==
                 0;
        },
        20s));
    std::vector<testing::Request> requests;
    for (const auto& request : receiver.requests()) {
      if (request.path == "/later" && request.connection_id > probe) {
        requests.push_back(request);
      }
    }
    REQUIRE(requests.size() == 3);  // each once, none lost, none twice
    std::set<std::int64_t> delivered;
    for (const auto& request : requests) {
      const auto event = nlohmann::json::parse(request.body);
      check_is_stored_version(site.database, event);
      CHECK(event.at("status") == "new");
      delivered.insert(event.at("event_id").get<std::int64_t>());
    }
    CHECK(delivered.size() == 3);
    CHECK(scalar(site.database, "SELECT count(*) FROM versions") == 3);  // no new versions made
    daemon->signal(SIGTERM);
    CHECK(daemon->wait_for(10s) == 0);
  }
}

}  // namespace archiver
