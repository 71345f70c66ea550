#include "search/rank.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <cmath>

namespace archiver::search {
namespace {

// The usual BM25 constants, and the title's weight (as in bm25(search_index, 10.0, 1.0)).
constexpr double k_k1 = 1.2;
constexpr double k_b = 0.75;
constexpr double k_title_weight = 10.0;

std::size_t occurrences(std::string_view text, std::string_view term) {
  std::size_t count = 0;
  for (std::size_t at = text.find(term); at != std::string_view::npos;
       at = text.find(term, at + term.size())) {
    ++count;
  }
  return count;
}

struct Counted {
  std::vector<double> frequency;  // per term: weighted occurrences in title and body
  double length = 0;              // weighted length in code points
};

}  // namespace

bool holds_all_terms(const RankedText& text, const std::vector<std::string>& terms) {
  for (const auto& term : terms) {
    if (text.title.find(term) == std::string_view::npos &&
        text.body.find(term) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

double estimate_holding(double seen, double sample, double oldest_seen, double newest) {
  const double span = newest - oldest_seen + 1;
  // (span < 1: versions stored between reading `newest` and the matches; seen is all we know.)
  if (seen < sample || oldest_seen <= 1 || span < 1) {
    return seen;
  }
  return std::clamp(seen * newest / span, seen, std::max(seen, newest));
}

std::vector<double> bm25_scores(const std::vector<RankedText>& candidates,
                                const std::vector<std::string>& terms,
                                const TermStatistics& corpus) {
  std::vector<Counted> counted;
  counted.reserve(candidates.size());
  double total_length = 0;
  for (const auto& text : candidates) {
    Counted entry;
    entry.length = k_title_weight * static_cast<double>(utf8::count_code_points(text.title)) +
                   static_cast<double>(utf8::count_code_points(text.body));
    for (std::size_t t = 0; t < terms.size(); ++t) {
      const double frequency =
          k_title_weight * static_cast<double>(occurrences(text.title, terms[t])) +
          static_cast<double>(occurrences(text.body, terms[t]));
      entry.frequency.push_back(frequency);
    }
    total_length += entry.length;
    counted.push_back(std::move(entry));
  }
  const double count = static_cast<double>(candidates.size());
  const double average_length = count > 0 && total_length > 0 ? total_length / count : 1.0;
  // Never fewer documents than candidates, never more holders than documents.
  const double documents = std::max(corpus.documents, count);
  std::vector<double> holding(terms.size(), documents);
  for (std::size_t t = 0; t < terms.size() && t < corpus.holding.size(); ++t) {
    holding[t] = std::clamp(corpus.holding[t], std::min(count, 1.0), documents);
  }
  std::vector<double> scores;
  scores.reserve(candidates.size());
  for (const auto& entry : counted) {
    double score = 0;
    for (std::size_t t = 0; t < terms.size(); ++t) {
      const double idf = std::log(1.0 + (documents - holding[t] + 0.5) / (holding[t] + 0.5));
      const double frequency = entry.frequency[t];
      score += idf * frequency * (k_k1 + 1.0) /
               (frequency + k_k1 * (1.0 - k_b + k_b * entry.length / average_length));
    }
    scores.push_back(score);
  }
  return scores;
}

}  // namespace archiver::search
