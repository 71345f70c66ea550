#include "export/warc_record.hpp"

// next_in becomes a pointer to const, so input needs no const_cast.
#define ZLIB_CONST
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <zlib.h>

#include "util/ascii.hpp"

#include <algorithm>
#include <array>
#include <ios>
#include <memory>
#include <span>
#include <stdexcept>

namespace archiver::warc {
namespace {

// ---- ids and digests ----------------------------------------------------------------------

std::string hex(std::span<const unsigned char> bytes) {
  static constexpr std::string_view k_digits = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (const unsigned char byte : bytes) {
    text.push_back(k_digits[byte >> 4U]);
    text.push_back(k_digits[byte & 0x0FU]);
  }
  return text;
}

// RFC 4648 base32 with '=' padding (none is needed for a 20-byte SHA-1).
std::string base32(std::span<const unsigned char> bytes) {
  static constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string text;
  text.reserve((bytes.size() + 4) / 5 * 8);
  std::uint32_t buffer = 0;  // never holds more than 12 bits
  unsigned bits = 0;
  for (const unsigned char byte : bytes) {
    buffer = (buffer << 8U) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text.push_back(k_alphabet[(buffer >> bits) & 0x1FU]);
    }
    buffer &= (1U << bits) - 1U;
  }
  if (bits > 0) {
    text.push_back(k_alphabet[(buffer << (5 - bits)) & 0x1FU]);
  }
  while (text.size() % 8 != 0) {
    text.push_back('=');
  }
  return text;
}

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

// ---- gzip ---------------------------------------------------------------------------------

// Level 1: measured on the benchmark archive, twice as fast as level 6 for 3% more bytes.
constexpr int k_gzip_level = 1;
constexpr int k_gzip_window_bits = 15 + 16;  // 32 KiB window; +16 asks for a gzip wrapper
constexpr int k_gzip_mem_level = 8;          // zlib's default
// zlib counts in uInt (32 bits), so a larger input goes in in pieces.
constexpr std::size_t k_deflate_in_chunk = std::size_t{1} << 30U;
constexpr uInt k_deflate_out_chunk = 64U * 1024U;

}  // namespace

