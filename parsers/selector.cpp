#include "parsers/selector.hpp"

#include "parsers/html_document.hpp"
#include "util/ascii.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <span>
#include <utility>

namespace archiver {
namespace {

// ---------------------------------------------------------------------------------------------
// The parsed form.

enum class AttributeOperator {
  exists,     // [a]
  equals,     // [a=v]
  includes,   // [a~=v]  v is one of the whitespace-separated words
  dash,       // [a|=v]  v, or v followed by '-'
  prefix,     // [a^=v]
  suffix,     // [a$=v]
  substring,  // [a*=v]
};

struct AttributeTest {
  std::string name;  // lower-case
  AttributeOperator op = AttributeOperator::exists;
  std::string value;         // lower-case when ignore_case
  bool ignore_case = false;  // the ` i` flag
};

// :nth-child(an+b) and its relatives: the element's 1-based position p among its element
// siblings (counted from the end, or only those of its own type) must be a*n+b for some n >= 0.
struct PositionTest {
  std::int64_t a = 0;
  std::int64_t b = 1;
  bool from_end = false;
  bool of_type = false;
};

struct Compound {
  std::string tag;  // lower-case; empty for '*' or no type selector
  GumboTag tag_enum = GUMBO_TAG_UNKNOWN;
  std::vector<std::string> ids;
  std::vector<std::string> classes;
  std::vector<AttributeTest> attributes;
  std::vector<PositionTest> positions;
  std::vector<Compound> negations;  // :not(...): the element matches none of these
};

enum class Combinator { descendant, child, adjacent, sibling };

struct Complex {
  std::vector<Compound> compounds;      // left to right
  std::vector<Combinator> combinators;  // combinators[i] joins compounds[i] and compounds[i + 1]
};

}  // namespace

struct Selector::Group {
  std::vector<Complex> members;
};

namespace {

// ---------------------------------------------------------------------------------------------
// Characters.

bool is_ident_char(char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// ---------------------------------------------------------------------------------------------
// Parsing.

class Parser {
 public:
  explicit Parser(std::string_view text) : m_text(text) {}

  std::expected<std::vector<Complex>, std::string> parse_group() {
    std::vector<Complex> members;
    skip_spaces();
    while (true) {
      if (at_end() || peek() == ',') {
        return std::unexpected(
            expected(members.empty() ? "a selector" : "a selector after ','", m_pos));
      }
      Complex complex;
      if (!parse_complex(complex)) {
        return std::unexpected(std::move(m_error));
      }
      members.push_back(std::move(complex));
      // parse_complex stops only at the end or at a ','.
      if (at_end()) {
        return members;
      }
      ++m_pos;
      skip_spaces();
    }
  }

 private:
  [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
  [[nodiscard]] char peek_next() const {
    return m_pos + 1 < m_text.size() ? m_text[m_pos + 1] : '\0';
  }

  bool skip_spaces() {
    const std::size_t start = m_pos;
    while (!at_end() && is_ascii_space(peek(), k_html_whitespace)) {
      ++m_pos;
    }
    return m_pos != start;
  }

  std::string_view read_identifier() {
    const std::size_t start = m_pos;
    while (!at_end() && is_ident_char(peek())) {
      ++m_pos;
    }
    return m_text.substr(start, m_pos - start);
  }

  // 1-based column in code points.
  [[nodiscard]] std::size_t column(std::size_t pos) const {
    std::size_t count = 0;
    for (std::size_t i = 0; i < pos && i < m_text.size(); ++i) {
      if ((static_cast<unsigned char>(m_text[i]) & 0xC0U) != 0x80U) {
        ++count;
      }
    }
    return count + 1;
  }

  [[nodiscard]] std::string describe(std::size_t pos) const {
    if (pos >= m_text.size()) {
      return "end of selector";
    }
    const utf8::CodePoint cp = utf8::decode(m_text, pos);
    if (cp.value < 0x20 || cp.value == 0x7F) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp.value));
      return buffer;
    }
    // Appended, not "'" + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on that operator+.
    std::string quoted(1, '\'');
    quoted += utf8::encode(cp.value);
    quoted += '\'';
    return quoted;
  }

