#pragma once
// The `epaper` family: digital newspaper editions (数字报). One parser reads every kind of page an
// edition has: a 版面 (page) with the edition's page list and its 标题导航 headlines, an article
// page (引题, 标题, 副题, credit, body), and a whole 版面 printed as one page (several articles).
// It knows the 安徽工人日报 platform (华文融媒云) and Founder (方正) pages: <founder-content>,
// <!--enpcontent-->, the <!--enpproperty--> comment, ?div=-1 duplicates, image maps, dates in
// the URL path.

#include "parsers/parser.hpp"

namespace archiver {

[[nodiscard]] ParsedPage parse_epaper(const ParseInput& input);

// The 期次 digits in a line such as "期次:第8100期" or "第 2345 期"; nothing otherwise.
[[nodiscard]] std::optional<std::string> find_issue(std::string_view line);

}  // namespace archiver
