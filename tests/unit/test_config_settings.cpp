#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <string>

#include "config/settings.hpp"

namespace archiver {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const fs::path k_file = "/srv/archiver/archiver.toml";

// A fresh directory under the system temp folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    m_path = fs::temp_directory_path() /
             ("archiver-test-config-" + std::to_string(std::random_device{}()) + "-" +
              std::to_string(counter++));
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const fs::path& path() const { return m_path; }

  [[nodiscard]] fs::path write(const std::string& name, std::string_view text) const {
    const fs::path file = m_path / name;
    std::ofstream out(file, std::ios::binary);
    out << text;
    return file;
  }

 private:
  fs::path m_path;
};

// All the messages, so that a failing check shows what the loader said.
std::string describe(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& error : errors) {
    out += error.to_string() + "\n";
  }
  return out;
}

Settings parse_ok(std::string_view text, const fs::path& file = k_file) {
  auto result = parse_settings(text, file);
  const std::string problems = result ? std::string() : describe(result.error());
  INFO(problems);
  REQUIRE(result.has_value());
  return std::move(*result);
}

std::vector<ConfigError> parse_errors(std::string_view text) {
  auto result = parse_settings(text, k_file);
  REQUIRE_FALSE(result.has_value());
  return result.error();
}

// Exactly one error, at `line`, about `key`; its message is returned for further checks.
std::string single_error(std::string_view text, int line, std::string_view key) {
  const auto errors = parse_errors(text);
  INFO(describe(errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == k_file);
  CHECK(errors[0].line == line);
  CHECK(errors[0].key == key);
  return errors[0].message;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

constexpr std::string_view k_full_config = R"toml([archive]
database = "archive.db"
user_agent = "archiver-test/1.0 (+https://example.org/contact)"
max_size = "50GiB"

[fetch]
delay_per_host = "2s"
connections_per_host = 3
max_connections = 8
timeout = "30s"
connect_timeout = "5s"
max_body = "10MiB"
obey_robots = false

[[site]]
name = "ahgrb"
title = "安徽工人日报"
parser = "epaper"
edition_url = "http://epaper.example.cn/ahgrb/{yyyy}-{mm}/{dd}/node_1.htm"
schedule = "30 7 * * *"
timezone = "Asia/Shanghai"

[site.selectors]
title = "td.title h1"
body = "#ozoom"
pages = "#pageList a"

[[site]]
name = "gyghw"
title = "广元工会网"
parser = "cms"
start_urls = ["https://gh.example.cn/news/list_1.html", "https://gh.example.cn/notice/"]
schedule = "every 6h"
charset = "gb18030"

[site.fetch]
delay_per_host = "5s"
max_body = 1048576

[[site]]
name = "union-portal"
title = "中工网"
parser = "portal"
start_urls = ["http://www.portal.example.org/news/index.html"]
scope = ["http://www.portal.example.org/news", "https://www.portal.example.org"]
schedule = "*/20 6-22 * * mon-fri"
)toml";

}  // namespace

