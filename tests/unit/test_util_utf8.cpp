#include "util/utf8.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace archiver;

TEST_SUITE("util/utf8") {
  TEST_CASE("decode reads one code point and its length") {
    const std::string text = "a中𠀀";
    CHECK(utf8::decode(text, 0).value == U'a');
    CHECK(utf8::decode(text, 0).length == 1);
    CHECK(utf8::decode(text, 1).value == U'中');
    CHECK(utf8::decode(text, 1).length == 3);
    CHECK(utf8::decode(text, 4).value == U'𠀀');
    CHECK(utf8::decode(text, 4).length == 4);
    CHECK(utf8::decode(text, text.size()).length == 0);
  }

  TEST_CASE("decode turns broken bytes into one U+FFFD per byte") {
    const std::string truncated = "\xE4\xB8";  // the first two bytes of 中
    CHECK(utf8::decode(truncated, 0).value == utf8::k_replacement);
    CHECK(utf8::decode(truncated, 0).length == 1);
    const std::string overlong = "\xC0\xAF";
    CHECK(utf8::decode(overlong, 0).value == utf8::k_replacement);
    const std::string surrogate = "\xED\xA0\x80";
    CHECK(utf8::decode(surrogate, 0).value == utf8::k_replacement);
    const std::string gbk = "\xD6\xD0\xCE\xC4";  // 中文 in GBK
    CHECK(utf8::to_u32(gbk) == std::u32string(4, utf8::k_replacement));
  }

  TEST_CASE("decode_before walks backwards") {
    const std::string text = "中a𠀀";
    CHECK(utf8::decode_before(text, text.size()).value == U'𠀀');
    CHECK(utf8::decode_before(text, text.size()).length == 4);
    CHECK(utf8::decode_before(text, 4).value == U'a');
    CHECK(utf8::decode_before(text, 3).value == U'中');
    CHECK(utf8::decode_before(text, 0).length == 0);
    const std::string stray = "a\x80";
    CHECK(utf8::decode_before(stray, 2).value == utf8::k_replacement);
    CHECK(utf8::decode_before(stray, 2).length == 1);
  }

  TEST_CASE("encode round-trips through to_u32 and to_utf8") {
    CHECK(utf8::encode(U'A') == "A");
    CHECK(utf8::encode(U'é') == "é");
    CHECK(utf8::encode(U'报') == "报");
    CHECK(utf8::encode(U'𠀀') == "𠀀");
    CHECK(utf8::encode(0xD800) == "\xEF\xBF\xBD");
    const std::string text = "安徽工人日报 2023年";
    CHECK(utf8::to_utf8(utf8::to_u32(text)) == text);
  }

  TEST_CASE("fold_width maps full-width forms to ASCII") {
    CHECK(utf8::fold_width(U'：') == U':');
    CHECK(utf8::fold_width(U'（') == U'(');
    CHECK(utf8::fold_width(U'／') == U'/');
    CHECK(utf8::fold_width(U'０') == U'0');
    CHECK(utf8::fold_width(U'９') == U'9');
    CHECK(utf8::fold_width(U'\u3000') == U' ');
    CHECK(utf8::fold_width(U'中') == U'中');
    CHECK(utf8::fold_width("２０２３年６月１３日（记者）") == "2023年6月13日(记者)");
  }

  TEST_CASE("is_space knows the spaces Chinese pages use") {
    CHECK(utf8::is_space(U' '));
    CHECK(utf8::is_space(U'\n'));
    CHECK(utf8::is_space(0x3000));
    CHECK(utf8::is_space(0x00A0));
    CHECK(utf8::is_space(0x200B));
    CHECK_FALSE(utf8::is_space(U'中'));
    CHECK_FALSE(utf8::is_space(U'_'));
    CHECK(utf8::is_line_break(U'\n'));
    CHECK_FALSE(utf8::is_line_break(0x3000));
  }

  TEST_CASE("is_cjk and count_cjk") {
    CHECK(utf8::is_cjk(U'中'));
    CHECK(utf8::is_cjk(U'〇'));
    CHECK(utf8::is_cjk(U'镕'));
    CHECK(utf8::is_cjk(U'𠀀'));
    CHECK_FALSE(utf8::is_cjk(U'。'));
    CHECK_FALSE(utf8::is_cjk(U'a'));
    CHECK_FALSE(utf8::is_cjk(U'：'));
    CHECK(utf8::count_cjk("期次:第8100期") == 4);
    CHECK(utf8::count_cjk("") == 0);
    // Extension A (U+3400, U+4DB5), the hexagrams between it and the unified block (U+4DC0,
    // U+4DFF: no ideographs), U+4E00 and U+9FA5, 〇, an extension B ideograph, full-width
    // forms, a broken sequence.
    CHECK(utf8::count_cjk("\u3400\u4DB5") == 2);
    CHECK(utf8::count_cjk("\u4DC0\u4DFF") == 0);
    CHECK(utf8::count_cjk("\u4E00a\u9FA5") == 2);
    CHECK(utf8::count_cjk("第〇版") == 3);
    CHECK(utf8::count_cjk("\U00020000工") == 2);
    CHECK(utf8::count_cjk("ＡＢ１２，。") == 0);
    CHECK(utf8::count_cjk(std::string("\xE5\xB7") + "会") == 1);
    CHECK(utf8::count_code_points("a中𠀀") == 3);
  }

  TEST_CASE("collapse_and_fold is collapse_spaces, then fold_width and the counts of it") {
    const std::vector<std::string> pieces = {
        "工",   "会",     "䷀",          "㐀",     "𠀀",           "〇",
        "Ａ",   "ｚ",     "（",          "）",     "，",           "。",
        "a",    "Z",      "9",           " ",      "\t",           "\n",
        "\r\n", "\u3000", "\u00a0",      "\u200b", "\ufeff",       "\x01",
        "\x7f", "\xE5",   "\xE4\xB8",    "\xB8",   "\xED\xA0\x80", "\xF0\x9F",
        "é",    "\u0301", "\xEF\xBC\x81"};
    std::mt19937 random(20261206);
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(0, 30);
    int folded_differs = 0;
    for (int round = 0; round < 20000; ++round) {
      std::string text;
      for (int i = length(random); i > 0; --i) {
        text += pieces[piece(random)];
      }
      const utf8::CollapsedLine line = utf8::collapse_and_fold(text);
      const std::string collapsed = utf8::collapse_spaces(text);
      REQUIRE_MESSAGE(line.text == collapsed, text);
      REQUIRE_MESSAGE(line.folded == utf8::fold_width(collapsed), text);
      REQUIRE_MESSAGE(line.counts.code_points == utf8::count_code_points(collapsed), text);
      REQUIRE_MESSAGE(line.counts.cjk == utf8::count_cjk(collapsed), text);
      folded_differs += line.folded != line.text ? 1 : 0;
    }
    CHECK(folded_differs > 1000);  // full-width forms were folded, not only copied
    const utf8::CollapsedLine line = utf8::collapse_and_fold("\u3000 职工（２０２４）\xE5  书屋 ");
    CHECK(line.text == "职工（２０２４）\uFFFD 书屋");
    CHECK(line.folded == "职工(2024)\uFFFD 书屋");
    CHECK(line.counts.code_points == 12);
    CHECK(line.counts.cjk == 4);
  }

  TEST_CASE("trim removes ASCII, ideographic and no-break spaces") {
    CHECK(utf8::trim("  \u3000\u00a0作者 张三\u3000 \n") == "作者 张三");
    CHECK(utf8::trim("\u3000\u3000") == "");
    CHECK(utf8::trim("") == "");
    CHECK(utf8::trim_end("\u3000正文\u00a0") == "\u3000正文");
  }

  TEST_CASE("collapse_spaces joins runs into one ASCII space") {
    CHECK(utf8::collapse_spaces(" 常书香\u3000\u3000马丹阳 \u00a0") == "常书香 马丹阳");
    CHECK(utf8::collapse_spaces("王乐文  方 敏") == "王乐文 方 敏");
    CHECK(utf8::collapse_spaces("a\n\tb") == "a b");
    CHECK(utf8::collapse_spaces("   ") == "");
  }

  TEST_CASE("ideographs are stepped over whole, broken sequences around them still replaced") {
    // Common ideographs (U+4000-U+9FFF) are skipped without decoding; what is next to them is
    // read as before: full-width forms, U+3000, and bytes that are no UTF-8.
    CHECK(utf8::fold_width("工会（２０２４）\u3000职工") == "工会(2024) 职工");
    CHECK(utf8::fold_width("工会\xE4\xB8") == "工会\uFFFD\uFFFD");
    CHECK(utf8::fold_width("\xE5\xB7\x41会") == "\uFFFD\uFFFDA会");
    CHECK(utf8::fold_width("\xED\xA0\x80会") == "\uFFFD\uFFFD\uFFFD会");
    CHECK(utf8::collapse_spaces("工会\u3000\u3000职工\xE4\xB8") == "工会 职工\uFFFD\uFFFD");
    CHECK(utf8::collapse_spaces("\xE9\xBF\xBF\u2003\xE4\x80\x80") == "\u9FFF \u4000");
    CHECK(utf8::count_code_points("工会\xE4\xB8") == 4);
    CHECK(utf8::count_code_points("\xE5\xB7\x41会（") == 5);
  }
}
