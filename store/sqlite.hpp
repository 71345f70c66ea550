#pragma once
// Thin RAII owners for sqlite3 and sqlite3_stmt. Errors throw StoreError, which carries the
// SQLite result code; the CLI turns it into a message and an exit code.

#include "store/store_error.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace archiver::sqlite {

// The store's own code names them sqlite::StoreError and sqlite::full_archive_advice.
using archiver::full_archive_advice;
using archiver::StoreError;

class Statement;

// Prepared statements put back after use, by SQL text, for the next prepare() of the same text:
// the writer runs the same few statements for every page, and compiling them again each time
// was a third of an unchanged re-crawl's CPU.
class StatementCache {
 public:
  StatementCache() = default;
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  [[nodiscard]] sqlite3_stmt* take(const std::string& sql);
  void give_back(const std::string& sql, sqlite3_stmt* statement);

 private:
  std::unordered_multimap<std::string, sqlite3_stmt*> m_idle;
};

class Database {
 public:
  enum class Mode { read_only, read_write_create };

  // Opens (or creates) the file. Throws StoreError naming the path on failure.
  Database(const std::filesystem::path& path, Mode mode);

  void execute(std::string_view sql);  // one or more statements without parameters
  [[nodiscard]] Statement prepare(std::string_view sql);
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;
  // The file was opened for reading only (no permission to write it, a read-only mount).
  [[nodiscard]] bool read_only() const;
  // A deterministic SQL function of one argument (text, or a blob's bytes), for this connection
  // (until drop_function): NULL in, NULL out. It gives text, or a blob when result is blob.
  // What it throws becomes the SQL error of the statement calling it.
  using TextFunction = std::function<std::string(std::string_view)>;
  enum class Result { text, blob };
  void define_function(const std::string& name, TextFunction function,
                       Result result = Result::text);
  // Work a transaction keeps for its end: before_commit runs inside the outermost transaction
  // just before its COMMIT (what it throws rolls the transaction back), after_rollback once that
  // transaction was rolled back. Savepoints inside it call neither.
  void set_transaction_hooks(std::function<void()> before_commit,
                             std::function<void()> after_rollback);
  void drop_function(const std::string& name);
  // From now on each outermost transaction checks, once it has begun, that the file's
  // user_version is still `version`. Another program may upgrade the archive while this
  // connection stays open (a newer archiver run beside a long-running daemon); this connection's
  // statements would then fail one by one in SQL, or write rows of a schema it does not know.
  // A transaction that finds another version is rolled back and throws StoreError with
  // is_schema_changed(), naming both versions.
  void expect_user_version(int version);

  // The -wal and -shm files stay when this connection closes (SQLITE_FCNTL_PERSIST_WAL):
  // readers that may not create them (group members, read-only folder) can still open a WAL
  // archive once the writer has gone.
  void keep_wal_files();
  // hook(frames) after each commit, with how many frames the WAL holds (sqlite3_wal_hook). It
  // replaces SQLite's own checkpoint every so many frames (PRAGMA wal_autocheckpoint): the hook
  // decides when the WAL is copied back. What it throws is logged and dropped (the commit is
  // done). An empty hook removes the one set before.
  void on_wal_commit(std::function<void(int frames)> hook);
  // Copies the WAL into the database file as far as no reader still needs it, waiting for
  // nobody (SQLITE_CHECKPOINT_PASSIVE). nothing: another connection's checkpoint is under way,
  // or a statement of this one is still reading; some: a reader's snapshot kept it from the last
  // frames; all: every frame the WAL holds is in the file.
  enum class Copied { nothing, some, all };
  Copied checkpoint_passive();
  // Writes bytes into a blob column of an existing row (made with zeroblob(size)), a chunk at a
  // time through SQLite's incremental blob I/O: a 50 MiB asset is never one buffer. read calls
  // its argument with each chunk; together they must be exactly the blob's size.
  using ChunkSource = std::function<void(const std::function<void(std::string_view)>&)>;
  void write_blob(const char* table, const char* column, std::int64_t rowid,
                  const ChunkSource& read);
  // Reads a blob column of a row a chunk at a time (up to chunk_size bytes each).
  void read_blob(const char* table, const char* column, std::int64_t rowid,
                 const std::function<void(std::string_view)>& chunk,
                 std::size_t chunk_size = 256 * 1024);
  // Up to length bytes of a blob column of a row from offset on (fewer at its end): a large
  // blob read piece by piece, each piece in its own call (a web response written as the client
  // reads it).
  [[nodiscard]] std::string read_blob_part(const char* table, const char* column,
                                           std::int64_t rowid, std::int64_t offset,
                                           std::size_t length);