// Owns a z_stream set up for gzip output; deflateEnd frees zlib's state on every path.
class GzipDeflater {
 public:
  GzipDeflater() {
    if (deflateInit2(&m_stream, k_gzip_level, Z_DEFLATED, k_gzip_window_bits, k_gzip_mem_level,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("zlib deflateInit2 failed");
    }
  }
  GzipDeflater(const GzipDeflater&) = delete;
  GzipDeflater& operator=(const GzipDeflater&) = delete;
  ~GzipDeflater() { deflateEnd(&m_stream); }

  // Ready for the next member, keeping the buffers: zlib's state is a quarter of a megabyte,
  // and allocating it afresh for every record made page faults half of an export's time.
  void reset() {
    if (deflateReset(&m_stream) != Z_OK) {
      throw std::runtime_error("zlib deflateReset failed");
    }
  }

  // Deflates all of the stream's pending input into out (from used on); returns deflate's result.
  int run(std::string& out, std::size_t& used, int flush) {
    int result = Z_OK;
    do {
      out.resize(used + k_deflate_out_chunk);
      m_stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
      m_stream.avail_out = k_deflate_out_chunk;
      result = deflate(&m_stream, flush);
      if (result == Z_STREAM_ERROR) {
        throw std::runtime_error("zlib deflate failed: stream state inconsistent");
      }
      used += k_deflate_out_chunk - m_stream.avail_out;
    } while (m_stream.avail_out == 0);  // a full output buffer may mean more output is waiting
    return result;
  }

  z_stream& stream() noexcept { return m_stream; }

 private:
  z_stream m_stream{};
};

namespace {

// ---- record serialization -----------------------------------------------------------------

// A header line whose value held CR or LF would end the header early or inject headers.
std::string header_text(std::string_view text) {
  std::string clean(text);
  std::ranges::replace(clean, '\r', ' ');
  std::ranges::replace(clean, '\n', ' ');
  return clean;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out += header_text(name);
  out += ": ";
  out += header_text(value);
  out += "\r\n";
}

// The version line and headers, up to and including the empty line before the block.
std::string header_with_id(const Record& record, std::string_view id,
                           const std::optional<std::string>& payload_digest,
                           std::string_view block_digest, std::uint64_t block_length) {
  std::string out = "WARC/1.1\r\n";
  append_header(out, "WARC-Type", record.type);
  append_header(out, "WARC-Record-ID", id);
  append_header(out, "WARC-Date", record.date);
  if (!record.target_uri.empty()) {
    append_header(out, "WARC-Target-URI", record.target_uri);
  }
  for (const auto& [name, value] : record.extra_headers) {
    append_header(out, name, value);
  }
  if (!record.content_type.empty()) {
    append_header(out, "Content-Type", record.content_type);
  }
  if (payload_digest) {
    append_header(out, "WARC-Payload-Digest", *payload_digest);
  }
  append_header(out, "WARC-Block-Digest", block_digest);
  append_header(out, "Content-Length", std::to_string(block_length));
  out += "\r\n";
  return out;
}

std::string serialize_with_id(const Record& record, std::string_view id) {
  std::string out = header_with_id(record, id, record.payload_digest, sha1_digest(record.block),
                                   record.block.size());
  out.reserve(out.size() + record.block.size() + 4);
  out += record.block;
  out += "\r\n\r\n";
  return out;
}

// ---- HTTP heads ---------------------------------------------------------------------------

// Lines of text without their LF or CRLF ends; a final line without an end counts too.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  return lines;
}

// The lines of the last head in raw (a stored head may carry 1xx or redirect heads before the
// final one), with folded continuation lines joined to their field by a space. After a head's
// empty line only a status line starts another head; anything else there is not a head.
std::vector<std::string> last_head_fields(std::string_view raw) {
  std::vector<std::string> fields;
  bool head_ended = false;
  for (const std::string_view line : split_lines(raw)) {
    if (line.empty()) {
      head_ended = !fields.empty();
      continue;
    }
    if (head_ended) {
      if (!line.starts_with("HTTP/")) {
        continue;
      }
      fields.clear();
      head_ended = false;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back() += ' ';
      fields.back() += ascii_trim(line, k_http_whitespace);
    } else {
      fields.emplace_back(line);
    }
  }
  return fields;
}

// Reason phrases for a synthesized status line; the phrase is optional, so the list is short.
struct ReasonPhrase {
  int status;
  std::string_view phrase;
};
constexpr std::array<ReasonPhrase, 22> k_reason_phrases = {{
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {206, "Partial Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {410, "Gone"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
}};

std::string_view reason_phrase(int status) {
  const auto* const found = std::ranges::find(k_reason_phrases, status, &ReasonPhrase::status);
  return found == k_reason_phrases.end() ? std::string_view{} : found->phrase;
}

std::string status_line(std::optional<int> status) {
  const int code = status.value_or(200);
  if (code < 100 || code > 999) {
    throw std::invalid_argument("HTTP status code out of range: " + std::to_string(code));
  }
  // The space before the reason phrase is required even when the phrase is empty.
  return "HTTP/1.1 " + std::to_string(code) + " " + std::string(reason_phrase(code));
}

// Headers that describe the body as it was sent, not as the archive stores it.
constexpr std::array<std::string_view, 3> k_transfer_headers = {
    "Content-Encoding", "Transfer-Encoding", "Content-Length"};

// "X-Archive-Orig-<Name>: value" for a transfer header field, nullopt for any other line.
std::optional<std::string> renamed_transfer_header(std::string_view field) {
  const auto colon = field.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view name = ascii_trim(field.substr(0, colon), k_http_whitespace);
  for (const std::string_view transfer : k_transfer_headers) {
    if (equals_ignoring_case(name, transfer)) {
      return "X-Archive-Orig-" + std::string(transfer) + ": " +
             std::string(ascii_trim(field.substr(colon + 1), k_http_whitespace));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string new_record_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no randomness for a WARC-Record-ID");
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0FU) | 0x40U);  // version 4: random
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3FU) | 0x80U);  // RFC 4122 variant
  const std::string digits = hex(bytes);
  return "<urn:uuid:" + digits.substr(0, 8) + "-" + digits.substr(8, 4) + "-" +
         digits.substr(12, 4) + "-" + digits.substr(16, 4) + "-" + digits.substr(20) + ">";
}

