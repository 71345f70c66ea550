#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace archiver::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw StoreError(code, std::string(what) + ": " + message);
}

// SQLite counts every allocation for sqlite3_memory_used() under one process-wide mutex, which
// each thread with a connection then takes for every row it reads or writes. Nothing here reads
// the count. The setting is only accepted before SQLite initialises, that is before the first
// connection opens; later (SQLite used first by another part of the process) it is refused and
// the count stays on, which changes nothing but speed.
void configure_sqlite_once() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  static_cast<void>(configured);
}

}  // namespace

void Database::Closer::operator()(sqlite3* db) const {
  // Statements are owned elsewhere and always finalized first, so close_v2 cannot leak.
  sqlite3_close_v2(db);
}

Database::Database(const std::filesystem::path& path, Mode mode) : m_path(path) {
  const int flags =
      mode == Mode::read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  configure_sqlite_once();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  m_db.reset(raw);
  if (rc != SQLITE_OK) {
    const std::string reason = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw StoreError(rc, "cannot open database " + path.string() + ": " + reason);
  }
  sqlite3_extended_result_codes(raw, 1);
}

void Database::execute(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError(sqlite3_extended_errcode(m_db.get()), message);
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(m_db.get(), sql, m_cache.get());
}

StatementCache::~StatementCache() {
  for (auto& [sql, statement] : m_idle) {
    sqlite3_finalize(statement);
  }
}

sqlite3_stmt* StatementCache::take(const std::string& sql) {
  const auto found = m_idle.find(sql);
  if (found == m_idle.end()) {
    return nullptr;
  }
  sqlite3_stmt* statement = found->second;
  m_idle.erase(found);
  return statement;
}

void StatementCache::give_back(const std::string& sql, sqlite3_stmt* statement) {
  // Reset: a statement left mid-way would hold its read snapshot (and block checkpoints).
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  // A bound on what is kept, against a caller building SQL text on the fly.
  constexpr std::size_t k_max_idle = 256;
  if (m_idle.size() >= k_max_idle) {
    sqlite3_finalize(statement);
    return;
  }
  m_idle.emplace(sql, statement);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db.get()); }

int Database::changes() const { return sqlite3_changes(m_db.get()); }

bool Database::read_only() const { return sqlite3_db_readonly(m_db.get(), "main") == 1; }

