#pragma once
// Ranking search results: BM25 over a title field and a body field (BM25F: a title occurrence
// counts as much as ten in the body), computed here over the candidates rather than by FTS5's
// bm25(), which counts a phrase's documents by running the phrase over the whole index first:
// a third of a second for a two-character word in a million articles.

#include <string>
#include <string_view>
#include <vector>

namespace archiver::search {

struct RankedText {
  std::string_view title;  // folded (fold()), title with 引题 and 副题
  std::string_view body;   // folded
};

// Whether every term occurs in the title or the body as written (folded). FTS5 matches a
// phrase across punctuation and line breaks (工，会议 has the tokens 工 会 side by side); this
// is the check that the words are really there.
[[nodiscard]] bool holds_all_terms(const RankedText& text, const std::vector<std::string>& terms);

// How common each term is in the whole index: the weights (IDF) of a several-word query. The
// candidates alone cannot tell: every one of them holds every term.
struct TermStatistics {
  double documents = 0;         // versions indexed
  std::vector<double> holding;  // per term: versions that hold it (or an estimate)
};

// How many documents hold a token, from its newest matches alone: counting all of them means
// reading its whole doclist (FTS5 keeps no count; fts5vocab walks the list: 124 ms for 工 in a
// million articles). `seen` matches were read newest first, at most `sample`; the oldest has
// id `oldest_seen` and ids run up to `newest`. Fewer than `sample` is the exact count; a full
// sample is scaled by the share of ids it spans (ids are versions in the order stored, so the
// estimate assumes the token is as common in older versions as in the newest).
[[nodiscard]] double estimate_holding(double seen, double sample, double oldest_seen,
                                      double newest);

// One score per candidate, higher is better. A rarer term of a several-word query counts more:
// its occurrences weigh by its IDF over the whole index.
[[nodiscard]] std::vector<double> bm25_scores(const std::vector<RankedText>& candidates,
                                              const std::vector<std::string>& terms,
                                              const TermStatistics& corpus);

}  // namespace archiver::search
