#include "export/wacz_export.hpp"

#include "export/zip_writer.hpp"
#include "fetch/body_spool.hpp"
#include "util/ascii.hpp"
#include "util/clock.hpp"
#include "util/sha256.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <streambuf>

namespace archiver {
namespace {

// An output stream buffer that appends to a spool file (64 KiB at a time).
class SpoolBuffer : public std::streambuf {
 public:
  explicit SpoolBuffer(BodySpool& spool) : m_spool(spool), m_space(64 * 1024) {
    setp(m_space.data(), m_space.data() + m_space.size());
  }
  ~SpoolBuffer() override = default;
  SpoolBuffer(const SpoolBuffer&) = delete;
  SpoolBuffer& operator=(const SpoolBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    try {
      m_spool.append(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
    } catch (const std::exception&) {
      return false;  // the stream goes bad; the WARC writer reports it
    }
    setp(m_space.data(), m_space.data() + m_space.size());
    return true;
  }

  BodySpool& m_spool;
  std::vector<char> m_space;
};

std::string rfc3339(std::string_view utc_iso) { return std::string(utc_iso); }

struct Resource {
  std::string name;
  std::string path;
  std::string sha256;
  std::uint64_t bytes = 0;
};

}  // namespace

std::string surt_key(std::string_view url) {
  std::string text = ascii_lower(url);
  const auto scheme = text.find("://");
  if (scheme == std::string::npos || !(text.starts_with("http:") || text.starts_with("https:"))) {
    return std::string(url);  // not a web URL: as it is
  }
  std::string rest = text.substr(scheme + 3);
  // A leading www, www2, ... is dropped.
  if (rest.starts_with("www")) {
    std::size_t digits = 3;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) {
      ++digits;
    }
    if (digits < rest.size() && rest[digits] == '.') {
      rest.erase(0, digits + 1);
    }
  }
  const auto path_start = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, path_start);
  std::string tail = path_start == std::string::npos ? "/" : rest.substr(path_start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    authority.erase(0, at + 1);
  }
  std::string host = authority;
  std::string port;
  if (const auto colon = authority.rfind(':');
      colon != std::string::npos && authority.find(']') == std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    const bool default_port = (port == "80" && text.starts_with("http:")) ||
                              (port == "443" && text.starts_with("https:"));
    if (default_port) {
      port.clear();
    }
  }
  std::vector<std::string> labels;
  for (std::size_t start = 0;;) {
    const auto dot = host.find('.', start);
    labels.push_back(host.substr(start, dot - start));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  std::string key;
  for (auto label = labels.rbegin(); label != labels.rend(); ++label) {
    key += key.empty() ? "" : ",";
    key += *label;
  }
  if (!port.empty()) {
    key += ":" + port;
  }
  key += ')';
  tail = tail.substr(0, tail.find('#'));
  const auto query = tail.find('?');
  std::string path = tail.substr(0, query);
  key += path.empty() ? "/" : path;
  if (query != std::string::npos && query + 1 < tail.size()) {
    std::vector<std::string> arguments;
    const std::string_view all = std::string_view(tail).substr(query + 1);
    for (std::size_t start = 0;;) {
      const auto amp = all.find('&', start);
      arguments.emplace_back(all.substr(start, amp - start));
      if (amp == std::string_view::npos) {
        break;
      }
      start = amp + 1;
    }
    std::ranges::sort(arguments);
    key += '?';
    for (std::size_t i = 0; i < arguments.size(); ++i) {
      key += (i == 0 ? "" : "&") + arguments[i];
    }
  }
  return key;
}

std::string cdxj_timestamp(std::string_view utc_iso) {
  std::string digits;
  for (const char c : utc_iso) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      digits.push_back(c);
    }
    if (digits.size() == 14) {
      break;
    }
  }
  return digits;
}