std::string sha1_digest(std::string_view bytes) {
  const DigestContext context(EVP_MD_CTX_new());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (context == nullptr || EVP_DigestInit_ex(context.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
    throw std::runtime_error("OpenSSL SHA-1 digest failed");
  }
  return "sha1:" + base32(std::span(digest).first(length));
}

// One gzip member, made with a deflater that is reused from member to member.
std::string gzip_member_with(GzipDeflater& deflater, std::string_view bytes) {
  deflater.reset();
  z_stream& stream = deflater.stream();
  std::string out;
  std::size_t used = 0;
  std::size_t offset = 0;
  int result = Z_OK;
  bool last = false;
  while (!last) {
    const std::size_t chunk = std::min(bytes.size() - offset, k_deflate_in_chunk);
    stream.next_in = reinterpret_cast<const Bytef*>(bytes.data() + offset);
    stream.avail_in = static_cast<uInt>(chunk);
    offset += chunk;
    last = offset == bytes.size();
    result = deflater.run(out, used, last ? Z_FINISH : Z_NO_FLUSH);
  }
  if (result != Z_STREAM_END) {
    throw std::runtime_error("zlib deflate did not finish the gzip member");
  }
  out.resize(used);
  return out;
}

std::string gzip_member(std::string_view bytes) {
  GzipDeflater deflater;
  return gzip_member_with(deflater, bytes);
}

std::string serialize(const Record& record) {
  return serialize_with_id(record, record.id.empty() ? new_record_id() : record.id);
}

std::string http_block(const HttpMessage& message) { return message.head + message.payload; }

// The archive stores bodies after content and transfer decoding. Left as received, these headers
// would make a replay tool gunzip or de-chunk a body that is neither, or cut it at the wire
// length; kept under X-Archive-Orig- names (the convention of Heritrix and pywb) they still say
// what was sent.
std::string response_head_for_payload(std::string_view raw_head, std::size_t payload_size,
                                      std::optional<int> status) {
  std::vector<std::string> fields = last_head_fields(raw_head);
  if (fields.empty() || !fields.front().starts_with("HTTP/")) {
    fields.insert(fields.begin(), status_line(status));
  }
  std::string head = fields.front() + "\r\n";
  for (std::size_t i = 1; i < fields.size(); ++i) {
    head += renamed_transfer_header(fields[i]).value_or(fields[i]);
    head += "\r\n";
  }
  head += "Content-Length: " + std::to_string(payload_size) + "\r\n\r\n";
  return head;
}

std::string payloadless_response_head(std::string_view raw_head, std::optional<int> status) {
  std::vector<std::string> fields = last_head_fields(raw_head);
  if (fields.empty() || !fields.front().starts_with("HTTP/")) {
    fields.insert(fields.begin(), status_line(status));
  }
  std::string head;
  for (const auto& field : fields) {
    head += field;
    head += "\r\n";
  }
  return head + "\r\n";
}

std::string request_head(std::string_view raw_request_head) {
  std::vector<std::string_view> lines = split_lines(raw_request_head);
  while (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  std::string head;
  for (const std::string_view line : lines) {
    head += line;
    head += "\r\n";
  }
  if (!head.empty()) {
    head += "\r\n";
  }
  return head;
}

// Each record is its own gzip member, so a CDX index can point at a record's offset and a reader
// can seek there and inflate that record alone.
WarcWriter::WarcWriter(std::ostream& out)
    : m_out(out), m_deflater(std::make_unique<GzipDeflater>()) {}

WarcWriter::~WarcWriter() = default;

std::string WarcWriter::write(const Record& record) {
  if (!m_out.good()) {
    throw std::runtime_error("WARC output stream is not writable");
  }
  std::string id = record.id.empty() ? new_record_id() : record.id;
  const std::string member = gzip_member_with(*m_deflater, serialize_with_id(record, id));
  put(member, id);
  m_bytes += member.size();
  ++m_records;
  return id;
}

namespace {

// SHA-1 over bytes given in parts, in the WARC digest form.
class Sha1 {
 public:
  Sha1() : m_context(EVP_MD_CTX_new()) {
    if (m_context == nullptr || EVP_DigestInit_ex(m_context.get(), EVP_sha1(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL SHA-1 digest failed");
    }
  }
  void update(std::string_view bytes) {
    if (EVP_DigestUpdate(m_context.get(), bytes.data(), bytes.size()) != 1) {
      throw std::runtime_error("OpenSSL SHA-1 digest failed");
    }
  }
  std::string finish() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_context.get(), digest.data(), &length) != 1) {
      throw std::runtime_error("OpenSSL SHA-1 digest failed");
    }
    return "sha1:" + base32(std::span(digest).first(length));
  }

 private:
  DigestContext m_context;
};

}  // namespace

std::string WarcWriter::write(const Record& record, const StreamedBlock& block,
                              std::string* payload_digest) {
  if (!m_out.good()) {
    throw std::runtime_error("WARC output stream is not writable");
  }
  std::string id = record.id.empty() ? new_record_id() : record.id;
  // First pass: the digests, and that the source holds what it claims.
  Sha1 payload_sha;
  Sha1 block_sha;
  block_sha.update(block.head);
  std::uint64_t seen = 0;
  block.payload([&](std::string_view chunk) {
    payload_sha.update(chunk);
    block_sha.update(chunk);
    seen += chunk.size();
  });
  if (seen != block.payload_size) {
    throw std::runtime_error("WARC record " + id + ": the payload has " + std::to_string(seen) +
                             " bytes, not " + std::to_string(block.payload_size));
  }
  const std::string digest = payload_sha.finish();
  if (payload_digest != nullptr) {
    *payload_digest = digest;
  }
  const std::string header = header_with_id(record, id, digest, block_sha.finish(),
                                            block.head.size() + block.payload_size);
  // Second pass: one gzip member, written out as it is made.
  m_deflater->reset();
  z_stream& stream = m_deflater->stream();
  std::string out;
  std::uint64_t member_bytes = 0;
  const auto feed = [&](std::string_view bytes, int flush) {
    int result = Z_OK;
    do {
      const std::size_t chunk = std::min(bytes.size(), k_deflate_in_chunk);
      stream.next_in = reinterpret_cast<const Bytef*>(bytes.data());
      stream.avail_in = static_cast<uInt>(chunk);
      bytes.remove_prefix(chunk);
      std::size_t used = 0;
      result = m_deflater->run(out, used, bytes.empty() ? flush : Z_NO_FLUSH);
      put(std::string_view(out.data(), used), id);
      member_bytes += used;
    } while (!bytes.empty());
    return result;
  };
  feed(header, Z_NO_FLUSH);
  feed(block.head, Z_NO_FLUSH);
  block.payload([&](std::string_view chunk) { feed(chunk, Z_NO_FLUSH); });
  if (feed("\r\n\r\n", Z_FINISH) != Z_STREAM_END) {
    throw std::runtime_error("zlib deflate did not finish the gzip member");
  }
  m_bytes += member_bytes;
  ++m_records;
  return id;
}

void WarcWriter::flush() {
  if (!m_out.flush()) {
    throw std::runtime_error("flushing the WARC output failed (disk full?)");
  }
}

void WarcWriter::put(std::string_view bytes, std::string_view record_id) {
  const auto failure = [&](std::string_view why) {
    return std::runtime_error("writing WARC record " + std::string(record_id) + " at byte " +
                              std::to_string(m_bytes) + " failed: " + std::string(why));
  };
  try {
    m_out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  } catch (const std::ios_base::failure& error) {  // the caller set the stream to throw
    throw failure(error.what());
  }
  if (!m_out) {
    throw failure("the output stream went bad (disk full?)");
  }
}

}  // namespace archiver::warc
