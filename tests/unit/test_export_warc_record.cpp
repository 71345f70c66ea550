#include "export/warc_record.hpp"
#include "tests/support/warc_reading.hpp"

#include <doctest/doctest.h>
#define ZLIB_CONST
#include <zlib.h>

#include <array>
#include <cstddef>
#include <set>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archiver::warc {
namespace {

using testing::inflate_member;
using testing::inflate_members;
using testing::parse;
using testing::ParsedRecord;

Record sample_response() {
  Record record;
  record.type = "response";
  record.target_uri = "http://www.example.cn/news/1.html";
  record.date = "2026-11-21T05:29:17Z";
  record.content_type = "application/http; msgtype=response";
  record.block = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n工会";
  record.payload_digest = sha1_digest("工会");
  record.extra_headers = {{"WARC-Warcinfo-ID", "<urn:uuid:00000000-0000-4000-8000-000000000000>"},
                          {"WARC-IP-Address", "192.0.2.7"}};
  return record;
}

// A stream buffer that accepts nothing, as a full disk would.
class FailingBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type /*ch*/) override { return traits_type::eof(); }
  std::streamsize xsputn(const char* /*s*/, std::streamsize /*n*/) override { return 0; }
};

// xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx in lower-case hex, y one of 8, 9, a, b.
bool is_uuid_v4(std::string_view uuid) {
  if (uuid.size() != 36 || uuid[14] != '4' ||
      std::string_view("89ab").find(uuid[19]) == std::string_view::npos) {
    return false;
  }
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    const char c = uuid[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (dash ? c != '-' : !hex) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_SUITE("export") {
  TEST_CASE("sha1_digest is sha1: and the base32 of SHA-1") {
    CHECK(sha1_digest("abc") == "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
    CHECK(sha1_digest("") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    CHECK(sha1_digest("工会") == "sha1:3T5TLPGLUPC3WBOQ2VPG6HTYMLRP2PN5");
  }

  TEST_CASE("gzip_member round-trips through inflate") {
    std::string large;
    for (std::size_t i = 0; large.size() < 3U * 1024U * 1024U; ++i) {
      large += "第" + std::to_string(i) + "段：全县工会组织数2183家。\n";
    }
    const std::vector<std::string> inputs = {"", "abc", "锚定“五强”目标延伸工会触角", large};
    for (const auto& input : inputs) {
      const std::string member = gzip_member(input);
      REQUIRE(member.size() >= 18);
      CHECK(static_cast<unsigned char>(member[0]) == 0x1F);  // gzip magic
      CHECK(static_cast<unsigned char>(member[1]) == 0x8B);
      const auto [bytes, end] = inflate_member(member);
      CHECK(bytes == input);
      CHECK(end == member.size());
    }
    CHECK(gzip_member(large).size() < large.size() / 4);
  }

  TEST_CASE("concatenated gzip members inflate one by one") {
    const std::string data = gzip_member("第一条记录") + gzip_member("second record");
    const auto members = inflate_members(data);
    REQUIRE(members.size() == 2);
    CHECK(members[0] == "第一条记录");
    CHECK(members[1] == "second record");
  }

  TEST_CASE("serialize writes the WARC 1.1 layout in header order") {
    Record record = sample_response();
    record.id = "<urn:uuid:12345678-1234-4234-8234-123456789abc>";
    const std::string text = serialize(record);
    CHECK(text.starts_with("WARC/1.1\r\n"));
    const ParsedRecord parsed = parse(text);
    CHECK(parsed.version == "WARC/1.1");
    const std::vector<std::string> expected_names = {
        "WARC-Type",         "WARC-Record-ID",  "WARC-Date",    "WARC-Target-URI",
        "WARC-Warcinfo-ID",  "WARC-IP-Address", "Content-Type", "WARC-Payload-Digest",
        "WARC-Block-Digest", "Content-Length"};
    CHECK(parsed.names() == expected_names);
    CHECK(parsed.header("WARC-Type") == "response");
    CHECK(parsed.header("WARC-Record-ID") == record.id);
    CHECK(parsed.header("WARC-Date") == "2026-11-21T05:29:17Z");
    CHECK(parsed.header("WARC-Target-URI") == record.target_uri);
    CHECK(parsed.header("WARC-IP-Address") == "192.0.2.7");
    CHECK(parsed.header("Content-Type") == "application/http; msgtype=response");
    CHECK(parsed.header("WARC-Payload-Digest") == sha1_digest("工会"));
    CHECK(parsed.header("WARC-Block-Digest") == sha1_digest(record.block));
    CHECK(parsed.header("Content-Length") == std::to_string(record.block.size()));
    CHECK(parsed.block == record.block);
    CHECK(parsed.trailer == "\r\n\r\n");
    CHECK(text.ends_with(record.block + "\r\n\r\n"));
  }

  TEST_CASE("serialize leaves out empty optional headers and makes a new id") {
    Record record;
    record.type = "warcinfo";
    record.date = "2026-11-21T05:29:17Z";
    record.block = "";
    const ParsedRecord parsed = parse(serialize(record));
    const std::vector<std::string> expected_names = {"WARC-Type", "WARC-Record-ID", "WARC-Date",
                                                     "WARC-Block-Digest", "Content-Length"};
    CHECK(parsed.names() == expected_names);
    CHECK(parsed.header("WARC-Record-ID").starts_with("<urn:uuid:"));
    CHECK(parsed.header("WARC-Block-Digest") == sha1_digest(""));
    CHECK(parsed.header("Content-Length") == "0");
    CHECK(parsed.block.empty());
    CHECK(parsed.trailer == "\r\n\r\n");
  }

  TEST_CASE("serialize replaces CR and LF in header values with spaces") {
    Record record = sample_response();
    record.target_uri = "http://www.example.cn/a\r\nWARC-Type: forged";
    record.extra_headers = {{"WARC-Refers-To", "<urn:uuid:x>\n"}};
    const ParsedRecord parsed = parse(serialize(record));
    CHECK(parsed.header("WARC-Target-URI") == "http://www.example.cn/a  WARC-Type: forged");
    CHECK(parsed.header("WARC-Refers-To") == "<urn:uuid:x> ");
    CHECK(parsed.header("WARC-Type") == "response");
    CHECK(parsed.block == record.block);
  }

  TEST_CASE("new_record_id is a bracketed random v4 UUID URN") {
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
      const std::string id = new_record_id();
      REQUIRE(id.size() == 47);
      CHECK(id.starts_with("<urn:uuid:"));
      CHECK(id.ends_with(">"));
      CHECK_MESSAGE(is_uuid_v4(std::string_view(id).substr(10, 36)), id);
      ids.insert(id);
    }
    CHECK(ids.size() == 1000);
  }

  TEST_CASE("response head for a decoded payload keeps the original encoding headers aside") {
    const std::string raw =
        "HTTP/1.1 200 OK\r\n"
        "Date: Sat, 21 Nov 2026 05:29:17 GMT\r\n"
        "content-encoding: gzip\r\n"
        "TRANSFER-ENCODING: chunked\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Length : 1234\r\n"
        "\r\n";
    const std::string head = response_head_for_payload(raw, 5678);
    CHECK(head ==
          "HTTP/1.1 200 OK\r\n"
          "Date: Sat, 21 Nov 2026 05:29:17 GMT\r\n"
          "X-Archive-Orig-Content-Encoding: gzip\r\n"
          "X-Archive-Orig-Transfer-Encoding: chunked\r\n"
          "Content-Type: text/html; charset=utf-8\r\n"
          "X-Archive-Orig-Content-Length: 1234\r\n"
          "Content-Length: 5678\r\n"
          "\r\n");
  }

  TEST_CASE("response head from LF-only input uses CRLF and ends with one empty line") {
    const std::string head =
        response_head_for_payload("HTTP/2 200\nserver: nginx\ncontent-length: 10\n\n", 42);
    CHECK(head ==
          "HTTP/2 200\r\n"
          "server: nginx\r\n"
          "X-Archive-Orig-Content-Length: 10\r\n"
          "Content-Length: 42\r\n"
          "\r\n");
    CHECK(response_head_for_payload("HTTP/1.1 404 Not Found\r\nServer: x", 0) ==
          "HTTP/1.1 404 Not Found\r\nServer: x\r\nContent-Length: 0\r\n\r\n");
  }

  TEST_CASE("response head unfolds continuation lines and keeps only the final head") {
    const std::string raw =
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 200 OK\r\n"
        "Content-Encoding: gzip,\r\n"
        "\tbr\r\n"
        "X-Note: a\r\n"
        "  b\r\n\r\n";
    CHECK(response_head_for_payload(raw, 3) ==
          "HTTP/1.1 200 OK\r\n"
          "X-Archive-Orig-Content-Encoding: gzip, br\r\n"
          "X-Note: a b\r\n"
          "Content-Length: 3\r\n\r\n");
  }

  TEST_CASE("response head is synthesized from the stored status when the raw head is empty") {
    CHECK(response_head_for_payload("", 12) == "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n");
    CHECK(response_head_for_payload("", 0, 404) ==
          "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    CHECK(response_head_for_payload("", 1, 299) == "HTTP/1.1 299 \r\nContent-Length: 1\r\n\r\n");
    CHECK(response_head_for_payload("Server: x\n\n", 1, 301) ==
          "HTTP/1.1 301 Moved Permanently\r\nServer: x\r\nContent-Length: 1\r\n\r\n");
    CHECK_THROWS_AS((void)response_head_for_payload("", 1, 0), std::invalid_argument);
    CHECK_THROWS_AS((void)response_head_for_payload("", 1, 1000), std::invalid_argument);
  }

  TEST_CASE("request head gets CRLF line ends and one final empty line") {
    CHECK(request_head("") == "");
    CHECK(request_head("\r\n") == "");
    CHECK(request_head("GET / HTTP/1.1\nHost: example.cn\n") ==
          "GET / HTTP/1.1\r\nHost: example.cn\r\n\r\n");
    CHECK(request_head("GET / HTTP/1.1\r\nHost: example.cn") ==
          "GET / HTTP/1.1\r\nHost: example.cn\r\n\r\n");
    CHECK(request_head("GET / HTTP/1.1\r\nHost: example.cn\r\n\r\n\r\n") ==
          "GET / HTTP/1.1\r\nHost: example.cn\r\n\r\n");
  }

  TEST_CASE("http_block is the head followed by the payload") {
    const HttpMessage message{response_head_for_payload("", 6), "工会"};
    CHECK(http_block(message) == "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n工会");
  }

  TEST_CASE("WarcWriter writes one gzip member per record and counts them") {
    std::ostringstream out;
    WarcWriter writer(out);
    CHECK(writer.records_written() == 0);
    CHECK(writer.bytes_written() == 0);

    Record first = sample_response();
    first.id = "<urn:uuid:12345678-1234-4234-8234-123456789abc>";
    Record second;
    second.type = "warcinfo";
    second.date = "2026-11-21T05:29:17Z";
    second.content_type = "application/warc-fields";
    second.block = "software: archiver\r\n";

    CHECK(writer.write(first) == first.id);
    const std::string second_id = writer.write(second);
    CHECK(second_id.starts_with("<urn:uuid:"));
    writer.flush();

    const std::string data = out.str();
    CHECK(writer.records_written() == 2);
    CHECK(writer.bytes_written() == data.size());
    const auto members = inflate_members(data);
    REQUIRE(members.size() == 2);
    CHECK(members[0] == serialize(first));
    second.id = second_id;
    CHECK(members[1] == serialize(second));
  }

  TEST_CASE("a record with a streamed payload is the same record, read a chunk at a time") {
    // A payload of 3 MiB and some: several deflate rounds, chunks of uneven size.
    std::string payload;
    for (std::size_t i = 0; payload.size() < 3 * 1024 * 1024 + 17; ++i) {
      payload += static_cast<char>((i * 2654435761U) >> 24U);
    }
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: " +
        std::to_string(payload.size()) + "\r\n\r\n";
    Record whole;
    whole.type = "response";
    whole.target_uri = "http://127.0.0.1/images/2024-05/09/01/page01.pdf";
    whole.date = "2026-12-02T08:00:00Z";
    whole.content_type = "application/http; msgtype=response";
    whole.block = head + payload;
    whole.payload_digest = sha1_digest(payload);
    whole.id = "<urn:uuid:12345678-1234-4234-8234-123456789abd>";

    std::ostringstream out;
    WarcWriter writer(out);
    Record streamed = whole;
    streamed.block.clear();
    streamed.payload_digest.reset();
    int reads = 0;
    std::string digest;
    CHECK(writer.write(streamed,
                       {.head = head,
                        .payload_size = payload.size(),
                        .payload =
                            [&](const auto& chunk) {
                              ++reads;
                              for (std::size_t at = 0; at < payload.size(); at += 100'003) {
                                chunk(std::string_view(payload).substr(at, 100'003));
                              }
                            }},
                       &digest) == whole.id);
    writer.flush();
    CHECK(reads == 2);  // the digests, then the record
    CHECK(digest == *whole.payload_digest);
    const auto members = inflate_members(out.str());
    REQUIRE(members.size() == 1);
    CHECK(members[0] == serialize(whole));
    CHECK(writer.bytes_written() == out.str().size());
    // A source that holds fewer bytes than it claims is refused before anything is written.
    std::ostringstream other;
    WarcWriter strict(other);
    CHECK_THROWS_AS(strict.write(streamed, {.head = head,
                                            .payload_size = payload.size() + 1,
                                            .payload = [&](const auto& chunk) { chunk(payload); }}),
                    std::runtime_error);
    CHECK(other.str().empty());
  }

  TEST_CASE("WarcWriter throws when the stream is or goes bad") {
    std::ostringstream bad;
    bad.setstate(std::ios::badbit);
    WarcWriter bad_writer(bad);
    CHECK_THROWS_AS((void)bad_writer.write(sample_response()), std::runtime_error);
    CHECK(bad_writer.records_written() == 0);

    FailingBuffer buffer;
    std::ostream failing(&buffer);
    WarcWriter failing_writer(failing);
    CHECK_THROWS_WITH_AS((void)failing_writer.write(sample_response()),
                         doctest::Contains("writing WARC record <urn:uuid:"), std::runtime_error);
    CHECK(failing_writer.records_written() == 0);
    CHECK(failing_writer.bytes_written() == 0);

    FailingBuffer throwing_buffer;
    std::ostream throwing(&throwing_buffer);
    throwing.exceptions(std::ios::badbit);
    WarcWriter throwing_writer(throwing);
    CHECK_THROWS_AS((void)throwing_writer.write(sample_response()), std::runtime_error);
  }
}

}  // namespace archiver::warc
