#include "decode/charset.hpp"

#include <doctest/doctest.h>
#include <iconv.h>

#include <cstddef>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

using archiver::canonical_charset;
using archiver::charset_from_content_type;
using archiver::charset_from_meta;
using archiver::decode_to_utf8;
using archiver::DecodedText;
using archiver::DecodeRequest;
using archiver::is_valid_utf8;

namespace {

constexpr std::string_view k_fffd = "\xEF\xBF\xBD";

// Encodes UTF-8 test text into a legacy charset, the way a real server would have stored it.
std::string encode(std::string_view utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw std::runtime_error("iconv_open failed");
  }
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in_ptr = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  const std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) {
    throw std::runtime_error("test text not representable");
  }
  out.resize(out.size() - out_left);
  return out;
}

DecodedText decode(std::string_view bytes, std::string_view content_type = {},
                   std::string_view override_charset = {}) {
  return decode_to_utf8(DecodeRequest{bytes, content_type, override_charset, "http://test/page"});
}

std::string page(std::string_view head, std::string_view body) {
  return "<!DOCTYPE html>\n<html>\n<head>\n" + std::string(head) + "\n<title>工人日报</title>\n" +
         "</head>\n<body>\n" + std::string(body) + "\n</body>\n</html>\n";
}

// 镕 喆 堃 are outside GB2312 but inside GBK; pages labelled gb2312 use them all the time.
constexpr std::string_view k_gbk_only_body =
    "<p>朱镕基、陶喆、王堃等出席座谈会。全国总工会号召广大职工立足岗位建功立业。</p>";

constexpr std::string_view k_news_text =
    "全国总工会召开会议，部署做好职工权益保障工作。会议强调，各级工会要坚持以职工为中心，"
    "切实维护好职工的合法权益，深入开展劳动和技能竞赛，推动产业工人队伍建设改革走深走实。"
    "会议要求，要加强困难职工帮扶，做好农民工工资支付保障，推进新就业形态劳动者入会工作。";

}  // namespace

