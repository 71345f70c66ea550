// The search benchmark: builds an archive of synthetic Chinese union-news articles through the
// real writer (so the index is the one archiver keeps), then times searches of 1, 2 and 6
// characters and traditional-character queries the way `archiver search --limit 20` runs them.
//   archiver-bench-search --db FILE [--articles N] [--queries Q] [--seed S]
// An existing FILE with at least N articles is reused. Prints one line per query class:
//   class queries p50_ms p95_ms mean_results

#include "search/fold.hpp"
#include "search/query.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"
#include "store/search_index.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace archiver {
namespace {

// Words of union news, common first: the generator draws them with Zipf-like weights, so
// common characters (工, 会, 职) occur in most articles, as they do in real archives.
constexpr std::array<std::string_view, 96> k_words = {
    "工会",   "职工",     "的",       "开展",       "活动",       "工作",     "全市",
    "组织",   "服务",     "推进",     "企业",       "劳动",       "会议",     "建设",
    "要求",   "发展",     "劳模",     "精神",       "基层",       "提升",     "代表",
    "权益",   "保障",     "技能",     "培训",       "竞赛",       "困难",     "帮扶",
    "送温暖", "普惠",     "农民工",   "维权",       "法律",       "援助",     "安全",
    "生产",   "女职工",   "关爱",     "心理",       "健康",       "讲座",     "书屋",
    "文体",   "比赛",     "志愿",     "户外",       "劳动者",     "驿站",     "快递员",
    "外卖",   "骑手",     "环卫",     "工人",       "新就业形态", "入会",     "集体协商",
    "工资",   "民主管理", "厂务公开", "职代会",     "产业工人",   "队伍",     "建设改革",
    "工匠",   "创新",     "工作室",   "全国总工会", "省总工会",   "市总工会", "县级工会",
    "加强年", "专项",     "工作",     "调研",       "座谈会",     "召开",     "强调",
    "落实",   "部署",     "学习",     "贯彻",       "党的二十大", "精神",     "主席",
    "副主席", "表示",     "指出",     "今年以来",   "截至",       "目前",     "累计",
    "万元",   "余名",     "人次",     "家",         "个"};

// Traditional forms of some words, for the articles written in traditional characters.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> k_traditional = {{
    {"工会", "工會"},
    {"职工", "職工"},
    {"劳模", "勞模"},
    {"全国总工会", "全國總工會"},
    {"劳动者", "勞動者"},
    {"权益", "權益"},
    {"维权", "維權"},
    {"会议", "會議"},
    {"农民工", "農民工"},
    {"关爱", "關愛"},
}};

constexpr std::array<std::string_view, 4> k_punctuation = {"，", "，", "。", "、"};

// Half the words come from the union vocabulary above; the other half are words of one to
// three characters drawn from 3,000 others with Zipf-like weights, so the text has the spread
// of characters real news has (a few hundred cover most of it, thousands appear) rather than a
// hundred characters over and over.
constexpr char32_t k_filler_first = 0x4E00;
constexpr std::size_t k_filler_characters = 3000;

class TextGenerator {
 public:
  explicit TextGenerator(std::uint32_t seed) : m_random(seed) {
    std::vector<double> weights;
    for (std::size_t rank = 0; rank < k_words.size(); ++rank) {
      weights.push_back(1.0 / static_cast<double>(rank + 3));
    }
    m_word = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    std::vector<double> filler;
    for (std::size_t rank = 0; rank < k_filler_characters; ++rank) {
      filler.push_back(1.0 / static_cast<double>(rank + 10));
    }
    m_filler = std::discrete_distribution<std::size_t>(filler.begin(), filler.end());
  }

  std::string sentence(bool traditional) {
    std::string out;
    const int words = std::uniform_int_distribution<int>(6, 14)(m_random);
    for (int i = 0; i < words; ++i) {
      out += word(traditional);
      if (i + 1 < words && m_random() % 5 == 0) {
        out += k_punctuation[m_random() % k_punctuation.size()];
      }
    }
    return out + "。";
  }

  Article article(bool traditional, int day) {
    Article article;
    article.title = sentence(traditional);
    article.title.resize(article.title.size() - 3);  // no full stop in a title
    article.published = fmt::format("2024-{:02}-{:02}", 1 + day / 28 % 12, 1 + day % 28);
    const int paragraphs = std::uniform_int_distribution<int>(2, 4)(m_random);
    for (int i = 0; i < paragraphs; ++i) {
      article.body.push_back(sentence(traditional) + sentence(traditional));
    }
    return article;
  }

  std::mt19937& random() { return m_random; }

 private:
  std::string word(bool traditional) {
    if (m_random() % 2 == 0) {
      std::string filler;
      const int length = 1 + static_cast<int>(m_random() % 3);
      for (int i = 0; i < length; ++i) {
        // Ranks spread over the block (7 is coprime with 3,000), not its first characters.
        const auto rank = m_filler(m_random);
        utf8::append(filler,
                     k_filler_first + static_cast<char32_t>(rank * 7 % k_filler_characters));
      }
      return filler;
    }
    const std::string_view chosen = k_words[m_word(m_random)];
    if (traditional) {
      for (const auto& [simplified, form] : k_traditional) {
        if (simplified == chosen) {
          return std::string(form);
        }
      }
    }
    return std::string(chosen);
  }

  std::mt19937 m_random;
  std::discrete_distribution<std::size_t> m_word;
  std::discrete_distribution<std::size_t> m_filler;
};

