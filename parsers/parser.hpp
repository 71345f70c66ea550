#pragma once
// What every parser family receives and returns.

#include "parsers/article.hpp"
#include "parsers/date_time.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace archiver {

struct ParseInput {
  std::string_view url;   // the page's URL (after redirects)
  std::string_view html;  // UTF-8
  // Resolves month-day dates such as 6月9日; normally the day of the fetch.
  std::optional<Date> reference_date;
  // [site.selectors] overrides (key -> CSS); empty for ad-hoc fetches.
  const std::map<std::string, std::string>* selectors = nullptr;
  // What the page that linked here said of the edition (an e-paper 版面 listing its articles);
  // fills what an article page does not show itself.
  const EditionContext* listed_in = nullptr;
  // Whether the caller reads the headlines an article page lists beside its article (the
  // 标题导航 of its 版面), in the epaper family. An e-paper crawl whose reports are not
  // `fetch --json`'s reads them from the 版面, and the store keeps a page's headlines only when
  // it holds no article. (The generic family reads them always: they tell it a 版面 or an
  // e-paper's article from a list.)
  bool headlines_beside_article = true;
  // The page's <base href>, resolved, when it has one (PageAnalysis::with_base fills it).
  std::string_view base;

  // What relative links on the page resolve against: its <base href>, else its URL.
  [[nodiscard]] std::string_view links_base() const { return base.empty() ? url : base; }
};

}  // namespace archiver