TEST_SUITE("config/settings") {
  TEST_CASE("a full config like the contract's example") {
    const Settings settings = parse_ok(k_full_config);
    CHECK(settings.source == k_file);
    CHECK(settings.database == fs::path("/srv/archiver/archive.db"));
    CHECK(settings.user_agent == "archiver-test/1.0 (+https://example.org/contact)");
    CHECK(settings.max_archive_size == 50ULL * 1024 * 1024 * 1024);
    CHECK(settings.fetch.delay_per_host == 2s);
    CHECK(settings.fetch.connections_per_host == 3);
    CHECK(settings.fetch.max_connections == 8);
    CHECK(settings.fetch.timeout == 30s);
    CHECK(settings.fetch.connect_timeout == 5s);
    CHECK(settings.fetch.max_body == 10ULL * 1024 * 1024);
    CHECK_FALSE(settings.fetch.obey_robots);
    REQUIRE(settings.sites.size() == 3);

    const SiteSettings& ahgrb = settings.sites[0];
    CHECK(ahgrb.name == "ahgrb");
    CHECK(ahgrb.title == "安徽工人日报");
    CHECK(ahgrb.parser == ParserKind::epaper);
    CHECK(ahgrb.edition_url == "http://epaper.example.cn/ahgrb/{yyyy}-{mm}/{dd}/node_1.htm");
    CHECK(ahgrb.schedule == "30 7 * * *");
    CHECK(ahgrb.timezone == "Asia/Shanghai");
    CHECK(ahgrb.line == 15);
    CHECK(ahgrb.selectors == std::map<std::string, std::string>{{"body", "#ozoom"},
                                                                {"pages", "#pageList a"},
                                                                {"title", "td.title h1"}});
    CHECK(ahgrb.scope ==
          std::vector<std::string>{"http://epaper.example.cn/", "https://epaper.example.cn/"});
    CHECK(ahgrb.fetch.delay_per_host == 2s);  // no [site.fetch]: the global values
    CHECK(ahgrb.fetch.max_body == 10ULL * 1024 * 1024);
    CHECK_FALSE(ahgrb.fetch.obey_robots);

    const SiteSettings& gyghw = settings.sites[1];
    CHECK(gyghw.parser == ParserKind::cms);
    CHECK(gyghw.start_urls == std::vector<std::string>{"https://gh.example.cn/news/list_1.html",
                                                       "https://gh.example.cn/notice/"});
    CHECK(gyghw.schedule == "every 6h");
    CHECK(gyghw.charset == "gb18030");
    CHECK(gyghw.fetch.delay_per_host == 5s);
    CHECK(gyghw.fetch.max_body == 1048576);
    CHECK(gyghw.fetch.connections_per_host == 3);
    CHECK(gyghw.fetch.timeout == 30s);
    CHECK(gyghw.line == 28);

    const SiteSettings& portal = settings.sites[2];
    CHECK(portal.parser == ParserKind::portal);
    CHECK(portal.scope == std::vector<std::string>{"http://www.portal.example.org/news",
                                                   "https://www.portal.example.org/"});
  }

  TEST_CASE("defaults") {
    SUBCASE("an empty file: no sites, default fetch settings") {
      const Settings settings = parse_ok("");
      CHECK(settings.sites.empty());
      CHECK(settings.database.empty());
      CHECK_FALSE(settings.max_archive_size.has_value());
      CHECK(settings.user_agent == Settings{}.user_agent);
      CHECK(settings.fetch.delay_per_host == 1s);
      CHECK(settings.fetch.connections_per_host == 2);
      CHECK(settings.fetch.max_connections == 16);
      CHECK(settings.fetch.timeout == 60s);
      CHECK(settings.fetch.connect_timeout == 15s);
      CHECK(settings.fetch.max_body == 20ULL * 1024 * 1024);
      CHECK(settings.fetch.obey_robots);
    }
    SUBCASE("a minimal site") {
      const Settings settings = parse_ok(R"([[site]]
name = "min"
start_urls = ["HTTP://News.Example.CN/list.htm", "http://news.example.cn:8080/a/"]
)");
      REQUIRE(settings.sites.size() == 1);
      const SiteSettings& site = settings.sites[0];
      CHECK(site.title == "min");
      CHECK(site.parser == ParserKind::generic);
      CHECK(site.timezone == "Asia/Shanghai");
      CHECK(site.schedule.empty());
      CHECK(site.charset.empty());
      CHECK(site.selectors.empty());
      CHECK(site.fetch.timeout == 60s);
      CHECK(site.scope == std::vector<std::string>{"http://news.example.cn/",
                                                   "https://news.example.cn/",
                                                   "http://news.example.cn:8080/"});
    }
  }

  TEST_CASE("[site.fetch] overrides [fetch], whatever the table order") {
    const Settings settings = parse_ok(R"([[site]]
name = "early"
start_urls = ["http://a.example.cn/"]
[site.fetch]
timeout = "10s"
obey_robots = true

[fetch]
timeout = "90s"
delay_per_host = "250ms"
obey_robots = false

[[site]]
name = "late"
start_urls = ["http://b.example.cn/"]
)");
    REQUIRE(settings.sites.size() == 2);
    CHECK(settings.fetch.timeout == 90s);
    CHECK(settings.sites[0].fetch.timeout == 10s);
    CHECK(settings.sites[0].fetch.obey_robots);
    CHECK(settings.sites[0].fetch.delay_per_host == 250ms);
    CHECK(settings.sites[1].fetch.timeout == 90s);
    CHECK_FALSE(settings.sites[1].fetch.obey_robots);
  }

  TEST_CASE("the database path resolves against the config file's folder") {
    CHECK(parse_ok("[archive]\ndatabase = \"a.db\"").database == "/srv/archiver/a.db");
    CHECK(parse_ok("[archive]\ndatabase = \"../data/a.db\"").database == "/srv/data/a.db");
    CHECK(parse_ok("[archive]\ndatabase = \"/var/lib/x.db\"").database == "/var/lib/x.db");
    CHECK(parse_ok("[archive]\ndatabase = \"a.db\"", "archiver.toml").database == "a.db");

    const TempDir dir;
    const fs::path file = dir.write("archiver.toml", "[archive]\ndatabase = \"sub/archive.db\"\n");
    const auto loaded = load_settings(file);
    REQUIRE(loaded.has_value());
    CHECK(loaded->source == file);
    CHECK(loaded->database == dir.path() / "sub/archive.db");
  }

  TEST_CASE("unknown keys are errors") {
    SUBCASE("in [fetch]") {
      const auto message =
          single_error("[fetch]\ntimeout = \"5s\"\ntimout = \"5s\"\n", 3, "fetch.timout");
      CHECK(contains(message, "unknown key"));
      CHECK(contains(message, "connect_timeout"));
    }
    SUBCASE("in a [[site]]") {
      single_error(R"([[site]]
name = "ahgrb"
start_urls = ["http://a.example.cn/"]
shedule = "every 1h"
)",
                   4, "site \"ahgrb\".shedule");
    }
    SUBCASE("in [archive]") { single_error("[archive]\n\ndb = \"x.db\"\n", 3, "archive.db"); }
    SUBCASE("at the top level") {
      single_error("verbose = true\n", 1, "verbose");
      single_error("[fetchs]\ntimeout = \"1s\"\n", 1, "fetchs");
    }
    SUBCASE("in [site.fetch]") {
      single_error(R"([[site]]
name = "x"
start_urls = ["http://a.example.cn/"]
[site.fetch]
retry = 3
)",
                   5, "site \"x\".fetch.retry");
    }
    SUBCASE("an unknown selector") {
      const auto message = single_error(R"([[site]]
name = "x"
start_urls = ["http://a.example.cn/"]
[site.selectors]
title = "h1"
headline = "h1 a"
)",
                                        6, "site \"x\".selectors.headline");
      CHECK(contains(message, "unknown selector"));
    }
  }

  TEST_CASE("wrong types") {
    CHECK(single_error("[archive]\nuser_agent = 5\n", 2, "archive.user_agent") ==
          "expected a string, got integer");
    CHECK(single_error("[fetch]\nobey_robots = \"yes\"\n", 2, "fetch.obey_robots") ==
          "expected a boolean (true or false), got string");
    CHECK(single_error("[fetch]\nmax_connections = 2.5\n", 2, "fetch.max_connections") ==
          "expected an integer, got float");
    CHECK(single_error("fetch = 3\n", 1, "fetch") == "expected a table, got integer");
    CHECK(single_error("[[site]]\nname = \"x\"\nstart_urls = \"http://a.example.cn/\"\n", 3,
                       "site \"x\".start_urls") == "expected an array of strings, got string");
    CHECK(single_error(
              "[[site]]\nname = \"x\"\nstart_urls = [\n  \"http://a.example.cn/\",\n  7,\n]\n", 5,
              "site \"x\".start_urls") == "expected a string, got integer");
    CHECK(single_error("[[site]]\nname = \"x\"\nscope = [\"http://a.example.cn/\"]\n"
                       "[site.selectors]\nbody = [\"p\"]\n",
                       5, "site \"x\".selectors.body") == "expected a string, got array");
    CHECK(
        contains(single_error("[site]\nname = \"x\"\n", 1, "site"), "write [[site]], not [site]"));
  }

  TEST_CASE("numbers out of range") {
    CHECK(single_error("[fetch]\nconnections_per_host = 0\n", 2, "fetch.connections_per_host") ==
          "must be at least 1, got 0");
    CHECK(contains(single_error("[fetch]\nmax_body = 0\n", 2, "fetch.max_body"), "at least 1"));
    CHECK(contains(single_error("[fetch]\ntimeout = \"0s\"\n", 2, "fetch.timeout"), "at least"));
    CHECK(parse_ok("[fetch]\ndelay_per_host = \"0s\"\n").fetch.delay_per_host == 0ms);
  }

  TEST_CASE("bad durations and sizes") {
    CHECK(contains(single_error("[fetch]\n\ntimeout = \"60 seconds\"\n", 3, "fetch.timeout"),
                   "bad duration \"60 seconds\""));
    CHECK(contains(single_error("[fetch]\ndelay_per_host = 2\n", 2, "fetch.delay_per_host"),
                   "with a unit"));
    CHECK(
        contains(single_error("[fetch]\nconnect_timeout = \"1.5s\"\n", 2, "fetch.connect_timeout"),
                 "bad duration"));
    CHECK(contains(single_error("[fetch]\nmax_body = \"20 MiB\"\n", 2, "fetch.max_body"),
                   "bad size \"20 MiB\""));
    CHECK(
        contains(single_error("[fetch]\nmax_body = \"20XB\"\n", 2, "fetch.max_body"), "bad size"));
    CHECK(contains(single_error("[fetch]\nmax_body = -1\n", 2, "fetch.max_body"), "at least 1"));
    CHECK(contains(single_error("[archive]\nmax_size = \"lots\"\n", 2, "archive.max_size"),
                   "bad size"));
  }

  TEST_CASE("schedules are validated") {
    const std::string head = "[[site]]\nname = \"s\"\nstart_urls = [\"http://a.example.cn/\"]\n";
    CHECK(single_error(head + "schedule = \"30 25 * * *\"\n", 4, "site \"s\".schedule") ==
          "cron field 2 (hour): 25 is out of 0-23");
    CHECK(contains(single_error(head + "schedule = \"every 5x\"\n", 4, "site \"s\".schedule"),
                   "unknown unit \"x\""));
    CHECK(contains(single_error(head + "schedule = \"every 0m\"\n", 4, "site \"s\".schedule"),
                   "at least 1"));
    CHECK(contains(single_error(head + "schedule = \"\"\n", 4, "site \"s\".schedule"),
                   "must not be empty"));
  }

  TEST_CASE("edition URL templates") {
    const std::string head = "[[site]]\nname = \"e\"\nparser = \"epaper\"\n";
    CHECK(single_error(head + "edition_url = \"http://a.example.cn/{yyyy}/{m}/{dd}.htm\"\n", 4,
                       "site \"e\".edition_url") ==
          "unknown placeholder {m} (known: {yyyy} {mm} {dd} {yyyymmdd})");
    CHECK(contains(single_error(head + "edition_url = \"http://a.example.cn/today.htm\"\n", 4,
                                "site \"e\".edition_url"),
                   "at least one of"));
    CHECK(contains(single_error(head + "edition_url = \"http://a.example.cn/{yyyy.htm\"\n", 4,
                                "site \"e\".edition_url"),
                   "unmatched '{'"));
    CHECK(contains(single_error(head + "edition_url = \"ftp://a.example.cn/{yyyymmdd}.htm\"\n", 4,
                                "site \"e\".edition_url"),
                   "not an http(s) URL"));
    CHECK(parse_ok(head + "edition_url = \"https://a.example.cn/{yyyymmdd}/1.htm\"\n")
              .sites.at(0)
              .edition_url == "https://a.example.cn/{yyyymmdd}/1.htm");
  }

  TEST_CASE("edition_url belongs to epaper sites only") {
    const auto message = single_error(R"([[site]]
name = "gyghw"
parser = "cms"
start_urls = ["http://gh.example.cn/list.htm"]
edition_url = "http://gh.example.cn/{yyyy}/{mm}{dd}.htm"
)",
                                      5, "site \"gyghw\".edition_url");
    CHECK(contains(message, "only epaper sites"));
  }

  TEST_CASE("required keys are reported at the line of their [[site]]") {
    CHECK(single_error("[fetch]\ntimeout = \"5s\"\n\n[[site]]\nparser = \"epaper\"\n"
                       "edition_url = \"http://a.example.cn/{yyyymmdd}.htm\"\n",
                       4, "site[1].name") == "missing required key");
    CHECK(contains(single_error("[[site]]\nname = \"a\"\nstart_urls = [\"http://a.example.cn/\"]\n"
                                "\n[[site]]\nname = \"b\"\nparser = \"epaper\"\n",
                                5, "site \"b\".edition_url"),
                   "missing required key"));
    CHECK(contains(single_error("[[site]]\nname = \"c\"\nparser = \"cms\"\n"
                                "scope = [\"http://c.example.cn/\"]\n",
                                1, "site \"c\".start_urls"),
                   "missing required key"));
    CHECK(contains(single_error("[[site]]\nname = \"d\"\n", 1, "site \"d\".scope"),
                   "needs scope, start_urls or edition_url"));
  }

  TEST_CASE("site names") {
    CHECK(contains(single_error(R"([[site]]
name = "a"
start_urls = ["http://a.example.cn/"]

[[site]]
name = "a"
start_urls = ["http://b.example.cn/"]
)",
                                6, "site \"a\".name"),
                   "duplicate site name (first used at line 1)"));
    CHECK(contains(single_error(R"([[site]]
start_urls = ["http://a.example.cn/"]
name = "Anhui_GRB"
)",
                                3, "site[1].name"),
                   "a-z, 0-9 and '-'"));
  }

  TEST_CASE("unknown parser") {
    CHECK(
        single_error("[[site]]\nname = \"p\"\nparser = \"rss\"\nstart_urls = [\"http://a.cn/\"]\n",
                     3, "site \"p\".parser") ==
        "unknown parser \"rss\" (known: epaper, cms, portal, generic)");
  }

  TEST_CASE("URLs, time zones and charsets") {
    const std::string head = "[[site]]\nname = \"u\"\nstart_urls = [\"http://a.example.cn/\"]\n";
    CHECK(contains(single_error(head + "scope = [\"a.example.cn/\"]\n", 4, "site \"u\".scope"),
                   "not an http(s) URL"));
    CHECK(contains(single_error("[[site]]\nname = \"u\"\nstart_urls = [\"http://a b/\"]\n", 3,
                                "site \"u\".start_urls"),
                   "not an http(s) URL"));
    CHECK(contains(single_error(head + "timezone = \"Asia/Beijing\"\n", 4, "site \"u\".timezone"),
                   "unknown time zone"));
    CHECK(
        contains(single_error(head + "timezone = \"../../etc/passwd\"\n", 4, "site \"u\".timezone"),
                 "not a time zone name"));
    CHECK(contains(single_error(head + "charset = \"gb 2312\"\n", 4, "site \"u\".charset"),
                   "not a charset label"));
    CHECK(contains(single_error(head + "scope = []\n", 4, "site \"u\".scope"), "at least one"));
    CHECK(contains(single_error("[[site]]\nname = \"c\"\nparser = \"cms\"\nstart_urls = []\n", 4,
                                "site \"c\".start_urls"),
                   "at least one URL"));
    if (fs::exists("/usr/share/zoneinfo/Europe/Berlin")) {
      CHECK(parse_ok(head + "timezone = \"Europe/Berlin\"\n").sites.at(0).timezone ==
            "Europe/Berlin");
    }
    CHECK(parse_ok(head + "charset = \"GB18030\"\n").sites.at(0).charset == "GB18030");
    CHECK(parse_ok("[fetch]\nretries = 0\nretry_backoff = \"250ms\"\n").fetch.retries == 0);
    CHECK(contains(single_error("[fetch]\nretries = 99\n", 2, "fetch.retries"), "0 to 20"));
    CHECK(contains(single_error("[[site]]\nname = \"c\"\nparser = \"cms\"\n"
                                "start_urls = [\"http://a.example.cn/list.html\"]\n"
                                "scope = [\"http://a.example.cn/news/\"]\n",
                                4, "site \"c\".start_urls"),
                   "outside the site's scope"));
    CHECK(contains(single_error("[[site]]\nname = \"e\"\nparser = \"epaper\"\n"
                                "edition_url = \"http://p.example.cn/{yyyy}/{mm}{dd}/1.htm\"\n"
                                "scope = [\"http://p.example.cn/html/\"]\n",
                                4, "site \"e\".edition_url"),
                   "outside the site's scope"));
    CHECK(contains(single_error(head + "charset = \"bogus-charset\"\n", 4, "site \"u\".charset"),
                   "unknown charset"));
  }

  TEST_CASE("all errors are reported, in file order") {
    const auto errors = parse_errors(R"([fetch]
timeout = 60
max_body = "huge"
colour = "blue"

[[site]]
name = "Bad Name"
parser = "rss"
start_urls = ["http://a.example.cn/"]

[[site]]
name = "ok"
parser = "epaper"
edition_url = "http://a.example.cn/{date}.htm"
schedule = "every"
[site.selectors]
byline = ".author"
)");
    std::vector<std::pair<int, std::string>> found;
    for (const auto& error : errors) {
      found.emplace_back(error.line, error.key);
    }
    CHECK(found == std::vector<std::pair<int, std::string>>{
                       {2, "fetch.timeout"},
                       {3, "fetch.max_body"},
                       {4, "fetch.colour"},
                       {7, "site[1].name"},
                       {8, "site[1].parser"},
                       {14, "site \"ok\".edition_url"},
                       {15, "site \"ok\".schedule"},
                       {17, "site \"ok\".selectors.byline"},
                   });
  }

  TEST_CASE("TOML syntax errors give the line and toml++'s description") {
    const auto errors = parse_errors("[fetch]\ntimeout = \"5s\"\nmax_body = \n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 3);
    CHECK(errors[0].key.empty());
    CHECK_FALSE(errors[0].message.empty());
    CHECK(errors[0].to_string().starts_with("/srv/archiver/archiver.toml:3: "));

    const auto duplicate = parse_errors("[fetch]\ntimeout = \"5s\"\ntimeout = \"6s\"\n");
    REQUIRE(duplicate.size() == 1);
    CHECK(duplicate[0].line == 3);
  }

  TEST_CASE("files that cannot be read") {
    const TempDir dir;
    const auto missing = load_settings(dir.path() / "nope.toml");
    REQUIRE_FALSE(missing.has_value());
    REQUIRE(missing.error().size() == 1);
    CHECK(missing.error()[0].line == 0);
    CHECK(missing.error()[0].to_string() ==
          (dir.path() / "nope.toml").string() +
              ": cannot read config file: No such file or directory");

    const auto directory = load_settings(dir.path());
    REQUIRE_FALSE(directory.has_value());
    CHECK(contains(directory.error()[0].message, "Is a directory"));

    const fs::path bad =
        dir.write("bad.toml", "[[site]]\nname = \"x\"\nscope = [\"http://a.cn/\"]\nbogus = 1\n");
    const auto loaded = load_settings(bad);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error()[0].to_string() ==
          bad.string() + ":4: site \"x\".bogus: unknown key " +
              "(known: name, title, parser, edition_url, "
              "start_urls, scope, schedule, timezone, charset, "
              "selectors, fetch, catch_up, max_list_pages, assets, max_asset)");
  }

  TEST_CASE("[serve]: listen address, host names, base URL, mistakes named with their line") {
    const TempDir dir;
    const auto good = load_settings(
        dir.write("good.toml",
                  "[serve]\nlisten = \"[::1]:9000\"\nhosts = [\"archive.example.org\"]\n"
                  "base_url = \"https://archive.example.org/\"\n"));
    REQUIRE(good.has_value());
    CHECK(good->serve.listen == "[::1]:9000");
    CHECK(good->serve.hosts == std::vector<std::string>{"archive.example.org"});
    CHECK(good->serve.base_url == "https://archive.example.org");
    CHECK(load_settings(dir.write("empty.toml", ""))->serve.listen == "127.0.0.1:8080");

    const auto bad =
        load_settings(dir.write("bad.toml",
                                "[serve]\nlisten = \"8080\"\nhosts = [\"http://x.example/\"]\n"
                                "base_url = \"archive.example.org\"\nport = 1\n"));
    REQUIRE_FALSE(bad.has_value());
    REQUIRE(bad.error().size() == 4);
    CHECK(bad.error()[0].line == 2);
    CHECK(bad.error()[0].key == "serve.listen");
    CHECK(contains(bad.error()[0].message, "HOST:PORT"));
    CHECK(bad.error()[1].key == "serve.hosts");
    CHECK(bad.error()[2].key == "serve.base_url");
    CHECK(contains(bad.error()[3].message,
                   "unknown key (known: listen, hosts, base_url, request_timeout)"));
  }

  TEST_CASE("ConfigError::to_string") {
    CHECK(ConfigError{"a.toml", 12, "site[1].parser", "unknown parser \"foo\""}.to_string() ==
          "a.toml:12: site[1].parser: unknown parser \"foo\"");
    CHECK(ConfigError{"a.toml", 0, "", "cannot read config file: Permission denied"}.to_string() ==
          "a.toml: cannot read config file: Permission denied");
    CHECK(ConfigError{"a.toml", 3, "", "bad"}.to_string() == "a.toml:3: bad");
  }

  TEST_CASE("parse_duration") {
    CHECK(parse_duration("1s") == 1s);
    CHECK(parse_duration("500ms") == 500ms);
    CHECK(parse_duration("2m") == 2min);
    CHECK(parse_duration("1h") == 1h);
    CHECK(parse_duration("1d") == 24h);
    CHECK(parse_duration("0s") == 0ms);
    CHECK_FALSE(parse_duration("60"));  // a unit is required
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("s"));
    CHECK_FALSE(parse_duration("1.5s"));
    CHECK_FALSE(parse_duration("-1s"));
    CHECK_FALSE(parse_duration(" 1s"));
    CHECK_FALSE(parse_duration("1 s"));
    CHECK_FALSE(parse_duration("1S"));
    CHECK_FALSE(parse_duration("1w"));
    CHECK_FALSE(parse_duration("99999999999999999999d"));
    CHECK_FALSE(parse_duration("9999999999999999d"));  // fits in uint64, not in milliseconds
  }

  TEST_CASE("parse_size") {
    CHECK(parse_size("1000") == 1000U);
    CHECK(parse_size("0") == 0U);
    CHECK(parse_size("20MiB") == 20ULL * 1024 * 1024);
    CHECK(parse_size("512KiB") == 512ULL * 1024);
    CHECK(parse_size("1GiB") == 1024ULL * 1024 * 1024);
    CHECK(parse_size("10MB") == 10'000'000U);
    CHECK(parse_size("10kB") == 10'000U);
    CHECK(parse_size("10KB") == 10'000U);
    CHECK(parse_size("7B") == 7U);
    CHECK(parse_size("16777215TiB") == ((1ULL << 24) - 1) << 40);
    CHECK_FALSE(parse_size("16777216000TiB"));  // overflows uint64
    CHECK_FALSE(parse_size("18446744073709551616"));
    CHECK_FALSE(parse_size(""));
    CHECK_FALSE(parse_size("MiB"));
    CHECK_FALSE(parse_size("1.5MiB"));
    CHECK_FALSE(parse_size("-1"));
    CHECK_FALSE(parse_size("20 MiB"));
  }

  TEST_CASE("scope matching") {
    const Settings settings = parse_ok(R"([[site]]
name = "paper"
parser = "epaper"
edition_url = "http://paper.example.cn/epaper/{yyyy}{mm}/{dd}/node_1.htm"

[[site]]
name = "paper-photo"
scope = ["http://paper.example.cn/epaper/photo/", "http://other.example.cn"]
)");
    const SiteSettings* paper = settings.site_named("paper");
    REQUIRE(paper != nullptr);
    CHECK(paper->in_scope("http://paper.example.cn/epaper/202306/13/content_1.htm"));
    CHECK(paper->in_scope("HTTPS://PAPER.example.cn/x"));
    CHECK_FALSE(paper->in_scope("http://paper.example.cn.evil.org/"));
    CHECK_FALSE(paper->in_scope("http://other.example.cn/"));
    CHECK(settings.site_named("nope") == nullptr);

    CHECK(settings.site_for_url("http://paper.example.cn/epaper/202306/13/node_2.htm") == paper);
    CHECK(settings.site_for_url("http://paper.example.cn/epaper/photo/1.jpg") ==
          settings.site_named("paper-photo"));
    CHECK(settings.site_for_url("http://other.example.cn/") == settings.site_named("paper-photo"));
    CHECK(settings.site_for_url("http://other.example.cnx/") == nullptr);
    CHECK(settings.site_for_url("http://paper.example.cn/EPAPER/photo/1.jpg") == paper);
    CHECK(settings.site_for_url("ftp://paper.example.cn/") == nullptr);
  }

  TEST_CASE("scope is tested on the normal form: encoded dot segments cannot climb out") {
    const Settings settings = parse_ok(R"([[site]]
name = "cms"
parser = "cms"
start_urls = ["HTTP://Union.Example.CN:80/news/list_1.html"]
scope = ["http://union.example.cn:80/news/"]
)");
    const SiteSettings& site = settings.sites.at(0);
    CHECK(site.scope == std::vector<std::string>{"http://union.example.cn/news/"});
    CHECK(site.start_urls == std::vector<std::string>{"http://union.example.cn/news/list_1.html"});
    CHECK(site.in_scope("http://union.example.cn/news/2024/1.html"));
    CHECK(site.in_scope("http://UNION.example.cn:80/news/%7Eeditor/1.html"));
    CHECK(site.in_scope("http://union.example.cn/news/a/../b.html"));
    for (const char* escape :
         {"http://union.example.cn/news/%2e%2e/admin/config.php",
          "http://union.example.cn/news/.%2e/admin/", "http://union.example.cn/news/%2E%2E/x",
          "http://union.example.cn/news/a/%2e%2e/%2e%2e/x", "http://union.example.cn/news/../x",
          "http://union.example.cn/news#/../x/"}) {
      CAPTURE(escape);
      CHECK_FALSE(site.in_scope(escape));
    }
    // "%2e%2e%2f" is no dot segment: the encoded slash keeps it inside one path segment.
    CHECK(site.in_scope("http://union.example.cn/news/%2e%2e%2fx"));
  }

  TEST_CASE("overlapping scopes are warned about, naming both sites") {
    const Settings settings = parse_ok(R"([[site]]
name = "paper"
parser = "epaper"
edition_url = "http://host.example.cn/epaper/{yyyy}{mm}/{dd}/node_1.htm"
scope = ["http://host.example.cn/"]

[[site]]
name = "union"
parser = "cms"
start_urls = ["http://host.example.cn/union/list.html"]
scope = ["http://host.example.cn/union/"]

[[site]]
name = "other"
parser = "cms"
start_urls = ["http://other.example.cn/list.html"]
)");
    const auto warnings = overlapping_scopes(settings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("\"paper\" and \"union\"") != std::string::npos);
    CHECK(warnings[0].find("\"http://host.example.cn/\" holds \"http://host.example.cn/union/\"") !=
          std::string::npos);
    CHECK(warnings[0].find("as \"union\"") != std::string::npos);
    CHECK(overlapping_scopes(parse_ok("[[site]]\nname = \"a\"\nscope = [\"http://a.cn/\"]\n"))
              .empty());
  }

  TEST_CASE("expand_edition_url") {
    using namespace std::chrono;
    const year_month_day day{2023y, June, 3d};
    CHECK(expand_edition_url("http://a.cn/{yyyy}-{mm}/{dd}/node_1.htm", day) ==
          "http://a.cn/2023-06/03/node_1.htm");
    CHECK(expand_edition_url("http://a.cn/{yyyymmdd}/{x}/{", day) == "http://a.cn/20230603/{x}/{");
  }

  TEST_CASE("[[notify]] webhooks: url, sites, events with their defaults") {
    const auto settings = parse_ok(R"(
[[site]]
name = "paper"
scope = ["http://paper.example.cn/"]

[[site]]
name = "union"
scope = ["http://union.example.cn/"]

[[notify]]
url = "https://hooks.example.org/archiver"

[[notify]]
url = "http://127.0.0.1:9000/changed"
sites = ["union"]
events = ["changed"]
)");
    REQUIRE(settings.notify.size() == 2);
    CHECK(settings.notify[0].url == "https://hooks.example.org/archiver");
    CHECK(settings.notify[0].sites.empty());  // every site
    CHECK(settings.notify[0].on_new);
    CHECK(settings.notify[0].on_changed);
    CHECK(settings.notify[0].line == 10);
    CHECK(settings.notify[1].sites == std::vector<std::string>{"union"});
    CHECK_FALSE(settings.notify[1].on_new);
    CHECK(settings.notify[1].on_changed);
    CHECK(parse_ok("").notify.empty());
  }

  TEST_CASE("[[notify]] problems name file, line and key") {
    const std::string site = "[[site]]\nname = \"paper\"\nscope = [\"http://p.cn/\"]\n";
    CHECK(
        single_error(site + "[[notify]]\nurl = \"ftp://hooks.example.org/\"\n", 5, "notify[1].url")
            .find("not an http(s) URL") != std::string::npos);
    CHECK(single_error(site + "[[notify]]\nsites = [\"paper\"]\n", 4, "notify[1].url") ==
          "missing required key");
    CHECK(single_error(site + "[[notify]]\nurl = \"http://h.cn/\"\nsites = [\"papr\"]\n", 6,
                       "notify[1].sites") == "no [[site]] is named \"papr\"");
    CHECK(single_error(site + "[[notify]]\nurl = \"http://h.cn/\"\nsites = []\n", 6,
                       "notify[1].sites")
              .starts_with("must name at least one site"));
    CHECK(single_error(site + "[[notify]]\nurl = \"http://h.cn/\"\nevents = [\"deleted\"]\n", 6,
                       "notify[1].events")
              .starts_with("unknown event \"deleted\""));
    CHECK(single_error(site + "[[notify]]\nurl = \"http://h.cn/\"\nevents = []\n", 6,
                       "notify[1].events")
              .starts_with("must list at least one"));
    CHECK(single_error(site + "[[notify]]\nurl = \"http://h.cn/\"\nretries = 3\n", 6,
                       "notify[1].retries")
              .starts_with("unknown key (known: url, sites, events)"));
    CHECK(single_error(site + "[[notify]]\nurl = \"http://h.cn/\"\n[[notify]]\nurl = "
                              "\"http://h.cn/\"\n",
                       7, "notify[2].url")
              .starts_with("the same webhook twice (first at line 4)"));
    CHECK(single_error(site + "[notify]\nurl = \"http://h.cn/\"\n", 4, "notify")
              .find("write [[notify]], not [notify]") != std::string::npos);
    // A [[notify]] written before the sites it names is fine: the order in the file is free.
    const auto settings =
        parse_ok("[[notify]]\nurl = \"http://h.cn/\"\nsites = [\"paper\"]\n" + site);
    CHECK(settings.notify.at(0).sites == std::vector<std::string>{"paper"});
  }

  TEST_CASE("parser names") {
    for (const auto kind :
         {ParserKind::generic, ParserKind::epaper, ParserKind::cms, ParserKind::portal}) {
      CHECK(parser_kind_from_string(to_string(kind)) == kind);
    }
    CHECK_FALSE(parser_kind_from_string("EPAPER"));
  }
}

}  // namespace archiver