  [[nodiscard]] std::string error_at(std::size_t pos, std::string_view message) const {
    return "at " + std::to_string(column(pos)) + ": " + std::string(message);
  }

  [[nodiscard]] std::string expected(std::string_view what, std::size_t pos) const {
    return error_at(pos, "expected " + std::string(what) + ", found " + describe(pos));
  }

  bool fail(std::string message) {
    m_error = std::move(message);
    return false;
  }

  static bool starts_compound(char c) {
    return is_ident_char(c) || c == '*' || c == '#' || c == '.' || c == '[' || c == ':';
  }

  // A compound selector followed by (combinator, compound)*; stops at the end or at a ','.
  bool parse_complex(Complex& complex) {
    Compound first;
    if (!parse_compound(first, false)) {
      return false;
    }
    complex.compounds.push_back(std::move(first));
    while (true) {
      const bool spaced = skip_spaces();
      if (at_end() || peek() == ',') {
        return true;
      }
      const char c = peek();
      Combinator combinator = Combinator::descendant;
      if (c == '>' || c == '+' || c == '~') {
        combinator = c == '>'   ? Combinator::child
                     : c == '+' ? Combinator::adjacent
                                : Combinator::sibling;
        ++m_pos;
        skip_spaces();
        if (at_end() || !starts_compound(peek())) {
          return fail(expected("a selector after '" + std::string(1, c) + "'", m_pos));
        }
      } else if (c == ')' || c == ']') {
        return fail(error_at(m_pos, "unmatched '" + std::string(1, c) + "'"));
      } else if (!spaced || !starts_compound(c)) {
        return fail(expected("a combinator, ',' or the end of the selector", m_pos));
      }
      Compound next;
      if (!parse_compound(next, false)) {
        return false;
      }
      complex.combinators.push_back(combinator);
      complex.compounds.push_back(std::move(next));
    }
  }

  bool parse_compound(Compound& compound, bool in_not) {
    const std::size_t start = m_pos;
    if (peek() == '*') {
      ++m_pos;
    } else if (!at_end() && is_ident_char(peek())) {
      compound.tag = ascii_lower(read_identifier());
      compound.tag_enum =
          gumbo_tagn_enum(compound.tag.c_str(), static_cast<unsigned>(compound.tag.size()));
    }
    while (!at_end()) {
      const char c = peek();
      if (c == '#' || c == '.') {
        ++m_pos;
        const std::string_view name = read_identifier();
        if (name.empty()) {
          return fail(expected(c == '#' ? "an id after '#'" : "a class name after '.'", m_pos));
        }
        (c == '#' ? compound.ids : compound.classes).emplace_back(name);
      } else if (c == '[') {
        if (!parse_attribute(compound)) {
          return false;
        }
      } else if (c == ':') {
        if (!parse_pseudo_class(compound, in_not)) {
          return false;
        }
      } else {
        break;
      }
    }
    if (m_pos == start) {
      return fail(expected("a selector", m_pos));
    }
    return true;
  }

