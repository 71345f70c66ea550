#include "parsers/html_document.hpp"

#include "parsers/gumbo_input.hpp"
#include "parsers/nesting.hpp"
#include "util/ascii.hpp"
#include "util/text_parts.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <stdexcept>

namespace archiver {

namespace {

// The largest page parsed in an arena (see m_arena): 128 KiB, 17 times the benchmark's average
// page. What Gumbo frees stays in the arena until the document goes: up to some 70 times the
// page for a hostile one (end tags full of one-letter attributes, measured with 8-byte
// rounding), so some 12 MiB at most per document.
constexpr std::size_t k_arena_page_limit = 128 * 1024;

// Gumbo's structures hold pointers, sizes and ints: 8 bytes is all the alignment they need, and
// more would round up its many allocations of a few bytes.
constexpr std::size_t k_arena_alignment = alignof(void*);

void* allocate_from_arena(void* arena, std::size_t size) {
  return static_cast<std::pmr::monotonic_buffer_resource*>(arena)->allocate(size,
                                                                            k_arena_alignment);
}

void leave_to_arena(void* /*arena*/, void* /*pointer*/) {}

// The tree of a page takes 6 to 10 times its HTML (measured on the benchmark's e-paper pages);
// the arena's first block is sized for that, and grows by itself for the rest.
std::size_t first_block_size(std::size_t html_size) { return 8 * html_size + 4096; }

// What Gumbo allocates a tree outside an arena with (its default: malloc and free), as a memory
// resource for put_back_text.
class GumboHeap final : public std::pmr::memory_resource {
  void* do_allocate(std::size_t bytes, std::size_t /*alignment*/) override {
    void* memory = std::malloc(bytes);  // Gumbo frees it
    if (memory == nullptr) {
      throw std::bad_alloc();
    }
    return memory;
  }
  void do_deallocate(void* memory, std::size_t /*bytes*/, std::size_t /*alignment*/) override {
    std::free(memory);  // Gumbo allocated it
  }
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

// Gumbo's defaults keep every parse error, each with a copy of the open-element stack: on a
// deeply nested page that is quadratic (a 100 KB page of 20,000 nested divs took 3 GB). archiver
// never reads the errors, so none are kept.
GumboOptions parse_options(std::pmr::monotonic_buffer_resource* arena) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  if (arena != nullptr) {
    options.allocator = allocate_from_arena;
    options.deallocator = leave_to_arena;
    options.userdata = arena;
  }
  return options;
}

}  // namespace

HtmlDocument::HtmlDocument(std::string html) {
  // The runs of input view html, which lives as long as this constructor: the document keeps
  // only what Gumbo parsed, as its nodes point into it.
  GumboInput input = gumbo_input(html);
  m_html = std::move(input.html);
  if (nests_deeper_than(m_html, k_max_nesting)) {
    throw std::runtime_error("HTML nested more than " + std::to_string(k_max_nesting) +
                             " levels deep: not parsed");
  }
  if (m_html.size() <= k_arena_page_limit) {
    m_arena =
        std::make_unique<std::pmr::monotonic_buffer_resource>(first_block_size(m_html.size()));
  }
  const GumboOptions options = parse_options(m_arena.get());
  m_output = gumbo_parse_with_options(&options, m_html.data(), m_html.size());
  // The text put back comes from where the tree's does, so that gumbo_destroy_output frees it.
  GumboHeap heap;
  try {
    put_back_text(m_output->document, input.runs,
                  m_arena ? static_cast<std::pmr::memory_resource&>(*m_arena) : heap);
  } catch (...) {
    // Out of memory: no destructor runs for a document not made.
    if (!m_arena) {
      gumbo_destroy_output(&options, m_output);
    }
    throw;
  }
}

HtmlDocument::~HtmlDocument() {
  // A tree in the arena goes with it, whole.
  if (!m_arena && m_output != nullptr) {
    const GumboOptions options = parse_options(nullptr);
    gumbo_destroy_output(&options, m_output);
  }
}

namespace html {
namespace {

bool is_invisible(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_IFRAME:
      return true;
    default:
      return false;
  }
}

// Calls visit with each word of value (split on white space) as written, and when with_parts
// also with the parts of a compound word ("article-title": then "article" and "title"), until
// visit returns true; returns whether it did.
template <class Visit>
bool visit_tokens(std::string_view value, bool with_parts, Visit visit) {
  for (const std::string_view word : text_parts(value, " \t\r\n")) {
    if (word.empty()) {
      continue;
    }
    if (visit(word)) {
      return true;
    }
    if (with_parts && word.find_first_of("-_") != std::string_view::npos) {
      for (const std::string_view part : text_parts(word, "-_")) {
        if (!part.empty() && visit(part)) {
          return true;
        }
      }
    }
  }
  return false;
}

void add_tokens(std::string_view value, std::vector<std::string>& tokens, bool with_parts) {
  visit_tokens(value, with_parts, [&](std::string_view token) {
    tokens.push_back(ascii_lower(token));
    return false;
  });
}

// Whether token is one of wanted (lower-case), ignoring case. The lengths first, here: the
// lists hold dozens of words, and a call per word to compare was most of a token's cost.
bool is_wanted(std::string_view token, std::span<const std::string_view> wanted) {
  return std::ranges::any_of(wanted, [&](std::string_view word) {
    return word.size() == token.size() && equals_ignoring_case(token, word);
  });
}

}  // namespace

bool is_element(const GumboNode* node) {
  return node != nullptr && node->type == GUMBO_NODE_ELEMENT;
}

GumboTag tag(const GumboNode* node) {
  return is_element(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

std::string tag_name(const GumboNode* node) {
  if (!is_element(node)) {
    return {};
  }
  if (node->v.element.tag != GUMBO_TAG_UNKNOWN) {
    return gumbo_normalized_tagname(node->v.element.tag);
  }
  GumboStringPiece piece = node->v.element.original_tag;
  if (piece.data == nullptr || piece.length == 0) {
    return {};
  }
  gumbo_tag_from_original_text(&piece);
  return ascii_lower(std::string_view(piece.data, piece.length));
}

std::string_view attribute(const GumboNode* node, const char* name) {
  if (!is_element(node)) {
    return {};
  }
  const GumboAttribute* found = gumbo_get_attribute(&node->v.element.attributes, name);
  return found != nullptr ? std::string_view(found->value) : std::string_view();
}

std::span<GumboNode* const> children(const GumboNode* node) {
  const GumboVector* vector = nullptr;
  if (node == nullptr) {
    return {};
  }
  if (node->type == GUMBO_NODE_DOCUMENT) {
    vector = &node->v.document.children;
  } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
    vector = &node->v.element.children;
  } else {
    return {};
  }
  return {reinterpret_cast<GumboNode* const*>(vector->data), vector->length};
}

std::vector<std::string> class_and_id_tokens(const GumboNode* node) {
  std::vector<std::string> tokens;
  add_tokens(attribute(node, "class"), tokens, true);
  add_tokens(attribute(node, "id"), tokens, true);
  return tokens;
}

bool has_class_or_id_token(const GumboNode* node, std::span<const std::string_view> wanted) {
  return first_list_with_class_or_id_token(node, std::span(&wanted, 1)) == 0;
}

int first_list_with_class_or_id_token(const GumboNode* node,
                                      std::span<const std::span<const std::string_view>> lists) {
  if (!is_element(node) || node->v.element.attributes.length == 0) {
    return -1;  // most elements: nothing to look up
  }
  int first = -1;
  const auto list_of = [&](std::string_view token) {
    // Only a list before the one found so far can change the answer.
    const std::size_t before = first < 0 ? lists.size() : static_cast<std::size_t>(first);
    for (std::size_t index = 0; index < before; ++index) {
      if (is_wanted(token, lists[index])) {
        first = static_cast<int>(index);
        break;
      }
    }
    return first == 0;  // nothing comes before the first list: stop
  };
  if (!visit_tokens(attribute(node, "class"), true, list_of)) {
    visit_tokens(attribute(node, "id"), true, list_of);
  }
  return first;
}

ClassIdMatch match_class_or_id(const GumboNode* node, std::span<const std::string_view> wanted) {
  if (!is_element(node) || node->v.element.attributes.length == 0) {
    return ClassIdMatch::none;
  }
  bool part = false;
  const auto word_wanted = [&](std::string_view word) {
    if (is_wanted(word, wanted)) {
      return true;
    }
    if (!part && word.find_first_of("-_") != std::string_view::npos) {
      for (const std::string_view piece : text_parts(word, "-_")) {
        part = part || (!piece.empty() && is_wanted(piece, wanted));
      }
    }
    return false;
  };
  if (visit_tokens(attribute(node, "class"), false, word_wanted) ||
      visit_tokens(attribute(node, "id"), false, word_wanted)) {
    return ClassIdMatch::word;
  }
  return part ? ClassIdMatch::part : ClassIdMatch::none;
}

std::vector<std::string> class_and_id_words(const GumboNode* node) {
  std::vector<std::string> words;
  add_tokens(attribute(node, "class"), words, false);
  add_tokens(attribute(node, "id"), words, false);
  return words;
}

int heading_level(const GumboNode* node) {
  switch (tag(node)) {
    case GUMBO_TAG_H1:
      return 1;
    case GUMBO_TAG_H2:
      return 2;
    case GUMBO_TAG_H3:
      return 3;
    case GUMBO_TAG_H4:
      return 4;
    case GUMBO_TAG_H5:
      return 5;
    case GUMBO_TAG_H6:
      return 6;
    default:
      return 0;
  }
}

bool breaks_line(const GumboNode* node) {
  switch (tag(node)) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_CAPTION:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> lines(const GumboNode* node) {
  // Iterative: an "exit" marker after each line-breaking element's children ends its line.
  std::vector<std::string> result;
  std::string current;
  const auto flush = [&] {
    std::string line = utf8::collapse_spaces(current);
    if (!line.empty()) {
      result.push_back(std::move(line));
    }
    current.clear();
  };
  struct Item {
    const GumboNode* node;
    bool exit;
  };
  std::vector<Item> stack{{node, false}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.exit) {
      flush();
      continue;
    }
    const GumboNode* current_node = item.node;
    if (current_node->type == GUMBO_NODE_TEXT || current_node->type == GUMBO_NODE_CDATA ||
        current_node->type == GUMBO_NODE_WHITESPACE) {
      current += current_node->v.text.text;
      continue;
    }
    if (current_node->type != GUMBO_NODE_ELEMENT && current_node->type != GUMBO_NODE_DOCUMENT &&
        current_node->type != GUMBO_NODE_TEMPLATE) {
      continue;  // comments
    }
    if (is_invisible(tag(current_node))) {
      continue;
    }
    if (tag(current_node) == GUMBO_TAG_IMG) {
      current += ' ';
      continue;
    }
    const bool block = breaks_line(current_node);
    if (block) {
      flush();
      stack.push_back({current_node, true});
    }
    const auto kids = children(current_node);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      stack.push_back({*it, false});
    }
  }
  flush();
  return result;
}

std::string text(const GumboNode* node) {
  std::string joined;
  for (const auto& line : lines(node)) {
    if (!joined.empty()) {
      joined += ' ';
    }
    joined += line;
  }
  return joined;
}

std::vector<std::string_view> comments(const GumboNode* node) {
  std::vector<std::string_view> found;
  walk(node, [&](const GumboNode* current) {
    if (current->type == GUMBO_NODE_COMMENT) {
      found.emplace_back(current->v.text.text);
    }
    return true;
  });
  return found;
}

}  // namespace html
}  // namespace archiver
