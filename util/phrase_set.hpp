#pragma once
// A fixed set of phrases looked for in a text in one pass, each phrase tagged with a group:
//
//   static const PhraseSet k_phrases{{"ICP备", k_registration}, {"电话", k_contact}};
//   const std::uint32_t found = k_phrases.groups_in(line);  // k_contact if the line has 电话
//
// Page furniture is recognised by a few dozen phrases, asked of every line of every page. Looked
// for one at a time, each phrase is a pass over the line, and a Chinese phrase begins with a
// byte most characters of the line begin with too. Here the line is read once: at each character
// its first three bytes are hashed into a small table of the phrases that begin with them, and
// only those are compared.
//
// A phrase is at least three bytes long (every CJK character is three) and begins a character
// (no UTF-8 continuation byte first), so that it is only looked for where a character begins.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

class PhraseSet {
 public:
  struct Phrase {
    std::string_view text;
    std::uint32_t group = 1;
  };

  // Throws std::invalid_argument for a phrase shorter than three bytes, beginning with a UTF-8
  // continuation byte, or in group 0.
  PhraseSet(std::initializer_list<Phrase> phrases);
  // Phrases chosen at run time.
  explicit PhraseSet(std::span<const Phrase> phrases);

  // The groups, ORed, of the phrases that occur anywhere in text.
  [[nodiscard]] std::uint32_t groups_in(std::string_view text) const;
  // Phrases of one group, for found_in and starts.
  static PhraseSet any_of(std::initializer_list<std::string_view> phrases);

  // Whether any phrase occurs in text (stops at the first).
  [[nodiscard]] bool found_in(std::string_view text) const;
  // Whether text begins with one of the phrases.
  [[nodiscard]] bool starts(std::string_view text) const;

 private:
  struct Entry {
    std::uint32_t key = 0;  // the phrase's first three bytes
    std::uint32_t group = 0;
    std::string text;
  };

  static constexpr std::size_t k_buckets = 1024;
  static std::size_t bucket_of(std::uint32_t key);

  // Calls found(group) for each phrase that text has at pos, until found returns true; returns
  // whether it did.
  template <class Found>
  bool match_at(std::string_view text, std::size_t pos, Found found) const;

  // Whether a phrase begins with the two bytes at pos: one bit each of the 65,536 pairs. Most
  // characters of a line begin none (a phrase's first two bytes name a block of 64 ideographs),
  // and a bit costs less to test than the three-byte key's bucket.
  [[nodiscard]] bool may_begin_at(std::string_view text, std::size_t pos) const;
  std::array<std::uint64_t, 65536 / 64> m_first_pairs{};

  std::vector<Entry> m_entries;  // ordered by bucket
  // m_entries[m_bucket_start[b], m_bucket_start[b + 1]) are the phrases of bucket b.
  std::array<std::uint16_t, k_buckets + 1> m_bucket_start{};
  std::uint32_t m_all_groups = 0;
};

}  // namespace archiver