TEST_SUITE("decode/charset") {
  TEST_CASE("canonical_charset maps labels to names iconv can use") {
    for (const char* label :
         {"gb2312", "GB2312", "gbk", "GBK", "x-gbk", "cp936", "CP936", "gb_2312-80", "GB_2312-80",
          "euc-cn", "EUC-CN", "gb18030", "GB18030", " gb2312 ", "\"gbk\""}) {
      CAPTURE(label);
      CHECK(canonical_charset(label) == "GB18030");
    }
    CHECK(canonical_charset("big5") == "BIG5-HKSCS");
    CHECK(canonical_charset("Big5") == "BIG5-HKSCS");
    CHECK(canonical_charset("utf8") == "UTF-8");
    CHECK(canonical_charset("UTF-8") == "UTF-8");
    CHECK(canonical_charset("latin1") == "WINDOWS-1252");
    CHECK(canonical_charset("ISO-8859-1") == "WINDOWS-1252");
    CHECK(canonical_charset("us-ascii") == "WINDOWS-1252");
    CHECK(canonical_charset("windows-1252") == "WINDOWS-1252");
    // Not in the table, but glibc iconv knows it.
    CHECK(canonical_charset("shift_jis") == "SHIFT_JIS");
    CHECK(canonical_charset("euc-jp") == "EUC-JP");
    // Unusable labels come back empty so the caller falls through.
    CHECK(canonical_charset("").empty());
    CHECK(canonical_charset("   ").empty());
    CHECK(canonical_charset("x-no-such-charset").empty());
    CHECK(canonical_charset("utf-8//IGNORE").empty());  // no iconv option smuggling
    CHECK(canonical_charset("gb2312; foo").empty());
  }

  TEST_CASE("charset_from_content_type handles quotes, spaces and case") {
    CHECK(charset_from_content_type("text/html; charset=gb2312") == "gb2312");
    CHECK(charset_from_content_type("text/html;charset=GBK") == "gbk");
    CHECK(charset_from_content_type("text/html; charset=\"UTF-8\"") == "utf-8");
    CHECK(charset_from_content_type("text/html; charset='big5'") == "big5");
    CHECK(charset_from_content_type("TEXT/HTML; CHARSET = GB2312 ") == "gb2312");
    CHECK(charset_from_content_type("text/html; Charset=gbk; q=0.9") == "gbk");
    CHECK(charset_from_content_type("text/html; charset=\" gbk \"") == "gbk");
    CHECK(charset_from_content_type("text/html").empty());
    CHECK(charset_from_content_type("").empty());
    CHECK(charset_from_content_type("text/html; charset=").empty());
    CHECK(charset_from_content_type("text/html; charsetx; charset=gbk") == "gbk");
  }

  TEST_CASE("charset_from_meta reads both meta forms, quoted or not") {
    CHECK(charset_from_meta("<head><meta charset=\"gb2312\"></head>") == "gb2312");
    CHECK(charset_from_meta("<HEAD><META CHARSET=GBK></HEAD>") == "gbk");
    CHECK(charset_from_meta("<meta charset='utf-8' />") == "utf-8");
    CHECK(charset_from_meta("<meta charset=utf-8/>") == "utf-8");
    CHECK(charset_from_meta("<meta http-equiv=\"Content-Type\" "
                            "content=\"text/html; charset=gb2312\">") == "gb2312");
    CHECK(charset_from_meta("<META HTTP-EQUIV=Content-Type CONTENT='text/html;charset=GBK'>") ==
          "gbk");
    CHECK(charset_from_meta("<meta content=\"text/html; charset=big5\" "
                            "http-equiv=\"content-type\">") == "big5");
    CHECK(charset_from_meta("<meta\nname=\"keywords\" content=\"工会\">\n<meta charset=gbk>") ==
          "gbk");
    // Without http-equiv a content attribute is just text.
    CHECK(charset_from_meta("<meta name=\"x\" content=\"charset=gbk\">").empty());
    CHECK(charset_from_meta("<metadata charset=gbk>").empty());
    CHECK(charset_from_meta("<!-- <meta charset=big5> --><meta charset=gbk>") == "gbk");
    CHECK(charset_from_meta("<html><body>no meta here</body></html>").empty());
    CHECK(charset_from_meta("").empty());
  }

  TEST_CASE("charset_from_meta only looks at the first 1024 bytes") {
    const std::string filler(1100, ' ');
    CHECK(charset_from_meta("<html>" + filler + "<meta charset=gbk>").empty());
    const std::string near_end(1000, ' ');
    CHECK(charset_from_meta(near_end + "<meta charset=gbk>") == "gbk");
    // A tag cut by the limit could hold a truncated label, so it is ignored.
    const std::string straddle(1010, ' ');
    CHECK(charset_from_meta(straddle + "<meta charset=\"gb2312\">").empty());
  }

  TEST_CASE("is_valid_utf8 is strict") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("工人日报"));
    CHECK(is_valid_utf8(std::string_view("\x00", 1)));
    CHECK(is_valid_utf8("\xC2\x80"));                // U+0080
    CHECK(is_valid_utf8("\xED\x9F\xBF"));            // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8("\xEE\x80\x80"));            // U+E000, just above
    CHECK(is_valid_utf8("\xF0\x90\x80\x80"));        // U+10000
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF, the maximum
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800 surrogate
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("\x80"));            // stray continuation byte
    CHECK_FALSE(is_valid_utf8("\xE5\xB7"));        // truncated 3-byte sequence
    CHECK_FALSE(is_valid_utf8("ab\xF0\x9F\x98"));  // truncated 4-byte sequence
    CHECK_FALSE(is_valid_utf8("\xE5\x41\x41"));    // lead byte followed by ASCII
  }

  TEST_CASE("a page is taken as valid UTF-8 exactly when it is, wherever a broken byte sits") {
    // The check skips ASCII eight bytes at a time and common Chinese characters whole: a
    // broken sequence is found at every offset from those steps, and at the very end.
    for (const std::string_view broken :
         {"\xE5\x41\x41", "\xED\xA0\x80", "\xE0\x80\xAF", "\x80", "\xE5\xB7", "\xFF", ""}) {
      for (std::size_t pad = 0; pad < 18; ++pad) {
        for (const bool at_end : {false, true}) {
          std::string bytes = "<p>" + std::string(pad, 'a') + "工人日报";
          bytes += broken;
          if (!at_end) {
            bytes += std::string(pad % 9, 'b') + "，职工。</p>";
          }
          INFO("bytes: " << bytes);
          const DecodedText text = decode(bytes, "text/html; charset=utf-8");
          // Known by construction, not asked of the check under test.
          CHECK((text.reason == "utf8-valid") == broken.empty());
          CHECK((text.invalid_sequences == 0) == broken.empty());
        }
      }
    }
  }

  TEST_CASE("a gb2312-labelled page with GBK-only characters decodes as GB18030") {
    const std::string utf8 = page(
        R"(<meta http-equiv="Content-Type" content="text/html; charset=gb2312">)", k_gbk_only_body);
    const DecodedText text = decode(encode(utf8, "GBK"));
    CHECK(text.charset == "GB18030");
    CHECK(text.reason == "meta");
    CHECK(text.invalid_sequences == 0);
    CHECK(text.utf8 == utf8);
    CHECK(text.utf8.find("朱镕基、陶喆、王堃") != std::string::npos);
  }

  TEST_CASE("valid UTF-8 beats a stale gb2312 label") {
    const std::string utf8 = page(R"(<meta charset="gb2312">)", k_gbk_only_body);
    const DecodedText text = decode(utf8, "text/html; charset=gb2312");
    CHECK(text.charset == "UTF-8");
    CHECK(text.reason == "utf8-valid");
    CHECK(text.invalid_sequences == 0);
    CHECK(text.utf8 == utf8);
  }

  TEST_CASE("a charset only in the Content-Type header is used") {
    const std::string utf8 = page("", k_gbk_only_body);
    const DecodedText text = decode(encode(utf8, "GBK"), "text/html; charset=GBK");
    CHECK(text.charset == "GB18030");
    CHECK(text.reason == "http-header");
    CHECK(text.utf8 == utf8);
  }

  TEST_CASE("the header beats the meta tag, an unusable header label does not") {
    const std::string utf8 = page(R"(<meta charset="big5">)", k_gbk_only_body);
    const std::string bytes = encode(utf8, "GBK");
    const DecodedText header = decode(bytes, "text/html; charset=gbk");
    CHECK(header.reason == "http-header");
    CHECK(header.utf8 == utf8);

    const std::string gbk_meta = encode(page(R"(<meta charset="gbk">)", k_gbk_only_body), "GBK");
    const DecodedText fallback = decode(gbk_meta, "text/html; charset=x-bogus");
    CHECK(fallback.charset == "GB18030");
    CHECK(fallback.reason == "meta");
  }

  TEST_CASE("a UTF-16 meta label means UTF-8") {
    const std::string bytes = encode(page("<meta charset=utf-16>", k_news_text), "GBK");
    const DecodedText text = decode(bytes);
    CHECK(text.charset == "UTF-8");
    CHECK(text.reason == "meta");
    CHECK(text.invalid_sequences > 0);
  }

  TEST_CASE("byte order marks decide and are stripped") {
    const std::string utf8 = page(R"(<meta charset="gb2312">)", k_news_text);
    const DecodedText bom8 = decode("\xEF\xBB\xBF" + utf8, "text/html; charset=gbk");
    CHECK(bom8.charset == "UTF-8");
    CHECK(bom8.reason == "bom");
    CHECK(bom8.utf8 == utf8);

    const DecodedText le = decode("\xFF\xFE" + encode(utf8, "UTF-16LE"));
    CHECK(le.charset == "UTF-16LE");
    CHECK(le.reason == "bom");
    CHECK(le.utf8 == utf8);

    const DecodedText be = decode("\xFE\xFF" + encode(utf8, "UTF-16BE"));
    CHECK(be.charset == "UTF-16BE");
    CHECK(be.reason == "bom");
    CHECK(be.utf8 == utf8);
  }

  TEST_CASE("the site override wins over everything") {
    const std::string utf8 = page(R"(<meta charset="big5">)", k_gbk_only_body);
    const DecodedText text = decode(encode(utf8, "GB18030"), "text/html; charset=utf-8", "gb2312");
    CHECK(text.charset == "GB18030");
    CHECK(text.reason == "override");
    CHECK(text.utf8 == utf8);

    // Even over a BOM and over valid UTF-8.
    CHECK(decode("\xEF\xBB\xBF<p>abc</p>", {}, "gbk").reason == "override");
    CHECK(decode("工人日报", {}, "big5").reason == "override");

    // An override iconv cannot use is ignored.
    const DecodedText bogus = decode(encode(utf8, "GB18030"), "text/html; charset=gbk", "nope");
    CHECK(bogus.reason == "http-header");
    CHECK(bogus.utf8 == utf8);
  }

  TEST_CASE("a UTF-8 label or override repairs invalid bytes") {
    const DecodedText text = decode("ab\xC0\x80xy\xED\xA0\x80zz\xE5\xB7", {}, "utf-8");
    CHECK(text.charset == "UTF-8");
    CHECK(text.reason == "override");
    // One U+FFFD per maximal broken subpart: C0, 80, ED, A0, 80, then the truncated E5 B7.
    const std::string r(k_fffd);
    CHECK(text.utf8 == "ab" + r + r + "xy" + r + r + r + "zz" + r);
    CHECK(text.invalid_sequences == 6);
    CHECK(is_valid_utf8(text.utf8));

    const DecodedText meta = decode("<meta charset=utf-8><p>\xE5\xB7\xA5\xE4\xBA</p>");
    CHECK(meta.reason == "meta");
    CHECK(meta.utf8 == "<meta charset=utf-8><p>工" + r + "</p>");
    CHECK(meta.invalid_sequences == 1);
  }

  TEST_CASE("unlabelled GB18030 text is detected") {
    const std::string utf8 = page(
        "<script>var x = 1 < 2; // not text</script>"
        "<style>p { color: red; }</style>",
        "<p>" + std::string(k_news_text) + "</p>");
    const DecodedText text = decode(encode(utf8, "GB18030"), "text/html");
    CHECK(text.charset == "GB18030");
    CHECK(text.reason == "detected");
    CHECK(text.utf8 == utf8);
  }

  TEST_CASE("scripts in another encoding do not mislead detection") {
    // A script full of UTF-8 bytes in an otherwise GBK page: only the text content is detected.
    const std::string script = "<script>var s = '" + std::string(k_news_text) + "';</script>";
    const std::string bytes = encode(page("", k_news_text), "GBK") + script;
    const DecodedText text = decode(bytes);
    CHECK(text.charset == "GB18030");
    CHECK(text.reason == "detected");
  }

  TEST_CASE("uchardet's Western guesses on a few GBK characters are overruled") {
    // uchardet 0.0.7 calls these WINDOWS-1252 and ISO-8859-7; the page is a Chinese one.
    for (const char* words : {"<p>工会</p>", "<p>工人日报</p>", "<title>工会</title><p>劳模</p>"}) {
      const DecodedText text = decode(encode(words, "GBK"));
      CHECK(text.charset == "GB18030");
      CHECK(text.utf8 == words);
    }
  }

  TEST_CASE("too little text to detect falls back to GB18030") {
    // uchardet gives up on three characters; the Chinese-site default still reads them right.
    const DecodedText text = decode(encode("<p>朱镕基</p>", "GBK"));
    CHECK(text.charset == "GB18030");
    CHECK(text.reason == "default");
    CHECK(text.utf8 == "<p>朱镕基</p>");
  }

  TEST_CASE("pure ASCII without labels is UTF-8") {
    const std::string html =
        "<html><head><title>Workers Daily</title></head><body><p>Hello.</p></body></html>";
    const DecodedText text = decode(html);
    CHECK(text.charset == "UTF-8");
    CHECK(text.reason == "default");
    CHECK(text.utf8 == html);
  }

  TEST_CASE("Big5 traditional text labelled big5") {
    const std::string utf8 =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">"
        "<title>勞工報</title></head><body>"
        "<p>臺灣工會報導，勞工權益與職業安全。各級工會應堅持以勞工為中心。</p></body></html>";
    const DecodedText text = decode(encode(utf8, "BIG5"));
    CHECK(text.charset == "BIG5-HKSCS");
    CHECK(text.reason == "meta");
    CHECK(text.invalid_sequences == 0);
    CHECK(text.utf8 == utf8);
  }

  TEST_CASE("latin1 labels decode as windows-1252") {
    const DecodedText text = decode("caf\xE9 \x80 5", "text/html; charset=ISO-8859-1");
    CHECK(text.charset == "WINDOWS-1252");
    CHECK(text.reason == "http-header");
    CHECK(text.utf8 == "café € 5");
  }

  TEST_CASE("broken multibyte sequences become U+FFFD and are counted") {
    const std::string r(k_fffd);
    const std::string good = encode("工会", "GBK");

    SUBCASE("truncated at the end") {
      const DecodedText text = decode(good + "\xB9", "text/html; charset=gbk");
      CHECK(text.utf8 == "工会" + r);
      CHECK(text.invalid_sequences == 1);
    }
    SUBCASE("lead byte followed by an invalid trail byte") {
      const DecodedText text = decode(good + "\x81\x20" + good, "text/html; charset=gbk");
      CHECK(text.utf8 == "工会" + r + " 工会");
      CHECK(text.invalid_sequences == 1);
    }
    SUBCASE("bytes GB18030 never uses") {
      const DecodedText text = decode("x\xFFy\x80z", "text/html; charset=gb2312");
      CHECK(text.utf8 == "x" + r + "y" + r + "z");
      CHECK(text.invalid_sequences == 2);
    }
    SUBCASE("truncated Big5") {
      const DecodedText text = decode(encode("工會", "BIG5") + "\xA4", "text/html; charset=big5");
      CHECK(text.utf8 == "工會" + r);
      CHECK(text.invalid_sequences == 1);
    }
    SUBCASE("odd-length UTF-16") {
      const DecodedText text = decode("\xFF\xFE" + encode("工会", "UTF-16LE") + "x");
      CHECK(text.utf8 == "工会" + r);
      CHECK(text.invalid_sequences == 1);
    }
  }

  TEST_CASE("random binary never crashes and always yields valid UTF-8") {
    std::mt19937 random(20240501);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string bytes(64 * 1024, '\0');
    for (char& c : bytes) {
      c = static_cast<char>(static_cast<unsigned char>(byte(random)));
    }
    for (const char* header : {"", "text/html; charset=gbk", "text/html; charset=big5",
                               "text/html; charset=utf-8", "text/html; charset=utf-16le",
                               "text/html; charset=latin1", "text/html; charset=shift_jis"}) {
      CAPTURE(header);
      const DecodedText text = decode(bytes, header);
      CHECK(is_valid_utf8(text.utf8));
      CHECK(text.utf8.find('\0') == std::string::npos);
      CHECK(text.invalid_sequences > 0);
      CHECK_FALSE(text.charset.empty());
    }
    const std::string_view tiny_inputs[] = {
        "\xFE", "\xFF", "\xFF\xFE\x00", "\xEF\xBB", "\xEF\xBB\xBF\xFF", "<meta charset="};
    for (const std::string_view tiny : tiny_inputs) {
      const DecodedText text = decode(tiny);
      CHECK(is_valid_utf8(text.utf8));
    }
  }

  TEST_CASE("empty input") {
    const DecodedText text = decode("");
    CHECK(text.utf8.empty());
    CHECK(text.charset == "UTF-8");
    CHECK(text.reason == "default");
    CHECK(text.invalid_sequences == 0);

    const DecodedText forced = decode("", "text/html; charset=gbk", "gbk");
    CHECK(forced.utf8.empty());
    CHECK(forced.charset == "GB18030");
    CHECK(forced.invalid_sequences == 0);
  }

  TEST_CASE("NUL bytes are replaced by U+FFFD on every path") {
    using namespace std::string_literals;
    const std::string r(k_fffd);

    const DecodedText ascii = decode("a\0b"s);
    CHECK(ascii.utf8 == "a" + r + "b");
    CHECK(ascii.invalid_sequences == 1);

    const DecodedText utf8 = decode("工\0人"s);
    CHECK(utf8.reason == "utf8-valid");
    CHECK(utf8.utf8 == "工" + r + "人");
    CHECK(utf8.invalid_sequences == 1);

    const DecodedText gbk =
        decode(encode("工", "GBK") + "\0"s + encode("人", "GBK"), "text/html; charset=gbk");
    CHECK(gbk.utf8 == "工" + r + "人");
    CHECK(gbk.invalid_sequences == 1);

    const DecodedText utf16 = decode("\xFF\xFEx\0\0\0y\0"s);
    CHECK(utf16.utf8 == "x" + r + "y");
  }

  TEST_CASE("large pages decode in linear time") {
    std::string utf8;
    utf8.reserve(8 * 1024 * 1024);
    while (utf8.size() < 6 * 1024 * 1024) {
      utf8 += "<p>";
      utf8 += k_news_text;
      utf8 += "</p>\n";
    }
    const std::string gbk = encode(utf8, "GBK");
    const DecodedText detected = decode(gbk);
    CHECK(detected.charset == "GB18030");
    CHECK(detected.utf8 == utf8);

    // Every byte invalid: the EILSEQ path must also stay linear.
    const std::string junk(1024 * 1024, '\xFF');
    const DecodedText broken = decode(junk, "text/html; charset=gbk");
    CHECK(broken.invalid_sequences == junk.size());
    CHECK(broken.utf8.size() == junk.size() * k_fffd.size());
  }
}
