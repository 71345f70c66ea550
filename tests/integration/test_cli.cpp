// The archiver binary as users run it: the sample site served on 127.0.0.1, fetched through
// `archiver fetch --json`, then queried; exit codes and error messages per the contract.

#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace archiver {
namespace {

using testing::ProcessResult;
using testing::TempDir;

struct Cli {
  TempDir dir;

  ProcessResult run(std::vector<std::string> args) {
    std::vector<std::string> full{"--db", (dir / "archive.db").string(), "--log-level", "warn"};
    full.insert(full.end(), args.begin(), args.end());
    return testing::run_process(ARCHIVER_BINARY, full, dir.path());
  }

  std::vector<nlohmann::json> json_lines(const ProcessResult& result) {
    std::vector<nlohmann::json> objects;
    for (const auto& line : result.lines()) {
      objects.push_back(nlohmann::json::parse(line));
    }
    return objects;
  }
};

}  // namespace

TEST_SUITE("integration/cli") {
  TEST_CASE("fetch --json of every sample page prints the contract's fields") {
    testing::TestServer server;
    server.serve_directory(testing::samples_root());
    Cli cli;
    std::vector<std::string> args{"fetch", "--json"};
    auto samples = testing::sample_pages("article");
    std::erase_if(samples, [](const testing::SamplePage& page) {
      return !testing::is_seed_page(page.relative);
    });
    for (const auto& sample : samples) {
      args.push_back(server.url("/" + sample.relative));
    }
    const auto first = cli.run(args);
    CHECK_MESSAGE(first.exit_code == 0, first.err);
    const auto objects = cli.json_lines(first);
    REQUIRE(objects.size() == samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto& object = objects[i];
      const auto& expected = samples[i].expected;
      INFO(samples[i].relative);
      CHECK(object["status"] == "new");
      CHECK(object["http_status"] == 200);
      CHECK(object["parser"] == "generic");
      CHECK(object["error"].is_null());
      CHECK(object["id"].is_number_integer());
      CHECK(object["version"] == 1);
      CHECK(object["site"].is_null());
      CHECK(object["url"] == server.url("/" + samples[i].relative));
      for (const char* field : {"title", "published", "author", "source"}) {
        CHECK_MESSAGE(object[field] == expected[field], field);
      }
      std::string body;
      for (const auto& paragraph : expected["body"]) {
        body += (body.empty() ? "" : "\n") + paragraph.get<std::string>();
      }
      CHECK(object["body"] == body);
      CHECK(object["first_seen"].get<std::string>().ends_with("Z"));
      CHECK(object["last_seen"].get<std::string>().ends_with("Z"));
    }

    // Again: the static server answers 304 to the stored validators.
    const auto second = cli.run(args);
    CHECK(second.exit_code == 0);
    for (const auto& object : cli.json_lines(second)) {
      CHECK(object["status"] == "not-modified");
      CHECK(object["version"] == 1);
    }

    const auto history = cli.run({"history", "--json", server.url("/" + samples.front().relative)});
    CHECK(history.exit_code == 0);
    const auto versions = cli.json_lines(history);
    REQUIRE(versions.size() == 1);
    CHECK(versions[0]["version"] == 1);
    CHECK(versions[0]["content_hash"].get<std::string>().size() == 64);

    const auto listed = cli.run({"articles", "--json", "--since", "2022-01-01"});
    CHECK(listed.exit_code == 0);
    const auto articles = cli.json_lines(listed);
    const auto recent = std::ranges::count_if(samples, [](const testing::SamplePage& sample) {
      const auto& published = sample.expected["published"];
      return published.is_string() && published.get<std::string>() >= "2022-01-01";
    });
    CHECK(static_cast<std::ptrdiff_t>(articles.size()) == recent);
    for (std::size_t i = 1; i < articles.size(); ++i) {
      CHECK(articles[i - 1]["published"].get<std::string>() >=
            articles[i]["published"].get<std::string>());
    }

    const auto shown = cli.run({"show", "--json", "1"});
    CHECK(shown.exit_code == 0);
    CHECK(cli.json_lines(shown).at(0)["id"] == 1);

    const auto status = cli.run({"status", "--json"});
    CHECK(status.exit_code == 0);
    const auto stats = cli.json_lines(status).at(0);
    CHECK(stats["articles"] == samples.size());
    CHECK(stats["fetches"] == 2 * samples.size());
  }

  TEST_CASE("an edited page gives changed, two versions and a diff") {
    testing::TempDir site;
    const auto page = site / "a.html";
    const auto write_page = [&](const std::string& paragraph) {
      std::ofstream(page)
          << "<html><head><meta charset=utf-8><title>劳模宣讲凝聚力量</title></head>"
             "<body><h1>劳模宣讲凝聚力量</h1><div class=info>日期：2023年6月13日</div>"
             "<div "
             "class=content><p>6月9日，淮北市总工会邀请全国劳动模范开展劳模工匠宣讲活动。</p><p>"
          << paragraph << "</p><p>（刘红丽）</p></div></body></html>";
    };
    write_page("现场，劳模向60余名来自各行业的职工介绍了大会盛况。");
    testing::TestServer server;
    server.serve_directory(site.path());
    Cli cli;
    const std::string url = server.url("/a.html");
    CHECK(cli.json_lines(cli.run({"fetch", "--json", url})).at(0)["status"] == "new");
    write_page("现场，劳模向80余名来自各行业的职工介绍了大会盛况。");
    const auto changed = cli.json_lines(cli.run({"fetch", "--json", url})).at(0);
    CHECK(changed["status"] == "changed");
    CHECK(changed["version"] == 2);
    CHECK(changed["author"] == "刘红丽");
    CHECK(cli.json_lines(cli.run({"history", "--json", url})).size() == 2);

    const auto diff = cli.run({"diff", url});
    CHECK(diff.exit_code == 0);
    CHECK(diff.out.find("[-6-]{+8+}") != std::string::npos);
    const auto diff_json = cli.json_lines(cli.run({"diff", "--json", url})).at(0);
    CHECK(diff_json["from"] == 1);
    CHECK(diff_json["to"] == 2);
    bool replaced = false;
    for (const auto& op : diff_json["body"]) {
      replaced = replaced || op["op"] == "replace";
    }
    CHECK(replaced);
  }

  TEST_CASE("exit codes: failed fetch 1, usage 2, config error 2, not an archive 3") {
    testing::TestServer server;
    Cli cli;
    const auto missing = cli.run({"fetch", "--json", server.url("/nothing-here.html")});
    CHECK(missing.exit_code == 1);
    const auto error = cli.json_lines(missing).at(0);
    CHECK(error["status"] == "error");
    CHECK(error["http_status"] == 404);
    CHECK(error["error"] == "HTTP 404");

    CHECK(cli.run({"no-such-command"}).exit_code == 2);
    CHECK(cli.run({"fetch"}).exit_code == 2);
    CHECK(cli.run({"articles", "--since", "yesterday"}).exit_code == 2);
    CHECK(cli.run({"fetch", "--parser", "nonsense", server.url("/x")}).exit_code == 2);

    const auto config = cli.dir / "bad.toml";
    std::ofstream(config) << "[archive]\ndatabase = \"a.db\"\n\n[fetch]\ntimeout = \"60s\"\n"
                             "max_bodyy = \"1MiB\"\n";
    const auto bad = cli.run({"--config", config.string(), "check-config"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("bad.toml:6") != std::string::npos);
    CHECK(bad.err.find("max_bodyy") != std::string::npos);
    CHECK(cli.run({"--config", config.string(), "fetch", server.url("/x")}).exit_code == 2);
    CHECK(server.requests().size() == 1);  // nothing was fetched with the bad config

    const auto not_db = cli.dir / "notes.db";
    std::ofstream(not_db) << "just some notes, not a database\n";
    const auto refused = testing::run_process(
        ARCHIVER_BINARY, {"--db", not_db.string(), "articles"}, cli.dir.path());
    CHECK(refused.exit_code == 3);
    const auto nothing = testing::run_process(
        ARCHIVER_BINARY, {"--db", (cli.dir / "absent.db").string(), "status"}, cli.dir.path());
    CHECK(nothing.exit_code == 3);
    CHECK(nothing.err.find("absent.db") != std::string::npos);
  }

  TEST_CASE("the example config validates") {
    Cli cli;
    const auto result = cli.run(
        {"--config", std::string(ARCHIVER_SOURCE_DIR) + "/config/archiver.toml", "check-config"});
    CHECK_MESSAGE(result.exit_code == 0, result.err);
    CHECK(result.out.find("ok") != std::string::npos);
  }
}

}  // namespace archiver