  bool parse_attribute(Compound& compound) {
    ++m_pos;  // '['
    skip_spaces();
    AttributeTest test;
    test.name = ascii_lower(read_identifier());
    if (test.name.empty()) {
      return fail(expected("an attribute name after '['", m_pos));
    }
    skip_spaces();
    const char c = peek();
    if (c == ']') {
      ++m_pos;
      compound.attributes.push_back(std::move(test));
      return true;
    }
    if (c == '=') {
      test.op = AttributeOperator::equals;
      ++m_pos;
    } else if (c == '~' || c == '|' || c == '^' || c == '$' || c == '*') {
      if (peek_next() != '=') {
        return fail(expected("'=' after '" + std::string(1, c) + "'", m_pos + 1));
      }
      test.op = c == '~'   ? AttributeOperator::includes
                : c == '|' ? AttributeOperator::dash
                : c == '^' ? AttributeOperator::prefix
                : c == '$' ? AttributeOperator::suffix
                           : AttributeOperator::substring;
      m_pos += 2;
    } else {
      return fail(expected(
          "']' or an attribute operator (=, ~=, |=, ^=, $=, *=) after the attribute name", m_pos));
    }
    skip_spaces();
    const char quote = peek();
    if (quote == '"' || quote == '\'') {
      const std::size_t close = m_text.find(quote, m_pos + 1);
      if (close == std::string_view::npos) {
        return fail(error_at(m_pos, "unterminated quoted attribute value"));
      }
      test.value = std::string(m_text.substr(m_pos + 1, close - m_pos - 1));
      m_pos = close + 1;
    } else {
      test.value = std::string(read_identifier());
      if (test.value.empty()) {
        return fail(expected("an attribute value (an identifier or a quoted string)", m_pos));
      }
    }
    skip_spaces();
    if (!at_end() && is_ident_char(peek())) {
      const std::size_t flag_start = m_pos;
      const std::string flag = ascii_lower(read_identifier());
      if (flag == "i") {
        test.ignore_case = true;
        test.value = ascii_lower(test.value);
      } else if (flag != "s") {
        return fail(expected("']' after attribute value", flag_start));
      }
      skip_spaces();
    }
    if (peek() != ']') {
      return fail(expected("']' after attribute value", m_pos));
    }
    ++m_pos;
    compound.attributes.push_back(std::move(test));
    return true;
  }

  bool parse_pseudo_class(Compound& compound, bool in_not) {
    const std::size_t colon = m_pos;
    ++m_pos;
    if (peek() == ':') {
      return fail(error_at(colon, "pseudo-elements ('::') are not supported"));
    }
    const std::string name = ascii_lower(read_identifier());
    if (name.empty()) {
      return fail(expected("a pseudo-class name after ':'", m_pos));
    }
    if (name == "first-child" || name == "last-child" || name == "only-child" ||
        name == "first-of-type" || name == "last-of-type" || name == "only-of-type") {
      const bool of_type = name.ends_with("-of-type");
      if (!name.starts_with("last")) {
        compound.positions.push_back({0, 1, false, of_type});
      }
      if (!name.starts_with("first")) {
        compound.positions.push_back({0, 1, true, of_type});
      }
      return true;
    }
    if (name == "nth-child" || name == "nth-last-child" || name == "nth-of-type" ||
        name == "nth-last-of-type") {
      if (peek() != '(') {
        return fail(expected("'(' after ':" + name + "'", m_pos));
      }
      ++m_pos;
      PositionTest test;
      test.from_end = name.starts_with("nth-last");
      test.of_type = name.ends_with("-of-type");
      if (!parse_nth(test, name)) {
        return false;
      }
      compound.positions.push_back(test);
      return true;
    }
    if (name == "not") {
      if (in_not) {
        return fail(error_at(colon, ":not() cannot be nested"));
      }
      if (peek() != '(') {
        return fail(expected("'(' after ':not'", m_pos));
      }
      ++m_pos;
      skip_spaces();
      while (true) {
        if (at_end() || peek() == ')' || peek() == ',') {
          return fail(expected("a selector inside :not()", m_pos));
        }
        Compound negated;
        if (!parse_compound(negated, true)) {
          return false;
        }
        compound.negations.push_back(std::move(negated));
        skip_spaces();
        if (peek() == ',') {
          ++m_pos;
          skip_spaces();
        } else if (peek() == ')') {
          ++m_pos;
          return true;
        } else {
          return fail(expected("',' or ')' in :not() (it takes no combinators)", m_pos));
        }
      }
    }
    return fail(error_at(colon, "unknown pseudo-class ':" + name + "'"));
  }

  // A non-negative integer of at most 9 digits.
  std::optional<std::int64_t> read_number() {
    const std::size_t start = m_pos;
    std::int64_t value = 0;
    while (!at_end() && is_ascii_digit(peek())) {
      if (m_pos - start >= 9) {
        m_error = error_at(start, "number too large");
        return std::nullopt;
      }
      value = value * 10 + (peek() - '0');
      ++m_pos;
    }
    return value;
  }

