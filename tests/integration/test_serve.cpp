// `archiver serve` through the real binary, on an archive of the sample sites crawled by the
// binary: every page renders with the archive's data, the API answers what `--json` prints,
// hostile archived text renders as text, traversal and other hosts are refused, bad queries get
// 400, and slow clients do not hold the server up.

#include "tests/support/archive_sql.hpp"
#include "tests/support/asset_bytes.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sample_sites.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/web_client.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <thread>

namespace archiver {
namespace {

using namespace std::chrono_literals;
using testing::web_get;

// Title and text of a page a hostile site could publish: markup, an event handler, a script URL
// and a bidi override that would show "exe.txt" as "txt.exe".
constexpr std::string_view k_hostile_title =
    "&lt;script&gt;window.__xss=1&lt;/script&gt;警告&lt;img src=x "
    "onerror=alert(2)&gt;\xE2\x80\xAEtxt.exe";
constexpr std::string_view k_hostile_paragraph =
    "点这里：&lt;a href=\"javascript:alert(3)\"&gt;javascript:alert(3)&lt;/a&gt; 与 "
    "&lt;iframe src=//evil.example&gt; 工会";

// The sample sites in a copy (an article is edited, a hostile page added), archived by the
// binary, and `archiver serve` on the archive.
struct ServedArchive {
  testing::TempDir www_dir;
  std::filesystem::path www = copy_samples();
  testing::SampleSites sites{www};
  std::optional<testing::ChildProcess> server;
  unsigned short port = 0;

  std::filesystem::path copy_samples() {
    const auto root = www_dir / "www";
    std::filesystem::copy(testing::samples_root(), root, std::filesystem::copy_options::recursive);
    return root;
  }

  void edit(const std::string& relative, const std::string& from, const std::string& to) {
    const auto path = www / relative;
    std::string text = testing::read_file(path);
    const auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from << " not in " << relative);
    text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  void write_hostile_page() {
    std::string text = testing::read_file(www / "gyghw/news/2023/0608/1185.html");
    const auto swap = [&text](std::string_view from, std::string_view to) {
      const auto at = text.find(from);
      REQUIRE(at != std::string::npos);
      text.replace(at, from.size(), to);
    };
    swap("<div class=\"art_title\">旺苍县总工会开展“工会进万家 服务零距离”活动</div>",
         "<div class=\"art_title\">" + std::string(k_hostile_title) + "</div>");
    swap("活动吸引了500余名职工群众参与，现场办理入会手续80余人。", k_hostile_paragraph);
    // The page's own script and a picture from its origin: neither may run or load when the
    // archived page is shown.
    swap("</body>",
         "<script>document.body.insertAdjacentHTML('beforeend', '<p id=\"origin-script-ran\">"
         "</p>');</script><img src=\"" +
             sites.server.url("gyghw/beacon.gif") + "\"></body>");
    std::filesystem::create_directories(www / "gyghw/news/2023/0609");
    std::ofstream(www / "gyghw/news/2023/0609/666.html", std::ios::binary) << text;
  }

  // The edition's PDFs and scans (the sample folder holds only the pages).
  void write_edition_files() {
    const auto put = [this](const std::string& relative, const std::string& bytes) {
      std::filesystem::create_directories((www / relative).parent_path());
      std::ofstream(www / relative, std::ios::binary) << bytes;
    };
    // Scans a browser decodes; a PDF big enough to be written a part at a time.
    put("ahgrb/pdf/2023-06/13/ahgrb2023061301.pdf", testing::pdf_document("page 1"));
    put("ahgrb/pdf/2023-06/13/ahgrb2023061302.pdf",
        testing::pdf_document("page 2 " + std::string(1500 * 1024, 'x')));
    put("ahgrb/images/2023-06/13/01/8100_01_b.jpg", testing::png_image(120, 160, 200, 30, 30));
    put("ahgrb/images/2023-06/13/02/8100_02_b.jpg", testing::png_image(120, 160, 30, 30, 200));
  }

