#include "pipeline/fetch_pipeline.hpp"

#include "decode/charset.hpp"
#include "decode/content_check.hpp"
#include "fetch/body_spool.hpp"
#include "parsers/dates.hpp"
#include "parsers/registry.hpp"
#include "pipeline/page_links.hpp"
#include "util/clock.hpp"
#include "util/url.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

namespace archiver {

FetchRecord make_fetch_record(const FetchResponse& response, const SiteSettings* site) {
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
  record.bytes =
      static_cast<std::int64_t>(response.spool ? response.spool->size() : response.body.size());
  record.duration_ms = response.duration.count();
  record.content_type = response.header("content-type");
  record.request_headers = response.request_headers;
  record.response_headers = response.raw_headers;
  record.etag = response.header("etag");
  record.last_modified = response.header("last-modified");
  return record;
}

namespace {

// What a crawl's report keeps of a stored article: every field but the pictures, and of the
// text the first paragraph (enough to tell an article with a body). Copied, not moved out of
// the parse: the parse's strings are freed with the rest of the page, off the writer's thread
// (CrawlEngine::store_all says why).
Article summary_of(const Article& article) {
  Article summary;
  summary.title = article.title;
  summary.kicker = article.kicker;
  summary.subtitle = article.subtitle;
  summary.published = article.published;
  summary.author = article.author;
  summary.source = article.source;
  if (!article.body.empty()) {
    summary.body.push_back(article.body.front());
  }
  summary.edition = article.edition;
  summary.page = article.page;
  summary.issue = article.issue;
  summary.anchor = article.anchor;
  return summary;
}

void take_links(ParsedPage&& page, FetchReport& report) {
  report.headlines = std::move(page.headlines);
  report.pages = std::move(page.pages);
  report.next_page = std::move(page.next_page);
  report.edition = std::move(page.edition);
}

Date today_in_shanghai() {
  const std::string today = today_iso();
  return Date{.year = std::stoi(today.substr(0, 4)),
              .month = std::stoi(today.substr(5, 2)),
              .day = std::stoi(today.substr(8, 2))};
}

}  // namespace

Date reference_date_for(std::string_view url, const std::optional<std::string>& first_fetched) {
  if (const auto date = date_from_url(url)) {
    return *date;
  }
  if (first_fetched) {
    if (const auto day = parse_iso_day(first_fetched->substr(0, 10))) {
      return Date{.year = static_cast<int>(day->year()),
                  .month = static_cast<int>(static_cast<unsigned>(day->month())),
                  .day = static_cast<int>(static_cast<unsigned>(day->day()))};
    }
  }
  return today_in_shanghai();
}

void FetchPipeline::add_stored_articles(const StoreResult& stored, FetchReport& report) {
  for (const auto& article : stored.articles) {
    if (auto read = m_writer.stored_article(article.article_id)) {
      report.articles.push_back(std::move(*read));
    }
  }
}

void FetchPipeline::describe_assets(FetchReport& report) {
  for (StoredArticle& article : report.articles) {
    if (article.first_seen.empty()) {
      continue;  // a crawl's count, not read back: nothing to show
    }
    if (auto fresh = m_writer.stored_article(article.id)) {
      article = std::move(*fresh);
    }
  }
  report.assets = m_writer.page_assets(report.url);
}

FetchReport FetchPipeline::replay(const std::string& url, const FetchContext& context) {
  const SiteSettings* site = context.site != nullptr ? context.site : m_settings.site_for_url(url);
  const ParserKind parser = context.parser    ? *context.parser
                            : site != nullptr ? site->parser
                                              : context.fallback_parser;
  FetchReport report;
  report.url = url;
  report.outcome = Outcome::unchanged;
  report.replayed = true;
  report.parser = std::string(to_string(parser));
  if (site != nullptr) {
    report.site = site->name;
  }
  report.articles = m_writer.articles_on_page(url);
  if (context.want_links) {
    links_from_stored_body(url, site, parser, context, report, false);
  }
  return report;
}

void FetchPipeline::links_from_stored_body(const std::string& url, const SiteSettings* site,
                                           ParserKind parser, const FetchContext& context,
                                           FetchReport& report, bool keep) {
  PreparedFetch prepared;
  prepared.url = url;
  prepared.site = site;
  prepared.parser = parser;
  prepared.context = context;
  prepared.stored = m_writer.last_stored_response(url);
  if (auto page = links_of_stored(prepared)) {
    if (keep) {
      m_writer.keep_links(url, prepared.stored->body_sha256,
                          links_parse_key(parser, site, context.listed_in), pack_links(*page));
    }
    take_links(std::move(*page), report);
  }
}

std::optional<ParsedPage> FetchPipeline::links_of_stored(const PreparedFetch& prepared) {
  if (!prepared.stored) {
    return std::nullopt;
  }
  const StoredResponse& stored = *prepared.stored;
  const SiteSettings* site = prepared.site;
  const DecodedText decoded = decode_to_utf8(
      {.bytes = stored.body,
       .content_type = stored.content_type,
       .override_charset = site != nullptr ? std::string_view(site->charset) : std::string_view(),
       .url = prepared.url});
  const auto& listed_in = prepared.context.listed_in;
  try {
    return parse_page(prepared.parser, {.url = stored.final_url,
                                        .html = decoded.utf8,
                                        .reference_date = date_from_url(stored.final_url),
                                        .selectors = site != nullptr ? &site->selectors : nullptr,
                                        .listed_in = listed_in ? &*listed_in : nullptr});
  } catch (const std::exception& error) {
    spdlog::error("{}: parser {} failed on the stored page: {}", prepared.url,
                  to_string(prepared.parser), error.what());
    return std::nullopt;
  }
}

FetchPipeline::FetchPipeline(const Settings& settings, ArchiveWriter& writer)
    : m_settings(settings), m_writer(writer) {}

FetchReport FetchPipeline::fetch_url(const std::string& url, const FetchContext& context) {
  const PreparedFetch prepared = prepare(url, context);
  const FetchResponse response = m_client.fetch(prepared.request);
  ProcessedPage processed = process(prepared, response);
  return store(prepared, response, processed);
}

PreparedFetch FetchPipeline::prepare(const std::string& given_url, const FetchContext& context) {
  // Stored and compared in normal form; what has none (ftp:, garbage) is refused by the fetcher
  // with a message naming it as typed.
  const std::string url = normal_or_same(given_url);
  PreparedFetch prepared;
  prepared.url = url;
  prepared.context = context;
  prepared.site = context.site != nullptr ? context.site : m_settings.site_for_url(url);
  prepared.parser = context.parser             ? *context.parser
                    : prepared.site != nullptr ? prepared.site->parser
                                               : context.fallback_parser;
  const FetchSettings& fetch = prepared.site != nullptr ? prepared.site->fetch : m_settings.fetch;
  const PageState state = m_writer.page_state(url);
  prepared.first_fetched = state.first_fetched;
  if (prepared.site != nullptr) {
    prepared.page_dictionary = m_writer.page_dictionary(prepared.site->name);
    prepared.text_dictionary = m_writer.text_dictionary(prepared.site->name);
  }
  FetchRequest& request = prepared.request;
  request.url = url;
  request.user_agent = m_settings.user_agent;
  request.etag = state.etag;
  request.last_modified = state.last_modified;
  request.connect_timeout = std::min(fetch.connect_timeout, fetch.timeout);
  request.timeout = fetch.timeout;
  request.max_body = fetch.max_body;
  request.abort = m_abort;
  if (context.want_links) {
    prepared.links_key = links_parse_key(prepared.parser, prepared.site, context.listed_in);
    if (request.etag || request.last_modified) {
      if (state.body_sha256) {
        prepared.kept_links = m_writer.kept_links(url, *state.body_sha256, prepared.links_key);
      }
      if (!prepared.kept_links) {
        prepared.stored = m_writer.last_stored_response(url);
      }
    }
  }
  return prepared;
}

namespace {

bool is_page_to_parse(const PreparedFetch& prepared, const FetchResponse& response) {
  const bool in_scope = prepared.site == nullptr || response.final_url == prepared.url ||
                        prepared.site->in_scope(response.final_url);
  return response.ok() && in_scope && response.http_status >= 200 && response.http_status < 300 &&
         response.http_status != 206;
}

}  // namespace

ProcessedPage FetchPipeline::process(const PreparedFetch& prepared, const FetchResponse& response) {
  ProcessedPage processed;
  if (response.ok() && response.http_status == 304 && prepared.kept_links) {
    // (Links that do not unpack are read from the stored page by store(), as without them.)
    processed.stored_links = unpack_links(*prepared.kept_links);
    return processed;
  }
  if (response.ok() && response.http_status == 304 && prepared.stored) {
    processed.stored_links = links_of_stored(prepared);
    if (processed.stored_links) {
      processed.links_to_keep = {.body_sha256 = prepared.stored->body_sha256,
                                 .packed = pack_links(*processed.stored_links)};
    }
    return processed;
  }
  if (!is_page_to_parse(prepared, response)) {
    return processed;
  }
  if (auto why = why_not_html(response.header("content-type"), response.body)) {
    processed.rejected = std::move(why);
    return processed;
  }
  const SiteSettings* site = prepared.site;
  processed.decoded = decode_to_utf8(
      {.bytes = response.body,
       .content_type = response.header("content-type"),
       .override_charset = site != nullptr ? std::string_view(site->charset) : std::string_view(),
       .url = prepared.url});
  const Date reference = reference_date_for(response.final_url, prepared.first_fetched);
  const auto& listed_in = prepared.context.listed_in;
  ParseInput input{.url = response.final_url,
                   .html = processed.decoded.utf8,
                   .reference_date = reference,
                   .selectors = site != nullptr ? &site->selectors : nullptr,
                   .listed_in = listed_in ? &*listed_in : nullptr,
                   .headlines_beside_article = prepared.context.headlines_beside_article};
  try {
    processed.page = parse_page(prepared.parser, input);
    // A page without body text is a list or an index, not an article.
    std::erase_if(processed.page.articles, [](const Article& a) { return a.body.empty(); });
  } catch (const std::exception& error) {
    processed.parse_error = error.what();
  }
  processed.packed = pack_body(response.body, prepared.page_dictionary.get());
  if (prepared.context.want_links && !processed.parse_error) {
    processed.links_to_keep = {.body_sha256 = processed.packed->sha256,
                               .packed = pack_links(processed.page)};
  }
  // What the writer would do for each article's new version, done here on the pool; not for
  // a page of long texts, whose folded copies would weigh more than the raw page (what waits
  // for the writer is bounded by the raw pages' bytes: PoliteFetcher::k_max_held_bytes).
  constexpr std::size_t k_max_packed_text = 256U * 1024U;
  std::size_t text_bytes = 0;
  for (const Article& article : processed.page.articles) {
    for (const std::string& paragraph : article.body) {
      text_bytes += paragraph.size();
    }
  }
  if (text_bytes <= k_max_packed_text) {
    for (const Article& article : processed.page.articles) {
      processed.articles.push_back(pack_article(article, prepared.text_dictionary.get()));
    }
  }
  // The text was for the parser; what waits for the writer should weigh little.
  std::string().swap(processed.decoded.utf8);
  return processed;
}

FetchReport FetchPipeline::failed(const PreparedFetch& prepared, FetchRecord& record,
                                  std::string error, FetchReport report) {
  record.error = std::move(error);
  m_writer.record_failure(record);
  report.outcome = Outcome::error;
  report.error = record.error;
  spdlog::warn("{}: {}", prepared.url, *record.error);
  return report;
}

FetchReport FetchPipeline::store(const PreparedFetch& prepared, const FetchResponse& response,
                                 ProcessedPage& processed, bool with_articles) {
  const SiteSettings* site = prepared.site;
  const std::string& url = prepared.url;
  FetchReport report;
  report.url = url;
  report.parser = std::string(to_string(prepared.parser));
  if (site != nullptr) {
    report.site = site->name;
  }
  FetchRecord record = make_fetch_record(response, site);
  report.http_status = response.http_status;
  if (!response.ok()) {
    return failed(prepared, record, response.error, std::move(report));
  }
  // A site's pages may only come from inside its scope, redirects included.
  if (site != nullptr && response.final_url != url && !site->in_scope(response.final_url)) {
    return failed(prepared, record, "redirected out of the site's scope to " + response.final_url,
                  std::move(report));
  }
  if (response.http_status == 304) {
    const StoreResult stored = m_writer.record_not_modified(record);
    if (processed.links_to_keep) {
      m_writer.keep_links(url, processed.links_to_keep->body_sha256, prepared.links_key,
                          processed.links_to_keep->packed);
    }
    report.outcome = stored.outcome;
    report.due_assets = stored.due_assets;
    add_stored_articles(stored, report);  // nothing was parsed: the archive has the fields
    if (processed.stored_links) {
      take_links(std::move(*processed.stored_links), report);
    } else if (prepared.context.want_links) {
      // (Kept links that did not unpack are replaced by what the page reads now.)
      links_from_stored_body(url, site, prepared.parser, prepared.context, report, true);
    }
    spdlog::debug("{}: not modified", url);
    return report;
  }
  if (response.http_status == 206) {
    // A part of the page (a Range answer nobody asked for) must never be archived as the page.
    return failed(prepared, record,
                  "HTTP 206 Partial Content: the server sent part of the page (" +
                      response.header("content-range") + "), which is not archived",
                  std::move(report));
  }
  if (response.http_status < 200 || response.http_status >= 300) {
    const bool gone = response.http_status == 404 || response.http_status == 410;
    record.not_published = prepared.context.edition_start && gone;
    return failed(prepared, record,
                  "HTTP " + std::to_string(response.http_status) +
                      (record.not_published ? " (no edition that day)" : ""),
                  std::move(report));
  }
  if (processed.rejected) {
    return failed(prepared, record, *processed.rejected, std::move(report));
  }
  record.charset = processed.decoded.charset;
  record.charset_reason = processed.decoded.reason;
  report.charset = processed.decoded.charset;
  report.charset_reason = processed.decoded.reason;
  if (processed.parse_error) {
    // The raw page is stored and the failure logged, with no validators kept, so the next
    // fetch parses it again (and `archiver reparse` can, offline).
    record.error = "parser " + report.parser + " failed: " + *processed.parse_error;
    spdlog::error("{}: {}", url, *record.error);
    m_writer.record_unparsed(record, response.body,
                             processed.packed ? &*processed.packed : nullptr);
    report.outcome = Outcome::error;
    report.error = record.error;
    return report;
  }
  const StoreResult stored = m_writer.record_page(
      record, response.body, processed.page, report.parser,
      processed.packed ? &*processed.packed : nullptr,
      site != nullptr ? site->asset_kinds() : default_asset_kinds(prepared.parser),
      processed.articles.size() == processed.page.articles.size() ? &processed.articles : nullptr);
  if (processed.links_to_keep) {
    m_writer.keep_links(url, processed.links_to_keep->body_sha256, prepared.links_key,
                        processed.links_to_keep->packed);
  }
  report.outcome = stored.outcome;
  report.due_assets = stored.due_assets;
  if (with_articles) {
    add_stored_articles(stored, report);
  } else {
    // The report still counts the page's articles (a crawl's health figures) without reading
    // them back from the archive. Their fields are kept, of the text only the first paragraph
    // (enough to tell an article with a body): a crawl holds its reports until their batch
    // commits, hundreds of pages' worth.
    for (std::size_t index = 0; index < stored.articles.size(); ++index) {
      StoredArticle article;
      article.id = stored.articles[index].article_id;
      article.url = stored.articles[index].url;
      article.version = stored.articles[index].version;
      if (index < processed.page.articles.size()) {
        article.article = summary_of(processed.page.articles[index]);
      }
      report.articles.push_back(std::move(article));
    }
  }
  take_links(std::move(processed.page), report);
  spdlog::info("{}: {} ({} bytes, {}, {})", url, to_string(report.outcome), response.body.size(),
               processed.decoded.charset, processed.decoded.reason);
  return report;
}

}  // namespace archiver
