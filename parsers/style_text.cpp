#include "parsers/style_text.hpp"

#include "parsers/raw_text.hpp"
#include "util/ascii.hpp"

#include <string_view>

namespace archiver {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// The tokenizer reads a carriage return as a line feed, so it separates as one does.
bool is_html_space(char c) { return is_ascii_space(c, k_html_whitespace); }

// From the first character after a tag's name, the position just past the '>' that ends the
// tag (npos when the page ends first). The tokenizer's attribute states, folded into the few
// that decide where the tag ends: a quote opens a value only where a value starts, and a '>'
// inside a quoted value does not end the tag.
std::size_t past_tag(std::string_view html, std::size_t pos) {
  enum class State { between, name, after_name, before_value, quoted, unquoted };
  State state = State::between;  // before an attribute's name, after a value or after a '/'
  char quote = 0;
  for (; pos < html.size(); ++pos) {
    const char c = html[pos];
    switch (state) {
      case State::between:
        if (c == '>') {
          return pos + 1;
        }
        if (!is_html_space(c) && c != '/') {
          state = State::name;  // even a '=' or a quote: the tokenizer takes them as a name
        }
        break;
      case State::name:
        if (c == '>') {
          return pos + 1;
        }
        if (c == '=') {
          state = State::before_value;
        } else if (is_html_space(c)) {
          state = State::after_name;
        } else if (c == '/') {
          state = State::between;
        }
        break;
      case State::after_name:
        if (c == '>') {
          return pos + 1;
        }
        if (c == '=') {
          state = State::before_value;
        } else if (c == '/') {
          state = State::between;
        } else if (!is_html_space(c)) {
          state = State::name;
        }
        break;
      case State::before_value:
        if (c == '>') {
          return pos + 1;  // a missing value ends the tag
        }
        if (c == '"' || c == '\'') {
          quote = c;
          state = State::quoted;
        } else if (!is_html_space(c)) {
          state = State::unquoted;
        }
        break;
      case State::quoted:
        if (c == quote) {
          state = State::between;
        }
        break;
      case State::unquoted:
        if (c == '>') {
          return pos + 1;
        }
        if (is_html_space(c)) {
          state = State::between;
        }
        break;
    }
  }
  return npos;
}

// What a start tag does to the tokenizer, as Gumbo's tree builder sets it.
enum class Effect {
  none,
  style_text,  // RAWTEXT whose text is left out
  text,        // other RAWTEXT and RCDATA: text up to the end tag, kept
  script,      // script data: text up to the end tag unless "<!--" escapes it
  unknown,     // the scan stops: foreign content, <plaintext>, or where <style> may be no
               // style element (Gumbo ignores the tag in a <select>, in framesets, and after a
               // <col> in a <template>)
};

Effect effect_of(std::string_view name) {
  if (name == "style") {
    return Effect::style_text;
  }
  if (name == "script") {
    return Effect::script;
  }
  if (is_raw_text_element(name)) {
    return Effect::text;
  }
  // In a template, a <col> makes Gumbo ignore the <style> after it (the column group mode with
  // no colgroup open): templates are rare enough in news pages to stop at.
  if (name == "svg" || name == "math" || name == "plaintext" || name == "select" ||
      name == "frameset" || name == "template") {
    return Effect::unknown;
  }
  return Effect::none;  // <noscript> too: Gumbo parses with scripting off, its content is markup
}

// Past the comment that starts at pos ("<!--"): its end is the first "-->" (which may overlap
// the opening, as in "<!-->" and "<!--->") or "--!>" after the opening. npos: the page ends
// inside it. One pass over the dashes: looking for each ending to the end of the page made a
// page of many comments quadratic.
std::size_t past_comment(std::string_view html, std::size_t pos) {
  for (std::size_t dashes = html.find("--", pos + 2); dashes != npos;
       dashes = html.find("--", dashes + 1)) {
    const std::string_view after = html.substr(dashes + 2);
    if (after.starts_with('>')) {
      return dashes + 3;
    }
    if (dashes >= pos + 4 && after.starts_with("!>")) {
      return dashes + 4;
    }
  }
  return npos;
}

// Past the next '>' after pos: how a DOCTYPE and a bogus comment end. npos: the page ends.
std::size_t past_bracket(std::string_view html, std::size_t pos) {
  const std::size_t end = html.find('>', pos);
  return end == npos ? npos : end + 1;
}

}  // namespace

std::string without_style_text(std::string html) {
  const std::string_view page(html);
  std::string kept;
  std::size_t copied = 0;  // page[copied..] is not in `kept` yet
  // The longest name effect_of knows; a longer one is none of them.
  constexpr std::size_t k_longest_name = 9;
  std::string name;
  std::size_t pos = 0;
  while ((pos = page.find('<', pos)) != npos && pos + 1 < page.size()) {
    const char next = page[pos + 1];
    if (next == '!') {
      pos = page.substr(pos + 2, 2) == "--" ? past_comment(page, pos) : past_bracket(page, pos);
      continue;
    }
    if (next == '?') {
      pos = past_bracket(page, pos);
      continue;
    }
    const bool end_tag = next == '/';
    const std::size_t name_start = pos + (end_tag ? 2 : 1);
    if (name_start >= page.size() || !is_ascii_alpha(page[name_start])) {
      // "<" before anything else is text; "</" before anything else a bogus comment ("</>" is
      // dropped, which also ends at its '>').
      pos = end_tag ? past_bracket(page, pos) : pos + 1;
      continue;
    }
    std::size_t cursor = name_start;
    name.clear();
    for (; cursor < page.size() && !is_html_space(page[cursor]) && page[cursor] != '/' &&
           page[cursor] != '>';
         ++cursor) {
      if (name.size() <= k_longest_name) {
        name.push_back(ascii_lower(page[cursor]));
      }
    }
    const std::size_t content = past_tag(page, cursor);
    if (end_tag || content == npos) {
      pos = content;
      continue;
    }
    const Effect effect = name.size() > k_longest_name ? Effect::none : effect_of(name);
    if (effect == Effect::none) {
      pos = content;
      continue;
    }
    // A self-closing raw-text tag is left to Gumbo alone, as is everything after one.
    if (effect == Effect::unknown || page[content - 2] == '/') {
      break;
    }
    const std::size_t end = raw_text_end(page, name, content);
    if (end == npos ||
        (effect == Effect::script && page.substr(content, end - content).find("<!--") != npos)) {
      break;
    }
    if (effect == Effect::style_text && end > content) {
      kept.append(page.substr(copied, content - copied));
      copied = end;
    }
    pos = past_tag(page, end + 2 + name.size());  // the end tag, with any attributes it has
  }
  if (copied == 0) {
    return html;
  }
  kept.append(page.substr(copied));
  return kept;
}

}  // namespace archiver