  ServedArchive() {
    write_hostile_page();
    write_edition_files();
    for (const std::vector<std::string>& crawl : {
             std::vector<std::string>{"fetch", "--site", "ahgrb", "--date", "2023-06-13"},
             std::vector<std::string>{"fetch", "--site", "gyghw"},
             std::vector<std::string>{"fetch", sites.server.url("gyghw/news/2023/0609/666.html")},
         }) {
      const auto result = sites.run(crawl);
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    }
    edit("gyghw/news/2023/0608/1185.html", "活动吸引了500余名职工群众参与",
         "活动吸引了600余名职工群众踊跃参与");
    const auto refetch = sites.run({"fetch", sites.server.url("gyghw/news/2023/0608/1185.html")});
    REQUIRE_MESSAGE(refetch.exit_code == 0, refetch.err);
    std::ofstream(sites.config, std::ios::app)
        << "\n[serve]\nhosts = [\"archive.test\"]\nrequest_timeout = \"2s\"\n";
    server.emplace(
        ARCHIVER_BINARY,
        std::vector<std::string>{"--config", sites.config.string(), "--db", sites.database.string(),
                                 "serve", "--listen", "127.0.0.1:0"},
        sites.dir.path(), std::vector<std::string>{});
    // The address it listens on is its first line of output.
    const std::regex listening(R"(http://127\.0\.0\.1:(\d+)/)");
    for (int i = 0; i < 200 && port == 0; ++i) {
      std::smatch match;
      const std::string out = testing::read_file(sites.dir / "child.out");
      if (std::regex_search(out, match, listening)) {
        port = static_cast<unsigned short>(std::stoi(match[1]));
      } else {
        std::this_thread::sleep_for(50ms);
      }
    }
    REQUIRE_MESSAGE(port != 0, testing::read_file(sites.dir / "child.err"));
  }

  testing::WebAnswer get(const std::string& target) { return web_get(port, target); }

  std::vector<nlohmann::json> cli_json(const std::vector<std::string>& args) {
    const auto result = sites.run(args);
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    std::vector<nlohmann::json> objects;
    for (const auto& line : result.lines()) {
      objects.push_back(nlohmann::json::parse(line));
    }
    return objects;
  }