WaczExportStats export_wacz(ArchiveReader& archive, const WaczExportOptions& options,
                            std::ostream& out) {
  WaczExportStats stats;
  const std::string warc_name = "data.warc.gz";

  // 1. The WARC, into a spool, with its index lines and pages on the way.
  BodySpool warc(options.work_folder);
  std::vector<std::string> index;
  std::map<std::string, std::pair<std::string, std::string>> pages;  // url -> ts, title
  {
    SpoolBuffer buffer(warc);
    std::ostream warc_out(&buffer);
    WarcExportOptions warc_options = options.warc;
    warc_options.filename = warc_name;
    warc_options.on_record = [&](const WarcIndexEntry& entry) {
      nlohmann::json fields = {
          {"url", entry.url},
          {"mime", entry.revisit ? "warc/revisit"
                                 : entry.content_type.substr(0, entry.content_type.find(';'))},
          {"status", std::to_string(entry.status)},
          {"length", std::to_string(entry.length)},
          {"offset", std::to_string(entry.offset)},
          {"filename", warc_name}};
      if (!entry.payload_digest.empty()) {
        fields["digest"] = entry.payload_digest;
      }
      index.push_back(surt_key(entry.url) + " " + cdxj_timestamp(entry.date) + " " +
                      fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    warc_options.on_page = [&](const std::string& url, const std::string& ts,
                               const std::string& title) {
      pages[url] = {ts, title};
    };
    stats.warc = export_warc(archive, warc_options, warc_out);
    warc_out.flush();
    if (!warc_out) {
      throw std::runtime_error("writing the WARC into " + options.work_folder.string() +
                               " failed (disk full?)");
    }
  }
  // CDXJ is sorted by key, then time (the line's order); std::sort on the lines gives that.
  std::ranges::sort(index);
  stats.index_lines = static_cast<std::int64_t>(index.size());
  std::string cdxj;
  for (const auto& line : index) {
    cdxj += line;
    cdxj += '\n';
  }
  std::vector<std::string>().swap(index);

  std::string pages_jsonl =
      nlohmann::json{{"format", "json-pages-1.0"}, {"id", "pages"}, {"title", "All Pages"}}.dump() +
      "\n";
  for (const auto& [url, page] : pages) {
    pages_jsonl += nlohmann::json{{"id", sha256_hex(url).substr(0, 16)},
                                  {"url", url},
                                  {"ts", rfc3339(page.first)},
                                  {"title", page.second}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                   "\n";
  }
  stats.pages = static_cast<std::int64_t>(pages.size());

  // 2. The ZIP: the WARC copied from its spool, then the small files.
  std::uint32_t warc_crc = 0;
  warc.read([&](std::string_view chunk) { warc_crc = ZipWriter::crc32(warc_crc, chunk); });
  const std::vector<Resource> resources = {
      {.name = warc_name,
       .path = "archive/" + warc_name,
       .sha256 = warc.sha256(),
       .bytes = warc.size()},
      {.name = "index.cdxj",
       .path = "indexes/index.cdxj",
       .sha256 = sha256_hex(cdxj),
       .bytes = cdxj.size()},
      {.name = "pages.jsonl",
       .path = "pages/pages.jsonl",
       .sha256 = sha256_hex(pages_jsonl),
       .bytes = pages_jsonl.size()},
  };
  nlohmann::json package = {{"profile", "data-package"},
                            {"wacz_version", "1.1.1"},
                            {"title", options.title},
                            {"created", now_utc_iso()},
                            {"software", options.warc.software},
                            {"resources", nlohmann::json::array()}};
  for (const auto& resource : resources) {
    package["resources"].push_back({{"name", resource.name},
                                    {"path", resource.path},
                                    {"hash", "sha256:" + resource.sha256},
                                    {"bytes", resource.bytes}});
  }
  const std::string datapackage = package.dump(2) + "\n";
  const std::string digest =
      nlohmann::json{{"path", "datapackage.json"}, {"hash", "sha256:" + sha256_hex(datapackage)}}
          .dump(2) +
      "\n";

  ZipWriter zip(out);
  zip.add(resources[0].path, warc.size(), warc_crc, [&](const auto& chunk) { warc.read(chunk); });
  zip.add(resources[1].path, cdxj);
  zip.add(resources[2].path, pages_jsonl);
  zip.add("datapackage.json", datapackage);
  zip.add("datapackage-digest.json", digest);
  zip.finish();
  stats.file_bytes = zip.bytes_written();
  return stats;
}

}  // namespace archiver
