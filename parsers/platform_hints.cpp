#include "parsers/platform_hints.hpp"

#include "parsers/dates.hpp"
#include "util/utf8.hpp"

#include <algorithm>

namespace archiver {
namespace {

const GumboNode* element_with_id(const PageAnalysis& analysis, std::string_view id) {
  const auto found = html::find_all(analysis.document.root(), [&](const GumboNode* node) {
    return html::attribute(node, "id") == id;
  });
  return found.empty() ? nullptr : found.front();
}

bool has_class(const GumboNode* node, std::string_view name) {
  return html::has_class_or_id_token(node, std::span(&name, 1));
}

// The writer's name in WeChat's meta line: printed as typed, often behind an emoji ("🌏华商君");
// a slot that holds a slogan instead ("读武汉关注☞") names no one.
std::optional<std::string> wechat_writer(std::string_view text) {
  text = utf8::trim(text);
  std::size_t begin = 0;
  bool name_started = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = utf8::decode(text, pos);
    const bool name_char = utf8::is_cjk(cp.value) || utf8::is_ascii_alpha(cp.value) ||
                           utf8::is_ascii_digit(cp.value) || cp.value == U'·' || cp.value == U' ' ||
                           cp.value == U'_';
    if (name_char && !name_started) {
      name_started = true;
      begin = pos;
    } else if (!name_char && name_started) {
      return std::nullopt;
    }
    pos += cp.length;
  }
  if (!name_started) {
    return std::nullopt;
  }
  std::string name(utf8::trim(text.substr(begin)));
  const auto length = utf8::count_code_points(name);
  if (length < 2 || length > 20) {
    return std::nullopt;
  }
  return name;
}

void wechat_hints(const PageAnalysis& analysis, ArticleHints& hints) {
  const GumboNode* content = element_with_id(analysis, "js_content");
  const GumboNode* meta = element_with_id(analysis, "meta_content");
  if (content == nullptr || meta == nullptr) {
    return;
  }
  if (hints.body == nullptr) {
    hints.body = content;
  }
  if (hints.title == nullptr && !hints.title_text) {
    if (const GumboNode* title = element_with_id(analysis, "activity-name")) {
      hints.title = title;
      hints.title_text = html::text(title);
    }
  }
  // The meta line: date (em#post-date), the writer (a plain em), the account (a link).
  for (const GumboNode* node : html::find_all(meta, [](const GumboNode* n) {
         return html::tag(n) == GUMBO_TAG_EM || html::tag(n) == GUMBO_TAG_SPAN;
       })) {
    if (!has_class(node, "rich_media_meta_text") || has_class(node, "meta_original_tag") ||
        has_class(node, "rich_media_meta_nickname")) {  // the account, not the writer
      continue;
    }
    const std::string text = html::text(node);
    if (html::attribute(node, "id") == "post-date" ||
        html::attribute(node, "id") == "publish_time" || find_date(text).has_value()) {
      if (!hints.published) {
        if (const auto date = find_date(text)) {
          hints.published = date->to_iso();
        }
      }
      continue;
    }
    if (!hints.author && text != "原创") {
      if (auto writer = wechat_writer(text)) {
        hints.author = std::move(writer);
      }
    }
  }
  // The account is the source where the text names none ("来源：滨江市总工会" wins).
  const bool names_source = std::ranges::any_of(html::lines(content), [](const std::string& line) {
    return find_labelled_source(line).has_value();
  });
  if (!hints.source && !names_source) {
    for (const std::string_view id : {"js_name", "post-user"}) {
      if (const GumboNode* account = element_with_id(analysis, id)) {
        if (std::string name = html::text(account); !name.empty()) {
          hints.source = std::move(name);
          break;
        }
      }
    }
  }
}

}  // namespace

void apply_platform_hints(const PageAnalysis& analysis, std::string_view html,
                          ArticleHints& hints) {
  // WeChat's article markup: the text box js_content under the meta line rich_media_meta_list.
  if (html.find("js_content") != std::string_view::npos &&
      html.find("rich_media_meta") != std::string_view::npos) {
    wechat_hints(analysis, hints);
  }
}

}  // namespace archiver
