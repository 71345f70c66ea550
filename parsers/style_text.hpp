#pragma once
// A page's style sheets, left out before Gumbo parses it. No parser here reads CSS, and Gumbo
// makes a token of every character of it and appends each to a text node: the benchmark's pages
// carry their style sheet inline, and it was an eighth of Gumbo's instructions per page.
//
// The scan follows HTML's tokenizer (tags with their quoted attribute values, comments, bogus
// comments, the other elements whose content is text), so that what it leaves out is the text
// Gumbo would put inside a <style> element. Where Gumbo might not treat <style> as one (in a
// <select>, a frameset or a <template>, in SVG or MathML, after <plaintext>), or where the scan
// could not be sure where the tokenizer stands (a script with "<!--" in it, a self-closing
// raw-text tag, a construct the page never closes), it stops and leaves the rest of the page as
// it is.

#include <string>

namespace archiver {

// html without the text inside its <style> elements; their tags stay, and everything else is
// kept byte for byte.
[[nodiscard]] std::string without_style_text(std::string html);

}  // namespace archiver
