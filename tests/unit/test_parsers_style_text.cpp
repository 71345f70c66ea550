// Style sheets left out before Gumbo parses a page: exactly their text, nothing else. Each case
// is also parsed by Gumbo both ways, and the two trees must be the same but for that text.

#include "parsers/html_document.hpp"
#include "parsers/style_text.hpp"
#include "tests/support/gumbo_outline.hpp"

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>
#include <string_view>

namespace archiver {
namespace {

// What the scan makes of html, after checking that Gumbo builds the same tree from both.
std::string stripped(const std::string& html) {
  std::string out = without_style_text(html);
  INFO("page: " << html);
  CHECK(testing::gumbo_outline(out) == testing::gumbo_outline(html));
  return out;
}

}  // namespace

TEST_SUITE("parsers/style_text") {
  TEST_CASE("a style sheet's text goes, its tags and everything around them stay") {
    CHECK(stripped("<html><head><style>body{margin:0}\n.a>b{color:red}</style></head>"
                   "<body><p>正文</p></body></html>") ==
          "<html><head><style></style></head><body><p>正文</p></body></html>");
    // Any letter case, attributes with a '>' in a quoted value, white space and attributes in
    // the end tag, a '/' after it.
    CHECK(stripped("<STYLE type=\"text/css\" media='a>b'>p{}</STYLE ><p>x") ==
          "<STYLE type=\"text/css\" media='a>b'></STYLE ><p>x");
    CHECK(stripped("<style>p{}</style\nfoo=\"<b>\"><p>x") == "<style></style\nfoo=\"<b>\"><p>x");
    CHECK(stripped("<style>p{}</style/><p>x") == "<style></style/><p>x");
    // Every sheet on the page, in the body and in a table too.
    CHECK(stripped("<style>a{}</style><body><style>b{}</style><table><style>c{}</style>"
                   "<tr><td>1</td></tr></table>") ==
          "<style></style><body><style></style><table><style></style><tr><td>1</td></tr>"
          "</table>");
    // <noscript>'s content is markup to Gumbo (it parses with scripting off).
    CHECK(stripped("<noscript><style>a{}</style></noscript><p>x") ==
          "<noscript><style></style></noscript><p>x");
  }

  TEST_CASE("only the tag's own end tag ends the sheet") {
    CHECK(stripped("<style>p::after{content:\"</styles>\"} q{}</style><p>x") ==
          "<style></style><p>x");
    CHECK(stripped("<style>p::after{content:\"</style-x>\"}</style><p>x") == "<style></style><p>x");
    CHECK(stripped("<style>/* <p>not a paragraph</p> <!-- --> */</style><p>x") ==
          "<style></style><p>x");
  }

  TEST_CASE("<style> written where the tokenizer reads text is text, and stays") {
    for (const std::string page : {
             "<!-- <style>a{}</style> --><p>x",
             "<!--!><style>a{}</style>--><p>x",  // not a closed comment: it runs to the "-->"
             "<!---!><style>a{}</style>--><p>x",
             "<a title=\"<style>a{}</style>\">x</a>",
             "<a title='<style>'>x</a><p>a{}</style>",
             "<title><style>a{}</style></title><p>x",
             "<textarea><style>a{}</style></textarea>",
             "<xmp><style>a{}</style></xmp>",
             "<iframe><style>a{}</style></iframe>",
             "<script>var s = \"<style>a{}</style>\";</script><p>x",
             "<?xml version=\"1.0\" <style>a{}</style>?><p>x",
             "</ <style>a{}</style>><p>x",
         }) {
      // The sheet-looking text inside these is not a sheet; nothing after it is one either.
      const std::string out = stripped(page);
      CHECK(out == page);
    }
  }

  TEST_CASE("comments, doctypes and bogus comments end where the tokenizer ends them") {
    CHECK(stripped("<!--><style>a{}</style>") == "<!--><style></style>");
    CHECK(stripped("<!---><style>a{}</style>") == "<!---><style></style>");
    CHECK(stripped("<!-- x --!><style>a{}</style>") == "<!-- x --!><style></style>");
    CHECK(stripped("<!DOCTYPE html PUBLIC \"a>b\"><style>a{}</style>") ==
          "<!DOCTYPE html PUBLIC \"a>b\"><style></style>");
    CHECK(stripped("<?xml version=\"1.0\"?><style>a{}</style>") ==
          "<?xml version=\"1.0\"?><style></style>");
    CHECK(stripped("<p>1 < 2 <style>a{}</style>") == "<p>1 < 2 <style></style>");
    CHECK(stripped("<script>if (a < b) {}</script><style>a{}</style>") ==
          "<script>if (a < b) {}</script><style></style>");
  }

  TEST_CASE("where the scan cannot be sure, it leaves the rest of the page alone") {
    for (const std::string page : {
             // Gumbo ignores <style> inside a <select> and in framesets: its text is markup.
             "<select><style><option>a</option></style></select><style>b{}</style>",
             "<frameset><style><frame src=a></style></frameset>",
             // So does it after a <col> in a <template> (no colgroup is open there).
             "<template><col><style> </style>",
             "<template><col><style></template><p>x</p></style>",
             // In SVG and MathML a <style> is an element like any other.
             "<svg><style>a{}</style></svg><style>b{}</style>",
             "<math><style>a{}</style></math>",
             "<plaintext><style>a{}</style>",
             // "<!--" in a script can hide its end tag.
             "<script><!-- document.write('<script></script>') --></script><style>a{}</style>",
             // A self-closing raw-text tag, and a sheet that never ends.
             "<style/>a{}</style><style>b{}</style>",
             "<style media=a/>a{}</style>",
             "<style>a{}",
             "<title>x<style>a{}</style>",
             "<!-- <style>a{}</style>",
         }) {
      const std::string out = stripped(page);
      CHECK(out == page);
    }
  }

  TEST_CASE("random pages of tricky pieces: Gumbo's tree changes only in style text") {
    static constexpr auto k_pieces = std::to_array<std::string_view>({"<style>",
                                                                      "</style>",
                                                                      "<STYLE a='>'>",
                                                                      "</style ",
                                                                      "</style/>",
                                                                      "<style/>",
                                                                      "a{}",
                                                                      "<!--",
                                                                      "-->",
                                                                      "--!>",
                                                                      "<!-->",
                                                                      "<!",
                                                                      ">",
                                                                      "<?",
                                                                      "</",
                                                                      "<",
                                                                      "\"",
                                                                      "'",
                                                                      "=",
                                                                      "<p title=\"",
                                                                      "<p title='",
                                                                      "<p title=",
                                                                      "<script>",
                                                                      "</script>",
                                                                      "<title>",
                                                                      "</title>",
                                                                      "<textarea>",
                                                                      "</textarea>",
                                                                      "<select>",
                                                                      "</select>",
                                                                      "<svg>",
                                                                      "</svg>",
                                                                      "<xmp>",
                                                                      "</xmp>",
                                                                      "<noscript>",
                                                                      "</noscript>",
                                                                      "<table>",
                                                                      "<td>",
                                                                      "文字",
                                                                      "\r\n",
                                                                      "<template>",
                                                                      "</template>",
                                                                      "<col>",
                                                                      "<colgroup>",
                                                                      "<frameset>",
                                                                      "<math>",
                                                                      "<plaintext>",
                                                                      "<iframe>",
                                                                      "</iframe>",
                                                                      "<noembed>",
                                                                      "<noframes>",
                                                                      "</body>",
                                                                      "</html>",
                                                                      "&amp;",
                                                                      "\f",
                                                                      std::string_view("\0", 1),
                                                                      "\xFF",
                                                                      "\xE5\xB7"});
    std::mt19937 random(20261204);
    std::uniform_int_distribution<std::size_t> piece(0, k_pieces.size() - 1);
    std::uniform_int_distribution<int> length(1, 24);
    int changed = 0;
    for (int page_number = 0; page_number < 6000; ++page_number) {
      std::string page;
      for (int i = length(random); i > 0; --i) {
        page += k_pieces[piece(random)];
      }
      const std::string out = without_style_text(page);
      changed += out != page ? 1 : 0;
      if (testing::gumbo_outline(out) != testing::gumbo_outline(page)) {
        FAIL_CHECK("the trees differ for: " << page);
      }
    }
    // The pages are random, but enough of them hold a sheet to take out.
    CHECK(changed > 150);
  }

  TEST_CASE("a page of many comments is scanned once") {
    // Each comment's end is looked for from where it starts: looking for "--!>" to the end of
    // the page for every comment made the scan of a page like this one quadratic.
    std::string page = "<html><head><style>a{}</style></head><body>";
    for (int i = 0; i < 200'000; ++i) {
      page += "<!----><p>";
    }
    page += "<style>b{}</style></body></html>";
    const std::string out = without_style_text(page);
    CHECK(out.size() == page.size() - 6);
    CHECK(out.starts_with("<html><head><style></style></head><body><!----><p>"));
    CHECK(out.ends_with("<p><style></style></body></html>"));
  }

  TEST_CASE("the document parsed is the page without its sheet, and reads the same") {
    const std::string page =
        "<html><head><title>标题</title><style>p{text-indent:2em}</style></head>"
        "<body><p>第一段</p><style>.x{}</style><p>第二段</p></body></html>";
    const HtmlDocument document(page);
    CHECK(document.source() ==
          "<html><head><title>标题</title><style></style></head>"
          "<body><p>第一段</p><style></style><p>第二段</p></body></html>");
    CHECK(html::text(document.root()).find("text-indent") == std::string::npos);
    CHECK(html::text(document.root()).find("第二段") != std::string::npos);
  }
}

}  // namespace archiver
