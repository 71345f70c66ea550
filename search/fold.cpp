#include "search/fold.hpp"

#include "util/utf8.hpp"

#include <opencc.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace archiver::search {
namespace {

// OpenCC's conversion runs in phrases and may change a text's length, so it is used once, to
// learn how each character converts on its own; the resulting per-character table folds index
// text and queries the same way whatever surrounds a character.
constexpr const char* k_opencc_config = "t2s.json";

struct HanRange {
  char32_t first;
  char32_t last;
};
// The blocks OpenCC's traditional-to-simplified tables cover: CJK Unified Ideographs,
// Extension A, the Compatibility Ideographs, and Extension B.
constexpr std::array<HanRange, 4> k_han_ranges = {{
    {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},
    {0xF900, 0xFAFF},
    {0x20000, 0x2A6DF},
}};

struct OpenccClose {
  void operator()(void* handle) const { opencc_close(static_cast<opencc_t>(handle)); }
};
using OpenccHandle = std::unique_ptr<void, OpenccClose>;

// Throws, naming the missing data, when OpenCC cannot load its table.
OpenccHandle open_opencc() {
  opencc_t raw = opencc_open(k_opencc_config);
  if (raw == reinterpret_cast<opencc_t>(-1)) {
    throw std::runtime_error(std::string("OpenCC cannot load ") + k_opencc_config + ": " +
                             opencc_error() + " (is the opencc data package installed?)");
  }
  return OpenccHandle(raw);
}

struct ConvertedFree {
  void operator()(char* text) const { opencc_convert_utf8_free(text); }
};

class FoldTable {
 public:
  FoldTable() : m_bmp(0x10000) {
    for (std::size_t cp = 0; cp < m_bmp.size(); ++cp) {
      m_bmp[cp] = utf8::fold_width(static_cast<char32_t>(cp));
      if (m_bmp[cp] >= U'A' && m_bmp[cp] <= U'Z') {
        m_bmp[cp] += U'a' - U'A';
      }
    }
    learn_traditional();
  }

  [[nodiscard]] char32_t fold(char32_t cp) const {
    if (cp < m_bmp.size()) {
      return m_bmp[cp];
    }
    const auto found = m_supplementary.find(cp);
    return found == m_supplementary.end() ? cp : found->second;
  }

 private:
  void learn_traditional() {
    const OpenccHandle converter = open_opencc();
    // Every character on a line of its own: no phrase spans a line break, so each converts
    // alone. One call converts them all.
    std::string lines;
    std::vector<char32_t> order;
    for (const auto& range : k_han_ranges) {
      for (char32_t cp = range.first; cp <= range.last; ++cp) {
        utf8::append(lines, cp);
        lines += '\n';
        order.push_back(cp);
      }
    }
    const std::unique_ptr<char, ConvertedFree> converted(
        opencc_convert_utf8(converter.get(), lines.data(), lines.size()));
    if (!converted) {
      throw std::runtime_error(std::string("OpenCC conversion failed: ") + opencc_error());
    }
    std::string_view out(converted.get());
    std::size_t line = 0;
    while (!out.empty() && line < order.size()) {
      const std::size_t end = out.find('\n');
      const std::string_view one = out.substr(0, end);
      const auto first = utf8::decode(one, 0);
      // A character that converts to one other character is folded; one that converts to
      // several (or none) is left as it is rather than breaking the one-to-one mapping.
      if (first.length == one.size() && first.value != order[line]) {
        set(order[line], first.value);
      }
      ++line;
      out.remove_prefix(end == std::string_view::npos ? out.size() : end + 1);
    }
    if (line != order.size()) {
      throw std::runtime_error("OpenCC returned " + std::to_string(line) + " lines for " +
                               std::to_string(order.size()) + " characters");
    }
    settle_chains();
  }

  // OpenCC's table has chains (薴 -> 苧, 苧 -> 苎). Each character folds to the end of its
  // chain, so that folding folded text changes nothing: the index, the query and the snippet
  // may each fold a text once or twice and still agree.
  void settle_chains() {
    const auto settle = [this](char32_t cp) {
      char32_t to = fold(cp);
      for (int step = 0; step < 8 && fold(to) != to; ++step) {
        to = fold(to);
      }
      return to;
    };
    for (std::size_t cp = 0; cp < m_bmp.size(); ++cp) {
      m_bmp[cp] = settle(static_cast<char32_t>(cp));
    }
    for (auto& [from, to] : m_supplementary) {
      to = settle(from);
    }
  }

  void set(char32_t from, char32_t to) {
    if (from < m_bmp.size()) {
      m_bmp[from] = to;
    } else {
      m_supplementary[from] = to;
    }
  }

  std::vector<char32_t> m_bmp;
  std::unordered_map<char32_t, char32_t> m_supplementary;
};

const FoldTable& table() {
  static const FoldTable instance;  // built once, thread-safely, then only read
  return instance;
}

}  // namespace

void load_folding() { (void)table(); }

void check_folding_data() { static_cast<void>(open_opencc()); }

char32_t fold(char32_t cp) { return table().fold(cp); }

std::string fold(std::string_view text) {
  const FoldTable& folding = table();
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = utf8::decode(text, pos);
    utf8::append(out, folding.fold(cp.value));
    pos += cp.length;
  }
  return out;
}

std::string index_text(std::string_view text) {
  // Written through a pointer into room made once: this runs for every article stored, and
  // appending a code point and a space at a time was most of its cost. An input byte gives at
  // most four bytes (a stray byte becomes U+FFFD, three, after a space); the result is copied
  // out at its own size, since a batch's index rows wait in memory for their commit.
  const FoldTable& folding = table();
  std::string buffer(4 * text.size() + 4, '\0');
  char* const start = buffer.data();
  char* end = start;
  bool after_cjk = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = utf8::decode(text, pos);
    pos += cp.length;
    const char32_t folded = folding.fold(cp.value);
    // The unified ideographs first: most of a Chinese text, and no call.
    const bool cjk = (folded >= 0x4E00 && folded <= 0x9FFF) || utf8::is_cjk(folded);
    if ((cjk || after_cjk) && end != start && end[-1] != ' ') {
      *end++ = ' ';
    }
    end = utf8::encode_to(end, folded);
    after_cjk = cjk;
  }
  return {start, end};
}

}  // namespace archiver::search
