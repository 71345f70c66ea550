#include "util/phrase_set.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace archiver {
namespace {

std::uint8_t byte_at(std::string_view text, std::size_t pos) {
  return static_cast<std::uint8_t>(text[pos]);
}

constexpr std::size_t k_key_bytes = 3;

// The three bytes at pos as one number (pos + 3 <= text.size()).
std::uint32_t key_at(std::string_view text, std::size_t pos) {
  return static_cast<std::uint32_t>(byte_at(text, pos)) |
         (static_cast<std::uint32_t>(byte_at(text, pos + 1)) << 8U) |
         (static_cast<std::uint32_t>(byte_at(text, pos + 2)) << 16U);
}

}  // namespace

std::size_t PhraseSet::bucket_of(std::uint32_t key) {
  // Fibonacci hashing: the top bits of the product depend on all three bytes.
  constexpr std::uint32_t k_multiplier = 2654435769U;
  constexpr unsigned k_bucket_bits = 10;
  static_assert(k_buckets == std::size_t{1} << k_bucket_bits);
  return (key * k_multiplier) >> (32U - k_bucket_bits);
}

PhraseSet::PhraseSet(std::initializer_list<Phrase> phrases)
    : PhraseSet(std::span<const Phrase>(phrases.begin(), phrases.size())) {}

PhraseSet PhraseSet::any_of(std::initializer_list<std::string_view> phrases) {
  std::vector<Phrase> tagged;
  tagged.reserve(phrases.size());
  for (const std::string_view phrase : phrases) {
    tagged.push_back({.text = phrase, .group = 1});
  }
  return PhraseSet(tagged);
}

PhraseSet::PhraseSet(std::span<const Phrase> phrases) {
  if (phrases.size() >= std::numeric_limits<std::uint16_t>::max()) {
    throw std::invalid_argument("PhraseSet: too many phrases");
  }
  for (const Phrase& phrase : phrases) {
    if (phrase.text.size() < k_key_bytes || utf8::is_continuation(byte_at(phrase.text, 0))) {
      throw std::invalid_argument("PhraseSet: \"" + std::string(phrase.text) +
                                  "\" is shorter than three bytes or does not begin a character");
    }
    if (phrase.group == 0) {
      throw std::invalid_argument("PhraseSet: \"" + std::string(phrase.text) + "\" has no group");
    }
    m_entries.push_back(
        {.key = key_at(phrase.text, 0), .group = phrase.group, .text = std::string(phrase.text)});
    m_all_groups |= phrase.group;
    const std::uint32_t pair = key_at(phrase.text, 0) & 0xFFFFU;
    m_first_pairs[pair / 64] |= std::uint64_t{1} << (pair % 64);
  }
  std::ranges::stable_sort(m_entries, {}, [](const Entry& entry) { return bucket_of(entry.key); });
  std::size_t entry = 0;
  for (std::size_t bucket = 0; bucket <= k_buckets; ++bucket) {
    while (entry < m_entries.size() && bucket_of(m_entries[entry].key) < bucket) {
      ++entry;
    }
    m_bucket_start[bucket] = static_cast<std::uint16_t>(entry);
  }
}

bool PhraseSet::may_begin_at(std::string_view text, std::size_t pos) const {
  const std::uint32_t pair = static_cast<std::uint32_t>(byte_at(text, pos)) |
                             (static_cast<std::uint32_t>(byte_at(text, pos + 1)) << 8U);
  return ((m_first_pairs[pair / 64] >> (pair % 64)) & 1U) != 0;
}

template <class Found>
bool PhraseSet::match_at(std::string_view text, std::size_t pos, Found found) const {
  const std::uint32_t key = key_at(text, pos);
  const std::size_t bucket = bucket_of(key);
  for (std::size_t i = m_bucket_start[bucket]; i < m_bucket_start[bucket + 1]; ++i) {
    const Entry& entry = m_entries[i];
    if (entry.key == key && text.substr(pos).starts_with(entry.text) && found(entry.group)) {
      return true;
    }
  }
  return false;
}

std::uint32_t PhraseSet::groups_in(std::string_view text) const {
  std::uint32_t groups = 0;
  const auto add = [&](std::uint32_t group) {
    groups |= group;
    return groups == m_all_groups;  // nothing more to find
  };
  for (std::size_t pos = 0; pos + k_key_bytes <= text.size(); ++pos) {
    // A phrase begins a character, so it cannot begin at a continuation byte; for Chinese text
    // that leaves a third of the positions.
    if (!utf8::is_continuation(byte_at(text, pos)) && may_begin_at(text, pos) &&
        match_at(text, pos, add)) {
      break;
    }
  }
  return groups;
}

bool PhraseSet::found_in(std::string_view text) const {
  for (std::size_t pos = 0; pos + k_key_bytes <= text.size(); ++pos) {
    if (!utf8::is_continuation(byte_at(text, pos)) && may_begin_at(text, pos) &&
        match_at(text, pos, [](std::uint32_t /*group*/) { return true; })) {
      return true;
    }
  }
  return false;
}

bool PhraseSet::starts(std::string_view text) const {
  return text.size() >= k_key_bytes &&
         match_at(text, 0, [](std::uint32_t /*group*/) { return true; });
}

}  // namespace archiver
