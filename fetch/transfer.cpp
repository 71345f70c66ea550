#include "fetch/transfer.hpp"

#include "util/ascii.hpp"
#include "util/url.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <stdexcept>

namespace archiver {
namespace {

// A header line's value: without the line break and HTTP's white space around it.
std::string header_value(std::string_view text) {
  return std::string(ascii_trim_start(ascii_trim_end(text, " \t\r\n"), k_http_whitespace));
}

// curl hands over decoded bytes here, so the cap applies to what a page really weighs, not to
// its compressed size: a gzip bomb stops at max_body.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<Transfer::State*>(user);
  const std::size_t bytes = size * count;
  const std::uint64_t had = state->spool != nullptr ? state->spool->size() : state->body.size();
  if (had + bytes > state->max_body) {
    state->body_too_large = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  try {
    if (state->spool != nullptr) {
      state->spool->append(std::string_view(data, bytes));
    } else {
      state->body.append(data, bytes);
    }
  } catch (const std::exception& error) {
    if (state->spool != nullptr) {
      state->spool_problem = error.what();
    }
    return 0;
  }
  return bytes;
}

// One header line of the response (curl hands them over one by one, the status line first).
// Refuses what no page should send: headers of absurd size, and two different lengths (a sign
// of request smuggling, or of a broken proxy): the transfer fails with what was wrong.
std::size_t read_header(Transfer::State* state, std::string_view line) {
  // A status line starts a new response (a redirect, or a 100 Continue): keep only the last.
  if (line.starts_with("HTTP/")) {
    state->headers.clear();
    state->raw_headers.clear();
  }
  if (state->raw_headers.size() + line.size() > Transfer::k_max_header_bytes) {
    state->header_problem = "response header too large (over " +
                            std::to_string(Transfer::k_max_header_bytes / 1024) + " KiB)";
    return 0;
  }
  state->raw_headers.append(line);
  state->headers_done = line == "\r\n" || line == "\n";
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && !line.starts_with("HTTP/")) {
    std::string name = ascii_lower(line.substr(0, colon));
    std::string value = header_value(line.substr(colon + 1));
    if (name == "content-length") {
      for (const auto& [other_name, other_value] : state->headers) {
        if (other_name == "content-length" && other_value != value) {
          state->header_problem =
              "two different Content-Length headers (" + other_value + " and " + value + ")";
          return 0;
        }
      }
      // The body's room at once: growing by doubling would hold up to twice the page.
      std::uint64_t length = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (error == std::errc{} && end == value.data() + value.size() && length <= state->max_body &&
          state->spool == nullptr) {
        state->body.reserve(static_cast<std::size_t>(length));
      }
    }
    state->headers.emplace_back(std::move(name), std::move(value));
  }
  return line.size();
}

// The callbacks never let an exception (out of memory) cross curl's C frames: they report the
// failure to curl instead, which fails the transfer.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  try {
    return read_header(static_cast<Transfer::State*>(user), std::string_view(data, size * count));
  } catch (const std::exception&) {
    return 0;
  }
}

// Records what curl really sent, for the fetch log and later WARC request records.
int on_debug(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size,
             void* user) noexcept {
  try {
    if (type == CURLINFO_HEADER_OUT && size > 0 && user != nullptr) {
      auto& sent = *static_cast<Transfer::Sent*>(user);
      sent.headers.assign(data, size);
      if (sent.on_sent != nullptr && *sent.on_sent) {
        (*sent.on_sent)();
      }
    }
  } catch (const std::exception&) {
    // The request headers are a record, not the fetch, and the politeness hook only moves a
    // time on: losing either fails nothing.
  }
  return 0;
}

