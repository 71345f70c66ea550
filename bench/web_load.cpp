// archiver-bench-web: a load client for `archiver serve`. CLIENTS threads, each on its own
// kept-alive HTTP/1.1 connection (opened again when the server closes it), send requests for
// SECONDS seconds, one after the other, drawn from a mix of what people do with the interface:
// searches (the page and the API), the home page, site pages, articles, diffs, editions, the
// feed and the article API. Every request carries `Host: localhost` and `Accept-Encoding: gzip`,
// as a browser on the same machine does. Prints one line per kind, then the whole:
//   kind requests req_per_s p50_ms p95_ms p99_ms errors bytes
// and, with --json FILE, the same as JSON. A request is an error when its status is not the one
// expected (200 everywhere) or the connection fails.
//
//   archiver-bench-web --port PORT [--host 127.0.0.1] [--clients 20] [--seconds 25] [--seed 1]
//                      [--articles MIN-MAX] [--diff-ids FILE] [--epaper NAME:YYYY-MM-DD:DAYS]
//                      [--list-site NAME] [--json FILE]

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  int clients = 20;
  int seconds = 25;
  unsigned seed = 1;
  std::int64_t first_article = 1;
  std::int64_t last_article = 1;
  std::vector<std::int64_t> diff_ids;  // articles with more than one version
  std::string epaper = "paper";
  std::chrono::sys_days first_day{std::chrono::year{2024} / 1 / 1};
  int days = 1;
  std::string list_site = "cms";
  std::string json_path;
};

// The kinds of request, with how often each is drawn (weights out of 100).
enum class Kind : std::uint8_t {
  search_page,
  api_search,
  home,
  site,
  article,
  diff,
  edition,
  feed,
  api_articles
};
constexpr std::array<std::pair<Kind, int>, 9> k_mix = {{
    {Kind::search_page, 20},
    {Kind::api_search, 10},
    {Kind::home, 8},
    {Kind::site, 10},
    {Kind::article, 22},
    {Kind::diff, 6},
    {Kind::edition, 12},
    {Kind::feed, 4},
    {Kind::api_articles, 8},
}};

std::string_view name_of(Kind kind) {
  switch (kind) {
    case Kind::search_page:
      return "search";
    case Kind::api_search:
      return "api_search";
    case Kind::home:
      return "home";
    case Kind::site:
      return "site";
    case Kind::article:
      return "article";
    case Kind::diff:
      return "diff";
    case Kind::edition:
      return "edition";
    case Kind::feed:
      return "feed";
    case Kind::api_articles:
      return "api_articles";
  }
  return "?";
}

// Words people look for in union news: common ones (many matches), rarer phrases, one that the
// archive does not hold, and traditional forms that must find the simplified text.
constexpr std::array<std::string_view, 14> k_queries = {
    "工会",   "职工",     "劳模",     "新就业形态", "金秋助学", "安康杯", "职工之家",
    "送清凉", "县总工会", "技能竞赛", "农民工",     "工會",     "職工",   "困难职工帮扶"};

