#include "util/phrase_set.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace archiver;

namespace {

constexpr std::uint32_t k_footer = 1;
constexpr std::uint32_t k_contact = 2;
constexpr std::uint32_t k_registration = 4;

const PhraseSet& footer_phrases() {
  static const PhraseSet phrases{{"版权所有", k_footer},
                                 {"技术支持", k_footer},
                                 {"电话", k_contact},
                                 {"邮编", k_contact},
                                 {"ICP备", k_registration}};
  return phrases;
}

// The same question asked one phrase at a time, the plain way.
std::uint32_t groups_one_at_a_time(const std::vector<PhraseSet::Phrase>& phrases,
                                   std::string_view text) {
  std::uint32_t groups = 0;
  for (const auto& phrase : phrases) {
    if (text.find(phrase.text) != std::string_view::npos) {
      groups |= phrase.group;
    }
  }
  return groups;
}

}  // namespace

TEST_SUITE("util/phrase-set") {
  TEST_CASE("the groups of the phrases found anywhere in a text") {
    const PhraseSet& phrases = footer_phrases();
    CHECK(phrases.groups_in("版权所有 某某市总工会") == k_footer);
    CHECK(phrases.groups_in("地址：某某路1号 电话：0551-1234567") == k_contact);
    CHECK(phrases.groups_in("技术支持：某某公司 皖ICP备05001234号 邮编230001") ==
          (k_footer | k_contact | k_registration));
    CHECK(phrases.groups_in("职工书屋建设推进会在合肥召开") == 0);
    CHECK(phrases.groups_in("") == 0);
    CHECK(phrases.groups_in("电") == 0);
    // A phrase cut off by the end of the text is not there.
    CHECK(phrases.groups_in("本站版权所") == 0);
    CHECK(phrases.groups_in("本站版权所有") == k_footer);
  }

  TEST_CASE("found_in and starts") {
    const PhraseSet& phrases = footer_phrases();
    CHECK(phrases.found_in("联系电话"));
    CHECK_FALSE(phrases.found_in("联系方式"));
    CHECK(phrases.starts("电话：0551"));
    CHECK_FALSE(phrases.starts("联系电话"));
    CHECK_FALSE(phrases.starts("电"));
    CHECK_FALSE(phrases.starts(""));
  }

  TEST_CASE("a phrase right after a stray byte is found, one inside a character is not") {
    const PhraseSet& phrases = footer_phrases();
    // A lone lead byte says a three-byte character begins; the bytes after it are ASCII all the
    // same, and a search stepping a character at a time would jump over "IC".
    CHECK(phrases.groups_in("皖\xE5ICP备123号") == k_registration);
    CHECK(phrases.groups_in("\x80\x80ICP备") == k_registration);
    const PhraseSet ascii = PhraseSet::any_of({"abc"});
    CHECK(ascii.found_in("\xE4\xB8xabc"));
    CHECK(
        ascii.found_in("\xE4\xB8"
                       "abc"));
  }

  TEST_CASE("the same answers as looking for each phrase in turn, on text made to collide") {
    // Many phrases sharing first characters, so that buckets hold several and texts hold parts.
    std::vector<PhraseSet::Phrase> list;
    const std::vector<std::string> words = {
        "相关阅读", "相关新闻", "相关",  "关键词", "关于",   "发布时间", "发布日期",
        "发稿",     "来源:",    "來源:", "上一页", "上一篇", "下一页",   "ICP备",
        "ICPx",     "abc",      "abd",   "地址",   "地 址",  "電話"};
    for (std::size_t i = 0; i < words.size(); ++i) {
      list.push_back({.text = words[i], .group = std::uint32_t{1} << (i % 7)});
    }
    const PhraseSet phrases{list};
    const std::vector<std::string> pieces = {
        "相", "关", "阅", "读", "发", "布",   "时",   "间",       "来", "源", ":",
        "上", "一", "页", "I",  "C",  "P",    "备",   "a",        "b",  "c",  "d",
        " ",  "地", "址", "電", "話", "\xE5", "\x80", "\xE7\x9B", "。"};
    std::mt19937 random(20261204);
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
    std::uniform_int_distribution<std::size_t> length(0, 40);
    int found = 0;
    for (int round = 0; round < 20000; ++round) {
      std::string text;
      const std::size_t n = length(random);
      for (std::size_t i = 0; i < n; ++i) {
        text += pieces[piece(random)];
      }
      const std::uint32_t expected = groups_one_at_a_time(list, text);
      REQUIRE_MESSAGE(phrases.groups_in(text) == expected, text);
      REQUIRE(phrases.found_in(text) == (expected != 0));
      bool starts = false;
      for (const auto& phrase : list) {
        starts = starts || text.starts_with(phrase.text);
      }
      REQUIRE_MESSAGE(phrases.starts(text) == starts, text);
      found += expected != 0 ? 1 : 0;
    }
    // The texts are not all misses: the comparison means something.
    CHECK(found > 1000);
  }

  TEST_CASE("a phrase it cannot look for is refused, by name") {
    CHECK_THROWS_WITH_AS(PhraseSet::any_of({"电话", "é"}), doctest::Contains("\"é\""),
                         std::invalid_argument);
    CHECK_THROWS_AS(PhraseSet::any_of({"ab"}), std::invalid_argument);
    CHECK_THROWS_AS(PhraseSet::any_of({"\x80\x80\x80"}), std::invalid_argument);
    CHECK_THROWS_AS(PhraseSet({PhraseSet::Phrase{.text = "电话", .group = 0}}),
                    std::invalid_argument);
  }
}
