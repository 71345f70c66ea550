#pragma once
// The archive's HTTP exchanges as a WARC 1.1 file: a warcinfo record, then for every fetch
// that brought a body a `response` record (the stored bytes, byte for byte) and the `request`
// that asked for it, `revisit` records for fetches that found nothing new (a 304, or a 200 whose
// content the archive already holds), and a `metadata` record per article version with the
// fields extracted from that response.

#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace archiver {

struct WarcExportOptions {
  std::optional<std::string> site;
  std::optional<std::string> since;  // YYYY-MM-DD, on the day (UTC) of the fetch
  std::optional<std::string> until;
  std::string filename;  // named in the warcinfo record
  std::string software;  // "archiver/0.1.0"
  // The JSON a metadata record carries for an article version (the contract's fields).
  std::function<std::string(const StoredArticle&)> article_json;
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
WarcExportStats export_warc(sqlite::Database& db, const WarcExportOptions& options,
                            std::ostream& out);

}  // namespace archiver
