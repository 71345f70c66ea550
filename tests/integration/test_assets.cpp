// Whole records through the real binary: an edition's 版面 PDFs and scans (with the scan's image
// map) and its articles' photos with captions, some on a second host, some pages in GB18030,
// archived byte for byte; a photo replaced at the same URL is a new version; assets that cannot
// be had are per-asset errors that fail nothing, in bounded time.

#include "crawl/asset_fetcher.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"
#include "store/schema.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/asset_bytes.hpp"
#include "tests/support/served_site.hpp"
#include "tests/support/union_site.hpp"
#include "tests/support/warc_reading.hpp"
#include "util/sha256.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace archiver {
namespace {

// A paper on a Founder-like template of our own, for 2024-05-09. Photos live on a second server
// (a CDN), one on the paper's own.
struct PhotoPaper {
  testing::ServedSite site;
  testing::TestServer cdn;
  std::map<std::string, std::string> served;  // path on its server -> bytes

  explicit PhotoPaper(const std::string& extra_toml = "")
      : site(R"([[site]]
name = "paper"
parser = "epaper"
edition_url = "@BASE@/html/{yyyy}-{mm}/{dd}/node_1.htm"
)" + extra_toml) {
    for (int page = 1; page <= 2; ++page) {
      add(site.root, fmt::format("images/2024-05/09/0{0}/hpzgb202405090{0}.pdf", page),
          testing::pdf_document(fmt::format("Huaipan Workers Daily 2024-05-09 page {}", page)));
      add(site.root, fmt::format("images/2024-05/09/0{0}/b_hpzgb202405090{0}.png", page),
          testing::png_image(120, 180, 230, 225, 210));
    }
    serve_cdn("/photo/2024/0509/a1.png", testing::png_image(64, 48, 200, 40, 40));
    serve_cdn("/photo/2024/0509/b2.png", testing::png_image(48, 64, 40, 40, 200));
    add(site.root, "upload/2024/05/own.png", testing::png_image(32, 32, 40, 160, 40));
    write_pages();
  }

  void add(const std::filesystem::path& root, const std::string& path, const std::string& bytes) {
    testing::write_page(root, path, bytes);
    served["/" + path] = bytes;
  }

  void serve_cdn(const std::string& path, const std::string& bytes) {
    served[path] = bytes;
    cdn.route(path, [bytes](const testing::Request&) {
      return testing::Response{.headers = {{"Content-Type", "image/png"}}, .body = bytes};
    });
  }

  [[nodiscard]] std::string cdn_url(const std::string& path) const {
    return cdn.url(path.substr(1));
  }

