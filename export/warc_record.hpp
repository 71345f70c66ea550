#pragma once
// Writing WARC 1.1 files (ISO 28500:2017): record ids, digests, record serialization, the HTTP
// heads that go into request/response records, and a writer that gzips every record as its own
// member. Reading WARC files is not part of this library.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver::warc {

// "<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>": a random (version 4) UUID in lower-case hex,
// y one of 8, 9, a, b. Throws std::runtime_error when OpenSSL has no randomness to give.
[[nodiscard]] std::string new_record_id();

// "sha1:" and the RFC 4648 base32 of the SHA-1 of bytes (32 upper-case characters): the digest
// form WARC tools (warcio, pywb, the Heritrix family) write and check.
[[nodiscard]] std::string sha1_digest(std::string_view bytes);

// One complete gzip member (deflate level 1) holding bytes. Throws std::runtime_error when zlib
// fails. Members concatenate into a valid gzip file.
[[nodiscard]] std::string gzip_member(std::string_view bytes);

// One WARC record before serialization. The caller fills in what it knows; serialize() adds
// WARC-Block-Digest and Content-Length, which follow from the block.
struct Record {
  std::string type;        // WARC-Type: "warcinfo", "response", "request", "revisit", ...
  std::string target_uri;  // WARC-Target-URI; empty for records without one (warcinfo)
  std::string date;        // WARC-Date, UTC with Z, e.g. "2026-11-21T05:29:17Z" (to_utc_iso)
  // Content-Type of the block, e.g. "application/http; msgtype=response"; empty: none
  std::string content_type;
  std::string block;                          // the record's content block, byte for byte
  std::optional<std::string> payload_digest;  // WARC-Payload-Digest, e.g. sha1_digest(payload)
  // Further WARC headers in the order given: WARC-Concurrent-To, WARC-Refers-To, WARC-Profile,
  // WARC-Warcinfo-ID, WARC-IP-Address, ...
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::string id;  // WARC-Record-ID with its angle brackets; empty: a new_record_id()
};

// The record in WARC 1.1 form: "WARC/1.1", the headers (WARC-Type, WARC-Record-ID, WARC-Date,
// WARC-Target-URI if any, extra_headers, Content-Type if any, WARC-Payload-Digest if any,
// WARC-Block-Digest, Content-Length), an empty line, the block and two CRLFs. CR and LF inside
// header names and values become spaces, so no value can end the header section early.
[[nodiscard]] std::string serialize(const Record& record);

// An HTTP message as a WARC request/response record holds it.
struct HttpMessage {
  std::string head;     // start line and header lines, CRLF line ends, ending with an empty line
  std::string payload;  // the body, byte for byte
};

// The content block of a request/response record: head followed by payload.
[[nodiscard]] std::string http_block(const HttpMessage& message);

// The response head to archive with a body the crawler stored after content and transfer
// decoding, so that a replay tool reading the record parses the payload correctly.
//   raw_head:     the status line and header lines as received (CRLF or LF line ends, ending
//                 with an empty line or not). Several heads (1xx, redirects) -> the last is used.
//   payload_size: the byte length of the stored, decoded body.
//   status:       the stored status code; only used when raw_head has no status line, which is
//                 then synthesized as "HTTP/1.1 <status> <reason>" (200 when nullopt). A code
//                 outside 100..999 throws std::invalid_argument.
// Content-Encoding, Transfer-Encoding and Content-Length lines (any case) become
// X-Archive-Orig-Content-Encoding etc. with their original values, and "Content-Length:
// <payload_size>" is appended. Folded header lines are unfolded. The result uses CRLF and ends
// with exactly one empty line.
[[nodiscard]] std::string response_head_for_payload(std::string_view raw_head,
                                                    std::size_t payload_size,
                                                    std::optional<int> status = std::nullopt);

// The last response head of raw_head as received, unchanged but for CRLF line ends (a status
// line from status when it has none): the block of a revisit record for a 304, which has no
// payload to describe.
[[nodiscard]] std::string payloadless_response_head(std::string_view raw_head,
                                                    std::optional<int> status);

// The request head as the crawler stored it, with CRLF line ends and ending with exactly one
// empty line. Empty (or only empty lines) stays empty: there is no request to record.
[[nodiscard]] std::string request_head(std::string_view raw_request_head);

// Bytes read a chunk at a time from wherever they are kept (a blob of the archive); a source may
// be read more than once.
using ChunkSource = std::function<void(const std::function<void(std::string_view)>&)>;

// The block of a request/response record whose payload is too big to hold in memory at once (a
// 50 MiB PDF): the HTTP head, and the payload as a source of `payload_size` bytes.
struct StreamedBlock {
  std::string head;
  std::uint64_t payload_size = 0;
  ChunkSource payload;
};

// Appends records to a stream, each as its own gzip member (a ".warc.gz" file). Not thread-safe.
// After a write() has thrown, the output ends in a partial member and should be discarded.
class GzipDeflater;  // zlib's deflate state, reused from record to record

class WarcWriter {
 public:
  explicit WarcWriter(std::ostream& out);
  WarcWriter(const WarcWriter&) = delete;
  WarcWriter& operator=(const WarcWriter&) = delete;
  ~WarcWriter();

  // Serializes, gzips and writes the record; returns its WARC-Record-ID (record.id, or the new
  // one when that was empty). Throws std::runtime_error when the stream is or goes bad.
  std::string write(const Record& record);

  // The same for a record whose block is `block` (record.block and record.payload_digest are
  // not used): the payload is read twice, once for WARC-Payload-Digest and WARC-Block-Digest,
  // then into the gzip member, a chunk at a time, so memory stays flat whatever its size.
  // Returns the record id and sets *payload_digest to the digest written.
  std::string write(const Record& record, const StreamedBlock& block,
                    std::string* payload_digest = nullptr);

  // Flushes the stream; throws std::runtime_error when that fails. A buffered file stream may
  // only see a full disk here, so call it before reporting an export as complete.
  void flush();

  [[nodiscard]] std::uint64_t bytes_written() const noexcept { return m_bytes; }  // compressed
  [[nodiscard]] std::uint64_t records_written() const noexcept { return m_records; }

 private:
  void put(std::string_view bytes, std::string_view record_id);

  std::ostream& m_out;
  std::unique_ptr<GzipDeflater> m_deflater;
  std::uint64_t m_bytes = 0;
  std::uint64_t m_records = 0;
};

}  // namespace archiver::warc
