#pragma once
// The archive as a WACZ 1.1.1 file (Web Archive Collection Zipped), what ReplayWeb.page and
// pywb open: the WARC export in archive/data.warc.gz, its CDXJ index in indexes/index.cdxj
// (one line per response and revisit, sorted by SURT and time, with the record's offset and
// length in the WARC), pages/pages.jsonl (the article pages), datapackage.json (every file with
// its SHA-256 and size) and datapackage-digest.json. Everything is stored uncompressed in the
// ZIP, so a reader can fetch a record by byte range.
//
// The WARC is written first to an unnamed file in work_folder (its offsets must be known before
// the index is), then copied into the ZIP: nothing of it is held in memory.

#include "export/warc_export.hpp"

#include <filesystem>

namespace archiver {

struct WaczExportOptions {
  WarcExportOptions warc;             // filters and what the WARC export needs
  std::filesystem::path work_folder;  // where the WARC waits (the output's folder)
  std::string title;                  // the collection's title in datapackage.json
};

struct WaczExportStats {
  WarcExportStats warc;
  std::int64_t index_lines = 0;
  std::int64_t pages = 0;
  std::uint64_t file_bytes = 0;  // of the WACZ
};

// Throws std::runtime_error when writing fails.
WaczExportStats export_wacz(ArchiveReader& archive, const WaczExportOptions& options,
                            std::ostream& out);

// The SURT form of a URL that WACZ indexes sort and look up by, as ReplayWeb.page computes it:
// scheme and a leading www (www2, ...) dropped, host labels reversed and joined by ',', the
// port kept, ')' then the path, then the query's arguments sorted. "http://www.Example.com:8080
// /a/b?z=1&a=2" is "com,example:8080)/a/b?a=2&z=1".
[[nodiscard]] std::string surt_key(std::string_view url);

// "20240509083015" from "2024-05-09T08:30:15Z": a CDXJ timestamp.
[[nodiscard]] std::string cdxj_timestamp(std::string_view utc_iso);

}  // namespace archiver
