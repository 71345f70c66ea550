// Honest versions, through the real binary: a version made by reading the same bytes again (a
// newer parser, other selectors) says so (origin "reparse", with the parser revision), whether
// `reparse` or a fetch of unchanged bytes made it; `reparse --dry-run` says what would change
// and writes nothing.

#include "parsers/version.hpp"
#include "store/archive_reader.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>

namespace archiver {
namespace {

// A county union's news page: kicker above the headline, a byline, an info line with a time.
std::string union_page(std::string_view second_paragraph) {
  return std::string(R"(<!DOCTYPE html><html><head><meta charset="utf-8">
<title>区总工会举办职工心理健康讲座_工会动态_滨江区总工会</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/gzdt/">工会动态</a></div>
<div class="article">
<p class="yinti">关爱职工身心健康</p>
<h1 class="bt">区总工会举办职工心理健康讲座</h1>
<div class="info">发布时间：2024-04-18 15:32　来源：滨江区总工会　点击量：128</div>
<div class="content">
<p>　　4月17日下午，区总工会在职工服务中心举办“阳光心态 快乐工作”心理健康讲座，来自全区二十余家企业的八十多名职工参加。</p>
<p>　　)") +
         std::string(second_paragraph) +
         R"(</p>
<p>（通讯员 周晓梅）</p>
</div></div>
<div class="footer">版权所有：滨江区总工会　技术支持：某某网络</div>
</body></html>)";
}

struct ProvenanceSite {
  testing::TempDir dir;
  testing::TestServer server;
  std::filesystem::path config = dir.path() / "archiver.toml";
  std::filesystem::path database = dir.path() / "archive.db";
  std::mutex mutex;
  std::string page = union_page("讲座中，心理咨询师结合案例讲解了压力调适方法。");

  ProvenanceSite() {
    server.route("/gzdt/2024/0418/1.html", [this](const testing::Request&) {
      const std::lock_guard lock(mutex);
      return testing::Response{.headers = {{"Content-Type", "text/html; charset=utf-8"}},
                               .body = page};
    });
  }

  [[nodiscard]] std::string url() const { return server.url("/gzdt/2024/0418/1.html"); }

  // The union's site; a title selector that takes the kicker by mistake, or none.
  void configure(bool wrong_title_selector) {
    std::ofstream out(config);
    out << "[archive]\ndatabase = \"archive.db\"\n\n[fetch]\ndelay_per_host = \"0s\"\n"
        << "obey_robots = false\n\n[[site]]\nname = \"binjiang\"\nparser = \"cms\"\n"
        << "start_urls = [\"" << server.url("/gzdt/") << "\"]\n";
    if (wrong_title_selector) {
      out << "[site.selectors]\ntitle = \"p.yinti\"\n";
    }
  }

  void publish(std::string_view second_paragraph) {
    const std::lock_guard lock(mutex);
    page = union_page(second_paragraph);
  }

  testing::ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config.string()});
    return testing::run_process(ARCHIVER_BINARY, args, dir.path());
  }

  std::vector<nlohmann::json> history() {
    std::vector<nlohmann::json> versions;
    const auto result = run({"history", url(), "--json"});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    for (const auto& line : result.lines()) {
      versions.push_back(nlohmann::json::parse(line));
    }
    return versions;
  }
};

}  // namespace

TEST_SUITE("integration/provenance") {
  TEST_CASE(
      "reparse --dry-run says what would change and writes nothing, reparse marks its versions") {
    ProvenanceSite site;
    site.configure(true);
    REQUIRE(site.run({"fetch", site.url()}).exit_code == 0);
    {
      ArchiveReader reader(site.database);
      REQUIRE(reader.article(site.url())->article.title == "关爱职工身心健康");
    }
    site.configure(false);  // the selector fixed
    const auto before = testing::slurp(site.database);

    const auto dry = site.run({"reparse", "--dry-run", "--json"});
    CHECK_MESSAGE(dry.exit_code == 0, dry.err);
    REQUIRE(dry.lines().size() == 1);
    const auto verdict = nlohmann::json::parse(dry.lines().at(0));
    CHECK(verdict["url"] == site.url());
    CHECK(verdict["status"] == "changed");
    CHECK(verdict["version"] == 2);
    CHECK(verdict["dry_run"] == true);
    CHECK(verdict["fields"] == nlohmann::json::array({"title"}));
    CHECK(testing::slurp(site.database) == before);
    CHECK(site.history().size() == 1);
    // Without --json: one line per article that would change, with its fields.
    const auto dry_text = site.run({"reparse", "--dry-run"});
    CHECK(dry_text.out.find("would be changed") != std::string::npos);
    CHECK(dry_text.out.find("title") != std::string::npos);
    CHECK(dry_text.err.find("nothing was written") != std::string::npos);

    const auto real = site.run({"reparse", "--json"});
    CHECK_MESSAGE(real.exit_code == 0, real.err);
    REQUIRE(real.lines().size() == 1);
    CHECK(nlohmann::json::parse(real.lines().at(0))["fields"] == nlohmann::json::array({"title"}));
    const auto versions = site.history();
    REQUIRE(versions.size() == 2);
    CHECK(versions[0]["origin"] == "fetch");
    CHECK(versions[1]["origin"] == "reparse");
    CHECK(versions[1]["title"] == "区总工会举办职工心理健康讲座");
    CHECK(versions[1]["parser"] == "cms");
    CHECK(versions[1]["parser_version"] == k_parser_version);
    // The plain listing says it too.
    const auto listing = site.run({"history", site.url()});
    CHECK(listing.out.find("reparse") != std::string::npos);
    CHECK(listing.out.find("cms/" + std::to_string(k_parser_version)) != std::string::npos);

    // Nothing left to change: the dry run says so.
    const auto again = site.run({"reparse", "--dry-run", "--json"});
    REQUIRE(again.lines().size() == 1);
    CHECK(nlohmann::json::parse(again.lines().at(0))["status"] == "unchanged");
  }

  TEST_CASE("a fetch of the very same bytes read differently is no edit by the publisher") {
    ProvenanceSite site;
    site.configure(true);
    REQUIRE(site.run({"fetch", site.url()}).exit_code == 0);
    site.configure(false);
    // The server answers the same bytes; only the reading changed.
    const auto refetch = site.run({"fetch", site.url(), "--json"});
    REQUIRE_MESSAGE(refetch.exit_code == 0, refetch.err);
    CHECK(nlohmann::json::parse(refetch.lines().at(0))["status"] == "changed");
    auto versions = site.history();
    REQUIRE(versions.size() == 2);
    CHECK(versions[1]["origin"] == "reparse");
    CHECK(versions[1]["parser_version"] == k_parser_version);

    // The publisher edits the article: that version comes from the fetch.
    site.publish("讲座中，心理咨询师结合案例讲解了压力调适方法，并现场解答了职工提问。");
    REQUIRE(site.run({"fetch", site.url()}).exit_code == 0);
    versions = site.history();
    REQUIRE(versions.size() == 3);
    CHECK(versions[2]["origin"] == "fetch");
  }
}

}  // namespace archiver
