#include "export/warc_export.hpp"

#include "export/warc_record.hpp"
#include "util/clock.hpp"

#include <unordered_map>

namespace archiver {
namespace {

constexpr std::string_view k_identical_payload =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
constexpr std::string_view k_server_not_modified =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";
// A 200 whose bytes differed from the archived ones (a 点击量 counter, a new related-articles
// list) while the article's content did not: archiver kept the earlier bytes only. No standard
// profile says "equivalent, not identical", so this one is archiver's own.
constexpr std::string_view k_same_article_content = "urn:x-archiver:revisit:same-article-content";
constexpr std::string_view k_http_response = "application/http; msgtype=response";
constexpr std::string_view k_http_request = "application/http; msgtype=request";

// A response already written, for the revisits that refer to it.
struct WrittenResponse {
  std::string record_id;
  std::string url;
  std::string date;
  std::string payload_digest;
  std::size_t payload_size = 0;
};

// curl logs every request of a redirect chain; the last one asked for this response.
std::string_view last_request(std::string_view logged) {
  while (!logged.empty()) {
    const std::size_t end = logged.rfind("\r\n\r\n", logged.size() - 1);
    if (end == std::string_view::npos) {
      return logged;
    }
    if (end + 4 < logged.size()) {
      return logged.substr(end + 4);
    }
    logged = logged.substr(0, end);
  }
  return logged;
}

class WarcExport {
 public:
  WarcExport(ArchiveReader& archive, const WarcExportOptions& options, std::ostream& out)
      : m_archive(archive), m_options(options), m_writer(out) {}

  WarcExportStats run() {
    write_warcinfo();
    m_archive.each_exchange(
        {.site = m_options.site, .since = m_options.since, .until = m_options.until},
        [this](const ArchivedExchange& row) {
          const std::string record_id = write_exchange(row);
          write_metadata(row, record_id);
        });
    m_writer.flush();
    m_stats.file_bytes = m_writer.bytes_written();
    return m_stats;
  }

 private:
  void write_warcinfo() {
    std::string fields = "software: " + m_options.software + "\r\n" +
                         "format: WARC File Format 1.1\r\n" +
                         "conformsTo: https://iipc.github.io/warc-specifications/"
                         "specifications/warc-format/warc-1.1/\r\n";
    fields += "description: archived HTTP exchanges";
    if (m_options.site) {
      fields += " of site " + *m_options.site;
    }
    if (m_options.since || m_options.until) {
      fields +=
          ", fetched " + m_options.since.value_or("…") + " to " + m_options.until.value_or("…");
    }
    fields += "\r\n";
    m_warcinfo_id = m_writer.write({.type = "warcinfo",
                                    .target_uri = {},
                                    .date = now_utc_iso(),
                                    .content_type = "application/warc-fields",
                                    .block = fields,
                                    .payload_digest = {},
                                    .extra_headers = {{"WARC-Filename", m_options.filename}},
                                    .id = {}});
  }

  // The fetch's response, request or revisit; returns the id of the record the article
  // metadata refers to.
  std::string write_exchange(const ArchivedExchange& row) {
    if (!row.body_sha256) {
      return write_not_modified(row);
    }
    const auto earlier = m_responses.find(*row.body_sha256);
    const WrittenResponse* written = earlier == m_responses.end() ? nullptr : &earlier->second;
    if (row.outcome == "unchanged") {
      // Identical only when the bytes received are the ones kept; an archive from before
      // schema 7 did not record them, so there it is not known.
      const bool identical = row.received_sha256 == row.body_sha256;
      if (!identical) {
        return write_same_content(row, written);
      }
      if (written != nullptr) {
        return write_identical(row, *written);
      }
    }
    if (const auto size = m_archive.body_size_as_stored(*row.body_sha256)) {
      return write_streamed_response(row, static_cast<std::uint64_t>(*size));
    }
    const auto payload = m_archive.body(*row.body_sha256);
    if (!payload) {
      throw std::runtime_error("fetch " + std::to_string(row.fetch_id) + " refers to body " +
                               *row.body_sha256 + ", which the archive does not hold");
    }
    const std::string payload_digest = warc::sha1_digest(*payload);
    const std::uint64_t offset = m_writer.bytes_written();
    const std::string response_id = m_writer.write(
        {.type = "response",
         .target_uri = row.url,
         .date = row.fetched_at,
         .content_type = std::string(k_http_response),
         .block = warc::http_block({.head = warc::response_head_for_payload(
                                        row.response_headers, payload->size(), status_of(row)),
                                    .payload = *payload}),
         .payload_digest = payload_digest,
         .extra_headers = {{"WARC-Warcinfo-ID", m_warcinfo_id}},
         .id = {}});
    index(row, false, payload_digest, offset);
    ++m_stats.responses;
    m_stats.payload_bytes += static_cast<std::int64_t>(payload->size());
    m_responses.try_emplace(*row.body_sha256, WrittenResponse{response_id, row.url, row.fetched_at,
                                                              payload_digest, payload->size()});
    m_last_response_by_url.insert_or_assign(
        row.url,
        WrittenResponse{response_id, row.url, row.fetched_at, payload_digest, payload->size()});
    write_request(row, response_id);
    return response_id;
  }

