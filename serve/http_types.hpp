#pragma once
// What the web interface's handlers see of a request and give back: plain values, so that a
// handler is tested without a socket.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace archiver::serve {

struct Request {
  std::string method;  // GET or HEAD (others are refused before a handler sees them)
  std::string target;  // as sent: /articles/12?x=1
  std::string host;    // the Host header
  bool accepts_gzip = false;
  std::string if_none_match;
};

// A body too big to hold in memory at once, written a part at a time as the client reads it.
class BodySource {
 public:
  virtual ~BodySource() = default;
  [[nodiscard]] virtual std::int64_t size() const = 0;
  // Up to length bytes from offset on; empty at the end.
  [[nodiscard]] virtual std::string read(std::int64_t offset, std::size_t length) = 0;
};

struct Reply {
  unsigned status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beside the ones every reply has
  std::shared_ptr<BodySource> stream;                        // instead of body, when set
  // Which Content-Security-Policy it gets (serve/response_policy.hpp): the interface's own
  // pages, or bytes from the archive (an archived page as fetched, a photo), or a stored PDF.
  enum class Policy { page, archive, pdf };
  Policy policy = Policy::page;
};

using Handler = std::function<Reply(const Request&)>;

}  // namespace archiver::serve
