#include "store/dictionaries.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <utility>

namespace archiver {
namespace {

// How much a site's first samples take before a dictionary is trained on them. 400 pages of
// the benchmark's e-paper (2.9 MB) make a 64 KiB dictionary that compresses later pages 8.9x
// (zstd alone: 2.4x); fewer samples make a weaker one (100 pages: 6.4x).
struct Budget {
  std::size_t samples;
  std::size_t bytes;     // at most this much is held, whatever the count
  std::size_t capacity;  // of the dictionary
};

Budget budget_for(DictionaryKind kind) {
  switch (kind) {
    case DictionaryKind::page:
      return {.samples = 400, .bytes = 8U << 20U, .capacity = 64U << 10U};
    case DictionaryKind::text:
      return {.samples = 400, .bytes = 4U << 20U, .capacity = 32U << 10U};
  }
  return {};
}

}  // namespace

std::string_view to_string(DictionaryKind kind) {
  return kind == DictionaryKind::page ? "page" : "text";
}

std::expected<std::string, std::string> Dictionaries::decompress(std::string_view frame,
                                                                 std::size_t max_size) {
  const std::uint32_t id = zstd_frame_dictionary_id(frame);
  if (id == 0) {
    return zstd_decompress(frame, max_size);
  }
  if (id < k_first_dictionary_id) {
    return std::unexpected("zstd frame names dictionary " + std::to_string(id) +
                           ", which no archive makes");
  }
  const auto dictionary = by_row(std::int64_t{id} - k_first_dictionary_id);
  if (!dictionary) {
    return std::unexpected("zstd frame names dictionary " + std::to_string(id) +
                           ", which the archive does not hold");
  }
  return dictionary->decompress(frame, max_size);
}

void Dictionaries::define_sql_functions() {
  const auto decompressed = [this](std::string_view frame) {
    auto bytes = decompress(frame);
    if (!bytes) {
      throw std::runtime_error(bytes.error());
    }
    return std::move(*bytes);
  };
  m_db.define_function("archiver_text", decompressed);
  m_db.define_function("archiver_unzstd", decompressed, sqlite::Database::Result::blob);
  m_defined_functions = true;
}

Dictionaries::~Dictionaries() {
  // The functions point at this object; the connection may outlive it by a few statements.
  if (m_defined_functions) {
    m_db.drop_function("archiver_text");
    m_db.drop_function("archiver_unzstd");
  }
}

std::shared_ptr<const ZstdDictionary> Dictionaries::newest(const std::optional<std::string>& site,
                                                           DictionaryKind kind) {
  if (!site) {
    return nullptr;
  }
  auto query = m_db.prepare(
      "SELECT max(id) FROM dictionaries WHERE site = ?1 AND kind = ?2 HAVING max(id) IS NOT NULL");
  query.bind(1, *site).bind(2, to_string(kind));
  if (!query.step()) {
    return nullptr;
  }
  const std::int64_t row = query.column_int(0);
  query.reset();
  return by_row(row);
}

std::shared_ptr<const ZstdDictionary> Dictionaries::by_row(std::int64_t row) {
  if (const auto known = m_by_row.find(row); known != m_by_row.end()) {
    return known->second;
  }
  auto query = m_db.prepare("SELECT data FROM dictionaries WHERE id = ?1");
  query.bind(1, row);
  if (!query.step()) {
    return nullptr;
  }
  auto dictionary = std::make_shared<const ZstdDictionary>(query.column_blob(0));
  query.reset();
  m_by_row[row] = dictionary;
  return dictionary;
}

std::expected<std::shared_ptr<const ZstdDictionary>, std::string> Dictionaries::train(
    const std::string& site, DictionaryKind kind, const TrainingSamples& samples,
    const std::string& now) {
  auto next = m_db.prepare("SELECT coalesce(max(id), 0) + 1 FROM dictionaries");
  const std::int64_t row = next.step() ? next.column_int(0) : 1;
  next.reset();
  const std::size_t sample_bytes = samples.bytes();
  auto trained = zstd_train_dictionary(samples.zstd(), budget_for(kind).capacity,
                                       k_first_dictionary_id + static_cast<std::uint32_t>(row));
  if (!trained) {
    return std::unexpected(trained.error());
  }
  auto dictionary = std::make_shared<const ZstdDictionary>(std::move(*trained));
  // The samples were stored before there was a dictionary: they are compressed with it now,
  // so that a site's first pages end up as small as the rest.
  auto recompress = m_db.prepare(kind == DictionaryKind::page
                                     ? "UPDATE bodies SET data = ?2 WHERE sha256 = ?1"
                                     : "UPDATE versions SET body_zstd = ?2 WHERE id = ?1");
  std::size_t compressed_bytes = 0;
  samples.for_each([&](const std::string& key, std::string_view bytes) {
    const std::string frame = dictionary->compress(bytes);
    compressed_bytes += frame.size();
    recompress.bind(1, key).bind_blob(2, frame).run();
  });
  auto insert = m_db.prepare(
      "INSERT INTO dictionaries (id, site, kind, created_at, samples, sample_bytes, "
      "compressed_bytes, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  insert.bind(1, row)
      .bind(2, site)
      .bind(3, to_string(kind))
      .bind(4, now)
      .bind(5, static_cast<std::int64_t>(samples.size()))
      .bind(6, static_cast<std::int64_t>(sample_bytes))
      .bind(7, static_cast<std::int64_t>(compressed_bytes))
      .bind_blob(8, dictionary->bytes())
      .run();
  m_by_row[row] = dictionary;
  spdlog::info("site {}: a {} dictionary of {} bytes trained on {} {}s ({} bytes): {:.1f}x", site,
               to_string(kind), dictionary->bytes().size(), samples.size(), to_string(kind),
               sample_bytes,
               compressed_bytes == 0
                   ? 0.0
                   : static_cast<double>(sample_bytes) / static_cast<double>(compressed_bytes));
  return dictionary;
}

bool DictionaryTrainer::offer(const std::string& site, DictionaryKind kind, std::string key,
                              std::string_view bytes) {
  const Budget budget = budget_for(kind);
  auto& collection = m_collections[{site, kind}];
  if (collection.given_up) {
    return false;
  }
  if (collection.samples.bytes() + bytes.size() > budget.bytes) {
    return true;  // as much as may be held: train on what there is
  }
  if (collection.samples.empty()) {
    // Only what the samples fill becomes resident; the buffer, 1 MiB and more, is a mapping
    // of its own, returned when training is done (util/allocator).
    collection.samples.reserve(budget.bytes);
  }
  collection.samples.add(std::move(key), bytes);
  return collection.samples.size() >= budget.samples;
}

TrainingSamples DictionaryTrainer::take(const std::string& site, DictionaryKind kind) {
  return std::exchange(m_collections[{site, kind}].samples, {});
}

void DictionaryTrainer::give_up(const std::string& site, DictionaryKind kind) {
  auto& collection = m_collections[{site, kind}];
  collection.given_up = true;
  collection.samples = {};
}

}  // namespace archiver
