// URLs in one normal form, through the real binary: links with percent-encoded dot segments
// never leave a site's scope, <base href> is honoured, and `reparse` reads each page as the site
// it was fetched for (or skips it).

#include "store/archive_reader.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sample_sites.hpp"
#include "tests/support/served_site.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/union_site.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace archiver {
namespace {

using testing::ListEntry;
using testing::UnionArticle;

struct UnionSite : testing::ServedSite {
  using ServedSite::ServedSite;

  void article(const UnionArticle& article, std::string_view charset = "utf-8") const {
    testing::write_page(root, article.path, testing::union_article_html(article, charset), charset);
  }

  [[nodiscard]] bool requested(std::string_view fragment) const {
    for (const auto& request : server.requests()) {
      if (request.target.find(fragment) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

}  // namespace

TEST_SUITE("integration/urls") {
  TEST_CASE("encoded dot segments stay inside the scope, and <base href> is honoured") {
    UnionSite site(R"([[site]]
name = "union"
parser = "cms"
start_urls = ["@BASE@/union/news/index.html"]
scope = ["@BASE@/union/news/"]
)");
    for (int n = 1; n <= 3; ++n) {
      site.article({.path = fmt::format("union/news/2024/050{}/{}.html", n, n),
                    .title = fmt::format("市总工会召开第{}次职工代表座谈会", n),
                    .date = fmt::format("2024-05-0{}", n),
                    .body = testing::union_article_body(n)},
                   n == 2 ? "gb18030" : "utf-8");
    }
    // Pages outside the scope that an escaping link would reach, were it followed.
    for (const char* path :
         {"union/admin/secret.html", "union/admin/secret2.html", "private/x.html"}) {
      site.article({.path = path,
                    .title = "内部资料请勿外传",
                    .date = "2024-05-09",
                    .body = testing::union_article_body(9)});
    }
    testing::write_page(
        site.root, "union/news/index.html",
        testing::union_list_html(
            {{"2024/0501/1.html", "市总工会召开第1次职工代表座谈会", "2024-05-01"},
             {"%2e%2e/admin/secret.html", "内部资料一", "2024-05-02"},
             {".%2e/admin/secret2.html", "内部资料二", "2024-05-02"},
             {"%2E%2E/%2E%2E/private/x.html", "内部资料三", "2024-05-02"},
             {"2024/%2e/0502/2.html", "市总工会召开第2次职工代表座谈会", "2024-05-02"}},
            "index_2.html", "utf-8"));
    // The second page names a base folder: its links resolve there, not next to the page.
    testing::write_page(
        site.root, "union/news/index_2.html",
        testing::union_list_html({{"0503/3.html", "市总工会召开第3次职工代表座谈会", "2024-05-03"}},
                                 "", "gb18030",
                                 "<base href=\"" + site.server.url("union/news/2024/") + "\">"),
        "gb18030");

    const auto crawl = site.run({"fetch", "--site", "union", "--json"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    CHECK_FALSE(site.requested("admin"));
    CHECK_FALSE(site.requested("private"));
    CHECK_FALSE(site.requested("%2e"));
    CHECK_FALSE(site.requested("%2E"));
    ArchiveReader reader(site.database);
    const auto articles = reader.articles({.site = "union"});
    REQUIRE(articles.size() == 3);
    std::set<std::string> urls;
    for (const auto& article : articles) {
      urls.insert(article.url);
      CHECK(article.article.title.find("职工代表座谈会") != std::string::npos);
    }
    CHECK(urls == std::set<std::string>{site.server.url("union/news/2024/0501/1.html"),
                                        site.server.url("union/news/2024/0502/2.html"),
                                        site.server.url("union/news/2024/0503/3.html")});
    // A URL typed in another spelling finds the same article.
    const auto shown = site.run({"show", "--json",
                                 "HTTP://127.0.0.1:" + std::to_string(site.server.port()) +
                                     "/union/news/2024/%30501/./1.html"});
    CHECK_MESSAGE(shown.exit_code == 0, shown.err);
    CHECK(shown.out.find("第1次职工代表座谈会") != std::string::npos);
  }

  TEST_CASE("reparse reads a page as the site it was fetched for, and skips unknown sites") {
    // An e-paper and a union CMS on one host, both with the default scope (the host): by URL
    // alone every page would belong to the e-paper, which comes first.
    testing::SampleSites sites;
    const std::string base = sites.server.url("");
    std::ofstream(sites.config) << "[fetch]\ndelay_per_host = \"0s\"\nobey_robots = false\n\n"
                                << "[[site]]\nname = \"paper\"\nparser = \"epaper\"\n"
                                << "edition_url = \"" << base
                                << "ahgrb/{yyyy}-{mm}/{dd}/node_01.html\"\n\n"
                                << "[[site]]\nname = \"gyghw\"\nparser = \"cms\"\n"
                                << "start_urls = [\"" << base << "gyghw/news/index.html\"]\n";
    const auto checked = sites.run({"check-config"});
    CHECK(checked.exit_code == 0);
    CHECK_MESSAGE(checked.err.find("sites \"paper\" and \"gyghw\" overlap") != std::string::npos,
                  checked.err);

    const auto crawl = sites.run({"fetch", "--site", "gyghw"});
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader before(sites.database);
    const auto articles = before.articles({.site = "gyghw"});
    REQUIRE(articles.size() > 5);

    const auto reparse = sites.run({"reparse", "--json"});
    CHECK_MESSAGE(reparse.exit_code == 0, reparse.err);
    std::size_t seen = 0;
    for (const auto& line : reparse.lines()) {
      const auto report = nlohmann::json::parse(line);
      CHECK(report["parser"] == "cms");
      CHECK_MESSAGE(report["status"] == "unchanged", line);
      ++seen;
    }
    CHECK(seen == articles.size());

    // Without a config, no page is read as another kind: all are skipped, and counted.
    std::filesystem::remove(sites.config);
    const auto bare = testing::run_process(
        ARCHIVER_BINARY, {"--db", sites.database.string(), "reparse", "--json"}, sites.dir.path());
    CHECK_MESSAGE(bare.exit_code == 0, bare.err);
    CHECK(bare.out.empty());
    CHECK_MESSAGE(bare.err.find("pages skipped") != std::string::npos, bare.err);
    CHECK(bare.err.find("gyghw") != std::string::npos);
    ArchiveReader after(sites.database);
    for (const auto& article : after.articles({})) {
      CHECK(article.version == 1);
    }
    CHECK(after.articles({}).size() == articles.size());
  }
}

}  // namespace archiver
