#include "parsers/registry.hpp"

#include "parsers/epaper.hpp"
#include "parsers/generic.hpp"
#include "parsers/list_page.hpp"

#include "util/utf8.hpp"

#include <algorithm>

namespace archiver {
namespace {

// Whether an article's body is written in sentences: a list page's "body" is its entries'
// titles, lines that end no sentence.
bool reads_as_prose(const Article& article) {
  constexpr std::size_t k_min_sentences = 2;
  constexpr std::size_t k_min_cjk = 150;  // one long paragraph of a short notice
  std::size_t sentences = 0;
  std::size_t cjk = 0;
  for (const std::string& paragraph : article.body) {
    const std::string_view text = utf8::trim(paragraph);
    if (text.find("。") != std::string::npos || text.find("！") != std::string::npos ||
        text.find("？") != std::string::npos || text.ends_with('.') || text.ends_with('!') ||
        text.ends_with('?') || text.find(". ") != std::string::npos) {
      ++sentences;
      cjk += utf8::count_cjk(paragraph);
    }
  }
  return sentences >= k_min_sentences || cjk >= k_min_cjk;
}

// The generic family reads whatever page it is given (an ad-hoc fetch, a site of no known
// platform) as what its structure shows: an article; else a list of articles (the cms family's
// list logic); else an e-paper 版面, with its label and its 标题导航, on any platform the epaper
// family knows. Only a page without article text is read more than once.
ParsedPage parse_any_page(const ParseInput& input) {
  ParsedPage page = parse_generic(input);
  if (std::ranges::any_of(page.articles, reads_as_prose)) {
    return page;
  }
  // The 标题导航 is what tells a 版面 or an e-paper's article from a list: read it whatever the
  // caller wants of an article page's headlines.
  ParseInput with_headlines = input;
  with_headlines.headlines_beside_article = true;
  ParsedPage edition_page = parse_epaper(with_headlines);
  if (!edition_page.headlines.empty() &&
      (edition_page.pages.size() >= 2 || edition_page.edition.page)) {
    return edition_page;
  }
  // A list, in the cms family's judgement; not a short article (one sentence under a photo)
  // with asides around it, which it keeps as the article it is.
  ParsedPage list_page = parse_cms(input);
  return list_page.headlines.empty() ? page : list_page;
}

}  // namespace

ParsedPage parse_page(ParserKind kind, const ParseInput& input) {
  switch (kind) {
    case ParserKind::epaper:
      return parse_epaper(input);
    case ParserKind::cms:
      return parse_cms(input);
    case ParserKind::portal:
      return parse_portal(input);
    case ParserKind::generic:
      return parse_any_page(input);
  }
  return parse_any_page(input);
}

}  // namespace archiver
