// What Gumbo is given in place of a page: style sheets left out (exactly their text, nothing
// else), runs of body text and scripts' text stood in and put back. Each case is also parsed by
// Gumbo both ways, and the two trees must be the same but for the style text.

#include "parsers/gumbo_input.hpp"
#include "parsers/html_document.hpp"
#include "tests/support/gumbo_outline.hpp"

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <vector>

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

TEST_SUITE("parsers/gumbo_input") {
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
    CHECK(gumbo_input(page).html ==
          "<html><head><title>标题</title><style></style></head>"
          "<body><p>\xEE\x80\x80</p><style></style><p>\xEE\x80\x81</p></body></html>");
    const HtmlDocument document(page);
    CHECK(testing::gumbo_outline(document.root()) == testing::gumbo_outline(page));
    CHECK(html::text(document.root()).find("text-indent") == std::string::npos);
    CHECK(html::text(document.root()) == "第一段 第二段");
  }

  TEST_CASE("each run of body text is one character for Gumbo, put back into its text node") {
    const std::string page =
        "<html><head><title>工会新闻</title></head><body>\n"
        "<div class=\"info\">  2024年05月23日 星期四  </div>\n"
        "<p>&nbsp;&nbsp;本报讯（记者 张三）职工书屋&amp;阅读角建设 &#x4e2d;国</p>\n"
        "<table><tr>表格外的文字<td>单元格里的文字</td></tr></table>\n"
        "<p>短句</p><b>加粗<p>跨段落的加粗文字</b>余下</p></body></html>";
    const GumboInput input = gumbo_input(page);
    CHECK(input.runs == std::vector<std::string_view>{
                            "2024年05月23日 星期四", "本报讯（记者 张三）职工书屋", "阅读角建设",
                            "表格外的文字", "单元格里的文字", "跨段落的加粗文字"});
    // The white space around a run stays, as do character references and short runs; the
    // title is no body text.
    CHECK(input.html.find("<div class=\"info\">  \xEE\x80\x80  </div>") != std::string::npos);
    CHECK(input.html.find("<p>&nbsp;&nbsp;\xEE\x80\x81&amp;\xEE\x80\x82 &#x4e2d;国</p>") !=
          std::string::npos);
    CHECK(input.html.find("<title>工会新闻</title>") != std::string::npos);
    CHECK(input.html.find("<p>短句</p><b>加粗<p>") != std::string::npos);
    // Gumbo moves the text before the cell out of the table, and splits the bold across the
    // paragraphs: the runs go back to wherever their stand-ins went.
    const HtmlDocument document(page);
    CHECK(testing::gumbo_outline(document.root()) == testing::gumbo_outline(page));
    CHECK(html::text(document.root()).find("表格外的文字 单元格里的文字") != std::string::npos);
  }

  TEST_CASE("text Gumbo does not copy byte for byte keeps its bytes") {
    const auto runs = [](const std::string& body) {
      const std::string page = "<html><body><p>" + body + "</p></body></html>";
      INFO("body: " << body);
      CHECK(testing::gumbo_outline(HtmlDocument(page).root()) == testing::gumbo_outline(page));
      return gumbo_input(page).runs.size();
    };
    CHECK(runs("工会组织开展职工技能竞赛") == 1);
    CHECK(runs("工会组织开展\r\n职工技能竞赛") == 0);                 // CR reads as LF
    CHECK(runs(std::string("工会组织开展\0职工技能竞赛", 37)) == 0);  // NUL is dropped
    CHECK(runs("工会组织开展\xE5\xB7职工技能竞赛") == 0);             // not UTF-8: U+FFFD
    CHECK(runs("工会组织开展\xEE\x80\x85职工技能竞赛") == 0);         // the stand-ins' range
    CHECK(runs("工会组织开展\xED\xA0\x80职工技能竞赛") == 0);         // a surrogate: U+FFFD
    CHECK(runs("工会组织开展\xE0\x80\xAF职工技能竞赛") == 0);         // an overlong '/': U+FFFD
    CHECK(runs("工会组织开展\xE4\xB8职工技能竞赛") == 0);             // a character cut short
    // Controls but tab, line feed and form feed, and the noncharacters: Gumbo gives U+FFFD.
    CHECK(runs("工会组织开展\x06职工技能竞赛") == 0);
    CHECK(runs("工会组织开展\x7F职工技能竞赛") == 0);
    CHECK(runs("工会组织开展\xC2\x85职工技能竞赛") == 0);
    CHECK(runs("工会组织开展\xEF\xB7\x90职工技能竞赛") == 0);
    CHECK(runs("工会组织开展\xEF\xBF\xBE职工技能竞赛") == 0);
    CHECK(runs("工会组织开展\xF0\x9F\xBF\xBF职工技能竞赛") == 0);
    CHECK(runs("工会组织开展\t\f职工技能竞赛，（全文）") == 1);
    // A script's text is one run, held to the same rules; a "<!--" in it stops the scan.
    CHECK(runs("<script>var a = '工会组织开展职工技能竞赛';</script>") == 1);
    CHECK(runs("<script>\n  var a = 1 < 2 && '</p>';\n</script>工会组织开展职工技能竞赛") == 2);
    CHECK(runs("<script>var a = '工会组织开展\r\n职工技能竞赛';</script>") == 0);
    CHECK(runs("<script>var a = '工会\x06';</script>") == 0);
    CHECK(runs("<script>f();</script>") == 0);  // short
    CHECK(runs("<script>var a = '<!--';</script>工会组织开展职工技能竞赛") == 0);
    CHECK(runs("<textarea>工会组织开展职工技能竞赛</textarea>") == 0);      // RCDATA
    CHECK(runs("<select><option>工会组织开展职工技能竞赛</select>") == 0);  // the scan stops
    CHECK(runs("<svg><text>工会组织开展职工技能竞赛</text></svg>") == 0);   // foreign content
  }

  TEST_CASE(
      "a page with a character of the stand-ins' range, written or referenced, keeps its text") {
    // Gumbo writes what a numeric reference stands for into the tree, where a character of
    // U+E000-U+EFFF would pass for a stand-in: an icon font's glyph would become a run.
    for (const std::string reference :
         {"&#xE000;", "&#xe000", "&#57344;", "&#X0000E001", "&#0057345", "&#xEFFF;",
          // Past U+10FFFF: Gumbo's sum wraps around at 32 bits, to U+E000 for this one.
          "&#x10000000E000;", "&#x110000;"}) {
      const std::string page = "<html><head><title>职工新闻" + reference +
                               "</title></head><body><p>工会组织开展职工技能竞赛</p>"
                               "<p><i class=\"iconfont\">" +
                               reference + "</i></p></body></html>";
      INFO("page: " << page);
      CHECK(gumbo_input(page).runs.empty());
      CHECK(testing::gumbo_outline(HtmlDocument(page).root()) == testing::gumbo_outline(page));
    }
    CHECK(gumbo_input("<body><p>工会组织开展职工技能竞赛</p>\xEE\x98\x80").runs.empty());
    // References outside the range leave the runs stood in.
    for (const std::string reference : {"&#xDFFF;", "&#xF000;", "&#61440;", "&#x1E000;",
                                        "&#x00010FFFF;", "&#;", "&#x;", "&amp;"}) {
      const std::string page = "<body><p>工会组织开展职工技能竞赛</p><i>" + reference + "</i>";
      INFO("page: " << page);
      CHECK(gumbo_input(page).runs.size() == 1);
      CHECK(testing::gumbo_outline(HtmlDocument(page).root()) == testing::gumbo_outline(page));
    }
  }

  TEST_CASE("a page of more runs than stand-ins keeps the rest as they are") {
    std::string page = "<html><body>";
    for (int i = 0; i < 5000; ++i) {
      page += "<p>第" + std::to_string(i) + "段职工新闻</p>";
    }
    page += "</body></html>";
    CHECK(gumbo_input(page).runs.size() == 4096);
    const HtmlDocument document(page);
    CHECK(testing::gumbo_outline(document.root()) == testing::gumbo_outline(page));
  }

  TEST_CASE("random pages of tricky pieces: the document's tree is the page's") {
    static constexpr auto k_pieces = std::to_array<std::string_view>(
        {"<body>", "<body>", "</body>", "<html>", "</html>", "<head>", "</head>",
         "工会组织开展职工", "技能竞赛", " ", "\n", "\t", "\f", "\r\n", " 文字 ", "ab cd ef",
         // Text again, so that most pages get far enough for runs before a piece stops the scan.
         "工会组织开展职工", "技能竞赛", "工会组织开展职工", "技能竞赛", "工会组织开展职工",
         " 文字 ", "ab cd ef", "本报讯（记者 张三）", "2024年05月23日", "<p>", "</p>", "&nbsp;",
         "&amp", "&notit;", "&#", "&#x4e2d", "&#20013;", "&", ";", "#", "x1", "<p>", "</p>", "<b>",
         "</b>", "<i>", "<a href=x>", "</a>", "<br>", "<li>", "<pre>", "<listing>", "<table>",
         "</table>", "<tr>", "<td>", "</td>", "<caption>", "<colgroup>", "<col>", "<frameset>",
         "<noframes>", "</noframes>", "<select>", "<template>", "<svg>", "<math>", "<plaintext>",
         "<script>", "</script>", "<script>var n = 1;", " if (a < b && c) {}", "</scr", "ipt>",
         "<style>", "</style>", "<title>", "</title>", "<textarea>", "</textarea>", "<noscript>",
         "</noscript>", "<!--", "-->", "<", ">", "</", "<?", "\"", "'", "<p title=\"",
         std::string_view("\0", 1), "\xFF", "\xE5\xB7", "\xEE\x80\x80", "\x06", "\x7F", "\xC2\x85",
         "\xEF\xB7\x90", "\xEF\xBF\xBF", "&#xE000;", "&#57345", "<i>&#xe600;</i>", "\xEF\xBC\x8C"});
    std::mt19937 random(20261206);
    std::uniform_int_distribution<std::size_t> piece(0, k_pieces.size() - 1);
    std::uniform_int_distribution<int> length(1, 40);
    int stood_in = 0;
    for (int page_number = 0; page_number < 20000; ++page_number) {
      // Half the pages have a body from the start: runs are stood in only after <body>.
      std::string page = page_number % 2 == 0 ? "<body>" : "";
      for (int i = length(random); i > 0; --i) {
        page += k_pieces[piece(random)];
      }
      stood_in += gumbo_input(page).runs.empty() ? 0 : 1;
      if (testing::gumbo_outline(HtmlDocument(page).root()) != testing::gumbo_outline(page)) {
        FAIL_CHECK("the trees differ for: " << page);
      }
    }
    // The pages are random, but enough of them have runs to stand in.
    CHECK(stood_in > 1200);
  }
}

}  // namespace archiver
