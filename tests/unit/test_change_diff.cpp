#include "change/diff.hpp"
#include "change/fingerprint.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("change") {
  TEST_CASE("paragraph diff keeps order and finds the edited paragraph") {
    const auto spans =
        diff_paragraphs({"甲段。", "乙段。", "丙段。"}, {"甲段。", "乙段改。", "丙段。", "丁段。"});
    REQUIRE(spans.size() == 5);
    CHECK(spans[0].kind == DiffKind::equal);
    CHECK(spans[1].kind == DiffKind::removed);
    CHECK(spans[1].text == "乙段。");
    CHECK(spans[2].kind == DiffKind::added);
    CHECK(spans[2].text == "乙段改。");
    CHECK(spans[3].kind == DiffKind::equal);
    CHECK(spans[4].kind == DiffKind::added);
    CHECK(spans[4].text == "丁段。");
  }

  TEST_CASE("character diff works on Chinese code points, not bytes") {
    const auto spans = diff_characters("全县工会组织数2183家", "全县工会组织数2190家");
    std::string removed;
    std::string added;
    for (const auto& span : spans) {
      if (span.kind == DiffKind::removed) {
        removed += span.text;
      } else if (span.kind == DiffKind::added) {
        added += span.text;
      }
    }
    CHECK(removed == "83");
    CHECK(added == "90");
    const auto chinese = diff_characters("职工之家", "职工小家");
    REQUIRE(chinese.size() == 4);
    CHECK(chinese[1].text == "之");
    CHECK(chinese[2].text == "小");
  }

  TEST_CASE("identical and empty inputs") {
    CHECK(diff_paragraphs({}, {}).empty());
    const auto same = diff_characters("工会", "工会");
    REQUIRE(same.size() == 1);
    CHECK(same[0].kind == DiffKind::equal);
    const auto added = diff_characters("", "新");
    REQUIRE(added.size() == 1);
    CHECK(added[0].kind == DiffKind::added);
  }

  TEST_CASE("content hash ignores whitespace noise but sees every content field") {
    Article base;
    base.title = "锚定“五强”目标延伸工会触角";
    base.published = "2023-06-13";
    base.author = "肥工";
    base.body = {"第一段。", "第二段。"};
    Article spaced = base;
    spaced.title = " 锚定“五强”目标延伸工会触角\u3000";
    spaced.body = {"第一段。 ", "", "第二段。"};
    CHECK(content_hash(base) == content_hash(spaced));

    for (auto change :
         {+[](Article& a) { a.title += "!"; }, +[](Article& a) { a.author = "王宝湖"; },
          +[](Article& a) { a.source = "市总工会"; },
          +[](Article& a) { a.published = "2023-06-14"; },
          +[](Article& a) { a.body.back() = "第二段，改。"; }}) {
      Article edited = base;
      change(edited);
      CHECK(content_hash(edited) != content_hash(base));
    }
    // Moving text between fields is a change even when the concatenation is the same.
    Article moved = base;
    moved.title = base.title + "第一段。";
    moved.body = {"第二段。"};
    CHECK(content_hash(moved) != content_hash(base));
  }

  TEST_CASE("content hash of a given article stays what archives hold") {
    // Every stored version keeps its hash: a different hash for the same article would make
    // the next crawl store it again. Pinned as computed when the body's spaces were collapsed
    // paragraph by paragraph, then once more joined.
    Article article;
    article.title = "\u3000全省职工技能大赛落幕 ";
    article.kicker = "引题";
    article.published = "2024-05-23";
    article.author = "张三";
    article.body = {" 本报讯（记者　张三）  10月9日，大赛\u00a0在合肥落幕。", "", " \t\u3000 ",
                    "共有1200名\n职工参赛。\u200b", "一等奖 李四"};
    article.images = {{.url = "http://127.0.0.1/a.jpg", .caption = "颁奖现场"}};
    CHECK(content_hash(article) ==
          "e2fe2b06b9624014dabe1a8977714529fd7a835a84f731ddc3c1ef89a5d0e890");
  }
}

}  // namespace archiver