void Database::define_function(const std::string& name, TextFunction function, Result result) {
  const auto call = [](sqlite3_context* context, int /*count*/, sqlite3_value** arguments) {
    const int type = sqlite3_value_type(arguments[0]);
    if (type == SQLITE_NULL) {
      sqlite3_result_null(context);
      return;
    }
    const void* bytes = type == SQLITE_BLOB
                            ? sqlite3_value_blob(arguments[0])
                            : static_cast<const void*>(sqlite3_value_text(arguments[0]));
    const std::string_view value(bytes != nullptr ? static_cast<const char*>(bytes) : "",
                                 static_cast<std::size_t>(sqlite3_value_bytes(arguments[0])));
    try {
      const auto& defined = *static_cast<Defined*>(sqlite3_user_data(context));
      const std::string out = defined.function(value);
      if (defined.result == Result::blob) {
        sqlite3_result_blob64(context, out.data(), out.size(), SQLITE_TRANSIENT);
      } else {
        sqlite3_result_text64(context, out.data(), out.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
    } catch (const std::exception& error) {
      sqlite3_result_error(context, error.what(), -1);  // no exception crosses SQLite's C code
    }
  };
  auto* owned = new Defined{std::move(function), result};
  // Innocuous: pure functions of their argument, which views and triggers may call.
  const int rc = sqlite3_create_function_v2(
      m_db.get(), name.c_str(), 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, owned,
      call, nullptr, nullptr, [](void* user) { delete static_cast<Defined*>(user); });
  if (rc != SQLITE_OK) {
    fail(m_db.get(), rc, "define function " + name);  // SQLite has called the destructor
  }
}

void Database::set_transaction_hooks(std::function<void()> before_commit,
                                     std::function<void()> after_rollback) {
  m_before_commit = std::move(before_commit);
  m_after_rollback = std::move(after_rollback);
}

void Database::expect_user_version(int version) { m_expected_user_version = version; }

void Database::check_user_version() {
  auto query = prepare("PRAGMA user_version");
  const int found = query.step() ? static_cast<int>(query.column_int(0)) : 0;
  query.reset();
  if (found != *m_expected_user_version) {
    throw schema_changed_error(*m_expected_user_version, found);
  }
}

void Database::drop_function(const std::string& name) {
  sqlite3_create_function_v2(m_db.get(), name.c_str(), 1, SQLITE_UTF8, nullptr, nullptr, nullptr,
                             nullptr, nullptr);
}

namespace {

struct BlobCloser {
  void operator()(sqlite3_blob* blob) const { sqlite3_blob_close(blob); }
};
using BlobHandle = std::unique_ptr<sqlite3_blob, BlobCloser>;

BlobHandle open_blob(sqlite3* db, const char* table, const char* column, std::int64_t rowid,
                     bool write) {
  sqlite3_blob* blob = nullptr;
  const int rc = sqlite3_blob_open(db, "main", table, column, rowid, write ? 1 : 0, &blob);
  BlobHandle handle(blob);  // closed even when opening failed half way
  if (rc != SQLITE_OK) {
    fail(db, rc, std::string("open blob ") + table + "." + column);
  }
  return handle;
}

}  // namespace

void Database::write_blob(const char* table, const char* column, std::int64_t rowid,
                          const ChunkSource& read) {
  const BlobHandle blob = open_blob(m_db.get(), table, column, rowid, true);
  const int size = sqlite3_blob_bytes(blob.get());
  int offset = 0;
  read([&](std::string_view chunk) {
    if (chunk.size() > static_cast<std::size_t>(size - offset)) {
      throw StoreError(SQLITE_ERROR, std::string("blob ") + table + "." + column +
                                         ": more bytes than the row has room for");
    }
    const int rc =
        sqlite3_blob_write(blob.get(), chunk.data(), static_cast<int>(chunk.size()), offset);
    if (rc != SQLITE_OK) {
      fail(m_db.get(), rc, std::string("write blob ") + table + "." + column);
    }
    offset += static_cast<int>(chunk.size());
  });
  if (offset != size) {
    throw StoreError(SQLITE_ERROR, std::string("blob ") + table + "." + column + ": " +
                                       std::to_string(offset) + " of " + std::to_string(size) +
                                       " bytes written");
  }
}

void Database::read_blob(const char* table, const char* column, std::int64_t rowid,
                         const std::function<void(std::string_view)>& chunk,
                         std::size_t chunk_size) {
  const BlobHandle blob = open_blob(m_db.get(), table, column, rowid, false);
  const int size = sqlite3_blob_bytes(blob.get());
  std::string buffer(std::min<std::size_t>(chunk_size, static_cast<std::size_t>(size)), '\0');
  for (int offset = 0; offset < size;) {
    const int length = std::min(static_cast<int>(buffer.size()), size - offset);
    const int rc = sqlite3_blob_read(blob.get(), buffer.data(), length, offset);
    if (rc != SQLITE_OK) {
      fail(m_db.get(), rc, std::string("read blob ") + table + "." + column);
    }
    chunk(std::string_view(buffer.data(), static_cast<std::size_t>(length)));
    offset += length;
  }
}

std::string Database::read_blob_part(const char* table, const char* column, std::int64_t rowid,
                                     std::int64_t offset, std::size_t length) {
  const BlobHandle blob = open_blob(m_db.get(), table, column, rowid, false);
  const std::int64_t size = sqlite3_blob_bytes(blob.get());
  if (offset < 0 || offset >= size) {
    return {};
  }
  const auto count =
      static_cast<int>(std::min<std::int64_t>(static_cast<std::int64_t>(length), size - offset));
  std::string buffer(static_cast<std::size_t>(count), '\0');
  const int rc = sqlite3_blob_read(blob.get(), buffer.data(), count, static_cast<int>(offset));
  if (rc != SQLITE_OK) {
    fail(m_db.get(), rc, std::string("read blob ") + table + "." + column);
  }
  return buffer;
}

void Database::keep_wal_files() {
  int keep = 1;
  const int rc = sqlite3_file_control(m_db.get(), "main", SQLITE_FCNTL_PERSIST_WAL, &keep);
  if (rc != SQLITE_OK) {
    fail(m_db.get(), rc, "persist WAL");
  }
}

void Database::on_wal_commit(std::function<void(int frames)> hook) {
  if (!hook) {
    sqlite3_wal_hook(m_db.get(), nullptr, nullptr);
    m_wal_hook.reset();
    return;
  }
  m_wal_hook = std::make_unique<std::function<void(int)>>(std::move(hook));
  sqlite3_wal_hook(
      m_db.get(),
      [](void* hook_of, sqlite3* /*db*/, const char* /*schema*/, int frames) {
        try {
          (*static_cast<std::function<void(int)>*>(hook_of))(frames);
        } catch (const std::exception& error) {
          // The commit stands; a checkpoint not made now is made after a later one.
          spdlog::warn("after a commit: {}", error.what());
        } catch (...) {
          spdlog::warn("after a commit: an unknown error");  // nothing may cross SQLite's C
        }
        return SQLITE_OK;
      },
      m_wal_hook.get());
}

Database::Copied Database::checkpoint_passive() {
  int frames = 0;
  int copied = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(m_db.get(), "main", SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
  // Another checkpoint under way, or a statement of this connection still reading (SQLite's
  // own automatic checkpoint let both pass too).
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Copied::nothing;
  }
  if (rc != SQLITE_OK) {
    fail(m_db.get(), rc, "checkpoint");
  }
  return copied == frames ? Copied::all : Copied::some;
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(m_db.get()) == 0; }

void Statement::Finalizer::operator()(sqlite3_stmt* statement) const {
  if (cache != nullptr) {
    cache->give_back(sql, statement);
  } else {
    sqlite3_finalize(statement);
  }
}

Statement::Statement(sqlite3* db, std::string_view sql, StatementCache* cache)
    : m_db(db), m_statement(nullptr, Finalizer{.cache = cache, .sql = std::string(sql)}) {
  sqlite3_stmt* raw = cache != nullptr ? cache->take(m_statement.get_deleter().sql) : nullptr;
  if (raw == nullptr) {
    const int rc =
        sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                           cache != nullptr ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(raw);
      fail(db, rc, "prepare");
    }
  }
  m_statement.reset(raw);
}

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) {
    fail(m_db, rc, "bind parameter " + std::to_string(index));
  }
}

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(m_statement.get(), index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check_bind(sqlite3_bind_text64(m_statement.get(), index, text.data(), text.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8),
             index);
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  check_bind(sqlite3_bind_null(m_statement.get(), index), index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  check_bind(
      sqlite3_bind_blob64(m_statement.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
      index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_statement.get());
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  fail(m_db, rc, "step");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(m_statement.get());
  sqlite3_clear_bindings(m_statement.get());
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(m_statement.get(), column) == SQLITE_NULL;
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(m_statement.get(), column);
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(m_statement.get(), column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(m_statement.get(), column);
  const int size = sqlite3_column_bytes(m_statement.get(), column);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return column_text(column);
}

std::string Statement::column_blob(int column) const {
  const void* data = sqlite3_column_blob(m_statement.get(), column);
  const int size = sqlite3_column_bytes(m_statement.get(), column);
  if (data == nullptr) {
    return {};
  }
  return {static_cast<const char*>(data), static_cast<std::size_t>(size)};
}

Transaction::Transaction(Database& db, Lock lock)
    : m_db(db),
      m_nested(sqlite3_get_autocommit(db.handle()) == 0),
      m_unguarded(m_nested && db.m_savepoints_suspended > 0) {
  if (m_unguarded) {
    return;  // its writes are the outer transaction's at once (Database::suspend_savepoints)
  }
  if (!m_nested) {
    m_db.m_spoiled = false;
  }
  // Inside a batch (the crawl writer commits many fetches at once) each fetch is a savepoint:
  // its own failure undoes only its own writes.
  m_db.execute(m_nested                  ? "SAVEPOINT fetch"
               : lock == Lock::immediate ? "BEGIN IMMEDIATE"
                                         : "BEGIN");
  // Read inside the transaction, from the snapshot it works on: a transaction that goes on to
  // write holds the lock that any change of the version needs until it ends.
  if (!m_nested && m_db.m_expected_user_version) {
    try {
      m_db.check_user_version();
    } catch (...) {
      // A constructor that throws gets no destructor: what it began, it ends here, or every
      // later transaction of this connection would be a savepoint inside this one.
      if (in_progress()) {
        try {
          m_db.execute("ROLLBACK");
        } catch (const StoreError& error) {
          spdlog::error("rollback failed: {}", error.what());
        }
      }
      if (m_db.m_after_rollback) {
        m_db.m_after_rollback();
      }
      throw;
    }
  }
}

Transaction::~Transaction() {
  if (m_unguarded) {
    if (!m_done) {
      m_db.m_spoiled = true;  // what it wrote stays: only the outer transaction can undo it
    }
    return;
  }
  if (!m_nested) {
    m_db.m_spoiled = false;
  }
  // SQLite may have rolled the transaction back itself (a full disk): nothing left to undo.
  if (!m_done && in_progress()) {
    try {
      m_db.execute(m_nested ? "ROLLBACK TO fetch; RELEASE fetch" : "ROLLBACK");
    } catch (const StoreError& error) {
      // A destructor must not throw; a failed rollback leaves SQLite to roll back on close.
      spdlog::error("rollback failed: {}", error.what());
    }
  }
  if (!m_done && !m_nested && m_db.m_after_rollback) {
    m_db.m_after_rollback();
  }
}

bool Transaction::in_progress() const { return m_db.in_transaction(); }

void Transaction::commit() {
  if (m_unguarded) {
    m_done = true;
    return;
  }
  if (!m_nested && m_db.m_spoiled) {
    throw StoreError(SQLITE_ABORT,
                     "not committed: a part of the transaction failed and could not be undone "
                     "alone (it had no savepoint of its own)");
  }
  if (!m_nested && m_db.m_before_commit) {
    m_db.m_before_commit();
  }
  m_db.execute(m_nested ? "RELEASE fetch" : "COMMIT");
  m_done = true;
}

}  // namespace archiver::sqlite
