#pragma once
// The archive's HTTP exchanges as a WARC 1.1 file: a warcinfo record, then for every fetch
// that brought a body a `response` record (the stored bytes, byte for byte) and the `request`
// that asked for it, `revisit` records for fetches that found nothing new (a 304, or a 200 whose
// content the archive already holds), and a `metadata` record per article version with the
// fields extracted from that response.

#include "store/archive_reader.hpp"
#include "store/records.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace archiver {

// Where a response or revisit record lies in the written file (before gzip: the member's
// offset and length), with what an index of it needs.
struct WarcIndexEntry {
  std::string url;
  std::string date;          // the fetch's time, UTC ISO with Z
  std::string content_type;  // as the server sent it
  std::int64_t status = 0;
  std::string payload_digest;  // "sha1:...", empty for a revisit without one
  bool revisit = false;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct WarcExportOptions {
  std::optional<std::string> site;
  std::optional<std::string> since;  // YYYY-MM-DD, on the day (UTC) of the fetch
  std::optional<std::string> until;
  std::string filename;  // named in the warcinfo record
  std::string software;  // "archiver/0.1.0"
  // The JSON a metadata record carries for an article version (the contract's fields).
  std::function<std::string(const StoredArticle&)> article_json;
  // Told of every response and revisit record as it is written (a WACZ's index), and of every
  // article page whose response made a version (its pages list): URL, fetch time, title.
  std::function<void(const WarcIndexEntry&)> on_record;
  std::function<void(const std::string&, const std::string&, const std::string&)> on_page;
};

struct WarcExportStats {
  std::int64_t responses = 0;
  std::int64_t requests = 0;
  std::int64_t revisits = 0;
  std::int64_t metadata = 0;
  std::int64_t payload_bytes = 0;  // response payloads, uncompressed
  std::uint64_t file_bytes = 0;    // written, gzip-compressed
};

// Writes the WARC to out; throws std::runtime_error when writing fails (a full disk).
WarcExportStats export_warc(ArchiveReader& archive, const WarcExportOptions& options,
                            std::ostream& out);

}  // namespace archiver