std::string url_encoded(std::string_view text) {
  std::string out;
  for (const char letter : text) {
    const auto c = static_cast<unsigned char>(letter);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class Mix {
 public:
  Mix(const Options& options, unsigned seed) : m_options(options), m_random(seed) {}

  std::pair<Kind, std::string> next() {
    int pick = static_cast<int>(m_random() % 100);
    Kind kind = Kind::home;
    for (const auto& [candidate, weight] : k_mix) {
      if (pick < weight) {
        kind = candidate;
        break;
      }
      pick -= weight;
    }
    if (kind == Kind::diff && m_options.diff_ids.empty()) {
      kind = Kind::article;
    }
    return {kind, target(kind)};
  }

 private:
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(m_random);
  }

  std::string query() {
    return url_encoded(k_queries[static_cast<std::size_t>(
        between(0, static_cast<std::int64_t>(k_queries.size()) - 1))]);
  }

  std::string day() {
    const std::chrono::year_month_day ymd{m_options.first_day +
                                          std::chrono::days{between(0, m_options.days - 1)}};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  }

  std::string target(Kind kind) {
    switch (kind) {
      case Kind::search_page:
        // One in four goes to the second page of results, as people page through them.
        return fmt::format("/search?q={}{}", query(), between(0, 3) == 0 ? "&page=2" : "");
      case Kind::api_search:
        return fmt::format("/api/search?q={}&limit=20", query());
      case Kind::home:
        return "/";
      case Kind::site:
        return between(0, 1) == 0
                   ? "/sites/" + m_options.epaper
                   : fmt::format("/sites/{}?page={}", m_options.list_site, between(1, 20));
      case Kind::article:
        return fmt::format("/articles/{}",
                           between(m_options.first_article, m_options.last_article));
      case Kind::diff:
        return fmt::format("/articles/{}/diff",
                           m_options.diff_ids[static_cast<std::size_t>(between(
                               0, static_cast<std::int64_t>(m_options.diff_ids.size()) - 1))]);
      case Kind::edition:
        return fmt::format("/editions/{}/{}", m_options.epaper, day());
      case Kind::feed:
        return "/feeds/all.atom";
      case Kind::api_articles:
        return "/api/articles?limit=50";
    }
    return "/";
  }

  const Options& m_options;
  std::mt19937 m_random;
};

struct Tally {
  std::vector<double> latencies_ms;
  std::int64_t errors = 0;
  std::int64_t bytes = 0;
  std::map<std::string, std::int64_t> problems;  // "503", "connect: ...": how many
};

using Tallies = std::map<Kind, Tally>;

// One client: a connection kept alive, requests one after the other until the deadline.
class Client {
 public:
  Client(const Options& options, unsigned seed) : m_options(options), m_mix(options, seed) {}

  Tallies run(Clock::time_point deadline) {
    while (Clock::now() < deadline) {
      auto [kind, target] = m_mix.next();
      auto& tally = m_tallies[kind];
      const auto start = Clock::now();
      const auto answer = fetch(target);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      tally.latencies_ms.push_back(ms);
      if (!answer.problem.empty()) {
        ++tally.errors;
        ++tally.problems[answer.problem];
      }
      tally.bytes += answer.bytes;
    }
    close();
    return std::move(m_tallies);
  }

 private:
  struct Answer {
    std::string problem;  // empty when the answer was the expected 200
    std::int64_t bytes = 0;
  };

  Answer fetch(const std::string& target) {
    // A kept-alive connection the server closed since (idle, its request limit) is opened
    // again once; a second failure is the request's.
    for (int attempt = 0;; ++attempt) {
      const bool fresh = !m_stream;
      try {
        if (!m_stream) {
          connect();
        }
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "localhost");
        request.set(http::field::user_agent, "archiver-bench-web");
        request.set(http::field::accept_encoding, "gzip");
        request.keep_alive(true);
        m_stream->expires_after(std::chrono::seconds(60));
        http::write(*m_stream, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(256 * 1024 * 1024);
        http::read(*m_stream, m_buffer, parser);
        const auto& response = parser.get();
        if (!response.keep_alive()) {
          close();
        }
        Answer answer{.bytes = static_cast<std::int64_t>(response.body().size())};
        if (response.result_int() != 200) {
          answer.problem = fmt::format("status {}", response.result_int());
        }
        return answer;
      } catch (const boost::system::system_error& error) {
        close();
        if (fresh || attempt > 0) {
          return {.problem = error.code().message()};
        }
      }
    }
  }

  void connect() {
    asio::ip::tcp::resolver resolver(m_io);
    m_stream.emplace(m_io);
    m_stream->expires_after(std::chrono::seconds(10));
    m_stream->connect(resolver.resolve(m_options.host, m_options.port));
    m_stream->socket().set_option(asio::ip::tcp::no_delay(true));
    m_buffer.clear();
  }

  void close() {
    if (m_stream) {
      boost::system::error_code ignored;
      m_stream->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      m_stream.reset();
    }
  }

  const Options& m_options;
  Mix m_mix;
  asio::io_context m_io;
  std::optional<beast::tcp_stream> m_stream;
  beast::flat_buffer m_buffer;
  Tallies m_tallies;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  // Nearest rank.
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

nlohmann::json summary(std::string_view name, Tally tally, double seconds) {
  std::ranges::sort(tally.latencies_ms);
  const auto round = [](double value) { return std::round(value * 100) / 100; };
  return {{"kind", name},
          {"requests", tally.latencies_ms.size()},
          {"req_per_s", round(static_cast<double>(tally.latencies_ms.size()) / seconds)},
          {"p50_ms", round(percentile(tally.latencies_ms, 50))},
          {"p95_ms", round(percentile(tally.latencies_ms, 95))},
          {"p99_ms", round(percentile(tally.latencies_ms, 99))},
          {"max_ms", round(tally.latencies_ms.empty() ? 0 : tally.latencies_ms.back())},
          {"errors", tally.errors},
          {"bytes", tally.bytes},
          {"problems", tally.problems}};
}

void merge(Tally& into, Tally&& from) {
  into.latencies_ms.insert(into.latencies_ms.end(), from.latencies_ms.begin(),
                           from.latencies_ms.end());
  into.errors += from.errors;
  into.bytes += from.bytes;
  for (const auto& [problem, count] : from.problems) {
    into.problems[problem] += count;
  }
}

std::int64_t number(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<std::chrono::sys_days> day_of(std::string_view text) {
  if (text.size() != 10) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{
      std::chrono::year{static_cast<int>(number(text.substr(0, 4)))},
      std::chrono::month{static_cast<unsigned>(number(text.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(number(text.substr(8, 2)))}};
  return ymd.ok() ? std::optional(std::chrono::sys_days{ymd}) : std::nullopt;
}

std::optional<Options> parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    if (flag == "--host") {
      options.host = value;
    } else if (flag == "--port") {
      options.port = value;
    } else if (flag == "--clients") {
      options.clients = static_cast<int>(number(value));
    } else if (flag == "--seconds") {
      options.seconds = static_cast<int>(number(value));
    } else if (flag == "--seed") {
      options.seed = static_cast<unsigned>(number(value));
    } else if (flag == "--articles") {
      const auto dash = value.find('-');
      options.first_article = number(value.substr(0, dash));
      options.last_article =
          dash == std::string_view::npos ? options.first_article : number(value.substr(dash + 1));
    } else if (flag == "--diff-ids") {
      std::ifstream in{std::string(value)};
      for (std::string line; std::getline(in, line);) {
        if (const auto id = number(line); id > 0) {
          options.diff_ids.push_back(id);
        }
      }
    } else if (flag == "--epaper") {  // NAME:YYYY-MM-DD:DAYS
      const auto first = value.find(':');
      const auto second = value.rfind(':');
      const auto day = day_of(value.substr(first + 1, second - first - 1));
      if (first == second || !day) {
        std::cerr << "--epaper NAME:YYYY-MM-DD:DAYS\n";
        return std::nullopt;
      }
      options.epaper = value.substr(0, first);
      options.first_day = *day;
      options.days = std::max<int>(1, static_cast<int>(number(value.substr(second + 1))));
    } else if (flag == "--list-site") {
      options.list_site = value;
    } else if (flag == "--json") {
      options.json_path = value;
    } else {
      std::cerr << "unknown option " << flag << '\n';
      return std::nullopt;
    }
  }
  if (options.port.empty() || options.clients < 1 || options.seconds < 1 ||
      options.last_article < options.first_article) {
    std::cerr << "usage: archiver-bench-web --port PORT [--host H] [--clients 20] [--seconds 25] "
                 "[--seed S] [--articles MIN-MAX] [--diff-ids FILE] "
                 "[--epaper NAME:YYYY-MM-DD:DAYS] [--list-site NAME] [--json FILE]\n";
    return std::nullopt;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  if (!options) {
    return 2;
  }
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(options->seconds);
  std::vector<Tallies> results(static_cast<std::size_t>(options->clients));
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < options->clients; ++i) {
      threads.emplace_back([&, i] {
        Client client(*options, options->seed * 1000 + static_cast<unsigned>(i));
        results[static_cast<std::size_t>(i)] = client.run(deadline);
      });
    }
  }
  // Every client finishes the request it has begun: the time is until the last one ends.
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // Per kind; then searches (the page and the API) against the pages a reader opens (all
  // the rest); then everything.
  Tallies by_kind;
  Tally searches;
  Tally pages;
  Tally all;
  for (auto& tallies : results) {
    for (auto& [kind, tally] : tallies) {
      merge(kind == Kind::search_page || kind == Kind::api_search ? searches : pages, Tally(tally));
      merge(all, Tally(tally));
      merge(by_kind[kind], std::move(tally));
    }
  }
  nlohmann::json report = {{"clients", options->clients},
                           {"seconds", std::round(seconds * 100) / 100},
                           {"kinds", nlohmann::json::array()}};
  for (auto& [kind, tally] : by_kind) {
    report["kinds"].push_back(summary(name_of(kind), std::move(tally), seconds));
  }
  report["kinds"].push_back(summary("searches", std::move(searches), seconds));
  report["kinds"].push_back(summary("pages", std::move(pages), seconds));
  report["overall"] = summary("all", std::move(all), seconds);
  std::cout << "kind requests req_per_s p50_ms p95_ms p99_ms max_ms errors bytes\n";
  auto line = [](const nlohmann::json& row) {
    std::cout << fmt::format("{} {} {} {} {} {} {} {} {}\n", row["kind"].get<std::string>(),
                             row["requests"].get<std::int64_t>(), row["req_per_s"].get<double>(),
                             row["p50_ms"].get<double>(), row["p95_ms"].get<double>(),
                             row["p99_ms"].get<double>(), row["max_ms"].get<double>(),
                             row["errors"].get<std::int64_t>(), row["bytes"].get<std::int64_t>());
    for (const auto& [problem, count] : row["problems"].items()) {
      std::cout << fmt::format("  {} {}: {}\n", row["kind"].get<std::string>(), problem,
                               count.get<std::int64_t>());
    }
  };
  for (const auto& row : report["kinds"]) {
    line(row);
  }
  line(report["overall"]);
  if (!options->json_path.empty()) {
    std::ofstream(options->json_path) << report.dump(2) << '\n';
  }
  return 0;
}
