#pragma once
// What a 版面 page links besides articles: the PDF of the printed page, the scan of it (the
// big picture, usually with an image map), and the map's areas, which tie each article to its
// place on the page.

#include "parsers/generic.hpp"

namespace archiver {

struct PageAssets {
  std::vector<PageAsset> assets;  // at most one PDF and one scan
  std::vector<MapArea> areas;
};

// page_label: the 版面's label (第02版:工会新闻) when known; it picks this page's PDF among the
// PDFs of every 版面 that some templates list on each page.
[[nodiscard]] PageAssets find_page_assets(const PageAnalysis& analysis, const ParseInput& input,
                                          const std::optional<std::string>& page_label);

}  // namespace archiver
