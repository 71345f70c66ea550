#pragma once
// What a parser pulls out of one page: at most one article, and any headline list it shows.

#include "util/asset_kind.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archiver {

struct Headline {
  std::string title;  // may be empty: e-paper lists carry entries with only a 摘要
  std::string url;    // absolute
  std::optional<std::string> summary;  // 摘要
  // On an e-paper 版面: the page's image map has the article, so it is printed on this page
  // (a front page's 导读 links to articles printed elsewhere).
  bool on_page_map = false;
};

// A picture of the article, with its caption when the page prints one (王玉玉/摄 credits included).
struct ArticleImage {
  std::string url;  // absolute (a data: URL shortened, as the page has it)
  std::optional<std::string> caption;
  // Filled from the archive, never by a parser: the photo's bytes as archived for the version.
  std::optional<std::string> sha256;
  std::string media_type;  // image/jpeg, ...; empty when not archived
  std::int64_t bytes = 0;
  bool operator==(const ArticleImage&) const = default;
};

struct Article {
  std::string title;
  std::optional<std::string> kicker;     // 引题
  std::optional<std::string> subtitle;   // 副题
  std::optional<std::string> published;  // ISO 8601 as in the contract, +08:00 when timed
  std::optional<std::string> author;
  std::optional<std::string> source;   // 来源
  std::vector<std::string> body;       // paragraphs, trimmed, no boilerplate
  std::vector<ArticleImage> images;    // pictures of the article, in page order
  std::optional<std::string> edition;  // e-paper: YYYY-MM-DD
  std::optional<std::string> page;     // e-paper: 第02版:工会新闻
  std::optional<std::string> issue;    // e-paper: 期次 digits
  // Set when the page holds several articles (a 版面 printed whole): the article is archived
  // under the page's URL with this fragment, its place on the page ("2" gives "#2").
  std::optional<std::string> anchor;

  [[nodiscard]] std::string body_text() const;  // paragraphs joined by '\n'
};

// A 版面's PDF or its scan, as the page links it.
struct PageAsset {
  AssetKind kind = AssetKind::pdf;
  std::string url;  // absolute
  bool operator==(const PageAsset&) const = default;
};

// One area of a 版面 scan's image map: where on the printed page an article sits.
struct MapArea {
  std::string article_url;  // absolute, as archived (normalise_article_url)
  std::string shape;        // rect, poly, circle (as the page says; "rect" when it says none)
  std::string coords;       // the page's coordinates, in pixels of the scan
  bool operator==(const MapArea&) const = default;
};

// A link to another page of the same kind: a 版面 of an edition.
struct PageLink {
  std::string title;  // as shown: 第02版:工会新闻
  std::string url;    // absolute
};

// What a page says about the e-paper edition it belongs to.
struct EditionContext {
  std::optional<std::string> edition;  // YYYY-MM-DD
  std::optional<std::string> page;     // 第02版:工会新闻
  std::optional<std::string> issue;    // 期次 digits

  [[nodiscard]] bool empty() const { return !edition && !page && !issue; }
};

struct ParsedPage {
  std::vector<Article> articles;    // usually none (a list) or one; several on a whole-版面 page
  std::vector<Headline> headlines;  // 标题导航 entries, list-page entries
  std::vector<PageLink> pages;      // e-paper: the edition's 版面, in order
  std::optional<std::string> next_page;  // list pages: the next page of the list
  EditionContext edition;                // e-paper pages: edition, 版面, 期次
  std::vector<PageAsset> assets;         // e-paper 版面: its PDF and scan
  std::vector<MapArea> areas;            // e-paper 版面: the scan's image map
};

}  // namespace archiver