  // The argument of :nth-child() and its relatives after the '(', through the ')':
  // odd | even | [+-]?integer | [+-]?integer?n ([+-] integer)?, spaces allowed around the sign.
  bool parse_nth(PositionTest& test, const std::string& name) {
    const std::string wanted = "an integer, 'odd', 'even' or an+b in :" + name + "()";
    skip_spaces();
    const std::size_t word_start = m_pos;
    std::size_t word_end = m_pos;
    while (word_end < m_text.size() && is_ascii_alpha(m_text[word_end])) {
      ++word_end;
    }
    const std::string word = ascii_lower(m_text.substr(word_start, word_end - word_start));
    if (word == "odd" || word == "even") {
      test.a = 2;
      test.b = word == "odd" ? 1 : 0;
      m_pos = word_end;
    } else {
      std::int64_t sign = 1;
      if (peek() == '+' || peek() == '-') {
        sign = peek() == '-' ? -1 : 1;
        ++m_pos;
      }
      const std::size_t digits_start = m_pos;
      const auto number = read_number();
      if (!number) {
        return false;
      }
      const bool has_digits = m_pos != digits_start;
      if (peek() == 'n' || peek() == 'N') {
        ++m_pos;
        test.a = sign * (has_digits ? *number : 1);
        test.b = 0;
        skip_spaces();
        if (peek() == '+' || peek() == '-') {
          const std::int64_t b_sign = peek() == '-' ? -1 : 1;
          ++m_pos;
          skip_spaces();
          const std::size_t b_start = m_pos;
          const auto b = read_number();
          if (!b) {
            return false;
          }
          if (m_pos == b_start) {
            return fail(expected("an integer after the sign in :" + name + "()", m_pos));
          }
          test.b = b_sign * *b;
        }
      } else if (has_digits) {
        test.a = 0;
        test.b = sign * *number;
      } else {
        return fail(expected(wanted, word_start));
      }
    }
    skip_spaces();
    if (peek() != ')') {
      return fail(expected("')' to close :" + name + "(", m_pos));
    }
    ++m_pos;
    return true;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::string m_error;
};

// ---------------------------------------------------------------------------------------------
// Matching.

bool is_element_node(const GumboNode* node) {
  return node != nullptr && (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE);
}

const GumboNode* parent_element(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  return is_element_node(parent) ? parent : nullptr;
}

// The node's siblings (itself included) and its index among them.
std::pair<std::span<GumboNode* const>, std::size_t> siblings_of(const GumboNode* node) {
  const auto kids = html::children(node->parent);
  std::size_t index = node->index_within_parent;
  if (index >= kids.size() || kids[index] != node) {
    index = 0;
    while (index < kids.size() && kids[index] != node) {
      ++index;
    }
  }
  return {kids, index};
}

const GumboNode* previous_element_sibling(const GumboNode* node) {
  const auto [kids, index] = siblings_of(node);
  for (std::size_t i = std::min(index, kids.size()); i > 0; --i) {
    if (is_element_node(kids[i - 1])) {
      return kids[i - 1];
    }
  }
  return nullptr;
}

bool same_type(const GumboNode* a, const GumboNode* b) {
  if (a->v.element.tag != b->v.element.tag) {
    return false;
  }
  return a->v.element.tag != GUMBO_TAG_UNKNOWN || html::tag_name(a) == html::tag_name(b);
}

bool position_matches(const PositionTest& test, const GumboNode* element) {
  const auto [kids, index] = siblings_of(element);
  std::int64_t position = 1;
  if (index < kids.size()) {
    const auto counts = [&](std::size_t i) {
      return is_element_node(kids[i]) && (!test.of_type || same_type(kids[i], element));
    };
    if (test.from_end) {
      for (std::size_t i = index + 1; i < kids.size(); ++i) {
        position += counts(i) ? 1 : 0;
      }
    } else {
      for (std::size_t i = 0; i < index; ++i) {
        position += counts(i) ? 1 : 0;
      }
    }
  }
  const std::int64_t offset = position - test.b;
  if (test.a == 0) {
    return offset == 0;
  }
  return offset % test.a == 0 && offset / test.a >= 0;
}

// Attribute names compare ASCII case-insensitively.
const GumboAttribute* find_attribute(const GumboNode* element, const char* name) {
  return gumbo_get_attribute(&element->v.element.attributes, name);
}

bool contains_word(std::string_view list, std::string_view word) {
  if (word.empty()) {
    return false;
  }
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_ascii_space(list[i], k_html_whitespace)) {
      ++i;
    }
    const std::size_t start = i;
    while (i < list.size() && !is_ascii_space(list[i], k_html_whitespace)) {
      ++i;
    }
    if (list.substr(start, i - start) == word) {
      return true;
    }
  }
  return false;
}