  // A response whose payload is an asset stored as it came (up to max_asset): read from the
  // archive a chunk at a time, twice (digests, then the record), never whole in memory.
  std::string write_streamed_response(const ArchivedExchange& row, std::uint64_t size) {
    const std::string sha256 = *row.body_sha256;
    std::string payload_digest;
    const std::uint64_t offset = m_writer.bytes_written();
    const std::string response_id = m_writer.write(
        {.type = "response",
         .target_uri = row.url,
         .date = row.fetched_at,
         .content_type = std::string(k_http_response),
         .block = {},
         .payload_digest = {},
         .extra_headers = {{"WARC-Warcinfo-ID", m_warcinfo_id}},
         .id = {}},
        {.head = warc::response_head_for_payload(row.response_headers, size, status_of(row)),
         .payload_size = size,
         .payload = [this, &sha256](const auto& chunk) { m_archive.write_body(sha256, chunk); }},
        &payload_digest);
    index(row, false, payload_digest, offset);
    ++m_stats.responses;
    m_stats.payload_bytes += static_cast<std::int64_t>(size);
    const WrittenResponse written{response_id, row.url, row.fetched_at, payload_digest, size};
    m_responses.try_emplace(sha256, written);
    m_last_response_by_url.insert_or_assign(row.url, written);
    write_request(row, response_id);
    return response_id;
  }

  void write_request(const ArchivedExchange& row, const std::string& response_id) {
    const std::string head = warc::request_head(last_request(row.request_headers));
    if (head.empty()) {
      return;
    }
    m_writer.write({.type = "request",
                    .target_uri = row.url,
                    .date = row.fetched_at,
                    .content_type = std::string(k_http_request),
                    .block = head,
                    .payload_digest = warc::sha1_digest(""),
                    .extra_headers = {{"WARC-Warcinfo-ID", m_warcinfo_id},
                                      {"WARC-Concurrent-To", response_id}},
                    .id = {}});
    ++m_stats.requests;
  }

  // A 200 that brought the very bytes archived before: the record refers to the response that
  // has them. Its head describes that payload, as a replay tool serves the two together.
  std::string write_identical(const ArchivedExchange& row, const WrittenResponse& earlier) {
    ++m_stats.revisits;
    const std::uint64_t offset = m_writer.bytes_written();
    std::string id =
        m_writer.write({.type = "revisit",
                        .target_uri = row.url,
                        .date = row.fetched_at,
                        .content_type = std::string(k_http_response),
                        .block = warc::response_head_for_payload(
                            row.response_headers, earlier.payload_size, status_of(row)),
                        .payload_digest = earlier.payload_digest,
                        .extra_headers = {{"WARC-Warcinfo-ID", m_warcinfo_id},
                                          {"WARC-Profile", std::string(k_identical_payload)},
                                          {"WARC-Refers-To", earlier.record_id},
                                          {"WARC-Refers-To-Target-URI", earlier.url},
                                          {"WARC-Refers-To-Date", earlier.date}},
                        .id = {}});
    index(row, true, earlier.payload_digest, offset);
    return id;
  }

