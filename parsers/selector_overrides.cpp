#include "parsers/selector_overrides.hpp"

#include "parsers/credits.hpp"
#include "parsers/dates.hpp"
#include "util/utf8.hpp"

namespace archiver {
namespace {

std::optional<std::string> first_text(const PageAnalysis& analysis, const ParseInput& input,
                                      std::string_view key) {
  const auto nodes = select_for(analysis, input, key);
  if (!nodes) {
    return std::nullopt;
  }
  // A selector that matches nothing on this page says "none": the field is empty, not guessed.
  return nodes->empty() ? std::string() : html::text(nodes->front());
}

// The selector points at the author field, so a label before the name needs no colon there:
// "撰稿 李红", "作者 李红".
std::string without_author_label(std::string_view text) {
  std::string_view rest = utf8::trim(text);
  for (const std::string_view label : {"作者", "撰稿", "执笔", "记者", "文", "编写"}) {
    if (rest.starts_with(label)) {
      std::string_view after = utf8::trim(rest.substr(label.size()));
      for (const std::string_view colon : {":", "：", "/"}) {
        if (after.starts_with(colon)) {
          after = utf8::trim(after.substr(colon.size()));
        }
      }
      if (!after.empty() && after.size() < rest.size()) {
        return std::string(after);
      }
    }
  }
  return std::string(rest);
}

}  // namespace

std::optional<std::vector<const GumboNode*>> select_for(const PageAnalysis& analysis,
                                                        const ParseInput& input,
                                                        std::string_view key) {
  if (input.selectors == nullptr) {
    return std::nullopt;
  }
  const auto found = input.selectors->find(std::string(key));
  if (found == input.selectors->end()) {
    return std::nullopt;
  }
  const auto selector = Selector::parse(found->second);
  if (!selector) {
    return std::nullopt;
  }
  return selector->select(analysis.document.root());
}

void apply_selectors(const PageAnalysis& analysis, const ParseInput& input, ArticleHints& hints) {
  if (input.selectors == nullptr || input.selectors->empty()) {
    return;
  }
  if (const auto title = select_for(analysis, input, "title"); title && !title->empty()) {
    hints.title = title->front();
    hints.title_text = html::text(title->front());
  }
  if (const auto body = select_for(analysis, input, "body"); body && !body->empty()) {
    hints.body = body->front();
  }
  if (auto kicker = first_text(analysis, input, "kicker")) {
    hints.kicker = std::move(kicker);
  }
  if (auto subtitle = first_text(analysis, input, "subtitle")) {
    hints.subtitle = std::move(subtitle);
  }
  const DateContext dates{.reference = input.reference_date};
  if (const auto text = first_text(analysis, input, "date")) {
    auto date = find_labelled_date(*text, dates);
    if (!date) {
      date = find_date(*text, dates);
    }
    hints.published = date ? date->to_iso() : std::string();
  }
  if (const auto text = first_text(analysis, input, "author")) {
    if (auto labelled = find_labelled_author(*text)) {
      hints.author = std::move(labelled);
    } else if (auto credit = split_trailing_credit(*text); credit && credit->text.empty()) {
      hints.author = credit->author;
    } else {
      hints.author = without_author_label(*text);
    }
  }
  if (const auto text = first_text(analysis, input, "source")) {
    auto labelled = find_labelled_source(*text);
    hints.source = labelled ? std::move(*labelled) : std::string(utf8::trim(*text));
  }
}

}  // namespace archiver
