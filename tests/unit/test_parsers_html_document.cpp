// The parsed document owns its tree: a page's tree comes from an arena the document drops in one
// step, a big page's (over 128 KiB) from malloc, freed node by node; both must read the same.

#include "parsers/gumbo_input.hpp"
#include "parsers/html_document.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace archiver {
namespace {

// An e-paper article page, padded with comments to `size` bytes: the padding adds no text.
std::string article_page(std::size_t size) {
  std::string html =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>职工日报</title></head><body>"
      "<div class=\"nav\"><a href=\"node_1.htm\">第01版：要闻</a></div>"
      "<div id=\"ozoom\"><h3>引题</h3><h1>全省职工技能大赛落幕</h1>"
      "<p>本报讯（记者 张三）10月9日，大赛在合肥落幕。</p><p>共有<b>1200</b>名职工参赛。</p>"
      "<table><tr><td>一等奖<td>李四</table></div>";
  const std::string filler = "<!-- counter: 0000000000 -->\n";
  while (html.size() + filler.size() < size) {
    html += filler;
  }
  html += "</body></html>";
  return html;
}

std::vector<std::string> lines_of(const HtmlDocument& document) {
  return html::lines(document.root());
}

}  // namespace

TEST_SUITE("parsers/html-document") {
  TEST_CASE("a page's tree reads the same from the arena and, past 128 KiB, from malloc") {
    const std::vector<std::string> expected{"第01版：要闻",
                                            "引题",
                                            "全省职工技能大赛落幕",
                                            "本报讯（记者 张三）10月9日，大赛在合肥落幕。",
                                            "共有1200名职工参赛。",
                                            "一等奖",
                                            "李四"};
    const HtmlDocument small(article_page(8 * 1024));
    CHECK(lines_of(small) == expected);
    const HtmlDocument just_in(article_page(128 * 1024));
    CHECK(lines_of(just_in) == expected);
    // What Gumbo parses of it (the runs of text stood in) is still past the bound.
    REQUIRE(gumbo_input(article_page(1536 * 1024)).html.size() > 1024 * 1024);
    const HtmlDocument big(article_page(1536 * 1024));
    CHECK(lines_of(big) == expected);
    CHECK(html::comments(big.root()).size() > 30'000);
  }

  TEST_CASE("a document stays where it was made") {
    // Gumbo's nodes point into the page's buffer; a short page's buffer is inside the string
    // object, which a move would leave behind (a custom element's name is read from there).
    static_assert(!std::is_move_constructible_v<HtmlDocument>);
    static_assert(!std::is_copy_constructible_v<HtmlDocument>);
    const HtmlDocument tiny(std::string("<x-a></x-a>"));
    const auto custom = html::find_all(
        tiny.root(), [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_UNKNOWN; });
    REQUIRE(custom.size() == 1);
    CHECK(html::tag_name(custom.front()) == "x-a");
  }

  TEST_CASE("class and id words and the parts of compound words, in any case") {
    const HtmlDocument page(std::string(
        "<div class=\"Main-NAV box\">a</div><div id=\"footer\" class=\"wrap\">b</div>"
        "<div class=\"blq_int-nav  top\" id=\"Nav\">c</div><div class=\"navigation\">d</div>"
        "<div>e</div><p class=\"\" id=\"\">f</p>"));
    const auto divs = html::find_all(page.root(), [](const GumboNode* node) {
      return html::tag(node) == GUMBO_TAG_DIV || html::tag(node) == GUMBO_TAG_P;
    });
    REQUIRE(divs.size() == 6);
    constexpr std::array<std::string_view, 3> wanted{"nav", "footer", "foot"};
    using html::ClassIdMatch;
    CHECK(html::match_class_or_id(divs[0], wanted) == ClassIdMatch::part);  // "Main-NAV"
    CHECK(html::match_class_or_id(divs[1], wanted) == ClassIdMatch::word);  // id="footer"
    // A part of the class, then the whole id: the whole word decides.
    CHECK(html::match_class_or_id(divs[2], wanted) == ClassIdMatch::word);
    CHECK(html::match_class_or_id(divs[3], wanted) == ClassIdMatch::none);  // no part is "nav"
    CHECK(html::match_class_or_id(divs[4], wanted) == ClassIdMatch::none);
    CHECK(html::match_class_or_id(divs[5], wanted) == ClassIdMatch::none);
    CHECK(html::has_class_or_id_token(divs[0], wanted));
    CHECK(html::has_class_or_id_token(divs[2], wanted));
    CHECK_FALSE(html::has_class_or_id_token(divs[3], wanted));
    CHECK_FALSE(html::has_class_or_id_token(divs[5], wanted));
    // A word of the same length as a wanted one is still compared letter by letter.
    constexpr std::array<std::string_view, 1> box{"bot"};
    CHECK(html::match_class_or_id(divs[0], box) == ClassIdMatch::none);
  }

  TEST_CASE("several lists asked at once: the first that holds a class or id token") {
    const HtmlDocument page(std::string(
        "<h2 class=\"news-title\">a</h2><h2 class=\"title YT-head\">b</h2>"
        "<div id=\"yt\" class=\"title\">c</div><div class=\"content\">d</div><h2>e</h2>"));
    const auto elements = html::find_all(
        page.root(), [](const GumboNode* node) { return html::tag(node) != GUMBO_TAG_UNKNOWN; });
    const auto headings = html::find_all(
        page.root(), [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_H2; });
    const auto divs = html::find_all(
        page.root(), [](const GumboNode* node) { return html::tag(node) == GUMBO_TAG_DIV; });
    REQUIRE(headings.size() == 3);
    REQUIRE(divs.size() == 2);
    constexpr std::array<std::string_view, 2> lesser{"subtitle", "yt"};
    constexpr std::array<std::string_view, 1> title{"title"};
    const std::array<std::span<const std::string_view>, 2> lists{lesser, title};
    CHECK(html::first_list_with_class_or_id_token(headings[0], lists) == 1);  // a part: "title"
    // The second list's token comes first in the class, the first list's later (a part of a
    // compound word, in capitals): the first list wins.
    CHECK(html::first_list_with_class_or_id_token(headings[1], lists) == 0);
    CHECK(html::first_list_with_class_or_id_token(divs[0], lists) == 0);  // by its id
    CHECK(html::first_list_with_class_or_id_token(divs[1], lists) == -1);
    CHECK(html::first_list_with_class_or_id_token(headings[2], lists) == -1);  // no attributes
    // As has_class_or_id_token answers list by list.
    for (const GumboNode* node : elements) {
      int expected = -1;
      if (html::has_class_or_id_token(node, lesser)) {
        expected = 0;
      } else if (html::has_class_or_id_token(node, title)) {
        expected = 1;
      }
      CHECK(html::first_list_with_class_or_id_token(node, lists) == expected);
    }
  }
}

}  // namespace archiver
