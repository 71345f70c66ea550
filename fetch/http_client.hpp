#pragma once
// One HTTP(S) GET with libcurl: http and https only (also for redirects), at most 5 redirects,
// connect/total timeouts and a low-speed abort, gzip/deflate/br/zstd decoding, a cap on the
// decoded body, and conditional requests from stored validators.

#include "fetch/curl_handles.hpp"
#include "fetch/fetch_types.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace archiver {

// A reusable client: keeps one easy handle so connections are reused between requests.
class HttpClient {
 public:
  HttpClient();
  [[nodiscard]] FetchResponse fetch(const FetchRequest& request);

 private:
  CurlEasy m_handle;
};

}  // namespace archiver
