#pragma once
// Static files served the way ordinary web servers do it, so the crawler meets realistic
// validators (ETag, Last-Modified, 304s), gzip and per-file header quirks. Shared by TestServer
// and the archiver-sample-server demo tool.
//
// Layout under root:
//   path/                 -> path/index.html ("/dir" without the slash -> 301 to "/dir/")
//   NAME.headers          -> optional "Header-Name: value" lines added to (or replacing) the
//                            headers of NAME, e.g. "Content-Type: text/html; charset=gbk";
//                            blank lines and lines starting with '#' are skipped
//   *.headers, *.expected.json   -> never served (404): they describe the site, not belong to it

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/test_server.hpp"

namespace archiver::testing {

// Answers a GET or HEAD for request.path (percent-encoded) from files under root.
// "..", even percent-encoded, gets 403; so does a symlink leading out of root.
[[nodiscard]] Response serve_static(const std::filesystem::path& root, const Request& request);

// RFC 7231 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
[[nodiscard]] std::string format_http_date(std::chrono::system_clock::time_point time);
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);

}  // namespace archiver::testing