  std::int64_t article_id(const std::string& relative) {
    const auto shown = cli_json({"show", sites.server.url(relative), "--json"});
    REQUIRE(shown.size() == 1);
    return shown[0]["id"].get<std::int64_t>();
  }
};

// Every answer carries its Content-Security-Policy and no MIME sniffing.
void check_policy(const testing::WebAnswer& answer) {
  CHECK_FALSE(answer.header("content-security-policy").empty());
  CHECK(answer.header("x-content-type-options") == "nosniff");
}

}  // namespace

TEST_SUITE("integration/serve") {
  TEST_CASE("serve renders every page with the archive's data, and the API answers as --json") {
    ServedArchive archive;

    const auto home = archive.get("/");
    REQUIRE(home.status == 200);
    check_policy(home);
    CHECK(home.header("content-type") == "text/html; charset=utf-8");
    CHECK(home.body.find("安徽工人日报") != std::string::npos);
    CHECK(home.body.find("广元工会网") != std::string::npos);
    CHECK(home.body.find("旺苍县总工会开展") != std::string::npos);  // among the newest

    // The e-paper's calendar opens on the month of its newest edition.
    const auto calendar = archive.get("/sites/ahgrb");
    REQUIRE(calendar.status == 200);
    CHECK(calendar.body.find("<strong>2023-06</strong>") != std::string::npos);
    CHECK(calendar.body.find("<td class=\"complete\"><a href=\"/editions/ahgrb/2023-06-13\"") !=
          std::string::npos);
    CHECK(calendar.body.find("<td class=\"missing\"><a href=\"/editions/ahgrb/2023-06-12\"") !=
          std::string::npos);
    const auto list = archive.get("/sites/gyghw");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("市总工会召开劳模工匠座谈会") != std::string::npos);
    CHECK(archive.get("/sites/nosuchsite").status == 404);

    // The edition as a newspaper: each 版面 with its scan and PDF from the archive, and its
    // headlines linked to the archived articles.
    const auto edition = archive.get("/editions/ahgrb/2023-06-13");
    REQUIRE(edition.status == 200);
    CHECK(edition.body.find("第01版:要闻") != std::string::npos);
    CHECK(edition.body.find("第02版:工会新闻") != std::string::npos);
    const auto editions = archive.cli_json(
        {"editions", "--site", "ahgrb", "--from", "2023-06-13", "--to", "2023-06-13", "--json"});
    REQUIRE(editions.size() == 1);
    const std::regex asset_link(R"(/assets/([0-9a-f]{64}))");
    std::set<std::string> linked;
    for (auto it = std::sregex_iterator(edition.body.begin(), edition.body.end(), asset_link);
         it != std::sregex_iterator(); ++it) {
      linked.insert((*it)[1]);
    }
    CHECK(linked.size() == 4);  // two scans, two PDFs
    for (const auto& sha256 : linked) {
      const auto asset = archive.get("/assets/" + sha256);
      REQUIRE(asset.status == 200);
      check_policy(asset);
      const auto cli = archive.sites.run(std::vector<std::string>{"asset", sha256});
      CHECK(asset.body == cli.out);  // the stored bytes, as `archiver asset` writes them
      CHECK((asset.header("content-type") == "image/png" ||
             asset.header("content-type") == "application/pdf"));
      // HEAD tells the length without the bytes (the big PDF is written in parts for a GET);
      // a client holding the bytes gets 304.
      const auto head = testing::raw_request(
          archive.port,
          "HEAD /assets/" + sha256 + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      CHECK(head.status == 200);
      CHECK(head.header("content-length") == std::to_string(asset.body.size()));
      CHECK(head.body.empty());
      const auto again = web_get(archive.port, "/assets/" + sha256, "localhost",
                                 "If-None-Match: \"" + sha256 + "\"\r\n");
      CHECK(again.status == 304);
      CHECK(again.body.empty());
      CHECK(again.header("content-type").empty());
      CHECK(again.header("content-security-policy") == asset.header("content-security-policy"));
    }
    const auto first = archive.cli_json({"articles", "--site", "ahgrb", "--json"});
    REQUIRE_FALSE(first.empty());
    for (const auto& article : first) {
      CHECK(edition.body.find("/articles/" + std::to_string(article["id"].get<std::int64_t>()) +
                              "\"") != std::string::npos);
    }
    CHECK(archive.get("/editions/ahgrb/2023-13-45").status == 400);

    // An article with its versions; the diff of its edit.
    const std::int64_t edited = archive.article_id("gyghw/news/2023/0608/1185.html");
    const auto page = archive.get("/articles/" + std::to_string(edited));
    REQUIRE(page.status == 200);
    CHECK(page.body.find("活动吸引了600余名职工群众踊跃参与") != std::string::npos);
    CHECK(page.body.find("邓林") != std::string::npos);
    CHECK(page.body.find("v2 / 共 2 个") != std::string::npos);
    const auto old_page = archive.get("/articles/" + std::to_string(edited) + "?version=1");
    CHECK(old_page.body.find("活动吸引了500余名职工群众参与") != std::string::npos);
    const auto diff = archive.get("/articles/" + std::to_string(edited) + "/diff?from=1&to=2");
    REQUIRE(diff.status == 200);
    CHECK(diff.body.find("<del>5</del><ins>6</ins>") != std::string::npos);
    CHECK(diff.body.find("<ins>踊跃</ins>") != std::string::npos);
    const auto side = archive.get("/articles/" + std::to_string(edited) + "/diff?view=side");
    CHECK(side.body.find("<td class=\"old\">") != std::string::npos);
    CHECK(archive.get("/articles/" + std::to_string(edited) + "/diff?view=sideways").status == 400);
    CHECK(archive.get("/articles/999999").status == 404);

    // The page as fetched: its own bytes, in a sandbox.
    const auto archived = archive.get("/articles/" + std::to_string(edited) + "/archived");
    REQUIRE(archived.status == 200);
    CHECK(archived.header("content-security-policy").starts_with("sandbox"));
    CHECK(archived.body.find("活动吸引了600余名职工群众踊跃参与") != std::string::npos);

    // Search, with the matches marked.
    const auto search = archive.get("/search?q=" + testing::query_value("入会手续"));
    REQUIRE(search.status == 200);
    CHECK(search.body.find("<mark>入会手续</mark>") != std::string::npos);
    CHECK(search.body.find("/articles/" + std::to_string(edited) + "\"") != std::string::npos);

    // The API answers what --json prints.
    const auto api_list = archive.get("/api/articles?site=ahgrb");
    REQUIRE(api_list.status == 200);
    CHECK(api_list.header("content-type") == "application/json; charset=utf-8");
    CHECK(nlohmann::json::parse(api_list.body) == nlohmann::json(first));
    const auto api_article =
        nlohmann::json::parse(archive.get("/api/articles/" + std::to_string(edited)).body);
    auto shown = archive.cli_json({"show", std::to_string(edited), "--json"}).at(0);
    shown["versions"] = archive.cli_json({"history", std::to_string(edited), "--json"});
    CHECK(api_article == shown);
    const auto api_search =
        archive.get("/api/search?q=" + testing::query_value("工会") + "&limit=5");
    REQUIRE(api_search.status == 200);
    CHECK(nlohmann::json::parse(api_search.body) ==
          nlohmann::json(archive.cli_json({"search", "工会", "--limit", "5", "--json"})));
    CHECK(archive.get("/api/articles?since=yesterday").status == 400);
    CHECK(archive.get("/api/articles?limit=0").status == 400);
    CHECK(archive.get("/api/search").status == 400);

    // Feeds: one entry per stored version, newest first; the changed one shows its diff.
    const auto feed = archive.get("/feeds/gyghw.atom");
    REQUIRE(feed.status == 200);
    CHECK(feed.header("content-type") == "application/atom+xml; charset=utf-8");
    CHECK(feed.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    const auto first_entry = feed.body.find("<entry>");
    REQUIRE(first_entry != std::string::npos);
    CHECK(feed.body.find("article/" + std::to_string(edited) + "/v2", first_entry) <
          feed.body.find("<entry>", first_entry + 1));
    CHECK(feed.body.find("&lt;ins&gt;踊跃&lt;/ins&gt;") != std::string::npos);
    // Atom's dates are RFC 3339 with seconds, whatever the site printed.
    const std::regex atom_date(R"(<(published|updated)>([^<]*)</)");
    const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))");
    const auto all_feed = archive.get("/feeds/all.atom");
    CHECK(all_feed.status == 200);
    int dates = 0;
    for (auto it = std::sregex_iterator(all_feed.body.begin(), all_feed.body.end(), atom_date);
         it != std::sregex_iterator(); ++it, ++dates) {
      CAPTURE((*it)[2].str());
      CHECK(std::regex_match((*it)[2].str(), rfc3339));
    }
    CHECK(dates > 20);
    CHECK(archive.get("/feeds/nosuchsite.atom").status == 404);

    // The interface's own files; gzip for text when asked for.
    const auto style = archive.get("/static/style.css");
    CHECK(style.status == 200);
    CHECK(style.header("content-type") == "text/css; charset=utf-8");
    const auto zipped = web_get(archive.port, "/", "localhost", "Accept-Encoding: gzip, br\r\n");
    CHECK(zipped.header("content-encoding") == "gzip");
    CHECK(web_get(archive.port, "/", "localhost", "Accept-Encoding: gzip;q=0, br\r\n")
              .header("content-encoding")
              .empty());
  }

