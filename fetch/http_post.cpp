#include "fetch/http_post.hpp"

#include <algorithm>
#include <stdexcept>

namespace archiver {
namespace {

// What is kept of an answer's body for the error message: enough to show a receiver's complaint.
constexpr std::size_t k_answer_kept = 200;

std::size_t keep_answer_start(char* data, std::size_t size, std::size_t count, void* user) {
  auto* kept = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (kept->size() < k_answer_kept) {
    kept->append(data, std::min(bytes, k_answer_kept - kept->size()));
  }
  return bytes;  // the rest is read and dropped: a large answer must not fail a delivery
}

int abort_when_set(void* abort, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/,
                   curl_off_t /*ultotal*/, curl_off_t /*ulnow*/) {
  return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

}  // namespace

std::string PostResult::problem() const {
  if (!error.empty()) {
    return error;
  }
  std::string text = "HTTP " + std::to_string(http_status);
  // Only printable ASCII of the answer: it goes into a log line.
  std::string shown;
  for (const char c : answer_start) {
    shown += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  if (shown.find_first_not_of(' ') != std::string::npos) {
    text += ": " + shown;
  }
  return text;
}

HttpPoster::HttpPoster() {
  ensure_curl_initialised();
  m_handle.reset(curl_easy_init());
  if (!m_handle) {
    throw std::runtime_error("curl_easy_init failed");
  }
}

PostResult HttpPoster::post(const PostRequest& request) {
  CURL* handle = m_handle.get();
  curl_easy_reset(handle);
  CurlSlist headers;
  const auto add_header = [&](const std::string& line) {
    curl_slist* list = curl_slist_append(headers.get(), line.c_str());
    if (list == nullptr) {
      throw std::runtime_error("curl_slist_append failed");
    }
    if (!headers) {
      headers.reset(list);  // appending to a list returns its unchanged head
    }
  };
  add_header("Content-Type: application/json");
  add_header("Expect:");  // no 100-continue round trip (and no 1 s wait on servers without it)
  for (const auto& line : request.headers) {
    add_header(line);
  }
  std::string answer;
  std::string error_buffer(CURL_ERROR_SIZE + 1, '\0');
  set_option(handle, CURLOPT_URL, request.url.c_str());
  set_option(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  set_option(handle, CURLOPT_FOLLOWLOCATION, 0L);
  set_option(handle, CURLOPT_POST, 1L);
  set_option(handle, CURLOPT_POSTFIELDS, request.body.data());
  set_option(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  set_option(handle, CURLOPT_HTTPHEADER, headers.get());
  set_option(handle, CURLOPT_USERAGENT, request.user_agent.c_str());
  set_option(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  set_option(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  set_option(handle, CURLOPT_WRITEFUNCTION, &keep_answer_start);
  set_option(handle, CURLOPT_WRITEDATA, &answer);
  set_option(handle, CURLOPT_NOSIGNAL, 1L);
  set_option(handle, CURLOPT_ERRORBUFFER, error_buffer.data());
  if (request.abort != nullptr) {
    // curl calls this at least once a second, also while the receiver says nothing.
    set_option(handle, CURLOPT_XFERINFOFUNCTION, &abort_when_set);
    set_option(handle, CURLOPT_XFERINFODATA, request.abort);
    set_option(handle, CURLOPT_NOPROGRESS, 0L);
  }
  const CURLcode code = curl_easy_perform(handle);
  PostResult result;
  result.answer_start = std::move(answer);
  if (code != CURLE_OK) {
    const std::string detail = error_buffer.c_str();
    result.error = code == CURLE_ABORTED_BY_CALLBACK ? std::string("stopped")
                   : detail.empty()                  ? std::string(curl_easy_strerror(code))
                                                     : detail;
  } else {
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.http_status);
  }
  // Nothing in the handle may point at this call's locals once it returns.
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);
  return result;
}

}  // namespace archiver
