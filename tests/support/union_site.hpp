#pragma once
// A small union CMS site (某市总工会) written into a folder for a test to serve: 栏目 list pages
// with pagination and article pages with 发布时间, 来源, 点击量, share bars, 上一篇/下一篇 and a
// footer, in UTF-8 or GB18030. Tests build exactly the site they need: how many articles, how
// many per list page, what the links look like.

#include "decode/charset.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace archiver::testing {

struct UnionArticle {
  std::string path;   // under the site root, e.g. "union/news/2024/0501/1.html"
  std::string title;  // 市总工会召开第1次职工代表座谈会
  std::string date;   // 2024-05-01
  std::vector<std::string> body;
};

// An article page as union CMSs print them.
inline std::string union_article_html(const UnionArticle& article, std::string_view charset) {
  std::string body;
  for (const auto& paragraph : article.body) {
    body += "<p style=\"text-indent:2em;\">" + paragraph + "</p>\n";
  }
  return fmt::format(
      "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
      "charset={0}\"><title>{1}_工会动态_某市总工会</title>"
      "<script src=\"/js/common.js\"></script></head><body>"
      "<div class=\"top\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"某市总工会\"></a>"
      "<span id=\"today\"></span></div>"
      "<ul class=\"menu\"><li><a href=\"/\">首页</a><li><a href=\"/union/news/\">工会动态</a>"
      "<li><a href=\"/qybz/\">权益保障</a><li><a href=\"/lmfc/\">劳模风采</a></ul>"
      "<div class=\"weizhi\">当前位置：<a href=\"/\">首页</a> &gt; <a "
      "href=\"/union/news/\">工会动态</a> &gt; 正文</div>"
      "<div class=\"art_title\">{1}</div>"
      "<div class=\"art_info\">发布时间:{2}&nbsp;&nbsp;点击量:<span id=\"hits\">{3}</span>"
      "&nbsp;&nbsp;来源:市总工会宣教部</div>"
      "<div class=\"art_tool\">【字体：<a href=\"javascript:doZoom(18)\">大</a> <a "
      "href=\"javascript:doZoom(15)\">中</a>】</div>"
      "<div id=\"zoom\">\n{4}</div>"
      "<div class=\"share\">分享到：<a href=\"javascript:;\">微信</a> <a "
      "href=\"javascript:;\">微博</a></div>"
      "<div class=\"prenext\">上一篇：<a href=\"/union/news/index.html\">返回列表</a></div>"
      "<div class=\"foot\">版权所有：某市总工会 地址：某市人民路1号 备案号：皖ICP备00000000号"
      "</div></body></html>",
      charset, article.title, article.date, 100 + article.title.size(), body);
}

// A 栏目 list page: entries with their dates, and a 下一页 link when next is not empty. Links
// are written as given (relative, with odd spellings, whatever the test needs).
struct ListEntry {
  std::string href;
  std::string title;
  std::string date;
};

inline std::string union_list_html(const std::vector<ListEntry>& entries, std::string_view next,
                                   std::string_view charset, std::string_view head_extra = {}) {
  std::string items;
  for (const auto& entry : entries) {
    items += fmt::format(
        "<li><span class=\"date\">{}</span><a href=\"{}\" target=\"_blank\">{}</a>"
        "</li>\n",
        entry.date, entry.href, entry.title);
  }
  std::string pager = "<div class=\"pages\"><a href=\"index.html\">首页</a> ";
  if (!next.empty()) {
    pager += fmt::format("<a href=\"{}\">下一页</a>", next);
  }
  pager += "</div>";
  return fmt::format(
      "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
      "charset={0}\">{1}<title>工会动态_某市总工会</title></head><body>"
      "<ul class=\"menu\"><li><a href=\"/\">首页</a><li><a href=\"/union/news/\">工会动态</a>"
      "<li><a href=\"/qybz/\">权益保障</a></ul>"
      "<div class=\"hot\"><h3>热点关注</h3><a href=\"/zt/lmfc.html\">劳模风采专题</a></div>"
      "<div class=\"list\"><ul>\n{2}</ul>{3}</div>"
      "<div class=\"foot\">版权所有：某市总工会 备案号：皖ICP备00000000号</div></body></html>",
      charset, head_extra, items, pager);
}

// Writes text to root/path in the charset named (UTF-8 or GB18030), making folders.
inline void write_page(const std::filesystem::path& root, const std::string& path,
                       const std::string& utf8_text, std::string_view charset = "utf-8") {
  const auto file = root / path;
  std::filesystem::create_directories(file.parent_path());
  std::string bytes = utf8_text;
  if (charset != "utf-8") {
    auto encoded = encode_utf8_as(utf8_text, "GB18030");
    if (!encoded) {
      throw std::runtime_error(path + ": " + encoded.error());
    }
    bytes = std::move(*encoded);
  }
  std::ofstream(file, std::ios::binary) << bytes;
}

// Body paragraphs of the nth article: real prose lengths, a few numbers and quotes.
inline std::vector<std::string> union_article_body(int n) {
  return {fmt::format("为进一步做好职工服务工作，市总工会于近日召开第{}次职工代表座谈会，"
                      "听取一线职工对工会工作的意见和建议。",
                      n),
          "座谈会上，来自制造、建筑、快递等行业的12名职工代表先后发言，围绕劳动保护、技能培训、"
          "职工之家建设等话题畅所欲言，提出意见建议20余条。",
          "市总工会主要负责同志表示，将认真梳理职工代表提出的问题，逐项研究落实，切实把“娘家人”"
          "的温暖送到职工心坎上。"};
}

}  // namespace archiver::testing
