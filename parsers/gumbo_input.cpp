#include "parsers/gumbo_input.hpp"

#include "parsers/raw_text.hpp"
#include "util/ascii.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

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

// A stretch of the page the scan found: the text of a <style> element, the text of a <script>,
// or text the tokenizer reads in its data state after a <body> start tag.
struct Piece {
  enum class Kind { style_text, script_text, body_text } kind;
  std::size_t begin;
  std::size_t end;
};

// The pieces of page, in order; script and body text (the runs to stand in) only when asked for.
std::vector<Piece> scan_page(std::string_view page, bool with_runs) {
  std::vector<Piece> pieces;
  bool in_body = false;
  std::size_t text_from = 0;  // where the text before the next markup starts
  const auto text_until = [&](std::size_t end) {
    if (with_runs && in_body && text_from < end) {
      pieces.push_back({.kind = Piece::Kind::body_text, .begin = text_from, .end = end});
    }
  };
  // The longest name effect_of knows; a longer one is none of them.
  constexpr std::size_t k_longest_name = 9;
  std::string name;
  std::size_t pos = 0;
  for (;; text_from = pos) {
    pos = page.find('<', pos);
    text_until(pos == npos ? page.size() : pos);
    if (pos == npos || pos + 1 >= page.size()) {
      break;
    }
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
    in_body = in_body || name == "body";
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
      pieces.push_back({.kind = Piece::Kind::style_text, .begin = content, .end = end});
    }
    if (effect == Effect::script && with_runs && end > content) {
      pieces.push_back({.kind = Piece::Kind::script_text, .begin = content, .end = end});
    }
    pos = past_tag(page, end + 2 + name.size());  // the end tag, with any attributes it has
  }
  return pieces;
}

// The stand-ins: U+E000 and on, one per run, so that a run's number is in its stand-in.
constexpr unsigned char k_stand_in_lead = 0xEE;  // the first byte of U+E000-U+EFFF
constexpr std::size_t k_most_runs = 4096;        // as many as that range holds
// Shorter runs are left as they are: two Chinese characters save Gumbo little.
constexpr std::size_t k_shortest_run = 7;

// Whether the page holds a character of the stand-ins' range, written (its UTF-8 starts with
// their first byte) or as a numeric character reference: Gumbo writes what "&#xE600;" (or
// "&#58880", leading zeros and no ';' allowed) stands for into the tree, where it would pass for
// a stand-in. Icon fonts put such references on Chinese pages. Looked for anywhere, attributes
// and the text of <title> and <textarea> included: cheaper than knowing where Gumbo reads them.
bool has_stand_in_character(std::string_view page) {
  if (page.find(static_cast<char>(k_stand_in_lead)) != npos) {
    return true;
  }
  for (std::size_t at = page.find("&#"); at != npos; at = page.find("&#", at + 2)) {
    std::size_t pos = at + 2;
    const bool hex = pos < page.size() && (page[pos] == 'x' || page[pos] == 'X');
    pos += hex ? 1 : 0;
    char32_t value = 0;
    for (; pos < page.size(); ++pos) {
      const int digit = hex                         ? ascii_hex_value(page[pos])
                        : is_ascii_digit(page[pos]) ? page[pos] - '0'
                                                    : -1;
      if (digit < 0) {
        break;
      }
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(digit);
      if (value > 0x10FFFF) {
        // Gumbo's sum of the digits wraps around at 32 bits: a number this long may come
        // back into the range.
        return true;
      }
    }
    if (value >= 0xE000 && value <= 0xEFFF) {
      return true;
    }
  }
  return false;
}

// Whether Gumbo keeps a code point as it is. It reads NUL and carriage return its own way, and
// gives U+FFFD for the controls but tab, line feed and form feed, for U+FDD0-U+FDEF and for the
// last two code points of every plane (utf8_is_invalid_code_point in its utf8.c).
bool gumbo_keeps(char32_t point) {
  if (point < 0x20U) {
    return point == '\t' || point == '\n' || point == '\f';
  }
  return !(point >= 0x7FU && point <= 0x9FU) && !(point >= 0xFDD0U && point <= 0xFDEFU) &&
         (point & 0xFFFEU) != 0xFFFEU;
}

// Whether Gumbo copies text into its tree byte for byte: valid UTF-8 (it reads other bytes as
// U+FFFD) of code points it keeps.
bool copied_as_it_is(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80U) {
      if (!gumbo_keeps(byte)) {
        return false;
      }
      ++pos;
      continue;
    }
    // Most of a Chinese page: three bytes whose lead allows any continuation and whose code
    // points Gumbo all keeps (not E0 and ED: overlong forms and surrogates; not EF, which holds
    // U+FDD0 and U+FFFE), decoded in full only otherwise.
    if (((byte >= 0xE1U && byte <= 0xECU) || byte == 0xEEU) && text.size() - pos >= 3 &&
        utf8::is_continuation(static_cast<unsigned char>(text[pos + 1])) &&
        utf8::is_continuation(static_cast<unsigned char>(text[pos + 2]))) {
      pos += 3;
      continue;
    }
    const utf8::CodePoint point = utf8::decode(text, pos);
    if ((point.value == utf8::k_replacement && point.length == 1) || !gumbo_keeps(point.value)) {
      return false;
    }
    pos += point.length;
  }
  return true;
}