bool attribute_matches(const AttributeTest& test, const GumboNode* element) {
  const GumboAttribute* attribute = find_attribute(element, test.name.c_str());
  if (attribute == nullptr) {
    return false;
  }
  if (test.op == AttributeOperator::exists) {
    return true;
  }
  std::string lowered;
  std::string_view actual = attribute->value;
  if (test.ignore_case) {
    lowered = ascii_lower(actual);
    actual = lowered;
  }
  const std::string_view wanted = test.value;
  switch (test.op) {
    case AttributeOperator::exists:
      return true;
    case AttributeOperator::equals:
      return actual == wanted;
    case AttributeOperator::includes:
      return wanted.find_first_of(" \t\n\r\f") == std::string_view::npos &&
             contains_word(actual, wanted);
    case AttributeOperator::dash:
      return actual == wanted || (actual.starts_with(wanted) && actual.size() > wanted.size() &&
                                  actual[wanted.size()] == '-');
    case AttributeOperator::prefix:
      return !wanted.empty() && actual.starts_with(wanted);
    case AttributeOperator::suffix:
      return !wanted.empty() && actual.ends_with(wanted);
    case AttributeOperator::substring:
      return !wanted.empty() && actual.find(wanted) != std::string_view::npos;
  }
  return false;
}

bool compound_matches(const Compound& compound, const GumboNode* element) {
  if (!compound.tag.empty()) {
    const GumboTag tag = element->v.element.tag;
    if (compound.tag_enum != GUMBO_TAG_UNKNOWN) {
      if (tag != compound.tag_enum) {
        return false;
      }
    } else if (tag != GUMBO_TAG_UNKNOWN || html::tag_name(element) != compound.tag) {
      return false;
    }
  }
  if (!compound.ids.empty()) {
    const GumboAttribute* id = find_attribute(element, "id");
    for (const auto& wanted : compound.ids) {
      if (id == nullptr || wanted != id->value) {
        return false;
      }
    }
  }
  if (!compound.classes.empty()) {
    const GumboAttribute* classes = find_attribute(element, "class");
    for (const auto& wanted : compound.classes) {
      if (classes == nullptr || !contains_word(classes->value, wanted)) {
        return false;
      }
    }
  }
  for (const auto& test : compound.attributes) {
    if (!attribute_matches(test, element)) {
      return false;
    }
  }
  for (const auto& test : compound.positions) {
    if (!position_matches(test, element)) {
      return false;
    }
  }
  for (const auto& negated : compound.negations) {
    if (compound_matches(negated, element)) {  // one level deep: :not() does not nest
      return false;
    }
  }
  return true;
}

// Right-to-left matching. A failed attempt says how far back the caller must go, so that no
// candidate is tried twice in vain (the classic approach of browser engines): each combinator
// loops over its candidates (ancestors or earlier siblings) instead of recursing down the tree,
// and the recursion depth is the number of compounds in the selector.
enum class Outcome {
  matched,
  try_other_candidate,  // this element failed; another ancestor or sibling may do
  try_higher_ancestor,  // no sibling of this element can do; a higher ancestor may
  impossible,           // the tree ran out: no other candidate can do
};

