// Bytes served as they are: an archived asset by its SHA-256 (`/assets/SHA256`), the page an
// article was read from as it was fetched (`/articles/ID/archived`), and the interface's own
// style sheet and script (`/static/NAME`). Nothing here opens a file: the archive's bytes come
// from its database, the interface's from the binary.

#include "serve/pages.hpp"
#include "serve/ui_files.hpp"
#include "serve/views.hpp"

#include "util/ascii.hpp"

#include <fmt/format.h>

#include <regex>

namespace archiver::serve {
namespace {

// Bodies up to this size are read whole; larger ones (PDFs, scans stored as they came) a part
// at a time as the client takes them.
constexpr std::int64_t k_whole_body_bytes = 1024 * 1024;

bool is_sha256(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

class StoredBody : public BodySource {
 public:
  StoredBody(ReaderPool& readers, std::string sha256, std::int64_t size)
      : m_readers(readers), m_sha256(std::move(sha256)), m_size(size) {}
  [[nodiscard]] std::int64_t size() const override { return m_size; }
  [[nodiscard]] std::string read(std::int64_t offset, std::size_t length) override {
    auto reader = m_readers.borrow();
    return reader->body_part(m_sha256, offset, length);
  }

 private:
  ReaderPool& m_readers;
  std::string m_sha256;
  std::int64_t m_size;
};

// Stored bytes never change: a client may keep them.
void immutable(Reply& reply, std::string_view sha256) {
  reply.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  reply.headers.emplace_back("ETag", fmt::format("\"{}\"", sha256));
}

}  // namespace

Reply stored_asset(const WebContext& context, const Request& request, std::string_view sha256) {
  if (!is_sha256(sha256)) {
    return bad_request("an asset is named by its SHA-256: 64 lower-case hexadecimal digits");
  }
  auto reader = context.readers.borrow();
  const auto asset = reader->asset(sha256);
  if (!asset || !asset->sha256) {
    return not_found(fmt::format("存档文件 {}", sha256));
  }
  Reply reply;
  reply.content_type = asset->media_type.empty() ? "application/octet-stream" : asset->media_type;
  reply.policy =
      reply.content_type == "application/pdf" ? Reply::Policy::pdf : Reply::Policy::archive;
  immutable(reply, sha256);
  if (request.if_none_match == fmt::format("\"{}\"", sha256)) {
    reply.status = 304;  // the same policy as the 200 it stands for, no type, no body
    return reply;
  }
  const auto size = reader->body_size_as_stored(sha256);
  if (size && *size > k_whole_body_bytes) {
    reply.stream = std::make_shared<StoredBody>(context.readers, std::string(sha256), *size);
    return reply;
  }
  reader->write_body(sha256, [&reply](std::string_view chunk) { reply.body += chunk; });
  return reply;
}

Reply archived_page(const WebContext& context, const Target& target, std::int64_t id) {
  const auto version = number_param(target, "version", 1, 1'000'000);
  if (!version) {
    return bad_request(version.error());
  }
  auto reader = context.readers.borrow();
  const auto article = reader->article(std::to_string(id), *version);
  if (!article) {
    return not_found(fmt::format("文章 {}", id));
  }
  const auto page = reader->version_page(id, article->version);
  if (!page) {
    return not_found(fmt::format("文章 {} 的存档网页", id));
  }
  const auto bytes = reader->body(page->sha256);
  if (!bytes) {
    return not_found(fmt::format("文章 {} 的存档网页", id));
  }
  Reply reply;
  // The bytes as they came, labelled with the charset the archive read them in: a page's own
  // label may lie (a UTF-8 page saying gb2312), and the header overrides it. The type is the
  // origin's: taken only when it is a plain type/subtype.
  std::string type = ascii_lower(page->content_type.substr(0, page->content_type.find(';')));
  while (!type.empty() && type.back() == ' ') {
    type.pop_back();
  }
  static const std::regex k_media_type(R"(^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$)");
  if (!std::regex_match(type, k_media_type)) {
    type = "text/html";
  }
  reply.content_type = page->charset.empty() ? type : type + "; charset=" + page->charset;
  reply.body = *bytes;
  reply.policy = Reply::Policy::archive;
  // Not immutable: a page of several articles falls back to its newest fetch.
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

Reply static_file(const Request& request, std::string_view name) {
  const UiFile* file = ui_file(name);
  const bool servable = name.ends_with(".css") || name.ends_with(".js");
  if (file == nullptr || !servable) {
    return not_found(fmt::format("文件 {}", name));
  }
  Reply reply;
  reply.content_type =
      name.ends_with(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8";
  reply.body = std::string(file->bytes);
  const std::string tag = fmt::format("\"{}-{}\"", ARCHIVER_VERSION, file->bytes.size());
  reply.headers.emplace_back("ETag", tag);
  reply.headers.emplace_back("Cache-Control", "no-cache");
  if (request.if_none_match == tag) {
    reply.status = 304;
    reply.body.clear();
  }
  return reply;
}

}  // namespace archiver::serve
