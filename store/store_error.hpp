#pragma once
// What the store throws when SQLite fails, and what to tell the user of a full archive. Apart
// from store/sqlite.hpp so that code outside store/ can catch it without seeing SQLite.

#include <stdexcept>
#include <string>
#include <string_view>

namespace archiver {

class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  // What schema_changed_error() makes.
  struct SchemaChanged {};
  StoreError(SchemaChanged /*tag*/, const std::string& message)
      : std::runtime_error(message), m_code(17 /* SQLITE_SCHEMA */), m_schema_changed(true) {}
  // The extended SQLite result code (SQLITE_FULL, SQLITE_CORRUPT, ...).
  [[nodiscard]] int code() const { return m_code; }
  // The disk is full, or the archive reached its max_size (SQLITE_FULL).
  [[nodiscard]] bool is_full() const { return (m_code & 0xFF) == 13; }
  // Another program changed the archive's schema version while this process had it open (a
  // newer archiver upgrading it): this process can store nothing more in it. (Not any
  // SQLITE_SCHEMA: SQLite's own, after failed re-prepares, is an ordinary error.)
  [[nodiscard]] bool is_schema_changed() const { return m_schema_changed; }

 private:
  int m_code;
  bool m_schema_changed = false;
};

// What a process that has the archive open throws once it finds the schema version changed
// (is_schema_changed()): another archiver upgraded the file meanwhile.
inline StoreError schema_changed_error(int opened_at, int found) {
  return {StoreError::SchemaChanged{},
          "the archive was changed from schema version " + std::to_string(opened_at) + " to " +
              std::to_string(found) +
              " by another program while this one had it open (a newer archiver upgrading it?): "
              "start this one again with an archiver that reads schema " +
              std::to_string(found) + " (everything stored so far is kept)"};
}

// For a loop that goes on past a failed item: after this one, no item can be stored.
inline bool is_schema_change(const std::exception& error) {
  const auto* store_error = dynamic_cast<const StoreError*>(&error);
  return store_error != nullptr && store_error->is_schema_changed();
}

// What to tell the user when a write failed with is_full().
inline constexpr std::string_view full_archive_advice =
    " (the disk is full or the archive reached [archive] max_size: free space or raise it; "
    "everything stored is safe, and the crawl resumes where it stopped at its next run)";

}  // namespace archiver