Outcome match_at(const Complex& complex, std::size_t index, const GumboNode* element) {
  if (!compound_matches(complex.compounds[index], element)) {
    return Outcome::try_other_candidate;
  }
  if (index == 0) {
    return Outcome::matched;
  }
  const std::size_t left = index - 1;
  switch (complex.combinators[left]) {
    case Combinator::child: {
      const GumboNode* parent = parent_element(element);
      if (parent == nullptr) {
        return Outcome::impossible;
      }
      const Outcome outcome = match_at(complex, left, parent);
      if (outcome == Outcome::matched || outcome == Outcome::impossible) {
        return outcome;
      }
      return Outcome::try_higher_ancestor;
    }
    case Combinator::descendant:
      for (const GumboNode* ancestor = parent_element(element); ancestor != nullptr;
           ancestor = parent_element(ancestor)) {
        const Outcome outcome = match_at(complex, left, ancestor);
        if (outcome == Outcome::matched || outcome == Outcome::impossible) {
          return outcome;
        }
      }
      return Outcome::impossible;
    case Combinator::adjacent: {
      const GumboNode* sibling = previous_element_sibling(element);
      if (sibling == nullptr) {
        return Outcome::try_higher_ancestor;
      }
      return match_at(complex, left, sibling);
    }
    case Combinator::sibling:
      for (const GumboNode* sibling = previous_element_sibling(element); sibling != nullptr;
           sibling = previous_element_sibling(sibling)) {
        const Outcome outcome = match_at(complex, left, sibling);
        if (outcome != Outcome::try_other_candidate) {
          return outcome;
        }
      }
      return Outcome::try_higher_ancestor;
  }
  return Outcome::impossible;
}

bool group_matches(const std::vector<Complex>& members, const GumboNode* element) {
  for (const auto& complex : members) {
    if (match_at(complex, complex.compounds.size() - 1, element) == Outcome::matched) {
      return true;
    }
  }
  return false;
}

// Visits the elements below root in document order (not into template contents) until visit
// returns false.
template <typename Visit>
void for_each_element_below(const GumboNode* root, Visit visit) {
  if (root == nullptr) {
    return;
  }
  std::vector<const GumboNode*> stack;
  const auto push_children = [&](const GumboNode* node) {
    const auto kids = html::children(node);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      stack.push_back(*it);
    }
  };
  push_children(root);
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (!is_element_node(node)) {
      continue;
    }
    if (!visit(node)) {
      return;
    }
    if (node->type != GUMBO_NODE_TEMPLATE) {
      push_children(node);
    }
  }
}

}  // namespace

Selector::Selector(std::string text, std::shared_ptr<const Group> group)
    : m_text(std::move(text)), m_group(std::move(group)) {}

std::expected<Selector, std::string> Selector::parse(std::string_view text) {
  try {
    Parser parser(text);
    auto members = parser.parse_group();
    if (!members) {
      return std::unexpected(std::move(members.error()));
    }
    auto group = std::make_shared<Group>();
    group->members = std::move(*members);
    return Selector(std::string(text), std::move(group));
  } catch (const std::exception& error) {  // allocation failure
    return std::unexpected(std::string("cannot parse selector: ") + error.what());
  }
}

bool Selector::matches(const GumboNode* element) const {
  return is_element_node(element) && group_matches(m_group->members, element);
}

std::vector<const GumboNode*> Selector::select(const GumboNode* root) const {
  std::vector<const GumboNode*> found;
  for_each_element_below(root, [&](const GumboNode* element) {
    if (group_matches(m_group->members, element)) {
      found.push_back(element);
    }
    return true;
  });
  return found;
}

const GumboNode* Selector::select_first(const GumboNode* root) const {
  const GumboNode* first = nullptr;
  for_each_element_below(root, [&](const GumboNode* element) {
    if (group_matches(m_group->members, element)) {
      first = element;
      return false;
    }
    return true;
  });
  return first;
}

}  // namespace archiver
