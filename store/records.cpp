#include "store/records.hpp"

namespace archiver {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::created:
      return "new";
    case Outcome::changed:
      return "changed";
    case Outcome::unchanged:
      return "unchanged";
    case Outcome::not_modified:
      return "not-modified";
    case Outcome::error:
      return "error";
  }
  return "error";
}

CrawlStats& CrawlStats::operator+=(const CrawlStats& other) {
  pages += other.pages;
  headlines += other.headlines;
  known += other.known;
  articles += other.articles;
  with_title += other.with_title;
  with_date += other.with_date;
  with_body += other.with_body;
  new_versions += other.new_versions;
  errors += other.errors;
  revisited += other.revisited;
  assets += other.assets;
  asset_errors += other.asset_errors;
  return *this;
}

}  // namespace archiver