  TEST_CASE("serve renders hostile archived text as text and serves nothing outside the archive") {
    ServedArchive archive;
    const std::int64_t hostile = archive.article_id("gyghw/news/2023/0609/666.html");
    for (const std::string& target :
         {"/articles/" + std::to_string(hostile), std::string("/"), std::string("/sites/gyghw"),
          "/search?q=" + testing::query_value("警告"), std::string("/feeds/gyghw.atom")}) {
      CAPTURE(target);
      const auto answer = archive.get(target);
      REQUIRE(answer.status == 200);
      check_policy(answer);
      CHECK(answer.body.find("<script>window") == std::string::npos);
      CHECK(answer.body.find("<img src=x") == std::string::npos);
      CHECK(answer.body.find("<iframe") == std::string::npos);
      CHECK(answer.body.find("href=\"javascript:") == std::string::npos);
      CHECK(answer.body.find("\xE2\x80\xAE") == std::string::npos);  // the override, as itself
      CHECK(answer.body.find("警告") != std::string::npos);
    }
    const auto page = archive.get("/articles/" + std::to_string(hostile));
    CHECK(page.body.find("&lt;script&gt;window.__xss=1&lt;/script&gt;警告") != std::string::npos);
    CHECK(page.body.find("&lt;U+202E&gt;txt.exe") != std::string::npos);
    // The API keeps the text as archived: JSON is data, not markup.
    const auto api =
        nlohmann::json::parse(archive.get("/api/articles/" + std::to_string(hostile)).body);
    CHECK(api["title"].get<std::string>().find("\xE2\x80\xAE") != std::string::npos);

    // Traversal in every spelling, encoded slashes, absolute paths: refused, never a file.
    for (const std::string target :
         {"/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/static/..%2f..%2f..%2fetc%2fpasswd", "/assets/..%5c..%5cetc%5cpasswd",
          "/static/%2fetc%2fpasswd", "//etc/passwd", "/static//etc/passwd",
          "/static/%252e%252e/etc/passwd", "/assets/%2e%2e", "/static/style.css%00.html",
          "/assets/../../archive.db", "/static/.%2e/.%2e/etc/passwd"}) {
      CAPTURE(target);
      const auto answer = archive.get(target);
      CHECK((answer.status == 400 || answer.status == 404));
      CHECK(answer.body.find("root:") == std::string::npos);
      CHECK(answer.body.find("SQLite format") == std::string::npos);
      check_policy(answer);
    }
    CHECK(testing::raw_request(archive.port,
                               "GET http://localhost/etc/passwd HTTP/1.1\r\nHost: "
                               "localhost\r\nConnection: close\r\n\r\n")
              .status == 400);

    // DNS rebinding: a name not on the list gets nothing; IP addresses and listed names do.
    const auto rebound =
        web_get(archive.port, "/api/articles", "evil.example:" + std::to_string(archive.port));
    CHECK(rebound.status == 421);
    CHECK(rebound.body.find("旺苍") == std::string::npos);
    CHECK(web_get(archive.port, "/", "localhost.evil.example").status == 421);
    CHECK(
        testing::raw_request(archive.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").status ==
        421);
    CHECK(web_get(archive.port, "/", "127.0.0.1:" + std::to_string(archive.port)).status == 200);
    CHECK(web_get(archive.port, "/", "[::1]:" + std::to_string(archive.port)).status == 200);
    CHECK(web_get(archive.port, "/", "Archive.Test").status == 200);

    // Huge or malformed queries: 400 with the reason.
    CHECK(archive.get("/search?q=" + std::string(5000, 'a')).status == 400);
    CHECK(archive.get("/search?q=" + std::string(300, 'a')).status == 400);
    std::string many = "/search?q=x";
    for (int i = 0; i < 20; ++i) {
      many += "&f" + std::to_string(i) + "=1";
    }
    CHECK(archive.get(many).status == 400);
    CHECK(archive.get("/search?q=%zz").status == 400);
    CHECK(archive.get("/search?q=%ff%fe").status == 400);
    CHECK(archive.get("/search?q=a&q=b").status == 400);
    CHECK(archive.get("/search?since=2023-02-30&q=x").status == 400);
    CHECK(archive.get("/search?q=x&page=51").status == 400);  // past the ranked window
    CHECK(web_get(archive.port, "/", "localhost", "X-Big: " + std::string(20000, 'x') + "\r\n")
              .status == 400);
    const auto post =
        testing::raw_request(archive.port,
                             "POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n"
                             "Connection: close\r\n\r\nq=x");
    CHECK((post.status == 405 || post.status == 400));
    // After all that, it still answers.
    CHECK(archive.get("/").status == 200);
  }

  TEST_CASE("in headless Chromium every page renders, hostile text never runs, feeds parse") {
    ServedArchive archive;
    const std::int64_t edited = archive.article_id("gyghw/news/2023/0608/1185.html");
    const std::int64_t hostile = archive.article_id("gyghw/news/2023/0609/666.html");
    const std::filesystem::path script(ARCHIVER_BROWSE);
    const auto browse = testing::run_process(
        "/usr/bin/env",
        {"node", script.string(), "http://127.0.0.1:" + std::to_string(archive.port),
         std::to_string(edited), std::to_string(hostile), "ahgrb", "2023-06-13"},
        archive.sites.dir.path());
    REQUIRE_MESSAGE(browse.exit_code == 0, browse.err);
    const auto shown = nlohmann::json::parse(browse.out);
    REQUIRE_MESSAGE(shown["ok"] == true, browse.out);
    CHECK(shown["home"]["status"] == 200);
    CHECK(shown["home"]["sites"].get<int>() >= 7);  // every configured site
    CHECK(shown["home"]["newest"].get<int>() > 10);
    CHECK(shown["edition"]["sheets"] == nlohmann::json::array({"第01版:要闻", "第02版:工会新闻"}));
    REQUIRE(shown["edition"]["scans"].size() == 2);
    for (const auto& scan : shown["edition"]["scans"]) {
      CHECK(scan["loaded"] == true);
      CHECK(scan["width"].get<int>() > 0);  // decoded: real image bytes from the archive
    }
    CHECK(shown["edition"]["headlines"].get<int>() == 11);
    CHECK(shown["edition"]["pdfs"] == 2);
    CHECK(shown["article"]["title"] == "旺苍县总工会开展“工会进万家 服务零距离”活动");
    CHECK(shown["article"]["paragraphs"].size() == 2);
    CHECK(shown["article"]["versions"] == 2);
    CHECK(shown["article"]["styled"] == "flex");  // the style sheet applied under the policy
    CHECK(shown["diff"]["inserted"] == nlohmann::json::array({"6", "踊跃"}));
    CHECK(shown["diff"]["deleted"] == nlohmann::json::array({"5"}));
    // The hostile article reads as its characters, and nothing of it ran.
    CHECK(shown["hostile"]["title"] ==
          "<script>window.__xss=1</script>警告<img src=x onerror=alert(2)><U+202E>txt.exe");
    CHECK(shown["hostile"]["xss"].is_null());
    CHECK(shown["hostile"]["injected"] == 0);
    CHECK(shown["hostile"]["scripts"].size() == 1);  // the interface's own search.js
    CHECK(shown["dialogs"].empty());
    CHECK(shown["page_errors"].empty());
    CHECK_MESSAGE(shown["policy_violations"].empty(), shown["policy_violations"].dump());
    // The archived page: shown, its script never run, its origin never asked (the policy
    // blocked the picture).
    CHECK(shown["archived"]["status"] == 200);
    CHECK(shown["archived"]["ran"] == false);
    CHECK_MESSAGE(
        shown["archived"]["html"].get<std::string>().find("现场设置政策咨询") != std::string::npos,
        shown["archived"]["html"].get<std::string>().substr(0, 1500));
    CHECK(shown["archived"]["blocked"].dump().find("beacon.gif") != std::string::npos);
    for (const auto& request : archive.sites.server.requests()) {
      CHECK(request.path != "/gyghw/beacon.gif");
    }
    // Search as you type.
    CHECK(shown["search"]["marks"].size() >= 1);
    CHECK(shown["search"]["marks"][0] == "入会手续");
    CHECK(shown["search"]["address"].get<std::string>().find("q=") != std::string::npos);
    // The feed is Atom to a strict XML parser; the API is JSON.
    CHECK(shown["feed"]["error"] == false);
    CHECK(shown["feed"]["root"] == "http://www.w3.org/2005/Atom feed");
    CHECK(shown["feed"]["entries"].get<int>() >= 14);
    CHECK(shown["feed"]["complete"] == true);
    CHECK(shown["api"].get<int>() >= 14);
  }

  TEST_CASE("a newer archiver upgrades the archive under serve: it exits 3, saying why") {
    ServedArchive archive;
    REQUIRE(archive.get("/").status == 200);
    std::int64_t ours = 0;
    {
      // What a newer archiver's migration might do: a column renamed that serve's queries name.
      auto tables = testing::archive_sql_to_change(archive.sites.database);
      ours = testing::sql_scalar(tables, "PRAGMA user_version");
      tables.execute("ALTER TABLE articles RENAME COLUMN url TO address; PRAGMA user_version = " +
                     std::to_string(ours + 1));
    }
    // The request that finds out is answered 503; the server then stops instead of failing
    // every request from then on, for systemd to start the installed archiver again.
    CHECK(archive.get("/").status == 503);
    const auto code = archive.server->wait_for(10s);
    REQUIRE_MESSAGE(code.has_value(), archive.server->err());
    CHECK(*code == 3);
    const std::string said = archive.server->err();
    INFO(said);
    CHECK(said.find("changed from schema version " + std::to_string(ours) + " to " +
                    std::to_string(ours + 1)) != std::string::npos);
    CHECK(said.find("stopping with exit status 3") != std::string::npos);
  }

  TEST_CASE("serve answers while slow clients hold connections open") {
    ServedArchive archive;
    namespace asio = boost::asio;
    asio::io_context io;
    // Slowloris: connections that send half a request and wait.
    std::vector<asio::ip::tcp::socket> slow;
    for (int i = 0; i < 40; ++i) {
      slow.emplace_back(io);
      slow.back().connect({asio::ip::make_address("127.0.0.1"), archive.port});
      asio::write(slow.back(), asio::buffer(std::string("GET / HTTP/1.1\r\nHost: local")));
    }
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) {
      CHECK(archive.get("/search?q=" + testing::query_value("工会")).status == 200);
    }
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    // Past request_timeout (2 s here) the half-sent requests are cut off.
    std::this_thread::sleep_for(3s);
    for (auto& socket : slow) {
      std::array<char, 512> buffer{};
      boost::system::error_code error;
      const std::size_t n = socket.read_some(asio::buffer(buffer), error);
      CHECK(n == 0);
      CHECK(error == asio::error::eof);
    }
  }
}

}  // namespace archiver