  void write_pages() {
    const std::string folder = "html/2024-05/09/";
    const auto page_list = [&](int current) {
      std::string list;
      for (int page = 1; page <= 2; ++page) {
        list += fmt::format(
            "<tr><td><a id=pageLink href=node_{0}.htm>第0{0}版：{1}</a></td><td><a "
            "href=../../../images/2024-05/09/0{0}/hpzgb202405090{0}.pdf><img src=../../../img/"
            "pdf.gif border=0></a></td></tr>\n",
            page, page == 1 ? "要闻" : "工会新闻");
      }
      return fmt::format("<table class=pagelist>{}</table><p class=current>当前版：0{}</p>", list,
                         current);
    };
    const auto node = [&](int page, const std::string& headlines, const std::string& areas) {
      return fmt::format(
          "<html><head><meta http-equiv=Content-Type content=\"text/html; charset={0}\">"
          "<title>淮畔职工报</title></head><body><div class=top>淮畔职工报 2024年5月9日 星期四 "
          "第2345期</div>{1}<div id=pageimg><img src=../../../images/2024-05/09/0{2}/"
          "b_hpzgb202405090{2}.png width=480 usemap=#PagePicMap></div><map name=PagePicMap>{3}"
          "</map><div class=titlelist><h4>标题导航</h4><ul>{4}</ul></div><div class=foot>"
          "淮畔职工报社 版权所有 皖ICP备0000000号</div></body></html>",
          page == 2 ? "gb2312" : "utf-8", page_list(page), page, areas, headlines);
    };
    testing::write_page(
        site.root, folder + "node_1.htm",
        node(1,
             "<li><a href=content_101.htm?div=-1>全市职工技能大赛焊工组决赛举行</a></li>"
             "<li><a href=content_102.htm?div=-1>职工书屋建设实现全覆盖</a></li>",
             "<area shape=rect coords=\"10,10,470,200\" href=content_101.htm?div=-1>"
             "<area shape=rect coords=\"10,210,470,400\" href=content_102.htm?div=-1>"));
    testing::write_page(
        site.root, folder + "node_2.htm",
        node(2, "<li><a href=content_103.htm?div=-1>困难职工帮扶中心春节慰问</a></li>",
             "<area shape=polygon coords=\"10,10,470,10,470,300,10,300\" "
             "href=content_103.htm?div=-1>"),
        "gb18030");
    const auto article = [&](int page, const std::string& title, const std::string& figures,
                             const std::string& body) {
      return fmt::format(
          "<html><head><meta charset={0}><title>{1}</title></head><body><div class=top>淮畔职工报"
          " 2024年5月9日 第0{2}版</div><table><tr><td class=font01>{1}</td></tr></table>"
          "<div id=ozoom><founder-content>{3}{4}</founder-content></div><div class=foot>"
          "淮畔职工报社 版权所有</div></body></html>",
          page == 2 ? "gb2312" : "utf-8", title, page, figures, body);
    };
    testing::write_page(
        site.root, folder + "content_101.htm",
        article(
            1, "全市职工技能大赛焊工组决赛举行",
            fmt::format("<p align=center><img src=\"{}\"></p><p align=center>图为焊工组选手"
                        "在比赛中。（记者 刘洋 摄）</p>",
                        cdn_url("/photo/2024/0509/a1.png")),
            "<p>　　本报讯 5月8日，全市职工职业技能大赛焊工组决赛在市技师学院举行，来自全市32家"
            "企业的68名选手同台竞技。</p><p>　　比赛分理论考试和实际操作两部分。（记者 刘洋）</p>"
            "<p align=center><img src=/upload/2024/05/own.png></p><p align=center>上图：获奖选"
            "手合影。</p>"));
    testing::write_page(site.root, folder + "content_102.htm",
                        article(1, "职工书屋建设实现全覆盖", "",
                                "<p>　　本报讯 全市厂矿企业职工书屋建设实现全覆盖，新建书屋62个，"
                                "配送图书三万余册。</p><p>　　职工们表示，业余生活更充实了。</p>"));
    testing::write_page(
        site.root, folder + "content_103.htm",
        article(2, "困难职工帮扶中心春节慰问",
                fmt::format("<p align=center><img src=\"{}\"></p><p align=center>图为工作人员"
                            "为困难职工送上慰问品。（通讯员 韩梅 摄）</p>",
                            cdn_url("/photo/2024/0509/b2.png")),
                "<p>　　本报讯 春节前夕，市困难职工帮扶中心走访慰问困难职工家庭120户，送去慰问金"
                "和米面油等生活用品。</p><p>　　（通讯员 韩梅）</p>"),
        "gb18030");
  }
};