int on_progress(void* abort, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

FetchErrorKind classify(CURLcode code, bool body_too_large) {
  if (body_too_large) {
    return FetchErrorKind::body_too_large;
  }
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      return FetchErrorKind::scheme_refused;
    case CURLE_URL_MALFORMAT:
      return FetchErrorKind::bad_url;
    case CURLE_TOO_MANY_REDIRECTS:
      return FetchErrorKind::too_many_redirects;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return FetchErrorKind::dns;
    case CURLE_COULDNT_CONNECT:
      return FetchErrorKind::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return FetchErrorKind::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return FetchErrorKind::tls;
    default:
      return FetchErrorKind::transfer;
  }
}

}  // namespace

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

std::string_view to_string(FetchErrorKind kind) {
  switch (kind) {
    case FetchErrorKind::none:
      return "none";
    case FetchErrorKind::bad_url:
      return "bad-url";
    case FetchErrorKind::scheme_refused:
      return "scheme-refused";
    case FetchErrorKind::too_many_redirects:
      return "too-many-redirects";
    case FetchErrorKind::dns:
      return "dns";
    case FetchErrorKind::connect:
      return "connect";
    case FetchErrorKind::timeout:
      return "timeout";
    case FetchErrorKind::body_too_large:
      return "body-too-large";
    case FetchErrorKind::tls:
      return "tls";
    case FetchErrorKind::bad_response:
      return "bad-response";
    case FetchErrorKind::transfer:
      return "transfer";
  }
  return "transfer";
}

std::string FetchResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equals_ignoring_case(key, name)) {
      return value;
    }
  }
  return {};
}

Transfer::Transfer(CURL* handle, FetchRequest request)
    : m_handle(handle), m_request(std::move(request)), m_error_buffer(CURL_ERROR_SIZE + 1, '\0') {}