// Appends text to out, its run (without the white space around it) stood in when it can be.
void stand_in(std::string_view text, std::string& out, std::vector<std::string_view>& runs) {
  const std::size_t first = text.find_first_not_of(k_html_whitespace);
  const std::size_t last = text.find_last_not_of(k_html_whitespace);
  if (first == npos || last + 1 - first < k_shortest_run || runs.size() == k_most_runs ||
      !copied_as_it_is(text.substr(first, last + 1 - first))) {
    out.append(text);
    return;
  }
  const std::size_t number = runs.size();
  runs.push_back(text.substr(first, last + 1 - first));
  out.append(text.substr(0, first));
  out.push_back(static_cast<char>(k_stand_in_lead));
  out.push_back(static_cast<char>(0x80U | (number >> 6U)));
  out.push_back(static_cast<char>(0x80U | (number & 0x3FU)));
  out.append(text.substr(last + 1));
}

// Appends body text to out with its runs stood in. A character reference stays as it is, with
// whatever letters, digits and '#' follow its '&' and the ';' after them: Gumbo reads the
// longest reference it knows there, and what follows a reference without ';' can matter.
void stand_in_runs(std::string_view text, std::string& out, std::vector<std::string_view>& runs) {
  std::size_t from = 0;
  while (from < text.size()) {
    const std::size_t ampersand = std::min(text.find('&', from), text.size());
    stand_in(text.substr(from, ampersand - from), out, runs);
    if (ampersand == text.size()) {
      break;
    }
    std::size_t after = ampersand + 1;
    while (after < text.size() && (is_ascii_alnum(text[after]) || text[after] == '#')) {
      ++after;
    }
    if (after < text.size() && text[after] == ';') {
      ++after;
    }
    out.append(text.substr(ampersand, after - ampersand));
    from = after;
  }
}

}  // namespace

std::string without_style_text(std::string html) {
  const std::vector<Piece> pieces = scan_page(html, false);
  if (pieces.empty()) {
    return html;
  }
  const std::string_view page(html);
  std::string kept;
  std::size_t copied = 0;  // page[copied..] is not in `kept` yet
  for (const Piece& piece : pieces) {
    kept.append(page.substr(copied, piece.begin - copied));
    copied = piece.end;
  }
  kept.append(page.substr(copied));
  return kept;
}

GumboInput gumbo_input(std::string_view page) {
  GumboInput input;
  // A page with characters of the stand-ins' own range keeps its text.
  const std::vector<Piece> pieces = scan_page(page, !has_stand_in_character(page));
  input.html.reserve(page.size());
  std::size_t copied = 0;  // page[copied..] is not in input.html yet
  for (const Piece& piece : pieces) {
    input.html.append(page.substr(copied, piece.begin - copied));
    const std::string_view text = page.substr(piece.begin, piece.end - piece.begin);
    if (piece.kind == Piece::Kind::body_text) {
      stand_in_runs(text, input.html, input.runs);
    } else if (piece.kind == Piece::Kind::script_text) {
      stand_in(text, input.html, input.runs);  // script data has no character references
    }
    copied = piece.end;
  }
  input.html.append(page.substr(copied));
  return input;
}

void put_back_text(GumboNode* root, std::span<const std::string_view> runs,
                   std::pmr::memory_resource& memory) {
  if (runs.empty()) {
    return;
  }
  std::vector<GumboNode*> todo{root};
  std::string text;
  while (!todo.empty()) {
    GumboNode* node = todo.back();
    todo.pop_back();
    const GumboVector* children =
        node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
        : node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE
            ? &node->v.element.children
            : nullptr;
    if (children != nullptr) {
      for (unsigned i = 0; i < children->length; ++i) {
        todo.push_back(static_cast<GumboNode*>(children->data[i]));
      }
      continue;
    }
    // Stand-ins are text, never white space: they are in text nodes only. (And every character
    // of their range in a text node is one: gumbo_input stands in no run on a page that has
    // such a character of its own, written or referenced.)
    if (node->type != GUMBO_NODE_TEXT ||
        std::strchr(node->v.text.text, static_cast<char>(k_stand_in_lead)) == nullptr) {
      continue;
    }
    const std::string_view stood_in(node->v.text.text);
    text.clear();
    for (std::size_t pos = 0; pos < stood_in.size(); ++pos) {
      if (static_cast<unsigned char>(stood_in[pos]) == k_stand_in_lead &&
          pos + 2 < stood_in.size()) {
        const std::size_t number = ((static_cast<unsigned char>(stood_in[pos + 1]) & 0x3FU) << 6U) |
                                   (static_cast<unsigned char>(stood_in[pos + 2]) & 0x3FU);
        if (number < runs.size()) {
          text.append(runs[number]);
          pos += 2;
          continue;
        }
      }
      text.push_back(stood_in[pos]);
    }
    auto* copy = static_cast<char*>(memory.allocate(text.size() + 1, 1));
    std::memcpy(copy, text.c_str(), text.size() + 1);
    // Gumbo's own text, allocated by it: const only in its struct.
    memory.deallocate(const_cast<char*>(node->v.text.text), stood_in.size() + 1, 1);
    node->v.text.text = copy;
  }
}

}  // namespace archiver
