#pragma once
// What Gumbo is given in place of a page: the same tree for less work. Gumbo makes a token of
// every character it reads and appends each to a text node, some 500 instructions a character,
// while building the tree asks of text only where it is and whether it is white space. So:
//
// - A page's style sheets are left out. No parser here reads CSS; the benchmark's pages carry
//   their style sheet inline, and it was an eighth of Gumbo's instructions per page.
// - In the body, each run of text (between tags, up to a character reference, without the
//   white space around it) is stood in by one character of the Private Use Area, and
//   put_back_text writes the run back into the tree. Text is most of a news page; Gumbo's parse
//   of the benchmark's pages takes 48% fewer instructions so (BENCHMARKS.md, callgrind).
// - A script's text, in the head or the body, is one run too: the tokenizer's script data state
//   makes a token of each character as well, and a page's counters and ads are scripts.
//
// The scan follows HTML's tokenizer (tags with their quoted attribute values, comments, bogus
// comments, the elements whose content is text), so that what it changes is text Gumbo would put
// inside a <style> element, or text read in the tokenizer's data or script data state. Where Gumbo
// might not treat <style> as one, or text as text (in a <select>, a frameset or a <template>, in
// SVG or MathML, after <plaintext>), or where the scan could not be sure where the tokenizer stands
// (a script with "<!--" in it, a self-closing raw-text tag, a construct the page never closes), it
// stops and leaves the rest of the page as it is. A run is stood in only where Gumbo would copy it
// as it is (valid UTF-8, without NUL, carriage return or the code points Gumbo reads as U+FFFD:
// most controls and the noncharacters), on a page with no character of the stand-ins' range
// U+E000-U+EFFF of its own, written or as a numeric character reference.

#include <gumbo.h>

#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

// html without the text inside its <style> elements; their tags stay, and everything else is
// kept byte for byte.
[[nodiscard]] std::string without_style_text(std::string html);

struct GumboInput {
  std::string html;                    // the page without style text, its runs stood in
  std::vector<std::string_view> runs;  // the runs, in order: views into the page
};

// What Gumbo parses for page; the result's runs view page, which must outlive them.
[[nodiscard]] GumboInput gumbo_input(std::string_view page);

// Writes the runs back in place of their stand-ins in the text nodes below root (Gumbo's tree
// of GumboInput::html). memory is what the tree's text is allocated from: a new text comes from
// it, and the text it replaces goes back to it.
void put_back_text(GumboNode* root, std::span<const std::string_view> runs,
                   std::pmr::memory_resource& memory);

}  // namespace archiver
