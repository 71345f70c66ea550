#include "fetch/http_client.hpp"

#include "fetch/transfer.hpp"

#include <stdexcept>

namespace archiver {

HttpClient::HttpClient() {
  ensure_curl_initialised();
  m_handle.reset(curl_easy_init());
  if (!m_handle) {
    throw std::runtime_error("curl_easy_init failed");
  }
}

FetchResponse HttpClient::fetch(const FetchRequest& request) {
  Transfer transfer(m_handle.get(), request);
  if (auto refused = transfer.prepare()) {
    return std::move(*refused);
  }
  return transfer.finish(curl_easy_perform(m_handle.get()));
}

}  // namespace archiver
