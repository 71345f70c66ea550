#pragma once
// The revision of the extraction rules. Every version records the revision that produced it,
// so `history` can tell a version made by a newer parser from one made by the publisher.
//
// Bump it with any change to parsers/ (or to what decode/ hands them) that can extract
// something different from the same stored page; note the change below.
//   1  the rules up to schema 9 (versions stored before schema 10 record none)
//   2  real-page round: times beside dates, bylines, titles, other e-paper platforms

namespace archiver {

inline constexpr int k_parser_version = 2;

}  // namespace archiver
