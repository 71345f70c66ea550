// The depth scan that keeps pathologically nested pages away from Gumbo's quadratic tree
// building.

#include "parsers/html_document.hpp"
#include "parsers/nesting.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

namespace archiver {
namespace {

std::string nested(int levels, std::string_view open, std::string_view close) {
  std::string html;
  for (int i = 0; i < levels; ++i) {
    html += open;
  }
  html += "文字";
  for (int i = 0; i < levels; ++i) {
    html += close;
  }
  return html;
}

}  // namespace

TEST_SUITE("parsers/nesting") {
  TEST_CASE("elements that need end tags count, void, optional-end and raw text do not") {
    CHECK(nesting_depth("<html><body><div><div><span>x</span></div></div></body></html>", 100) ==
          3);
    // Unclosed p, li and td close themselves: no depth.
    CHECK(nesting_depth(nested(500, "<p>", ""), 100) == 0);
    CHECK(nesting_depth("<ul>" + nested(300, "<li>", "") + "</ul>", 100) == 1);
    CHECK(nesting_depth("<div><br><img src=x><hr/><input></div>", 100) == 1);
    // Markup inside script, style and comments is text.
    CHECK(nesting_depth("<script>" + nested(300, "<div>", "") + "</SCRIPT><div></div>", 100) == 1);
    CHECK(nesting_depth("<!--" + nested(300, "<div>", "") + "--><b>x</b>", 100) == 1);
    // Only the element's own end tag ends its text, as in the tokenizer: "</scripts" does not.
    CHECK(nesting_depth("<script>x</scripts>" + nested(300, "<div>", "") + "</script><div></div>",
                        100) == 1);
    CHECK(nesting_depth("<DIV><Div>x</div></DIV>", 100) == 2);
    // A raw-text element's end tag takes nothing off: <div><script></script> nests.
    CHECK(nesting_depth(nested(300, "<div><script>x</script>", ""), 100) == 101);
    // "/>" does not close an HTML element, but does inside SVG.
    CHECK(nesting_depth(nested(300, "<div/>", ""), 100) == 101);
    std::string icons = "<svg>";
    for (int i = 0; i < 500; ++i) {
      icons += "<path d='M0 0'/>";
    }
    CHECK(nesting_depth("<div>" + icons + "</svg></div>", 100) == 2);
  }

  TEST_CASE("the scan stops just past the limit, and the document refuses such a page") {
    CHECK(nesting_depth(nested(200'000, "<div>", "</div>"), k_max_nesting) == k_max_nesting + 1);
    CHECK_THROWS_WITH_AS(HtmlDocument(nested(200'000, "<div>", "</div>")),
                         doctest::Contains("nested more than 10000 levels"), std::runtime_error);
    // A deep but sane page parses.
    const HtmlDocument sane(nested(1000, "<div>", "</div>"));
    CHECK(sane.root() != nullptr);
  }

  TEST_CASE("nests_deeper_than skips the scan only where no page could be that deep") {
    // Near the shortest page deeper than 100: 101 start tags of three bytes, and its text.
    const std::string tightest = nested(101, "<b>", "");
    CHECK(tightest.size() == 101 * 3 + std::string("文字").size());
    CHECK(nests_deeper_than(tightest, 100));
    CHECK(nests_deeper_than(nested(101, "<b>", "</b>"), 100));
    CHECK_FALSE(nests_deeper_than(nested(100, "<b>", "</b>"), 100));
    // Long enough, and '<' enough, but shallow: the scan itself answers.
    CHECK_FALSE(nests_deeper_than(nested(300, "<p>", ""), 100));
    std::string flat;
    for (int i = 0; i < 300; ++i) {
      flat += "<div>职工</div>";
    }
    CHECK_FALSE(nests_deeper_than(flat, 100));
    // Long, but with too few tags to be deep: 100 start tags in a long text.
    CHECK_FALSE(nests_deeper_than(nested(100, "<div>", "") + std::string(5000, 'x'), 100));
    // The same answer as nesting_depth where the scan runs.
    CHECK(nests_deeper_than(nested(300, "<div/>", ""), 100));
    CHECK_FALSE(nests_deeper_than("<div>" + nested(300, "<br>", "") + "</div>", 100));
  }
}

}  // namespace archiver
