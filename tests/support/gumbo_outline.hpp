#pragma once
// A Gumbo tree written out as text, one node per line, to compare two parses: the test and the
// fuzz target of parsers/gumbo_input.cpp check that what Gumbo is given in place of a page
// changes nothing else in the tree than the text of its style sheets.

#include <gumbo.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver::testing {

// Every node with its depth: elements with their namespace, tag name and attributes, text,
// white space, CDATA and comments with their text. The text inside <style> elements is left out
// (the one thing the two parses may differ in), and so are parse positions.
inline std::string gumbo_outline(const GumboNode* root) {
  std::string out;
  std::vector<std::pair<const GumboNode*, std::size_t>> todo{{root, 0}};
  while (!todo.empty()) {
    const auto [node, depth] = todo.back();
    todo.pop_back();
    out.append(depth, ' ');
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      out += "#document";
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      const GumboElement& element = node->v.element;
      out += std::to_string(static_cast<int>(element.tag_namespace)) + ":";
      if (element.tag == GUMBO_TAG_UNKNOWN) {
        GumboStringPiece name = element.original_tag;
        gumbo_tag_from_original_text(&name);
        out += std::string_view(name.data, name.length);
      } else {
        out += gumbo_normalized_tagname(element.tag);
      }
      for (unsigned i = 0; i < element.attributes.length; ++i) {
        const auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
        out += std::string(" ") + attribute->name + "=\"" + attribute->value + "\"";
      }
      if (element.tag != GUMBO_TAG_STYLE || element.tag_namespace != GUMBO_NAMESPACE_HTML) {
        children = &element.children;
      }
    } else {
      out += std::to_string(static_cast<int>(node->type)) + "|" + node->v.text.text;
    }
    out += '\n';
    if (children != nullptr) {
      for (unsigned i = children->length; i > 0; --i) {
        todo.emplace_back(static_cast<const GumboNode*>(children->data[i - 1]), depth + 1);
      }
    }
  }
  return out;
}

// The outline of html as Gumbo parses it, with the options archiver uses (no errors kept).
inline std::string gumbo_outline(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  std::string outline = gumbo_outline(output->document);
  gumbo_destroy_output(&options, output);
  return outline;
}

}  // namespace archiver::testing