  // False once SQLite has rolled a transaction back by itself (a full disk, an I/O error).
  [[nodiscard]] bool in_transaction() const;

  // Inside a transaction, while suspended: a Transaction begun inside it opens no savepoint (its
  // writes are the outer transaction's at once), because SQLite copies each database page a
  // savepoint changes, for every savepoint, and FTS5 writes its pending terms at each. Such a
  // scope ended without its commit cannot undo what it wrote: the outer transaction is then
  // spoiled, and its commit throws; only its rollback ends it. Suspensions nest (each resume
  // ends one). The crawl's batches: CrawlEngine, PageUndo::batch.
  void suspend_savepoints() { ++m_savepoints_suspended; }
  void resume_savepoints() { --m_savepoints_suspended; }
  [[nodiscard]] bool spoiled() const { return m_spoiled; }
  // Inside a transaction: marks it spoiled (a scope of writes with no savepoint ended unfinished).
  void spoil() {
    if (in_transaction()) {
      m_spoiled = true;
    }
  }
  [[nodiscard]] sqlite3* handle() const { return m_db.get(); }
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

 private:
  friend class Transaction;
  // Inside a transaction just begun: throws when user_version moved.
  void check_user_version();
  std::optional<int> m_expected_user_version;
  std::function<void()> m_before_commit;
  std::function<void()> m_after_rollback;
  int m_savepoints_suspended = 0;
  bool m_spoiled = false;  // by a scope that could not undo its writes (suspend_savepoints)
  // On the heap: SQLite holds its address for as long as the connection is open.
  std::unique_ptr<std::function<void(int)>> m_wal_hook;
  struct Defined {
    TextFunction function;
    Result result;
  };
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, Closer> m_db;
  std::filesystem::path m_path;
  // After m_db: its statements are finalized before the connection closes.
  std::unique_ptr<StatementCache> m_cache = std::make_unique<StatementCache>();
};

class Statement {
 public:
  // cache: where the compiled statement goes back when this is destroyed (and where it may
  // come from); without one it is finalized.
  Statement(sqlite3* db, std::string_view sql, StatementCache* cache = nullptr);

  // Binding is by 1-based index; std::nullopt and an empty optional bind NULL. Text and blobs
  // are copied into SQLite (SQLITE_TRANSIENT), so temporaries are safe to bind.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind_blob(int index, std::string_view bytes);

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t column_int(int column) const;
  [[nodiscard]] double column_double(int column) const;
  [[nodiscard]] std::string column_text(int column) const;
  [[nodiscard]] std::optional<std::string> column_optional_text(int column) const;
  [[nodiscard]] std::string column_blob(int column) const;

 private:
  struct Finalizer {
    StatementCache* cache = nullptr;
    std::string sql;
    void operator()(sqlite3_stmt* statement) const;
  };
  void check_bind(int rc, int index);
  sqlite3* m_db;
  std::unique_ptr<sqlite3_stmt, Finalizer> m_statement;
};

// BEGIN IMMEDIATE on construction; rolls back on destruction unless commit() was called. Inside
// an open transaction it is a savepoint instead, committed (released) with the outer one. On a
// connection that expects a user_version (Database::expect_user_version), the outermost one
// throws StoreError (is_schema_changed()) once the file is at another, having begun nothing.
class Transaction {
 public:
  // immediate: the write lock from the start (the writer's batches); deferred: a snapshot to
  // read from, which takes the write lock only if it comes to write.
  enum class Lock { immediate, deferred };
  explicit Transaction(Database& db, Lock lock = Lock::immediate);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  [[nodiscard]] bool in_progress() const;

  Database& m_db;
  bool m_nested;
  bool m_unguarded;  // nested while savepoints are suspended: no savepoint of its own
  bool m_done = false;
};

}  // namespace archiver::sqlite
