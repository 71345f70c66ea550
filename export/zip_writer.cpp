#include "export/zip_writer.hpp"

#include <zlib.h>

#include <stdexcept>

namespace archiver {
namespace {

constexpr std::uint32_t k_local_header = 0x04034b50;
constexpr std::uint32_t k_central_header = 0x02014b50;
constexpr std::uint32_t k_end_of_directory = 0x06054b50;
constexpr std::uint32_t k_zip64_end_of_directory = 0x06064b50;
constexpr std::uint32_t k_zip64_locator = 0x07064b50;
constexpr std::uint16_t k_zip64_extra = 0x0001;
constexpr std::uint16_t k_version_zip64 = 45;  // 4.5: ZIP64
constexpr std::uint16_t k_version_plain = 20;  // 2.0: folders, stored entries
constexpr std::uint16_t k_utf8_names = 0x0800;
constexpr std::uint32_t k_max_32 = 0xFFFFFFFFU;
// 1980-01-01 00:00, the earliest MS-DOS time: entries carry no time of their own (the WACZ's
// datapackage.json says when it was made), so that the same archive gives the same bytes.
constexpr std::uint16_t k_dos_time = 0;
constexpr std::uint16_t k_dos_date = (0U << 9U) | (1U << 5U) | 1U;

void le16(std::string& out, std::uint64_t value) {
  out.push_back(static_cast<char>(value & 0xFFU));
  out.push_back(static_cast<char>((value >> 8U) & 0xFFU));
}
void le32(std::string& out, std::uint64_t value) {
  le16(out, value & 0xFFFFU);
  le16(out, (value >> 16U) & 0xFFFFU);
}
void le64(std::string& out, std::uint64_t value) {
  le32(out, value & k_max_32);
  le32(out, value >> 32U);
}

}  // namespace

ZipWriter::ZipWriter(std::ostream& out) : m_out(out) {}

std::uint32_t ZipWriter::crc32(std::uint32_t crc, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(bytes.size(), 1U << 30U));
    crc = static_cast<std::uint32_t>(
        ::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), chunk));
    bytes.remove_prefix(chunk);
  }
  return crc;
}

void ZipWriter::put(std::string_view bytes) {
  m_out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!m_out) {
    throw std::runtime_error("writing the ZIP file failed at byte " + std::to_string(m_offset) +
                             " (disk full?)");
  }
  m_offset += bytes.size();
}

void ZipWriter::add(const std::string& name, std::uint64_t size, std::uint32_t crc32,
                    const ChunkSource& read) {
  if (m_finished) {
    throw std::logic_error("ZipWriter: add after finish");
  }
  const Entry entry{.name = name, .size = size, .crc32 = crc32, .offset = m_offset};
  const bool zip64 = size >= k_max_32;
  std::string header;
  le32(header, k_local_header);
  le16(header, zip64 ? k_version_zip64 : k_version_plain);
  le16(header, k_utf8_names);
  le16(header, 0);  // stored
  le16(header, k_dos_time);
  le16(header, k_dos_date);
  le32(header, crc32);
  le32(header, zip64 ? k_max_32 : size);  // compressed size: the same, stored
  le32(header, zip64 ? k_max_32 : size);
  le16(header, name.size());
  le16(header, zip64 ? 20 : 0);
  header += name;
  if (zip64) {
    le16(header, k_zip64_extra);
    le16(header, 16);
    le64(header, size);
    le64(header, size);
  }
  put(header);
  std::uint64_t written = 0;
  read([&](std::string_view chunk) {
    written += chunk.size();
    if (written > size) {
      throw std::runtime_error("ZIP entry " + name + ": more than its " + std::to_string(size) +
                               " bytes");
    }
    put(chunk);
  });
  if (written != size) {
    throw std::runtime_error("ZIP entry " + name + ": " + std::to_string(written) + " of " +
                             std::to_string(size) + " bytes");
  }
  m_entries.push_back(entry);
}

void ZipWriter::add(const std::string& name, std::string_view bytes) {
  add(name, bytes.size(), crc32(0, bytes), [&](const auto& chunk) { chunk(bytes); });
}

void ZipWriter::finish() {
  if (m_finished) {
    return;
  }
  m_finished = true;
  const std::uint64_t directory_offset = m_offset;
  for (const Entry& entry : m_entries) {
    const bool big = entry.size >= k_max_32;
    const bool far = entry.offset >= k_max_32;
    std::string extra;
    if (big || far) {
      std::string fields;
      if (big) {
        le64(fields, entry.size);
        le64(fields, entry.size);
      }
      if (far) {
        le64(fields, entry.offset);
      }
      le16(extra, k_zip64_extra);
      le16(extra, fields.size());
      extra += fields;
    }
    std::string header;
    le32(header, k_central_header);
    le16(header, (3U << 8U) | k_version_zip64);  // made on Unix
    le16(header, big || far ? k_version_zip64 : k_version_plain);
    le16(header, k_utf8_names);
    le16(header, 0);
    le16(header, k_dos_time);
    le16(header, k_dos_date);
    le32(header, entry.crc32);
    le32(header, big ? k_max_32 : entry.size);
    le32(header, big ? k_max_32 : entry.size);
    le16(header, entry.name.size());
    le16(header, extra.size());
    le16(header, 0);                // comment
    le16(header, 0);                // disk
    le16(header, 0);                // internal attributes
    le32(header, 0100644U << 16U);  // a regular file, rw-r--r--
    le32(header, far ? k_max_32 : entry.offset);
    header += entry.name;
    header += extra;
    put(header);
  }
  const std::uint64_t directory_size = m_offset - directory_offset;
  const bool zip64 = directory_offset >= k_max_32 || m_entries.size() >= 0xFFFFU;
  std::string end;
  if (zip64) {
    const std::uint64_t record_offset = m_offset;
    le32(end, k_zip64_end_of_directory);
    le64(end, 44);  // the record's size after this field
    le16(end, (3U << 8U) | k_version_zip64);
    le16(end, k_version_zip64);
    le32(end, 0);
    le32(end, 0);
    le64(end, m_entries.size());
    le64(end, m_entries.size());
    le64(end, directory_size);
    le64(end, directory_offset);
    le32(end, k_zip64_locator);
    le32(end, 0);
    le64(end, record_offset);
    le32(end, 1);
  }
  le32(end, k_end_of_directory);
  le16(end, 0);
  le16(end, 0);
  le16(end, zip64 ? 0xFFFFU : m_entries.size());
  le16(end, zip64 ? 0xFFFFU : m_entries.size());
  le32(end, zip64 ? k_max_32 : directory_size);
  le32(end, zip64 ? k_max_32 : directory_offset);
  le16(end, 0);
  put(end);
  m_out.flush();
  if (!m_out) {
    throw std::runtime_error("flushing the ZIP file failed (disk full?)");
  }
}

}  // namespace archiver
