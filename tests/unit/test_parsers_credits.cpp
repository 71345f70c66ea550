#include "parsers/credits.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace archiver;

namespace {

// The author split off a paragraph, or "none".
std::string trailing(std::string_view paragraph) {
  const auto credit = split_trailing_credit(paragraph);
  return credit ? credit->author : "none";
}

std::string labelled(std::string_view text) { return find_labelled_author(text).value_or("none"); }

std::string photo(std::string_view text) { return find_photo_credit(text).value_or("none"); }

}  // namespace

TEST_SUITE("parsers/credits") {
  TEST_CASE("a trailing credit is split from its paragraph") {
    const auto credit =
        split_trailing_credit("努力推动基层工会工作出亮点、上水平、增活力。(王宝湖)");
    REQUIRE(credit);
    CHECK(credit->author == "王宝湖");
    CHECK(credit->text == "努力推动基层工会工作出亮点、上水平、增活力。");
  }

  TEST_CASE("several names, full-width brackets and spaces") {
    CHECK(trailing("实现两期培训完所有人员。（潘柳全 徐飞）") == "潘柳全 徐飞");
    CHECK(trailing("实现两期培训完所有人员。(潘柳全 徐飞)") == "潘柳全 徐飞");
    CHECK(trailing("活动圆满结束。（常书香 马丹阳 ）") == "常书香 马丹阳");
    CHECK(trailing("活动圆满结束。（常书香\u3000\u3000马丹阳）") == "常书香 马丹阳");
    CHECK(trailing("活动圆满结束。 (董柏云) \u3000\u00a0") == "董柏云");
    CHECK(trailing("活动圆满结束。(董柏云)&nbsp;") == "董柏云");
  }

  TEST_CASE("roles inside the credit are dropped") {
    CHECK(trailing("会议指出，要扎实推进。（记者 胡晓蓉）") == "胡晓蓉");
    CHECK(trailing("会议指出，要扎实推进。（记者胡晓蓉）") == "胡晓蓉");
    CHECK(trailing("会议指出。(本报记者 张三 通讯员 李四)") == "张三 李四");
    CHECK(trailing("會議指出。（本報記者 張三）") == "張三");
    CHECK(trailing("会议指出。(记者)") == "none");
  }

  TEST_CASE("transliterated names keep their dots") {
    CHECK(trailing("活动圆满结束。（阿依古丽·买买提）") == "阿依古丽·买买提");
    CHECK(labelled("记者 阿依古丽·买买提") == "阿依古丽·买买提");
  }

  TEST_CASE("organisation credits count as printed") {
    CHECK(trailing("全面提升服务水平。(市总工会组宣部)") == "市总工会组宣部");
    const auto alone = split_trailing_credit("(肥工)");
    REQUIRE(alone);
    CHECK(alone->author == "肥工");
    CHECK(alone->text.empty());
  }

  TEST_CASE("the credit may follow any sentence end or closing quote") {
    CHECK(trailing("时刻以榜样的力量鞭策自己,用拼搏的汗水书写无悔青春!(岳建军)") == "岳建军");
    CHECK(trailing("“希望早日打赢疫情防控这场硬仗。”(沈春)") == "沈春");
    CHECK(trailing("这是真的吗？（张葳）") == "张葳");
    CHECK(trailing("他说……（张葳）") == "张葳");
    CHECK(trailing("『好』(张葳)") == "张葳");
  }

  TEST_CASE("brackets that are not credits") {
    CHECK(trailing("制定实施《蚌埠市总工会社会化工会工作者管理办法(试行)》") == "none");
    CHECK(trailing("印发了管理办法(试行)") == "none");
    CHECK(trailing("印发了管理办法。(试行)") == "none");
    CHECK(trailing("条例。（草案）") == "none");
    CHECK(trailing("广元市、县(区)") == "none");
    CHECK(trailing("全文如下。(区)") == "none");
    CHECK(trailing("故事。(上)") == "none");
    CHECK(trailing("故事。(下)") == "none");
    CHECK(trailing("故事。(续)") == "none");
    CHECK(trailing("新华社北京电。（完）") == "none");
    CHECK(trailing("截至目前。(2023)") == "none");
    CHECK(trailing("截至目前。(12345)") == "none");
    CHECK(trailing("中铁(上海)投资集团有限公司联合举办") == "none");
    CHECK(trailing("这是一段话(王宝湖)") == "none");
    CHECK(trailing("活动。(责任编辑：张三)") == "none");
    CHECK(trailing("活动。(责编 张三)") == "none");
    CHECK(trailing("活动。(张三，李四)") == "none");
    CHECK(trailing("活动。(这是一段很长很长的括号里的说明文字不是署名)") == "none");
    CHECK(trailing("活动。(王宝湖)后面还有字") == "none");
    CHECK(trailing("") == "none");
    CHECK(trailing(")") == "none");
  }

  TEST_CASE("labelled authors") {
    CHECK(labelled("作者：张三") == "张三");
    CHECK(labelled("作者:张三 李四") == "张三 李四");
    CHECK(labelled("作者:张三 李四  来源:工人日报") == "张三 李四");
    CHECK(labelled("作者：张三 来源：盐城市总工会 发布时间：2022-02-11") == "张三");
    CHECK(labelled("作者：张三来源：盐城市总工会") == "张三");
    CHECK(labelled("作者：张三\n正文第一段") == "张三");
    CHECK(labelled("作者：市总工会宣传部 点击：12") == "市总工会宣传部");
  }

  TEST_CASE("an empty author field gives nothing") {
    CHECK(labelled("作者：") == "none");
    CHECK(labelled("作者：  来源：盐城市总工会") == "none");
    CHECK(labelled("作者：\n正文第一段很长很长") == "none");
    CHECK(labelled("作者： 编辑：李四") == "none");
  }

  TEST_CASE("reporter bylines") {
    CHECK(labelled("记者 胡晓蓉") == "胡晓蓉");
    CHECK(labelled("本报记者 胡晓蓉 报道") == "胡晓蓉");
    CHECK(labelled("本报记者 张三 通讯员 李四\n正文") == "张三 李四");
    CHECK(labelled("本报通讯员 李四") == "李四");
    CHECK(labelled("本报记者王乐文\n正文") == "王乐文");
    CHECK(labelled("本报记者 张三 发自北京") == "张三");
    CHECK(labelled("记者 张三、李四") == "张三 李四");
    CHECK(labelled("撰稿：李四、王五") == "李四 王五");
    CHECK(labelled("记者 张三 今天上午在会上说") == "张三");
  }

  TEST_CASE("spaces inside aligned two-character names are kept as printed") {
    // Decision: runs of spaces collapse to one, but names are not re-joined, so a byline
    // "方 敏" (one person, spaced for alignment) stays "方 敏". Guessing which single characters
    // belong together is left to a later step that can see more of the page.
    CHECK(labelled("本报记者 王乐文 方 敏") == "王乐文 方 敏");
    CHECK(labelled("本报记者  王乐文 方 敏") == "王乐文 方 敏");
  }

  TEST_CASE("a reporter credit after a dateline") {
    CHECK(labelled("新华社巴黎12月9日电（记者唐霁）法国总统") == "唐霁");
    CHECK(labelled("新华社北京5月31日电(记者 张三 李四)全国总工会") == "张三 李四");
  }

  TEST_CASE("text that merely mentions reporters is no byline") {
    CHECK(labelled("会后，记者了解到，该工会联盟成立不到1年半。") == "none");
    CHECK(labelled("记者从市总工会获悉，活动将持续一个月。") == "none");
    CHECK(labelled("全国优秀工会工作者7名") == "none");
    CHECK(labelled("组织参加市总职工乒乓球大赛、书画摄影、微视频大赛") == "none");
  }

  TEST_CASE("文/, 文/图, 执笔/ credits") {
    CHECK(labelled("文/王五") == "王五");
    CHECK(labelled("文／王五") == "王五");
    CHECK(labelled("文/图 赵六") == "赵六");
    CHECK(labelled("（文/图 赵六）") == "赵六");
    CHECK(labelled("图/文：赵六") == "赵六");
    CHECK(labelled("执笔/孙七") == "孙七");
    CHECK(labelled("执笔：孙七") == "孙七");
    CHECK(labelled("全文/完") == "none");
  }

  TEST_CASE("editors are not authors") {
    CHECK(labelled("编辑：张三") == "none");
    CHECK(labelled("责任编辑：张三") == "none");
    CHECK(labelled("责编：张三") == "none");
    CHECK(labelled("責任編輯：張三") == "none");
    CHECK(labelled("责任编辑：李四 作者：张三") == "张三");
    CHECK(labelled("作者：张三 编辑：李四") == "张三");
  }

  TEST_CASE("photo credits") {
    CHECK(photo("让职工在活动中宣泄情绪、挑战自我、激发潜能。 王玉玉/摄") == "王玉玉");
    CHECK(photo("向中国共产党成立100周年献礼。王彪 申梅/摄") == "王彪 申梅");
    CHECK(photo("向中国共产党成立100周年献礼。王彪 申梅／摄") == "王彪 申梅");
    CHECK(photo("摄影：李四") == "李四");
    CHECK(photo("摄影 李四") == "李四");
    CHECK(photo("攝影：李四") == "李四");
    CHECK(photo("职工在参加比赛（张三 摄）") == "张三");
    CHECK(photo("本报记者 张三/摄") == "张三");
  }

  TEST_CASE("mentions of photography are no photo credit") {
    CHECK(photo("书画摄影、微视频大赛和演讲比赛") == "none");
    CHECK(photo("摄影大赛(展)") == "none");
    CHECK(photo("摄影：") == "none");
    CHECK(photo("正在拍摄") == "none");
  }

  TEST_CASE("a paper's name glued to 记者 is not part of the name") {
    CHECK(trailing("事故原因正在调查中。（晨报记者欧阳晓明）") == "欧阳晓明");
    CHECK(labelled("都市快报记者 司马南 通讯员 黄一帆") == "司马南 黄一帆");
    CHECK(labelled("本报记者 王乐文") == "王乐文");  // 本报 is a role, as before
  }

  TEST_CASE("the outlet before a name in a trailing credit is no author") {
    CHECK(trailing("请投资者注意风险。（江淮财经 林小雨）") == "林小雨");
    CHECK(trailing("活动圆满结束。（滨江新闻网 吴迪 陈晨）") == "吴迪 陈晨");
    // A credit that is only the outlet stays, as printed.
    CHECK(trailing("全面提升服务水平。(市总工会组宣部)") == "市总工会组宣部");
  }

  TEST_CASE("the place a reporter files from is not a name") {
    CHECK(labelled("记者 周志强 芜湖报道") == "周志强");
    CHECK(labelled("本报记者 朱莉 刘明 蚌埠报道") == "朱莉 刘明");
    // Glued to the only name, 报道 is dropped and the name kept.
    CHECK(labelled("记者 周志强报道") == "周志强");
  }

  TEST_CASE("a trailing 整合, 编译 or 综合 is no part of the name") {
    CHECK(labelled("作者：韩晓 整合") == "韩晓");
    CHECK(labelled("文/林夕 编译") == "林夕");
    CHECK(labelled("作者：韩晓整合") == "韩晓");
  }

  TEST_CASE("作者： glued to the field before it in an info line") {
    CHECK(labelled("来源：江淮晨报作者：骆佳责编：王芳") == "骆佳");
    CHECK(labelled("本文来源：工人日报 作者：方芳 陈晓") == "方芳 陈晓");
    // Without its colon, 作者 inside prose is no label.
    CHECK(labelled("这本书的作者张三说") == "none");
  }

  TEST_CASE("names spaced by two or three spaces are all kept, prose after a gap is not") {
    CHECK(labelled("记者 张晓明  李强  王丽华") == "张晓明 李强 王丽华");
    CHECK(labelled("记者\u3000欧阳晓明\u3000\u3000司马南\u3000\u3000诸葛亮") ==
          "欧阳晓明 司马南 诸葛亮");
    CHECK(trailing("事故原因正在调查中。（记者\u3000张晓明\u3000\u3000王丽华）") ==
          "张晓明 王丽华");
    CHECK(labelled("记者 张晓明  本报讯 近日，全市") == "张晓明");
    CHECK(labelled("记者 张晓明\u3000\u30002024-05-09") == "张晓明");
    CHECK(labelled("记者 张晓明    李强") == "张晓明");  // four spaces: another column
    CHECK(labelled("本报记者张晓明、李强、王丽华") == "张晓明 李强 王丽华");
  }

  TEST_CASE("what is not a paper's reporter, a name, or an outlet stays as it was") {
    // A bureau's credit: no name follows 记者.
    CHECK(trailing("全市各级工会积极行动。（本报驻沪记者站供稿）") == "驻沪记者站");
    // Three-character given names ending like an outlet are names.
    CHECK(trailing("活动圆满结束。（李建社 王明）") == "李建社 王明");
    // An outlet after a double gap ends the names.
    CHECK(labelled("作者：王晓明  新华网  2024-05-09") == "王晓明");
  }

  TEST_CASE("long inputs are scanned once") {
    std::string text;
    for (int i = 0; i < 100000; ++i) {
      text += "记者了解到 作者 文 摄";
    }
    text += "\n作者：张三";
    CHECK(labelled(text) == "张三");
    CHECK(trailing(text + "。(张三)") == "张三");
    std::string glued;
    for (int i = 0; i < 300000; ++i) {
      glued += "王摄/";
    }
    CHECK(photo(glued) == "none");
  }
}
