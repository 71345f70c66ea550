#pragma once
// Per-site zstd dictionaries (schema 12). A site's pages share their template and its articles
// their vocabulary, so a dictionary trained on a site's first pages (and one on its first
// article texts) makes every later one several times smaller than zstd alone makes it. They are
// kept in the archive (`dictionaries`), never changed or deleted, and every stored frame names
// the one it needs in its header (zstd id = 32768 + row id): reading needs no bookkeeping, and
// `zstd -d -D` reads a frame too.

#include "store/sqlite.hpp"
#include "util/compression.hpp"

#include <algorithm>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archiver {

enum class DictionaryKind { page, text };  // raw pages (bodies), article texts (versions)
[[nodiscard]] std::string_view to_string(DictionaryKind kind);

// What a new dictionary is trained on: samples as stored before compression, each with where
// it is stored (a body's SHA-256, or a version's id).
class TrainingSamples {
 public:
  // Room for this many bytes of samples at once (no regrowth, which holds old and new buffer).
  void reserve(std::size_t bytes) { m_zstd.bytes.reserve(bytes); }
  void add(std::string key, std::string_view bytes) {
    m_keys.push_back(std::move(key));
    m_zstd.add(bytes);
  }
  [[nodiscard]] std::size_t size() const { return m_keys.size(); }
  [[nodiscard]] bool empty() const { return m_keys.empty(); }
  [[nodiscard]] std::size_t bytes() const { return m_zstd.bytes.size(); }
  [[nodiscard]] bool has_key(std::string_view key) const {
    return std::ranges::find(m_keys, key) != m_keys.end();
  }
  [[nodiscard]] const std::string& last_key() const { return m_keys.back(); }
  // The samples as zstd trains on them.
  [[nodiscard]] const ZstdSamples& zstd() const { return m_zstd; }
  // Each sample in order, with its key.
  template <class Visit>
  void for_each(Visit visit) const {
    std::size_t at = 0;
    for (std::size_t index = 0; index < m_keys.size(); ++index) {
      const std::size_t size = m_zstd.sizes[index];
      visit(m_keys[index], std::string_view(m_zstd.bytes).substr(at, size));
      at += size;
    }
  }

 private:
  std::vector<std::string> m_keys;  // one per sample, in order
  ZstdSamples m_zstd;
};

// The dictionaries of one archive as one connection sees them. Reading: any frame, with the
// dictionary it names, loaded once. Writing: the newest dictionary of a site, looked up in the
// archive each time (a dictionary made in a transaction that was rolled back is never used).
class Dictionaries {
 public:
  explicit Dictionaries(sqlite::Database& db) : m_db(db) {}
  ~Dictionaries();
  Dictionaries(const Dictionaries&) = delete;
  Dictionaries& operator=(const Dictionaries&) = delete;

  [[nodiscard]] std::expected<std::string, std::string> decompress(
      std::string_view frame, std::size_t max_size = std::size_t{1} << 31U);

  // The dictionary to compress the site's pages or texts with now; null: none yet.
  [[nodiscard]] std::shared_ptr<const ZstdDictionary> newest(const std::optional<std::string>& site,
                                                             DictionaryKind kind);

  // Trains a dictionary on the samples, stores it as the site's newest of this kind and
  // recompresses the samples' stored frames with it, in the caller's transaction. Writers only.
  // Fails with zstd's reason (the archive is then unchanged).
  [[nodiscard]] std::expected<std::shared_ptr<const ZstdDictionary>, std::string> train(
      const std::string& site, DictionaryKind kind, const TrainingSamples& samples,
      const std::string& now);

  // On this connection: archiver_text(frame), the text of a version's body_zstd (the views and
  // the search index read it), and archiver_unzstd(frame), a stored body's bytes.
  void define_sql_functions();

 private:
  [[nodiscard]] std::shared_ptr<const ZstdDictionary> by_row(std::int64_t row);
  sqlite::Database& m_db;
  // Rows are never changed, so a dictionary read once is good for as long as the connection
  // lives. (A row number can come again after a rollback; train() then replaces the entry.)
  std::map<std::int64_t, std::shared_ptr<const ZstdDictionary>> m_by_row;
  bool m_defined_functions = false;
};

// Collects the first pages (or texts) of each site stored without a dictionary of their own,
// until there are enough to train one. The writer's, on its thread.
class DictionaryTrainer {
 public:
  // Keeps the sample; true once the site has enough of this kind to train on.
  bool offer(const std::string& site, DictionaryKind kind, std::string key, std::string_view bytes);
  // The samples collected, handed over (and forgotten here).
  [[nodiscard]] TrainingSamples take(const std::string& site, DictionaryKind kind);
  // Training failed (samples too alike or too few): the site's frames of this kind stay
  // compressed without a dictionary until the next process tries again.
  void give_up(const std::string& site, DictionaryKind kind);
  // Every sample collected so far is dropped (a transaction was rolled back: its samples name
  // rows that are gone, whose ids may come again for other pages). Collecting starts over.
  void forget() { m_collections.clear(); }

 private:
  struct Collection {
    TrainingSamples samples;
    bool given_up = false;
  };
  std::map<std::pair<std::string, DictionaryKind>, Collection> m_collections;
};

}  // namespace archiver
