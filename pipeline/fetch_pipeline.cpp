#include "pipeline/fetch_pipeline.hpp"

#include "decode/charset.hpp"
#include "parsers/dates.hpp"
#include "parsers/registry.hpp"
#include "store/article_queries.hpp"
#include "util/clock.hpp"

#include <spdlog/spdlog.h>

namespace archiver {
namespace {

FetchRecord make_record(const FetchResponse& response, const SiteSettings* site) {
  FetchRecord record;
  record.url = response.url;
  record.final_url = response.final_url;
  if (site != nullptr) {
    record.site = site->name;
  }
  record.fetched_at = now_utc_iso();
  if (response.http_status != 0) {
    record.http_status = response.http_status;
  }
  record.bytes = static_cast<std::int64_t>(response.body.size());
  record.duration_ms = response.duration.count();
  record.content_type = response.header("content-type");
  record.request_headers = response.request_headers;
  record.response_headers = response.raw_headers;
  record.etag = response.header("etag");
  record.last_modified = response.header("last-modified");
  return record;
}

Date today_in_shanghai() {
  const std::string today = today_iso();
  return Date{.year = std::stoi(today.substr(0, 4)),
              .month = std::stoi(today.substr(5, 2)),
              .day = std::stoi(today.substr(8, 2))};
}

}  // namespace

FetchPipeline::FetchPipeline(const Settings& settings, ArchiveWriter& writer)
    : m_settings(settings), m_writer(writer) {}

FetchReport FetchPipeline::fetch_url(const std::string& url, ParserKind fallback_parser) {
  const SiteSettings* site = m_settings.site_for_url(url);
  const ParserKind parser = site != nullptr ? site->parser : fallback_parser;
  const FetchSettings& fetch = site != nullptr ? site->fetch : m_settings.fetch;

  FetchReport report;
  report.url = url;
  report.parser = std::string(to_string(parser));
  if (site != nullptr) {
    report.site = site->name;
  }

  const PageState state = m_writer.page_state(url);
  FetchRequest request;
  request.url = url;
  request.user_agent = m_settings.user_agent;
  request.etag = state.etag;
  request.last_modified = state.last_modified;
  request.connect_timeout = std::min(fetch.connect_timeout, fetch.timeout);
  request.timeout = fetch.timeout;
  request.max_body = fetch.max_body;
  const FetchResponse response = m_client.fetch(request);
  FetchRecord record = make_record(response, site);
  report.http_status = response.http_status;

  if (!response.ok()) {
    record.error = response.error;
    m_writer.record_failure(record);
    report.outcome = Outcome::error;
    report.error = response.error;
    spdlog::warn("{}: {}", url, response.error);
    return report;
  }
  if (response.http_status == 304) {
    const StoreResult stored = m_writer.record_not_modified(record);
    report.outcome = stored.outcome;
    if (stored.article_id) {
      report.article = read_stored_article(m_writer.database(), *stored.article_id, {});
    }
    spdlog::info("{}: not modified", url);
    return report;
  }
  if (response.http_status < 200 || response.http_status >= 300) {
    record.error = "HTTP " + std::to_string(response.http_status);
    m_writer.record_failure(record);
    report.outcome = Outcome::error;
    report.error = record.error;
    spdlog::warn("{}: HTTP {}", url, response.http_status);
    return report;
  }

  const DecodedText decoded = decode_to_utf8(
      {.bytes = response.body,
       .content_type = record.content_type,
       .override_charset = site != nullptr ? std::string_view(site->charset) : std::string_view(),
       .url = url});
  record.charset = decoded.charset;
  record.charset_reason = decoded.reason;
  report.charset = decoded.charset;
  report.charset_reason = decoded.reason;

  ParseInput input{
      .url = response.final_url,
      .html = decoded.utf8,
      .reference_date = date_from_url(response.final_url).value_or(today_in_shanghai()),
      .selectors = site != nullptr ? &site->selectors : nullptr};
  ParsedPage page;
  std::optional<std::string> parse_error;
  try {
    page = parse_page(parser, input);
  } catch (const std::exception& error) {
    // The raw page is still stored below, so `reparse` can recover it once the parser is fixed.
    parse_error = "parser " + report.parser + " failed: " + error.what();
    spdlog::error("{}: {}", url, *parse_error);
  }
  if (page.article && page.article->body.empty() && page.article->title.empty()) {
    page.article.reset();  // nothing an archivist could call an article
  }

  const StoreResult stored = m_writer.record_page(record, response.body, page, report.parser);
  report.outcome = parse_error ? Outcome::error : stored.outcome;
  report.error = parse_error;
  report.headlines = std::move(page.headlines);
  if (stored.article_id) {
    report.article = read_stored_article(m_writer.database(), *stored.article_id, {});
  }
  spdlog::info("{}: {} ({} bytes, {}, {})", url, to_string(report.outcome), response.body.size(),
               decoded.charset, decoded.reason);
  return report;
}

}  // namespace archiver