std::int64_t article_count(const std::filesystem::path& db) {
  if (!std::filesystem::exists(db)) {
    return 0;
  }
  ArchiveReader reader(db);
  return reader.article_count();
}

// Through ArchiveWriter::record_page, as a crawl stores articles, 5,000 to a transaction.
void build_archive(const std::filesystem::path& db, std::int64_t articles, std::uint32_t seed) {
  ArchiveWriter writer(db);
  TextGenerator text(seed);
  const auto started = std::chrono::steady_clock::now();
  std::int64_t have = article_count(db);
  while (have < articles) {
    auto batch = writer.begin_batch();
    for (int i = 0; i < 5000 && have < articles; ++i, ++have) {
      FetchRecord fetch;
      fetch.url = fmt::format("http://bench.example/news/{}.html", have);
      fetch.final_url = fetch.url;
      fetch.site = have % 3 == 0 ? "paper" : "cms";
      fetch.fetched_at = "2026-01-01T00:00:00Z";
      fetch.http_status = 200;
      fetch.content_type = "text/html; charset=utf-8";
      ParsedPage page;
      page.articles.push_back(text.article(have % 20 == 0, static_cast<int>(have % 336)));
      writer.record_page(fetch, fetch.url, page, "cms");
    }
    batch.commit();
    if (have % 100'000 == 0) {
      const auto seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cerr << fmt::format("bench-search: {} articles stored ({:.0f} s)\n", have, seconds);
    }
  }
}

// Six consecutive ideographs from the body of a random archived article: a phrase someone
// copied from an article they remember.
std::string six_characters(ArchiveReader& reader, std::mt19937& random, std::int64_t articles) {
  for (;;) {
    // Each article has one version, stored in order: article ids are the version ids.
    const auto stored = reader.article(
        std::to_string(std::uniform_int_distribution<std::int64_t>(1, articles)(random)));
    if (!stored) {
      continue;
    }
    const std::u32string text = utf8::to_u32(stored->article.body_text());
    const std::size_t start =
        std::uniform_int_distribution<std::size_t>(0, text.size() / 2)(random);
    for (std::size_t at = start; at + 6 <= text.size(); ++at) {
      const auto piece = text.substr(at, 6);
      if (std::ranges::all_of(piece, [](char32_t cp) { return utf8::is_cjk(cp); })) {
        return utf8::to_utf8(piece);
      }
    }
  }
}

struct QueryClass {
  std::string name;
  std::vector<std::string> queries;
};

std::vector<QueryClass> query_classes(ArchiveReader& reader, std::int64_t articles,
                                      std::size_t per_class, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<std::string> one;
  std::vector<std::string> two;
  for (const auto word : k_words) {
    const std::u32string chars = utf8::to_u32(word);
    one.push_back(utf8::to_utf8(chars.substr(0, 1)));
    if (chars.size() >= 2) {
      two.push_back(utf8::to_utf8(chars.substr(0, 2)));
    }
  }
  std::vector<std::string> traditional;
  for (const auto& [simplified, form] : k_traditional) {
    traditional.emplace_back(form);
  }
  std::vector<QueryClass> classes{{"1-char", {}}, {"2-char", {}}, {"6-char", {}}, {"简/繁", {}}};
  for (std::size_t i = 0; i < per_class; ++i) {
    classes[0].queries.push_back(one[i % one.size()]);
    classes[1].queries.push_back(two[i % two.size()]);
    classes[2].queries.push_back(six_characters(reader, random, articles));
    classes[3].queries.push_back(traditional[i % traditional.size()]);
  }
  return classes;
}

double percentile(std::vector<double> values, double p) {
  std::ranges::sort(values);
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[index];
}

}  // namespace
}  // namespace archiver

int main(int argc, char** argv) {
  using namespace archiver;
  std::filesystem::path db;
  std::int64_t articles = 1'000'000;
  std::size_t queries = 40;
  std::uint32_t seed = 2026;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--db") {
      db = argv[i + 1];
    } else if (flag == "--articles") {
      articles = std::stoll(argv[i + 1]);
    } else if (flag == "--queries") {
      queries = std::stoul(argv[i + 1]);
    } else if (flag == "--seed") {
      seed = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
    }
  }
  if (db.empty()) {
    std::cerr << "usage: archiver-bench-search --db FILE [--articles N] [--queries Q]\n";
    return 2;
  }
  build_archive(db, articles, seed);
  search::load_folding();  // once per process, as in the CLI: not part of a query's time

  ArchiveReader reader(db);
  std::cout << fmt::format("articles {}\n", article_count(db));
  for (const auto& query_class : query_classes(reader, article_count(db), queries, seed)) {
    std::vector<double> milliseconds;
    std::int64_t results = 0;
    for (const auto& text : query_class.queries) {
      const auto started = std::chrono::steady_clock::now();
      const auto found = reader.search(
          {.terms = search::query_terms(text), .filters = {.limit = 20}, .window = 2000});
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count());
      results += static_cast<std::int64_t>(found.hits.size());
    }
    std::cout << fmt::format(
        "{} {} {:.2f} {:.2f} {:.1f}\n", query_class.name, milliseconds.size(),
        percentile(milliseconds, 0.5), percentile(milliseconds, 0.95),
        static_cast<double>(results) / static_cast<double>(milliseconds.size()));
  }
  return 0;
}
