#include "parsers/page_assets.hpp"

#include "parsers/epaper_links.hpp"
#include "util/ascii.hpp"
#include "util/url.hpp"
#include "util/utf8.hpp"

#include <algorithm>

namespace archiver {
namespace {

std::string_view path_of(std::string_view url) { return url.substr(0, url.find_first_of("?#")); }

bool has_suffix(std::string_view url, std::initializer_list<std::string_view> suffixes) {
  const std::string path = ascii_lower(path_of(url));
  return std::ranges::any_of(suffixes, [&](std::string_view s) { return path.ends_with(s); });
}

// The page number in a 版面 label: 第02版:工会新闻 -> "02", 第A01版 -> "A01", A01：头版 -> "A01".
std::optional<std::string> page_number(const std::optional<std::string>& label) {
  if (!label) {
    return std::nullopt;
  }
  std::string_view text = *label;
  const std::string folded = utf8::fold_width(text);
  text = folded;
  if (text.starts_with("第")) {
    text.remove_prefix(std::string_view("第").size());
  }
  std::string number;
  for (const char c : text) {
    if (!is_ascii_alnum(c)) {
      break;
    }
    number.push_back(c);
  }
  if (number.empty() || std::ranges::none_of(number, is_ascii_digit)) {
    return std::nullopt;
  }
  return number;
}

// Whether url names page `number`: Founder keeps a page's files in a folder of its number
// (.../images/2023-02/10/02/...) and ends their names with it (...2023021002.pdf).
bool names_page(std::string_view url, const std::string& number) {
  const std::string path = ascii_lower(path_of(url));
  const std::string wanted = ascii_lower(number);
  if (path.find('/' + wanted + '/') != std::string::npos) {
    return true;
  }
  const std::string file = path.substr(path.rfind('/') + 1);
  const std::string stem = file.substr(0, file.rfind('.'));
  return stem.ends_with(wanted) &&
         (stem.size() == wanted.size() || !is_ascii_alpha(stem[stem.size() - wanted.size() - 1]) ||
          !is_ascii_digit(wanted.front()));
}

struct PdfLink {
  std::string url;
  bool this_page = false;  // its text says 本版 (下载本版PDF)
};

std::vector<PdfLink> pdf_links(const PageAnalysis& analysis, const ParseInput& input) {
  std::vector<PdfLink> links;
  for (const GumboNode* link : html::find_all(analysis.document.root(), [](const GumboNode* n) {
         return html::tag(n) == GUMBO_TAG_A;
       })) {
    const std::string text = utf8::fold_width(html::text(link));
    const std::string url = resolve_url(input.links_base(), html::attribute(link, "href"));
    if (!has_http_scheme(url)) {
      continue;
    }
    const bool says_pdf = ascii_lower(text).find("pdf") != std::string::npos;
    if (!has_suffix(url, {".pdf"}) && !says_pdf) {
      continue;
    }
    const bool this_page = text.find("本版") != std::string::npos;
    if (const auto known = std::ranges::find(links, url, &PdfLink::url); known != links.end()) {
      known->this_page = known->this_page || this_page;
      continue;
    }
    links.push_back({.url = url, .this_page = this_page});
  }
  return links;
}

// This page's PDF: the only one, else the one its label's number or its 本版 text names.
std::optional<std::string> choose_pdf(const std::vector<PdfLink>& links,
                                      const std::optional<std::string>& label) {
  if (links.size() == 1) {
    return links.front().url;
  }
  if (const auto number = page_number(label)) {
    const auto named = std::ranges::find_if(
        links, [&](const PdfLink& link) { return names_page(link.url, *number); });
    if (named != links.end()) {
      return named->url;
    }
  }
  const auto marked = std::ranges::find_if(links, &PdfLink::this_page);
  if (marked != links.end()) {
    return marked->url;
  }
  return std::nullopt;  // several, none of them named: better none than another page's
}

std::string folder_of(std::string_view url) {
  const std::string_view path = path_of(url);
  return std::string(path.substr(0, path.rfind('/') + 1));
}

const GumboNode* scan_image(const PageAnalysis& analysis, const ParseInput& input,
                            const std::optional<std::string>& pdf) {
  const auto images = html::find_all(
      analysis.document.root(), [](const GumboNode* n) { return html::tag(n) == GUMBO_TAG_IMG; });
  // The picture the image map lies over is the page.
  for (const GumboNode* image : images) {
    if (!html::attribute(image, "usemap").empty()) {
      return image;
    }
  }
  // Else a picture kept beside the page's PDF (Founder: the same folder).
  if (pdf) {
    const std::string folder = folder_of(*pdf);
    for (const GumboNode* image : images) {
      const std::string url = resolve_url(input.links_base(), html::attribute(image, "src"));
      if (has_http_scheme(url) && folder_of(url) == folder) {
        return image;
      }
    }
  }
  return nullptr;
}

std::vector<MapArea> map_areas(const PageAnalysis& analysis, const ParseInput& input,
                               const GumboNode* scan) {
  std::string map_name;
  if (scan != nullptr) {
    const std::string_view usemap = html::attribute(scan, "usemap");
    map_name = std::string(usemap.starts_with('#') ? usemap.substr(1) : usemap);
  }
  const auto maps = html::find_all(
      analysis.document.root(), [](const GumboNode* n) { return html::tag(n) == GUMBO_TAG_MAP; });
  const GumboNode* chosen = nullptr;
  for (const GumboNode* map : maps) {
    if (!map_name.empty() &&
        (html::attribute(map, "name") == map_name || html::attribute(map, "id") == map_name)) {
      chosen = map;
      break;
    }
  }
  if (chosen == nullptr && maps.size() == 1) {
    chosen = maps.front();  // one map, named loosely (case, a missing '#')
  }
  std::vector<MapArea> areas;
  if (chosen == nullptr) {
    return areas;
  }
  for (const GumboNode* area :
       html::find_all(chosen, [](const GumboNode* n) { return html::tag(n) == GUMBO_TAG_AREA; })) {
    const std::string url = resolve_url(input.links_base(), html::attribute(area, "href"));
    if (!has_http_scheme(url)) {
      continue;
    }
    std::string shape = ascii_lower(utf8::trim(html::attribute(area, "shape")));
    areas.push_back({.article_url = normalise_article_url(url),
                     .shape = shape.empty() ? "rect" : shape,
                     .coords = utf8::collapse_spaces(html::attribute(area, "coords"))});
  }
  return areas;
}

}  // namespace

PageAssets find_page_assets(const PageAnalysis& analysis, const ParseInput& input,
                            const std::optional<std::string>& page_label) {
  PageAssets found;
  const auto pdf = choose_pdf(pdf_links(analysis, input), page_label);
  if (pdf) {
    found.assets.push_back({.kind = AssetKind::pdf, .url = *pdf});
  }
  const GumboNode* scan = scan_image(analysis, input, pdf);
  if (scan != nullptr) {
    const std::string url = resolve_url(input.links_base(), html::attribute(scan, "src"));
    if (has_http_scheme(url)) {
      found.assets.push_back({.kind = AssetKind::page_image, .url = url});
    }
  }
  found.areas = map_areas(analysis, input, scan);
  return found;
}

}  // namespace archiver