  // A 200 whose article content the archive already held, in other bytes: the record says
  // so (archiver's own profile, no payload digest claimed) and names the response whose bytes
  // were kept when this file has it.
  std::string write_same_content(const ArchivedExchange& row, const WrittenResponse* kept) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"WARC-Warcinfo-ID", m_warcinfo_id}, {"WARC-Profile", std::string(k_same_article_content)}};
    if (kept != nullptr) {
      add_refers_to(headers, *kept);
    }
    if (row.received_sha256) {
      headers.emplace_back("WARC-Archiver-Received-SHA256", *row.received_sha256);
    }
    return write_revisit(row, std::move(headers));
  }

  // A 304: the server said the page had not changed since the response archived before.
  std::string write_not_modified(const ArchivedExchange& row) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"WARC-Warcinfo-ID", m_warcinfo_id}, {"WARC-Profile", std::string(k_server_not_modified)}};
    const auto earlier = m_last_response_by_url.find(row.url);
    if (earlier != m_last_response_by_url.end()) {
      add_refers_to(headers, earlier->second);
    }
    return write_revisit(row, std::move(headers));
  }

  // A revisit without payload: its block is the response head as the server sent it.
  std::string write_revisit(const ArchivedExchange& row,
                            std::vector<std::pair<std::string, std::string>> headers) {
    ++m_stats.revisits;
    const std::uint64_t offset = m_writer.bytes_written();
    std::string id = m_writer.write(
        {.type = "revisit",
         .target_uri = row.url,
         .date = row.fetched_at,
         .content_type = std::string(k_http_response),
         .block = warc::payloadless_response_head(row.response_headers, status_of(row)),
         .payload_digest = {},
         .extra_headers = std::move(headers),
         .id = {}});
    index(row, true, {}, offset);
    return id;
  }

  // Tells the caller (a WACZ export) where a response or revisit record lies in the file.
  void index(const ArchivedExchange& row, bool revisit, const std::string& digest,
             std::uint64_t offset) {
    if (!m_options.on_record) {
      return;
    }
    m_options.on_record({.url = row.url,
                         .date = row.fetched_at,
                         .content_type = row.content_type,
                         .status = row.http_status.value_or(0),
                         .payload_digest = digest,
                         .revisit = revisit,
                         .offset = offset,
                         .length = m_writer.bytes_written() - offset});
  }

  static void add_refers_to(std::vector<std::pair<std::string, std::string>>& headers,
                            const WrittenResponse& earlier) {
    headers.emplace_back("WARC-Refers-To", earlier.record_id);
    headers.emplace_back("WARC-Refers-To-Target-URI", earlier.url);
    headers.emplace_back("WARC-Refers-To-Date", earlier.date);
  }

  // Every article version this fetch made (several when one page prints several articles).
  void write_metadata(const ArchivedExchange& row, const std::string& refers_to) {
    for (const StoredArticle& article : m_archive.versions_from_fetch(row.fetch_id)) {
      if (m_options.on_page) {
        const std::string page = article.url.substr(0, article.url.find('#'));
        m_options.on_page(page, row.fetched_at, article.article.title);
      }
      m_writer.write(
          {.type = "metadata",
           .target_uri = article.url,
           .date = row.fetched_at,
           .content_type = "application/json",
           .block = m_options.article_json(article) + "\n",
           .payload_digest = {},
           .extra_headers = {{"WARC-Warcinfo-ID", m_warcinfo_id}, {"WARC-Refers-To", refers_to}},
           .id = {}});
      ++m_stats.metadata;
    }
  }

  static std::optional<int> status_of(const ArchivedExchange& row) {
    return row.http_status ? std::optional<int>(static_cast<int>(*row.http_status)) : std::nullopt;
  }

  ArchiveReader& m_archive;
  const WarcExportOptions& m_options;
  warc::WarcWriter m_writer;
  WarcExportStats m_stats;
  std::string m_warcinfo_id;
  std::unordered_map<std::string, WrittenResponse> m_responses;  // by body SHA-256
  std::unordered_map<std::string, WrittenResponse> m_last_response_by_url;
};

}  // namespace

WarcExportStats export_warc(ArchiveReader& archive, const WarcExportOptions& options,
                            std::ostream& out) {
  return WarcExport(archive, options, out).run();
}

}  // namespace archiver