std::optional<FetchResponse> Transfer::prepare() {
  if (!has_http_scheme(m_request.url)) {
    FetchResponse response;
    response.url = m_request.url;
    response.final_url = m_request.url;
    response.error_kind = FetchErrorKind::scheme_refused;
    response.error = "refused " + m_request.url + ": only http and https URLs are fetched";
    return response;
  }
  CURL* handle = m_handle;
  curl_easy_reset(handle);
  m_state = State{};
  m_state.max_body = m_request.max_body;
  if (m_request.spool) {
    try {
      m_request.spool->restart();  // a retry starts from nothing
    } catch (const std::exception& error) {
      FetchResponse response;
      response.url = m_request.url;
      response.final_url = m_request.url;
      response.error_kind = FetchErrorKind::transfer;
      response.error = error.what();
      return response;
    }
    m_state.spool = m_request.spool.get();
  }
  m_sent.headers.clear();
  m_sent.on_sent = &m_request.on_sent;

  const auto add_header = [&](const std::string& line) {
    curl_slist* list = curl_slist_append(m_headers.get(), line.c_str());
    if (list == nullptr) {
      throw std::runtime_error("curl_slist_append failed");
    }
    if (!m_headers) {
      m_headers.reset(list);  // appending to a list returns its unchanged head
    }
  };
  m_headers.reset();
  if (m_request.etag && !m_request.etag->empty()) {
    add_header("If-None-Match: " + *m_request.etag);
  }
  if (m_request.last_modified && !m_request.last_modified->empty()) {
    add_header("If-Modified-Since: " + *m_request.last_modified);
  }

  set_option(handle, CURLOPT_URL, m_request.url.c_str());
  set_option(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  set_option(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set_option(handle, CURLOPT_FOLLOWLOCATION, 1L);
  set_option(handle, CURLOPT_MAXREDIRS, static_cast<long>(m_request.max_redirects));
  set_option(handle, CURLOPT_CONNECTTIMEOUT_MS,
             static_cast<long>(m_request.connect_timeout.count()));
  set_option(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(m_request.timeout.count()));
  set_option(handle, CURLOPT_LOW_SPEED_LIMIT, m_request.low_speed_bytes);
  set_option(handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>(m_request.low_speed_time.count()));
  // Names exactly the encodings the issue asks for; curl decodes them before on_body sees bytes.
  set_option(handle, CURLOPT_ACCEPT_ENCODING, "gzip, deflate, br, zstd");
  set_option(handle, CURLOPT_USERAGENT, m_request.user_agent.c_str());
  set_option(handle, CURLOPT_HTTPHEADER, m_headers.get());
  set_option(handle, CURLOPT_WRITEFUNCTION, &on_body);
  set_option(handle, CURLOPT_WRITEDATA, &m_state);
  set_option(handle, CURLOPT_HEADERFUNCTION, &on_header);
  set_option(handle, CURLOPT_HEADERDATA, &m_state);
  set_option(handle, CURLOPT_DEBUGFUNCTION, &on_debug);
  set_option(handle, CURLOPT_DEBUGDATA, &m_sent);
  set_option(handle, CURLOPT_VERBOSE, 1L);  // needed for on_debug; curl prints nothing itself
  set_option(handle, CURLOPT_NOSIGNAL, 1L);
  if (m_request.abort != nullptr) {
    // curl calls this at least once a second, also while a server sends nothing.
    set_option(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
    set_option(handle, CURLOPT_XFERINFODATA, m_request.abort);
    set_option(handle, CURLOPT_NOPROGRESS, 0L);
  }
  m_error_buffer.assign(CURL_ERROR_SIZE + 1, '\0');
  set_option(handle, CURLOPT_ERRORBUFFER, m_error_buffer.data());
  m_started = std::chrono::steady_clock::now();
  return std::nullopt;
}

Transfer::~Transfer() {
  curl_easy_setopt(m_handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(m_handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(m_handle, CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(m_handle, CURLOPT_DEBUGDATA, nullptr);
}

FetchResponse Transfer::finish(CURLcode code) {
  CURL* handle = m_handle;
  FetchResponse response;
  response.url = m_request.url;
  response.final_url = m_request.url;
  response.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - m_started);
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.http_status);
  curl_easy_getinfo(handle, CURLINFO_REDIRECT_COUNT, &response.redirects);
  char* effective = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    // In the normal form of every stored URL: compared with the request's and the scope.
    response.final_url = normal_or_same(effective);
  }
  response.headers = std::move(m_state.headers);
  response.raw_headers = std::move(m_state.raw_headers);
  response.request_headers = std::move(m_sent.headers);

  if (code == CURLE_OUT_OF_MEMORY && !m_state.headers_done && response.http_status != 0) {
    // curl refuses one header line over 100 KiB this way: say so, not "Out of memory".
    m_state.header_problem = "response header too large (a line over 100 KiB)";
  }
  if (code != CURLE_OK && m_state.spool_problem) {
    response.error_kind = FetchErrorKind::transfer;
    response.error = *m_state.spool_problem;
    return response;
  }
  if (code != CURLE_OK && m_state.header_problem) {
    response.error_kind = FetchErrorKind::bad_response;
    response.error = *m_state.header_problem;
    return response;
  }
  if (code != CURLE_OK) {
    response.error_kind = classify(code, m_state.body_too_large);
    const std::string detail = m_error_buffer.c_str()[0] != '\0'
                                   ? std::string(m_error_buffer.c_str())
                                   : curl_easy_strerror(code);
    switch (response.error_kind) {
      case FetchErrorKind::body_too_large:
        response.error = "body exceeds max_body (" + std::to_string(m_request.max_body) +
                         " bytes after decompression)";
        break;
      case FetchErrorKind::scheme_refused:
        response.error = "refused: redirect from " + m_request.url +
                         " to a scheme other than http/https (" + detail + ")";
        break;
      case FetchErrorKind::too_many_redirects:
        response.error = "more than " + std::to_string(m_request.max_redirects) + " redirects";
        break;
      default:
        response.error = detail;
        break;
    }
    return response;
  }
  response.spool = m_request.spool;
  response.body = std::move(m_state.body);
  if (response.body.capacity() - response.body.size() > response.body.size() / 4) {
    response.body.shrink_to_fit();  // it waits for a parser and the writer: no spare room
  }
  return response;
}

}  // namespace archiver