std::vector<nlohmann::json> json_lines(const testing::ProcessResult& result) {
  std::vector<nlohmann::json> lines;
  for (const auto& line : result.lines()) {
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

std::int64_t scalar(const std::filesystem::path& database, const std::string& sql) {
  sqlite::Database db(database, sqlite::Database::Mode::read_only);
  auto statement = db.prepare(sql);
  REQUIRE(statement.step());
  return statement.column_int(0);
}

}  // namespace

TEST_SUITE("integration/assets") {
  TEST_CASE("an edition's PDFs, scans and photos are archived byte for byte, with captions") {
    PhotoPaper paper;
    const auto crawl =
        paper.site.run({"fetch", "--site", "paper", "--date", "2024-05-09", "--json"});
    REQUIRE_MESSAGE(crawl.exit_code == 0, crawl.err);
    std::map<std::string, nlohmann::json> by_url;
    for (auto& object : json_lines(crawl)) {
      by_url[object["url"].get<std::string>()] = object;
    }
    // Each 版面 reports its PDF and its scan, archived.
    for (int page = 1; page <= 2; ++page) {
      const auto& node =
          by_url.at(paper.site.url(fmt::format("html/2024-05/09/node_{}.htm", page)));
      REQUIRE(node["assets"].size() == 2);
      CHECK(node["assets"][0]["kind"] == "pdf");
      CHECK(node["assets"][0]["content_type"] == "application/pdf");
      CHECK(node["assets"][1]["kind"] == "page-image");
      for (const auto& asset : node["assets"]) {
        CHECK_FALSE(asset["sha256"].is_null());
      }
    }
    // Photos with their captions, from the CDN and from the paper's own host.
    const auto& welding = by_url.at(paper.site.url("html/2024-05/09/content_101.htm"));
    REQUIRE(welding["images"].size() == 2);
    CHECK(welding["images"][0]["url"] == paper.cdn_url("/photo/2024/0509/a1.png"));
    CHECK(welding["images"][0]["caption"] == "图为焊工组选手在比赛中。（记者 刘洋 摄）");
    CHECK(welding["images"][0]["content_type"] == "image/png");
    CHECK(welding["images"][1]["caption"] == "上图：获奖选手合影。");
    const auto& relief = by_url.at(paper.site.url("html/2024-05/09/content_103.htm"));
    REQUIRE(relief["images"].size() == 1);  // a GB18030 page
    CHECK(relief["images"][0]["caption"] == "图为工作人员为困难职工送上慰问品。（通讯员 韩梅 摄）");

    // Every asset comes back byte for byte, by URL and by SHA-256.
    for (const auto& [path, bytes] : paper.served) {
      CAPTURE(path);
      const std::string url =
          path.starts_with("/photo/") ? paper.cdn_url(path) : paper.site.url(path.substr(1));
      const auto out = paper.site.dir / "asset.out";
      const auto by_link = paper.site.run({"asset", url, "-o", out.string()});
      REQUIRE_MESSAGE(by_link.exit_code == 0, by_link.err);
      CHECK(testing::slurp(out) == bytes);
      const auto by_hash = paper.site.run({"asset", sha256_hex(bytes)});
      CHECK(by_hash.out == bytes);
    }
    // Stored once: the two scans are the same picture.
    CHECK(scalar(paper.site.database, "SELECT count(*) FROM assets") == 7);
    CHECK(scalar(paper.site.database, "SELECT count(*) FROM bodies WHERE media_type IS NOT NULL") ==
          6);
    // The scan's map says where each article is printed.
    const auto show =
        paper.site.run({"show", paper.site.url("html/2024-05/09/content_103.htm"), "--json"});
    REQUIRE_MESSAGE(show.exit_code == 0, show.err);
    const auto shown = nlohmann::json::parse(show.out);
    CHECK(shown["printed_on"]["page_url"] == paper.site.url("html/2024-05/09/node_2.htm"));
    CHECK(shown["printed_on"]["area"]["shape"] == "polygon");
    CHECK(shown["printed_on"]["assets"].size() == 2);
    // editions tells per 版面 that its PDF and scan are archived.
    const auto editions = paper.site.run(
        {"editions", "--site", "paper", "--from", "2024-05-09", "--to", "2024-05-09", "--json"});
    REQUIRE_MESSAGE(editions.exit_code == 0, editions.err);
    const auto edition = nlohmann::json::parse(editions.out);
    REQUIRE(edition["page_list"].size() == 2);
    for (const auto& page : edition["page_list"]) {
      CHECK(page["pdf"] == true);
      CHECK(page["page_image"] == true);
    }

    // The WARC export holds a response per asset, its request beside it, read back by warcio
    // (an independent reader) with the bytes and digests as archived.
    const auto warc = paper.site.dir / "paper.warc.gz";
    const auto exported = paper.site.run({"export", "--format", "warc", "-o", warc.string()});
    REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
    const auto read = testing::run_process(
        "/usr/bin/env", {"node", ARCHIVER_WARC_READER, warc.string()}, paper.site.dir.path());
    REQUIRE_MESSAGE(read.exit_code == 0, "warcio could not read the export: " << read.err);
    std::map<std::string, nlohmann::json> responses;  // by URI
    std::set<std::string> requested;                  // the responses a request stands beside
    for (const auto& record : json_lines(read)) {
      CHECK(record["block_digest_ok"] == true);
      if (record["type"] == "response") {
        CHECK(record["payload_digest_ok"] == true);
        responses[record["uri"].get<std::string>()] = record;
      } else if (record["type"] == "request") {
        requested.insert(record["concurrent_to"].get<std::string>());
      }
    }
    for (const auto& [path, bytes] : paper.served) {
      CAPTURE(path);
      const std::string url =
          path.starts_with("/photo/") ? paper.cdn_url(path) : paper.site.url(path.substr(1));
      REQUIRE(responses.contains(url));
      CHECK(responses[url]["payload_sha256"] == sha256_hex(bytes));
      CHECK(requested.contains(responses[url]["id"].get<std::string>()));
    }

    // The WACZ: read by unzip (entries stored), its datapackage.json hashes and sizes right,
    // every CDXJ line pointing at its record, the WARC inside read by warcio, the article pages
    // listed.
    const auto wacz = paper.site.dir / "paper.wacz";
    const auto packed = paper.site.run({"export", "--format", "wacz", "-o", wacz.string()});
    REQUIRE_MESSAGE(packed.exit_code == 0, packed.err);
    const auto listing =
        testing::run_process("/usr/bin/unzip", {"-v", wacz.string()}, paper.site.dir.path());
    REQUIRE_MESSAGE(listing.exit_code == 0, listing.err);
    for (const char* entry : {"archive/data.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl",
                              "datapackage.json", "datapackage-digest.json"}) {
      CAPTURE(entry);
      CHECK(listing.out.find(std::string("Stored")) != std::string::npos);
      CHECK(listing.out.find(entry) != std::string::npos);
    }
    CHECK(listing.out.find("Defl") == std::string::npos);  // nothing compressed again
    const auto unpacked = paper.site.dir / "unpacked";
    REQUIRE(testing::run_process("/usr/bin/unzip", {"-q", wacz.string(), "-d", unpacked.string()},
                                 paper.site.dir.path())
                .exit_code == 0);
    const auto package = nlohmann::json::parse(testing::slurp(unpacked / "datapackage.json"));
    CHECK(package["profile"] == "data-package");
    CHECK(package["wacz_version"] == "1.1.1");
    REQUIRE(package["resources"].size() == 3);
    for (const auto& resource : package["resources"]) {
      const std::string bytes = testing::slurp(unpacked / resource["path"].get<std::string>());
      CHECK(resource["hash"] == "sha256:" + sha256_hex(bytes));
      CHECK(resource["bytes"] == bytes.size());
    }
    const auto digest = nlohmann::json::parse(testing::slurp(unpacked / "datapackage-digest.json"));
    CHECK(digest["hash"] == "sha256:" + sha256_hex(testing::slurp(unpacked / "datapackage.json")));
    const std::string inner = testing::slurp(unpacked / "archive" / "data.warc.gz");
    const std::string cdxj = testing::slurp(unpacked / "indexes" / "index.cdxj");
    std::vector<std::string> keys;
    std::set<std::string> indexed;
    for (std::size_t start = 0; start < cdxj.size();) {
      const auto end = cdxj.find('\n', start);
      const std::string line = cdxj.substr(start, end - start);
      start = end + 1;
      const auto space = line.find(' ');
      const auto second = line.find(' ', space + 1);
      keys.push_back(line.substr(0, second));
      const auto fields = nlohmann::json::parse(line.substr(second + 1));
      CAPTURE(line);
      const auto [record, next] =
          testing::inflate_member(inner, std::stoull(fields["offset"].get<std::string>()));
      CHECK(next - std::stoull(fields["offset"].get<std::string>()) ==
            std::stoull(fields["length"].get<std::string>()));
      CHECK(record.starts_with("WARC/1.1\r\n"));
      CHECK(record.find("WARC-Target-URI: " + fields["url"].get<std::string>() + "\r\n") !=
            std::string::npos);
      indexed.insert(fields["url"].get<std::string>());
    }
    CHECK(std::ranges::is_sorted(keys));
    for (const auto& [path, bytes] : paper.served) {
      const std::string url =
          path.starts_with("/photo/") ? paper.cdn_url(path) : paper.site.url(path.substr(1));
      CHECK(indexed.contains(url));
    }
    const auto inner_read = testing::run_process(
        "/usr/bin/env",
        {"node", ARCHIVER_WARC_READER, (unpacked / "archive" / "data.warc.gz").string()},
        paper.site.dir.path());
    REQUIRE_MESSAGE(inner_read.exit_code == 0, inner_read.err);
    CHECK(json_lines(inner_read).size() == json_lines(read).size());
    const auto pages = testing::slurp(unpacked / "pages" / "pages.jsonl");
    std::vector<nlohmann::json> page_lines;
    for (std::size_t start = 0; start < pages.size();) {
      const auto end = pages.find('\n', start);
      page_lines.push_back(nlohmann::json::parse(pages.substr(start, end - start)));
      start = end + 1;
    }
    REQUIRE(page_lines.size() == 4);  // the header, then the three articles
    CHECK(page_lines[0]["format"] == "json-pages-1.0");
    std::set<std::string> titles;
    for (std::size_t i = 1; i < page_lines.size(); ++i) {
      CHECK(page_lines[i]["url"].get<std::string>().starts_with(paper.site.url("html/")));
      CHECK(page_lines[i]["ts"].get<std::string>().ends_with("Z"));
      titles.insert(page_lines[i]["title"].get<std::string>());
    }
    CHECK(titles.contains("困难职工帮扶中心春节慰问"));

    // A second crawl asks for the assets again conditionally and stores nothing new.
    const auto before = scalar(paper.site.database, "SELECT count(*) FROM versions");
    const auto again = paper.site.run({"fetch", "--site", "paper", "--date", "2024-05-09"});
    REQUIRE_MESSAGE(again.exit_code == 0, again.err);
    CHECK(scalar(paper.site.database, "SELECT count(*) FROM versions") == before);
    CHECK(scalar(paper.site.database,
                 "SELECT count(*) FROM fetches WHERE asset_kind = 'pdf' AND outcome = "
                 "'not-modified'") == 2);
  }

  TEST_CASE("the WACZ replays in ReplayWeb.page, in headless Chromium, from the archive alone") {
    PhotoPaper paper;
    REQUIRE(paper.site.run({"fetch", "--site", "paper", "--date", "2024-05-09"}).exit_code == 0);
    const auto wacz = paper.site.dir / "paper.wacz";
    REQUIRE(paper.site.run({"export", "--format", "wacz", "-o", wacz.string()}).exit_code == 0);
    const auto cdn_requests = [&] { return paper.cdn.requests().size(); };
    const std::size_t cdn_before = cdn_requests();
    const std::size_t own_before = paper.site.hits("/upload/2024/05/own.png");
    const std::string article = paper.site.url("html/2024-05/09/content_101.htm");
    const std::filesystem::path replay_script(ARCHIVER_REPLAY);
    const auto replay =
        testing::run_process("/usr/bin/env",
                             {"node", replay_script.string(), replay_script.parent_path().string(),
                              wacz.string(), article},
                             paper.site.dir.path());
    REQUIRE_MESSAGE(replay.exit_code == 0, "the replay failed: " << replay.err);
    const auto shown = nlohmann::json::parse(replay.out);
    REQUIRE_MESSAGE(shown["ok"] == true, "the archived page never showed: " << replay.out);
    CHECK(shown["title"] == "全市职工技能大赛焊工组决赛举行");
    CHECK(shown["text"].get<std::string>().find("来自全市32家企业的68名选手同台竞技") !=
          std::string::npos);
    // Both photos show, decoded at their own size: the CDN's and the paper's own.
    std::map<std::string, int> widths;
    for (const auto& image : shown["images"]) {
      widths[image["src"].get<std::string>()] = image["width"].get<int>();
    }
    CHECK(widths[paper.cdn_url("/photo/2024/0509/a1.png")] == 64);
    CHECK(widths[paper.site.url("upload/2024/05/own.png")] == 32);
    // From the archive: neither origin was asked during the replay.
    CHECK(cdn_requests() == cdn_before);
    CHECK(paper.site.hits("/upload/2024/05/own.png") == own_before);
  }

  TEST_CASE("a photo replaced at the same URL, or a new caption, is a new version") {
    PhotoPaper paper;
    const std::string article = paper.site.url("html/2024-05/09/content_103.htm");
    REQUIRE(paper.site.run({"fetch", article}).exit_code == 0);
    paper.serve_cdn("/photo/2024/0509/b2.png", testing::png_image(48, 64, 250, 200, 0));
    const auto refetch = paper.site.run({"fetch", article, "--json"});
    REQUIRE_MESSAGE(refetch.exit_code == 0, refetch.err);
    const auto history = paper.site.run({"history", article, "--json"});
    REQUIRE(json_lines(history).size() == 2);
    const auto diff = paper.site.run({"diff", article, "--json"});
    const auto changes = nlohmann::json::parse(diff.out);
    REQUIRE(changes["fields"].size() == 1);
    CHECK(changes["fields"][0]["field"] == "image 1 sha256");
    // Unchanged bytes and page: no version.
    REQUIRE(paper.site.run({"fetch", article}).exit_code == 0);
    CHECK(json_lines(paper.site.run({"history", article, "--json"})).size() == 2);
  }

  TEST_CASE("assets stop at an archive a newer archiver upgraded, as at a full one") {
    testing::TempDir dir;
    testing::TestServer server;
    server.route("/pdf/01.pdf", [](const testing::Request&) {
      return testing::Response{.headers = {{"Content-Type", "application/pdf"}},
                               .body = testing::pdf_document("page 1")};
    });
    const auto database = dir / "archive.db";
    ArchiveWriter writer(database);
    {
      auto tables = testing::archive_sql_to_change(database);
      tables.execute("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
    }
    const Settings settings;
    PoliteFetcher fetcher(4);
    AssetFetcher assets(writer, fetcher, settings, dir.path());
    // Each asset after it would fail the same way: the error ends the fetch, and the crawl.
    try {
      static_cast<void>(assets.fetch({{.kind = AssetKind::pdf, .url = server.url("/pdf/01.pdf")},
                                      {.kind = AssetKind::pdf, .url = server.url("/pdf/02.pdf")}},
                                     nullptr));
      FAIL("assets were stored into an archive of a schema this archiver does not know");
    } catch (const StoreError& error) {
      CHECK(error.is_schema_changed());
    }
    auto tables = testing::archive_sql(database);
    CHECK(testing::sql_scalar(tables, "SELECT count(*) FROM fetches") == 0);
  }

  TEST_CASE("assets that cannot be had are errors of their own, bounded, and fail nothing") {
    PhotoPaper paper("max_asset = \"1MiB\"\n[site.fetch]\nretries = 0\n");
    const std::string folder = "html/2024-05/09/";
    // The PDF link answers an HTML page; one scan is gone.
    paper.site.server.route(
        "/images/2024-05/09/01/hpzgb2024050901.pdf", [](const testing::Request&) {
          return testing::Response{.headers = {{"Content-Type", "application/pdf"}},
                                   .body = "<!DOCTYPE html><html><body>文件不存在</body></html>"};
        });
    paper.site.server.route("/images/2024-05/09/02/b_hpzgb2024050902.png",
                            [](const testing::Request&) {
                              return testing::Response{.status = 404, .body = "not found"};
                            });
    // Photos: cut short, endless (far over max_asset), a redirect loop, a redirect out of
    // http(s), and one inline as a data: URL.
    paper.cdn.route("/bad/cut.png", [](const testing::Request&) {
      const std::string png = testing::png_image(64, 64, 1, 2, 3);
      return testing::Response{.body = png.substr(0, png.size() / 2)};
    });
    paper.cdn.route("/bad/huge.png", [](const testing::Request&) {
      return testing::Response{.headers = {{"Content-Type", "image/png"}},
                               .body = std::string("\x89PNG\r\n\x1a\n") + std::string(65536, 'x'),
                               .mode = testing::Response::Mode::endless_chunked,
                               .drip_interval = std::chrono::milliseconds(0)};
    });
    paper.cdn.route("/bad/loop.png", [](const testing::Request&) {
      return testing::Response{.status = 302, .headers = {{"Location", "/bad/loop.png"}}};
    });
    paper.cdn.route("/bad/file.png", [](const testing::Request&) {
      return testing::Response{.status = 302, .headers = {{"Location", "file:///etc/passwd"}}};
    });
    std::string figures;
    for (const char* name : {"cut", "huge", "loop", "file"}) {
      figures += fmt::format("<p align=center><img src=\"{}\"></p><p>图为{}。</p>",
                             paper.cdn_url(fmt::format("/bad/{}.png", name)), name);
    }
    figures +=
        "<p align=center><img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAA"
        "BCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\"></p>";
    testing::write_page(
        paper.site.root, folder + "content_102.htm",
        "<html><head><meta charset=utf-8><title>职工书屋建设实现全覆盖</title></head><body>"
        "<table><tr><td class=font01>职工书屋建设实现全覆盖</td></tr></table><div id=ozoom>"
        "<founder-content>" +
            figures +
            "<p>　　本报讯 全市厂矿企业职工书屋建设实现全覆盖，新建书屋62个，配送图书三万余册。</p>"
            "<p>　　职工们表示，业余生活更充实了。</p></founder-content></div></body></html>");

    const auto started = std::chrono::steady_clock::now();
    const auto crawl = paper.site.run({"fetch", "--site", "paper", "--date", "2024-05-09"});
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
    // No page and no article failed: the exit status is 0, every article is stored.
    CHECK_MESSAGE(crawl.exit_code == 0, crawl.err);
    ArchiveReader reader(paper.site.database);
    CHECK(reader.articles({.site = "paper"}).size() == 3);
    const auto error_of = [&](const std::string& url) {
      sqlite::Database db(paper.site.database, sqlite::Database::Mode::read_only);
      auto query = db.prepare(
          "SELECT error FROM fetches WHERE url = ?1 AND asset_kind IS NOT NULL ORDER BY id DESC");
      query.bind(1, url);
      return query.step() ? query.column_text(0) : std::string("(no fetch)");
    };
    CHECK(error_of(paper.site.url("images/2024-05/09/01/hpzgb2024050901.pdf")) ==
          "an HTML page, not a PDF");
    CHECK(error_of(paper.site.url("images/2024-05/09/02/b_hpzgb2024050902.png")) == "HTTP 404");
    CHECK(error_of(paper.cdn_url("/bad/cut.png")).find("cut short") != std::string::npos);
    CHECK(error_of(paper.cdn_url("/bad/huge.png")) == "larger than max_asset (1048576 bytes)");
    CHECK(error_of(paper.cdn_url("/bad/loop.png")) == "more than 5 redirects");
    CHECK(error_of(paper.cdn_url("/bad/file.png")).find("scheme other than http/https") !=
          std::string::npos);
    CHECK(scalar(paper.site.database,
                 "SELECT count(*) FROM fetches WHERE url LIKE 'data:%' AND error LIKE "
                 "'a data: URL%'") == 1);
    // The crawl's summary counts them; `sites` keeps them apart from page failures.
    CHECK(crawl.err.find("5 assets archived (7 could not be had)") != std::string::npos);
    const auto sites = paper.site.run({"sites", "--json"});
    const auto site = nlohmann::json::parse(sites.lines().front());
    CHECK(site["fetch_errors"] == 0);
    CHECK(site["asset_errors"] == 7);
    // Nothing of the failed ones is kept as an asset.
    CHECK(scalar(paper.site.database, "SELECT count(*) FROM assets WHERE sha256 IS NOT NULL") == 5);
  }
}

}  // namespace archiver
