#include "parsers/generic.hpp"

#include "parsers/boilerplate.hpp"
#include "parsers/credits.hpp"
#include "parsers/dates.hpp"
#include "parsers/page_lines.hpp"
#include "parsers/page_meta.hpp"
#include "parsers/platform_hints.hpp"
#include "parsers/selector_overrides.hpp"
#include "util/url.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <unordered_map>

namespace archiver {
namespace {

// ---- Body: the element whose paragraphs hold the most running Chinese text ----------------

bool is_paragraph_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_PRE:
      return true;
    default:
      return false;
  }
}

// A line counts as prose when it has enough Chinese text and is not mostly links.
bool is_prose(const PageLine& line) {
  return !line.in_boilerplate && line.cjk >= 10 && line.link_chars * 3 < line.chars &&
         !is_summary_line(line.folded) && !is_info_line(line.folded) && !is_stop_line(line.folded);
}

const GumboNode* find_body_container(const std::vector<PageLine>& lines) {
  // Paragraph lines credit the element holding the paragraphs; text lying directly in a
  // div/td credits that element. Half goes one level up, so that a container split into
  // sibling blocks still wins as a whole when that is where the text is.
  std::unordered_map<const GumboNode*, double> scores;
  for (const auto& line : lines) {
    if (!is_prose(line) || line.owner == nullptr) {
      continue;
    }
    const double score = static_cast<double>(line.cjk) + 20.0;
    const GumboNode* holder = line.owner;
    if (is_paragraph_tag(html::tag(holder)) && holder->parent != nullptr) {
      holder = holder->parent;
    }
    scores[holder] += score;
    if (holder->parent != nullptr && holder->parent->type == GUMBO_NODE_ELEMENT) {
      scores[holder->parent] += score / 2.0;
    }
  }
  const GumboNode* best = nullptr;
  double best_score = 0;
  for (const auto& [node, score] : scores) {
    if (score > best_score) {
      best = node;
      best_score = score;
    }
  }
  return best;
}

// ---- Title, kicker, subtitle ------------------------------------------------------------------

bool has_token(const std::vector<std::string>& tokens, std::span<const std::string_view> wanted) {
  return std::ranges::any_of(tokens, [&](const std::string& token) {
    return std::ranges::find(wanted, token) != wanted.end();
  });
}

constexpr std::array<std::string_view, 7> k_kicker_tokens = {
    "yinti", "yt", "kicker", "introtitle", "pretitle", "intro_title", "yinti_title"};
constexpr std::array<std::string_view, 9> k_subtitle_tokens = {
    "subtitle", "sub", "fbt", "futi", "fu", "ft", "subhead", "font02", "vice"};
constexpr std::array<std::string_view, 12> k_title_tokens = {
    "title",    "tit",          "bt",        "biaoti",       "headline",     "font01",
    "arttitle", "articletitle", "newstitle", "contenttitle", "detail_title", "h1"};

enum class HeadingRole { title, kicker, subtitle };

struct Candidate {
  const GumboNode* node = nullptr;
  std::string text;
  HeadingRole role = HeadingRole::title;
  std::size_t order = 0;  // index of its first line
  double score = 0;
};

// What separates a <title>'s segments: "标题_栏目_网站", "标题 - 网站", "标题|网站".
constexpr std::array<std::string_view, 5> k_title_separators{" - ", "_", "-", "|", "—"};

// The last segment of a <title> like "标题-安徽工人日报" or "标题_广元工会网": the site name.
std::string site_name_from_title(std::string_view title) {
  for (const std::string_view separator : k_title_separators) {
    const auto pos = title.rfind(separator);
    if (pos != std::string_view::npos && pos > 0) {
      return std::string(utf8::trim(title.substr(pos + separator.size())));
    }
  }
  return {};
}

// Whether text is the whole first segment of the page's <title> ("标题_栏目_网站").
bool is_title_segment(std::string_view page_title, std::string_view text) {
  if (!page_title.starts_with(text)) {
    return false;
  }
  const std::string_view rest = utf8::trim(page_title.substr(text.size()));
  return rest.empty() || std::ranges::any_of(k_title_separators, [&](std::string_view separator) {
           return rest.starts_with(utf8::trim(separator));
         });
}

