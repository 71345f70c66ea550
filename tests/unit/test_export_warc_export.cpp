// The WARC export of an archive written directly: which record each kind of fetch becomes.

#include "export/warc_export.hpp"
#include "export/warc_record.hpp"
#include "store/archive_writer.hpp"
#include "tests/support/sample_articles.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/warc_reading.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace archiver {
namespace {

using testing::fetch_of;
using testing::page_with;

constexpr std::string_view k_url = "http://www.example.cn/news/1.html";

FetchRecord fetch_at(const std::string& when) {
  FetchRecord fetch = fetch_of(std::string(k_url), when);
  fetch.response_headers =
      "HTTP/1.1 301 Moved Permanently\r\nLocation: /news/1.html\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
      "Content-Length: 99\r\n\r\n";
  fetch.request_headers = "GET /news/1.html HTTP/1.1\r\nHost: www.example.cn\r\n\r\n";
  return fetch;
}

std::vector<testing::ParsedRecord> export_records(const std::filesystem::path& archive) {
  std::ostringstream out;
  ArchiveReader reader(archive);
  const auto stats = export_warc(reader,
                                 {.filename = "test.warc.gz",
                                  .software = "archiver/test",
                                  .article_json =
                                      [](const StoredArticle& article) {
                                        return "{\"title\":\"" + article.article.title + "\"}";
                                      }},
                                 out);
  CHECK(stats.file_bytes == out.str().size());
  std::vector<testing::ParsedRecord> records;
  for (const auto& member : testing::inflate_members(out.str())) {
    records.push_back(testing::parse(member));
  }
  return records;
}

}  // namespace

TEST_SUITE("export/warc") {
  TEST_CASE("response, request, metadata, and a revisit of the right profile for each re-fetch") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const auto page = page_with("职工书屋", {"工会为职工送书。"});
    const std::string body = "<html><p>工会为职工送书。</p><p>点击量:87</p></html>";
    writer.record_page(fetch_at("2026-11-01T00:00:00Z"), body, page, "generic");
    // The same bytes again: an identical payload.
    writer.record_page(fetch_at("2026-11-02T00:00:00Z"), body, page, "generic");
    // Other bytes, the same article (a counter): the archive keeps the first bytes only.
    std::string counted = body;
    counted.replace(counted.find("87"), 2, "88");
    writer.record_page(fetch_at("2026-11-03T00:00:00Z"), counted, page, "generic");
    // A 304.
    FetchRecord not_modified = fetch_at("2026-11-04T00:00:00Z");
    not_modified.http_status = 304;
    not_modified.response_headers = "HTTP/1.1 304 Not Modified\r\nETag: \"e1\"\r\n\r\n";
    writer.record_not_modified(not_modified);

    const auto records = export_records(dir / "archive.db");
    std::vector<std::string> types;
    for (const auto& record : records) {
      types.push_back(record.header("WARC-Type"));
      CHECK(record.version == "WARC/1.1");
      CHECK(record.header("WARC-Block-Digest") == warc::sha1_digest(record.block));
      CHECK(record.trailer == "\r\n\r\n");
    }
    REQUIRE(types == std::vector<std::string>{"warcinfo", "response", "request", "metadata",
                                              "revisit", "revisit", "revisit"});
    const auto& response = records[1];
    CHECK(response.header("WARC-Target-URI") == k_url);
    CHECK(response.header("WARC-Date") == "2026-11-01T00:00:00Z");
    CHECK(response.header("WARC-Payload-Digest") == warc::sha1_digest(body));
    CHECK(response.block.ends_with("\r\n\r\n" + body));
    CHECK(response.block.starts_with("HTTP/1.1 200 OK\r\n"));  // the last head of the redirect
    CHECK(response.block.find("X-Archive-Orig-Content-Encoding: gzip") != std::string::npos);
    CHECK(response.block.find("Content-Length: " + std::to_string(body.size())) !=
          std::string::npos);
    const std::string response_id = response.header("WARC-Record-ID");
    CHECK(records[2].header("WARC-Concurrent-To") == response_id);
    CHECK(records[2].block.starts_with("GET /news/1.html HTTP/1.1\r\n"));
    CHECK(records[3].header("WARC-Refers-To") == response_id);
    CHECK(records[3].block == "{\"title\":\"职工书屋\"}\n");

    const auto& identical = records[4];
    CHECK(identical.header("WARC-Profile") ==
          "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest");
    CHECK(identical.header("WARC-Refers-To") == response_id);
    CHECK(identical.header("WARC-Refers-To-Date") == "2026-11-01T00:00:00Z");
    CHECK(identical.header("WARC-Payload-Digest") == warc::sha1_digest(body));

    const auto& equivalent = records[5];
    CHECK(equivalent.header("WARC-Profile") == "urn:x-archiver:revisit:same-article-content");
    CHECK(equivalent.header("WARC-Refers-To") == response_id);
    CHECK(equivalent.header("WARC-Payload-Digest").empty());
    CHECK(equivalent.header("WARC-Archiver-Received-SHA256").size() == 64);

    const auto& unchanged = records[6];
    CHECK(unchanged.header("WARC-Profile") ==
          "http://netpreserve.org/warc/1.1/revisit/server-not-modified");
    CHECK(unchanged.header("WARC-Refers-To") == response_id);
    CHECK(unchanged.header("WARC-Refers-To-Target-URI") == k_url);
    CHECK(unchanged.block == "HTTP/1.1 304 Not Modified\r\nETag: \"e1\"\r\n\r\n");
  }

  TEST_CASE("a filter that leaves out the first response: the bytes come as a response") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const auto page = page_with("标题", {"正文。"});
    auto first = fetch_at("2026-11-01T00:00:00Z");
    first.site = "old";
    writer.record_page(first, "<p>正文。</p>", page, "generic");
    auto again = fetch_at("2026-11-05T00:00:00Z");
    again.site = "new";
    writer.record_page(again, "<p>正文。</p>", page, "generic");
    std::ostringstream out;
    ArchiveReader reader(dir / "archive.db");
    export_warc(reader,
                {.site = "new",
                 .since = "2026-11-02",
                 .filename = "x",
                 .software = "archiver/test",
                 .article_json = [](const StoredArticle&) { return std::string("{}"); }},
                out);
    std::vector<std::string> types;
    for (const auto& member : testing::inflate_members(out.str())) {
      types.push_back(testing::parse(member).header("WARC-Type"));
    }
    CHECK(types == std::vector<std::string>{"warcinfo", "response", "request"});
  }
}

}  // namespace archiver