// "发文机关：", "标　　题：": the label of a field in a gov 信息公开 table, never a headline.
bool is_field_label(std::string_view text) {
  const std::string folded = utf8::fold_width(utf8::trim(text));
  return folded.ends_with(":");
}

std::vector<Candidate> heading_candidates(const std::vector<PageLine>& lines, const PageMeta& meta,
                                          const GumboNode* body) {
  std::vector<Candidate> candidates;
  std::unordered_map<const GumboNode*, std::size_t> seen;
  const std::string site_name = site_name_from_title(meta.title);
  std::size_t body_start = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (body != nullptr && is_inside(lines[i].owner, body) && is_prose(lines[i])) {
      body_start = i;
      break;
    }
  }

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const PageLine& line = lines[i];
    if (line.in_boilerplate || line.owner == nullptr || seen.contains(line.owner)) {
      continue;
    }
    const GumboNode* node = line.owner;
    const auto tokens = html::class_and_id_tokens(node);
    const int level = html::heading_level(node);
    const bool titled = has_token(tokens, k_title_tokens);
    const bool kicker = has_token(tokens, k_kicker_tokens);
    const bool subtitle = has_token(tokens, k_subtitle_tokens);
    // A line the <title> begins with is the headline however it is marked up: a gov notice
    // prints it as a centred bold paragraph (<p><strong>) at the top of the text.
    const bool opens_page_title = line.chars >= 8 && is_title_segment(meta.title, line.text);
    if (level == 0 && !titled && !kicker && !subtitle && !opens_page_title) {
      continue;
    }
    seen.emplace(node, i);
    const std::size_t length = line.chars;
    if (length < 2 || length > 120 || line.link_chars * 2 > line.chars ||
        is_info_line(line.folded) || is_stop_line(line.folded) || is_field_label(line.text)) {
      continue;
    }
    Candidate candidate{.node = node, .text = line.text, .order = i};
    candidate.role =
        kicker ? HeadingRole::kicker : (subtitle ? HeadingRole::subtitle : HeadingRole::title);
    double score = 0;
    score += level == 1 ? 30 : level == 2 ? 22 : level == 3 ? 12 : level > 3 ? 8 : 0;
    score += titled ? 25 : 0;
    if (!meta.title.empty() && meta.title.find(line.text) != std::string::npos) {
      score += 40;
    }
    for (const auto& name :
         {meta.enp_field("title"), meta.first_meta({"articletitle", "og:title"})}) {
      if (name && utf8::collapse_spaces(*name) == line.text) {
        score += 60;
      }
    }
    if (!site_name.empty() && line.text == site_name) {
      score -= 80;
    }
    // Titles stand just above the body; far above it is the masthead, below it the lists.
    if (i < body_start) {
      score += body_start - i <= 12 ? 20 : 0;
    } else if (body != nullptr && !is_inside(node, body)) {
      score -= 40;
    }
    candidate.score = score;
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

struct Headings {
  std::optional<Candidate> title;
  std::optional<std::string> kicker;
  std::optional<std::string> subtitle;
};

Headings find_headings(const std::vector<PageLine>& lines, const PageMeta& meta,
                       const GumboNode* body) {
  Headings headings;
  auto candidates = heading_candidates(lines, meta, body);
  for (const auto& candidate : candidates) {
    if (candidate.role == HeadingRole::title &&
        (!headings.title || candidate.score > headings.title->score)) {
      headings.title = candidate;
    }
  }
  if (!headings.title) {
    return headings;
  }
  // Kicker and subtitle are the marked headings right around the title.
  for (const auto& candidate : candidates) {
    const std::size_t distance = candidate.order > headings.title->order
                                     ? candidate.order - headings.title->order
                                     : headings.title->order - candidate.order;
    if (distance > 3 || candidate.node == headings.title->node) {
      continue;
    }
    if (candidate.role == HeadingRole::kicker && candidate.order < headings.title->order) {
      headings.kicker = candidate.text;
    } else if (candidate.role == HeadingRole::subtitle && candidate.order > headings.title->order) {
      headings.subtitle = candidate.text;
    }
  }
  if (!headings.kicker) {
    headings.kicker = meta.enp_field("introtitle");
  }
  if (!headings.subtitle) {
    headings.subtitle = meta.enp_field("subtitle");
  }
  return headings;
}

std::string fallback_title(const PageMeta& meta) {
  if (auto title = meta.enp_field("title")) {
    return *title;
  }
  if (auto title = meta.first_meta({"articletitle", "og:title"})) {
    return *title;
  }
  std::string title = meta.title;
  const std::string site = site_name_from_title(title);
  if (!site.empty() && title.size() > site.size() + 1) {
    title = std::string(utf8::trim(title.substr(0, title.size() - site.size() - 1)));
    while (!title.empty() && (title.back() == '-' || title.back() == '_' || title.back() == '|')) {
      title.pop_back();
    }
  }
  return std::string(utf8::trim(title));
}

}  // namespace

// ---- Labelled fields: source -----------------------------------------------------------------

std::optional<std::string> find_labelled_source(std::string_view line) {
  // Every label holds 源 or 出处, which folding leaves as they are: the many lines with neither
  // (this runs for each line of a page) are neither folded nor searched seven times.
  if (line.find("源") == std::string_view::npos && line.find("出处") == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string text = utf8::fold_width(line);
  for (const std::string_view label :
       {"信息来源:", "稿件来源:", "文章来源:", "来源于:", "来源:", "來源:", "出处:"}) {
    const auto pos = text.find(label);
    if (pos == std::string::npos) {
      continue;
    }
    std::string_view rest = utf8::trim(std::string_view(text).substr(pos + label.size()));
    // The value ends at two spaces, or at the next label.
    std::size_t end = rest.find("  ");
    for (const std::string_view next :
         {" 作者", " 发布", " 發布", " 点击", " 點擊", " 浏览", " 瀏覽", " 阅读", " 閱讀", " 编辑",
          " 編輯", " 责任编辑", " 时间", " 時間", " 日期", " 字号", " 评论", " 分享", "【"}) {
      end = std::min(end, rest.find(next));
    }
    std::string value(utf8::trim(rest.substr(0, std::min(end, rest.size()))));
    if (!value.empty() && utf8::count_code_points(value) <= 40) {
      return value;
    }
  }
  return std::nullopt;
}

namespace {

// ---- Pictures ---------------------------------------------------------------------------------

bool is_small(const GumboNode* image) {
  for (const char* dimension : {"width", "height"}) {
    const std::string_view value = html::attribute(image, dimension);
    int pixels = 0;
    const auto parsed = std::from_chars(value.data(), value.data() + value.size(), pixels);
    if (parsed.ec == std::errc{} && pixels > 0 && pixels < 60) {
      return true;  // icons, bullets, spacers
    }
  }
  return false;
}

// A caption line: 图为…, 上图…, or a photographer's credit (记者 王玉玉 摄).
bool reads_as_caption(std::string_view text) {
  const std::string folded = utf8::fold_width(text);
  const std::string_view line = utf8::trim(folded);
  // A caption is a line; a long paragraph ending in a credit is a 图片新闻's text, the article
  // itself, not the photo's caption.
  if (line.empty() || utf8::count_code_points(line) > 80) {
    return false;
  }
  for (const std::string_view start : {"图为", "图:", "上图", "下图", "左图", "右图", "图片"}) {
    if (line.starts_with(start)) {
      return true;
    }
  }
  for (const std::string_view end : {"摄)", "摄", "供图)", "供图"}) {
    if (line.ends_with(end)) {
      return true;
    }
  }
  return false;
}

// A heading's numbering: 1., 一、, （一）, 第一.
bool is_digit_or_numeral(char32_t cp) {
  return utf8::is_ascii_digit(cp) || cp == U'一' || cp == U'二' || cp == U'三' || cp == U'四' ||
         cp == U'五' || cp == U'六' || cp == U'七' || cp == U'八' || cp == U'九' || cp == U'十' ||
         cp == U'(' || cp == U'第';
}

bool is_centred(const GumboNode* block) {
  const std::string style = utf8::fold_width(html::attribute(block, "style"));
  return style.find("text-align:center") != std::string::npos ||
         style.find("text-align: center") != std::string::npos ||
         html::attribute(block, "align") == "center" || html::tag(block) == GUMBO_TAG_CENTER;
}

// A short centred line under a centred picture, as WeChat and CMS editors set a caption:
// <p style="text-align:center"><span>招聘会现场</span></p>. Not a centred heading of the text
// ("一、加强组织领导", bold or a heading), nor a line with a clause in it.
bool is_centred_label(const GumboNode* picture, const GumboNode* block, std::string_view text) {
  constexpr std::size_t k_max_label = 30;
  const std::string folded = utf8::fold_width(utf8::trim(text));
  const std::string_view line = folded;
  if (!is_centred(picture) || !is_centred(block) || line.empty() ||
      utf8::count_code_points(line) > k_max_label || is_info_line(line) || is_stop_line(line)) {
    return false;
  }
  for (const std::string_view mark : {"。", ",", "!", "?", ";", "、", ":"}) {
    if (line.find(mark) != std::string_view::npos) {
      return false;
    }
  }
  const bool emphasised =
      !html::find_all(block, [](const GumboNode* node) {
         const GumboTag tag = html::tag(node);
         return tag == GUMBO_TAG_STRONG || tag == GUMBO_TAG_B || html::heading_level(node) > 0;
       }).empty();
  const bool numbered = is_digit_or_numeral(utf8::decode(line, 0).value);
  return !emphasised && !numbered && html::heading_level(block) == 0;
}

// The line printed under a picture: the block after the one the picture sits in (e-papers and
// CMS editors put the picture in a centred paragraph and its caption in the next).
std::optional<std::string> caption_below(const GumboNode* image) {
  // Up through the wrappers that hold the picture alone (p, center, a span).
  const GumboNode* block = image;
  while (block->parent != nullptr && html::is_element(block->parent) &&
         html::tag(block->parent) != GUMBO_TAG_BODY && html::text(block->parent).empty()) {
    block = block->parent;
  }
  const GumboNode* parent = block->parent;
  if (parent == nullptr || !html::is_element(parent)) {
    return std::nullopt;
  }
  const auto siblings = html::children(parent);
  const auto self = std::ranges::find(siblings, block);
  for (auto next = self == siblings.end() ? self : self + 1; next != siblings.end(); ++next) {
    if (!html::is_element(*next)) {
      if ((*next)->type == GUMBO_NODE_TEXT && !utf8::trim((*next)->v.text.text).empty()) {
        return std::nullopt;  // text runs on after the picture: no caption line of its own
      }
      continue;
    }
    const std::string text = html::text(*next);
    if (reads_as_caption(text) || is_centred_label(block, *next, text)) {
      return text;
    }
    return std::nullopt;  // only the very next line may be the caption
  }
  return std::nullopt;
}

// The caption a page prints with a picture: its figure's figcaption, a caption-classed element
// after it, the next row of the small table it sits in (Founder), or a telling alt text.
std::optional<std::string> caption_of(const GumboNode* image) {
  const auto caption_element = [](const GumboNode* node) {
    static constexpr std::array<std::string_view, 6> k_caption_tokens = {
        "caption", "desc", "imgtxt", "pictext", "tuzhu", "bt_pic"};
    return html::tag(node) == GUMBO_TAG_FIGCAPTION ||
           html::has_class_or_id_token(node, k_caption_tokens);
  };
  // Up through the picture's own wrappers (figure, cell, row, small table), never into the
  // element that holds the article's paragraphs.
  int levels = 0;
  for (const GumboNode* level = image->parent;
       level != nullptr && html::is_element(level) && levels < 5; level = level->parent, ++levels) {
    if (html::tag(level) == GUMBO_TAG_TABLE) {
      const auto rows =
          html::find_all(level, [](const GumboNode* n) { return html::tag(n) == GUMBO_TAG_TR; });
      if (rows.size() == 2) {
        for (const GumboNode* row : rows) {
          const std::string text = html::text(row);
          if (!text.empty() && utf8::count_code_points(text) <= 100) {
            return text;
          }
        }
      }
      break;
    }
    const auto paragraphs = html::find_all(level, [](const GumboNode* n) {
      return html::tag(n) == GUMBO_TAG_P && utf8::count_cjk(html::text(n)) >= 30;
    });
    if (!paragraphs.empty()) {
      break;
    }
    for (const GumboNode* node : html::find_all(level, caption_element)) {
      const std::string text = html::text(node);
      if (!text.empty()) {
        return text;
      }
    }
  }
  if (auto below = caption_below(image)) {
    return below;
  }
  const std::string alt = utf8::collapse_spaces(html::attribute(image, "alt"));
  if (utf8::count_cjk(alt) >= 4) {
    return alt;
  }
  return std::nullopt;
}

// Where a picture's bytes are: lazy-loading pages keep them in data-original or data-src and put
// a placeholder in src. A data: URL is kept as the page has it (shortened): the bytes are in the
// archived page itself, and the asset stage says so rather than dropping the picture unseen.
std::string image_url(const ParseInput& input, const GumboNode* image) {
  std::string_view source;
  for (const char* name : {"data-original", "data-src", "src"}) {
    source = utf8::trim(html::attribute(image, name));
    if (!source.empty()) {
      break;
    }
  }
  constexpr std::size_t k_max_data_url = 120;
  if (source.size() >= 5 && (source.starts_with("data:") || source.starts_with("DATA:"))) {
    return source.size() <= k_max_data_url ? std::string(source)
                                           : std::string(source.substr(0, k_max_data_url)) + "…";
  }
  return resolve_url(input.links_base(), source);
}

// Pictures between the title and the end of the body: the article's own, not logos, ads,
// picture lists (images inside links) or furniture.
std::vector<ArticleImage> find_images(const ParseInput& input, const GumboNode* title,
                                      const GumboNode* body) {
  std::vector<ArticleImage> images;
  if (body == nullptr) {
    return images;
  }
  // The article's region: the smallest element holding both the title and the body.
  const GumboNode* region = body;
  if (title != nullptr) {
    while (region != nullptr && !is_inside(title, region)) {
      region = region->parent;
    }
  }
  if (region == nullptr) {
    region = body;
  }
  bool after_title = title == nullptr || is_inside(title, body);
  html::walk(region, [&](const GumboNode* node) {
    if (node == title) {
      after_title = true;
      return false;
    }
    if (html::tag(node) == GUMBO_TAG_A || is_boilerplate_element(node)) {
      return false;
    }
    if (html::tag(node) != GUMBO_TAG_IMG || !after_title || is_small(node)) {
      return true;
    }
    std::string url = image_url(input, node);
    if (url.empty() || std::ranges::find(images, url, &ArticleImage::url) != images.end()) {
      return true;
    }
    images.push_back({.url = std::move(url), .caption = caption_of(node)});
    return true;
  });
  return images;
}

// ---- Assembly ---------------------------------------------------------------------------------

bool is_bare_role(std::string_view paragraph) {
  const std::string text = utf8::collapse_spaces(paragraph);
  for (const std::string_view role :
       {"本报记者", "记者", "通讯员", "摄影", "摄", "图", "文/图", "图/文", "本报讯", "特约记者"}) {
    if (text == role) {
      return true;
    }
  }
  return false;
}

std::string_view strip_byline_marker(std::string_view text) {
  text = utf8::trim(text);
  for (const std::string_view marker : {"□", "■", "◎", "●", "○", "◇"}) {
    if (text.starts_with(marker)) {
      return utf8::trim(text.substr(marker.size()));
    }
  }
  return text;
}

// A short line of names with no sentence in it, marked (□ 孙晓梅) or labelled (本报记者 X).
bool is_byline(std::string_view paragraph) {
  const std::string_view text = utf8::trim(paragraph);
  if (utf8::count_code_points(text) > 30) {
    return false;
  }
  for (const std::string_view mark : {"。", "，", "！", "？", ",", "：", "“"}) {
    if (text.find(mark) != std::string_view::npos) {
      return false;
    }
  }
  return strip_byline_marker(text).size() != text.size() || find_labelled_author(text).has_value();
}

// Whether the line names this credit its editor too ("作者：陈海峰 责任编辑：陈海峰"): a CMS
// that fills the author field with the editor's name.
bool credits_as_editor(std::string_view line, std::string_view name) {
  const std::string text = utf8::fold_width(line);
  for (const std::string_view label : {"编辑:", "责编:", "编辑 ", "责编 "}) {
    for (auto pos = text.find(label); pos != std::string::npos; pos = text.find(label, pos + 1)) {
      if (utf8::trim(std::string_view(text).substr(pos + label.size())).starts_with(name)) {
        return true;
      }
    }
  }
  return false;
}

std::optional<std::string> date_from_meta(const PageMeta& meta) {
  for (const auto& value :
       {meta.first_meta({"pubdate", "publishdate", "article:published_time", "og:release_date",
                         "dc.date.issued", "dc.date", "publish_time", "firstpublishedtime"}),
        meta.enp_field("date")}) {
    if (!value) {
      continue;
    }
    auto parsed = parse_machine_date(*value);
    if (!parsed) {
      continue;
    }
    // Founder's enpproperty writes midnight for "no time": a date-only value.
    if (parsed->hour == 0 && parsed->minute.value_or(0) == 0 && parsed->second.value_or(0) == 0) {
      parsed->hour.reset();
      parsed->minute.reset();
      parsed->second.reset();
    }
    return parsed->to_iso();
  }
  return std::nullopt;
}

}  // namespace

PageAnalysis::PageAnalysis(std::string_view html, std::string_view url)
    : document(std::string(html)),
      meta(read_page_meta(document)),
      lines(collect_lines(document, boilerplate)),
      base_url(meta.base_href.empty() ? std::string() : resolve_url(url, meta.base_href)) {}

ParsedPage parse_generic(const ParseInput& page_input) {
  const PageAnalysis page_analysis(page_input.html, page_input.url);
  const ParseInput input = page_analysis.with_base(page_input);
  ArticleHints hints;
  apply_selectors(page_analysis, input, hints);
  apply_platform_hints(page_analysis, input.html, hints);
  ParsedPage page;
  Article article = extract_article(page_analysis, input, hints);
  if (!article.title.empty() || !article.body.empty()) {
    page.articles.push_back(std::move(article));
  }
  return page;
}

Article extract_article(const PageAnalysis& analysis, const ParseInput& input,
                        const ArticleHints& hints) {
  const PageMeta& meta = analysis.meta;
  const std::vector<PageLine>& lines = analysis.lines;
  const GumboNode* body_node = hints.body != nullptr ? hints.body : find_body_container(lines);
  Headings headings = find_headings(lines, meta, body_node);
  if (hints.title != nullptr) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (is_inside(lines[i].owner, hints.title)) {
        headings.title = Candidate{.node = hints.title,
                                   .text = html::text(hints.title),
                                   .role = HeadingRole::title,
                                   .order = i,
                                   .score = 0};
        break;
      }
    }
  }
  const DateContext date_context{.reference = input.reference_date};

  Article article;
  article.title = headings.title ? headings.title->text : fallback_title(meta);
  article.kicker = headings.kicker;
  article.subtitle = headings.subtitle;
  if (article.kicker && article.kicker->empty()) {
    article.kicker.reset();
  }
  if (article.subtitle && article.subtitle->empty()) {
    article.subtitle.reset();
  }

  // The info zone: lines between the title and the first body paragraph (date, source, author):
  // the six after the title, and up to twelve where the text starts lower (old table layouts
  // put a row of tools or a picture between).
  const std::size_t title_line = headings.title ? headings.title->order : 0;
  std::size_t first_prose = lines.size();
  for (std::size_t i = title_line + 1; i < lines.size(); ++i) {
    if (body_node != nullptr && is_inside(lines[i].owner, body_node) && is_prose(lines[i])) {
      first_prose = i;
      break;
    }
  }
  const auto in_info_zone = [&](std::size_t i) {
    constexpr std::size_t k_near = 6;
    constexpr std::size_t k_far = 12;
    return i > title_line &&
           (i <= title_line + k_near || (i <= title_line + k_far && i < first_prose));
  };
  std::vector<const PageLine*> info_zone;
  std::vector<const PageLine*> body_lines;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const PageLine& line = lines[i];
    const bool in_body = body_node != nullptr && is_inside(line.owner, body_node);
    if (in_body && !line.in_boilerplate) {
      body_lines.push_back(&line);
    }
    if (in_info_zone(i) && (!in_body || is_info_line(line.folded))) {
      info_zone.push_back(&line);
    }
  }

  // Body paragraphs: stop at the first furniture line once the article has started.
  std::vector<std::string> paragraphs;
  std::optional<std::string> body_info_author;  // "来源：IT之家 作者：骑士" inside the text box
  const PageLine* last_paragraph_line = nullptr;
  // The title, 引题 and 副题 as a line reads (whitespace collapsed, as each line's text is): a
  // body line repeating one is left out.
  const auto as_line = [](const std::optional<std::string>& text) {
    return text ? std::optional<std::string>(utf8::collapse_spaces(*text)) : std::nullopt;
  };
  const std::array<std::optional<std::string>, 3> headings_as_lines{
      as_line(article.title), as_line(article.kicker), as_line(article.subtitle)};
  const auto repeats_a_heading = [&](std::string_view text) {
    return std::ranges::any_of(headings_as_lines,
                               [&](const auto& heading) { return heading && *heading == text; });
  };
  for (const PageLine* line : body_lines) {
    const std::string_view text = line->text;
    if (is_stop_line(line->folded)) {
      if (!paragraphs.empty()) {
        break;
      }
      continue;
    }
    if (is_info_line(line->folded)) {
      if (!body_info_author) {
        body_info_author = find_labelled_author(text);
      }
      continue;
    }
    if (is_tool_line(line->folded) || is_summary_line(line->folded) ||
        is_original_title_line(line->folded) || repeats_a_heading(text) ||
        line->link_chars * 2 > line->chars) {
      continue;
    }
    paragraphs.emplace_back(text);
    last_paragraph_line = line;
  }

  // Published: machine metadata first, then the info zone, then labels anywhere, then the URL,
  // then a date printed above the title (e-paper mastheads).
  article.published = date_from_meta(meta);
  // Lines a reader sees come first: a hidden copy of the info line (display:none, furniture)
  // may carry another precision or another person's credit.
  const auto first_date = [&](auto&& finder, const auto& zone) -> std::optional<std::string> {
    for (const bool hidden : {false, true}) {
      for (const PageLine* line : zone) {
        if (line->in_boilerplate != hidden) {
          continue;
        }
        if (auto date = finder(line->text)) {
          return date->to_iso();
        }
      }
    }
    return std::nullopt;
  };
  const auto labelled = [&](std::string_view text) {
    return find_labelled_date(text, date_context);
  };
  const auto any_date = [&](std::string_view text) { return find_date(text, date_context); };
  std::optional<std::string> shown = first_date(labelled, info_zone);
  if (!shown) {
    shown = first_date(any_date, info_zone);
  }
  std::vector<const PageLine*> all_lines;
  std::vector<const PageLine*> above_title;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    all_lines.push_back(&lines[i]);
    if (i < title_line) {
      above_title.push_back(&lines[i]);
    }
  }
  // The time as the page shows it: metadata often carries the day alone ("publishdate"
  // 2024-05-09) or a time to another precision than the one printed beside the headline. A
  // printed date of the same day with its time wins; one of another day does not (PubDate is
  // the reliable one of the two).
  // Where the info zone has none, the masthead above the title may print it (never a related
  // article's time further down the page).
  if (article.published && !shown) {
    shown = first_date(labelled, above_title);
    if (!shown) {
      shown = first_date(any_date, above_title);
    }
  }
  if (article.published && shown && shown->size() > 10 &&
      shown->substr(0, 10) == article.published->substr(0, 10)) {
    article.published = shown;
  }
  if (!article.published) {
    article.published = shown;
  }
  if (!article.published) {
    article.published = first_date(labelled, all_lines);
  }
  if (!article.published) {
    if (auto date = date_from_url(input.url)) {
      article.published = date->to_iso();
    }
  }
  if (!article.published) {
    article.published = first_date(any_date, above_title);
  }

  // Source: gov CMS meta, then labels in the info zone, then labels anywhere outside the body.
  article.source = meta.first_meta({"contentsource", "source"});
  for (const auto* zone : {&info_zone, &all_lines}) {
    for (const PageLine* line : *zone) {
      if (article.source) {
        break;
      }
      article.source = find_labelled_source(line->text);
    }
  }

  // Author: a labelled byline near the title, Founder's metadata, then the credit that ends the
  // body ("(王宝湖)", "王玉玉/摄"), then a byline opening the body (本报记者 X).
  // A hidden copy of the info line (display:none) is the last resort: some CMSs fill its 作者
  // with the editor's name.
  for (const PageLine* line : info_zone) {
    if (!article.author && !line->in_boilerplate) {
      article.author = find_labelled_author(line->text);
    }
  }
  if (!article.author) {
    article.author = meta.enp_field("author");
  }
  if (!paragraphs.empty()) {
    if (auto credit = split_trailing_credit(paragraphs.back())) {
      if (!article.author) {
        article.author = credit->author;
      }
      paragraphs.back() = credit->text;
    } else if (auto photographer = find_photo_credit(paragraphs.back())) {
      if (!article.author) {
        article.author = *photographer;
      }
      std::string& last = paragraphs.back();
      const auto pos = last.rfind(*photographer);
      if (pos != std::string::npos) {
        last = std::string(utf8::trim(std::string_view(last).substr(0, pos)));
      }
    }
    if (paragraphs.back().empty()) {
      paragraphs.pop_back();
    }
  }
  // What a photo credit leaves behind ("本报记者 王晓丹 摄" without the name) is no paragraph.
  if (!paragraphs.empty() && is_bare_role(paragraphs.back())) {
    paragraphs.pop_back();
  }
  // A byline standing alone above the text ("本报记者 陶然 通讯员 吴迪", "文/图 记者 赵明",
  // "□ 孙晓梅") credits the author and is not part of the body.
  if (!paragraphs.empty() && is_byline(paragraphs.front())) {
    auto byline = find_labelled_author(paragraphs.front());
    if (!byline) {
      byline = std::string(utf8::trim(strip_byline_marker(paragraphs.front())));
    }
    if (!article.author && byline && !byline->empty()) {
      article.author = byline;
    }
    paragraphs.erase(paragraphs.begin());
  }
  // A byline standing alone under the text ("新京报记者 李春平"); a closing bullet point
  // ("● 坚持以人民为中心") names no one and stays.
  if (paragraphs.size() > 1 && is_byline(paragraphs.back())) {
    if (auto byline = find_labelled_author(paragraphs.back())) {
      if (!article.author) {
        article.author = std::move(byline);
      }
      paragraphs.pop_back();
    }
  }
  if (!article.author) {
    article.author = body_info_author;
  }
  // A dateline's credit: 新华社东京9月15日电（记者陈泽安 蓝建中）.
  if (!article.author && !paragraphs.empty()) {
    article.author = find_labelled_author(paragraphs.front());
  }
  for (const PageLine* line : info_zone) {
    if (!article.author && line->in_boilerplate) {
      auto byline = find_labelled_author(line->text);
      if (byline && !credits_as_editor(line->text, *byline)) {
        article.author = byline;
      }
    }
  }
  // The portal's line under the text: "本文来源：经济观察报 作者：张恒".
  if (!article.author && last_paragraph_line != nullptr) {
    const auto after_body = static_cast<std::size_t>(last_paragraph_line - lines.data()) + 1;
    for (std::size_t i = after_body; i < lines.size() && i < after_body + 8; ++i) {
      if (is_info_line(lines[i].folded) || is_byline(lines[i].text)) {
        if (auto byline = find_labelled_author(lines[i].text)) {
          article.author = byline;
          break;
        }
      }
    }
  }

  // The headline printed again at the top of the text, whole or in its lines ("重庆市人民政府
  // 办公厅" / "关于印发《…》的通知"), is no body text.
  const std::string title_text = utf8::collapse_spaces(article.title);
  while (paragraphs.size() > 1 && utf8::count_code_points(paragraphs.front()) >= 4 &&
         title_text.find(utf8::collapse_spaces(paragraphs.front())) != std::string::npos) {
    paragraphs.erase(paragraphs.begin());
  }
  article.body = std::move(paragraphs);
  article.images = find_images(input, headings.title ? headings.title->node : nullptr, body_node);
  // A caption is not body text.
  std::erase_if(article.body, [&](const std::string& paragraph) {
    return std::ranges::any_of(
        article.images, [&](const ArticleImage& image) { return image.caption == paragraph; });
  });
  // What the family or the site's selectors know wins over the heuristics.
  const auto take = [](std::optional<std::string>& field, const std::optional<std::string>& hint) {
    if (hint) {
      field = hint->empty() ? std::nullopt : hint;
    }
  };
  if (hints.title_text) {
    article.title = *hints.title_text;
  }
  take(article.kicker, hints.kicker);
  take(article.subtitle, hints.subtitle);
  take(article.published, hints.published);
  take(article.author, hints.author);
  take(article.source, hints.source);
  return article;
}

}  // namespace archiver
