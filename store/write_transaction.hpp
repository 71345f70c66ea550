#pragma once
// A scope of the writer's work that is stored whole or not at all: what the writer stores from
// its start is committed by commit(), and rolled back when it is destroyed without. The first
// one opened is a transaction (BEGIN IMMEDIATE, a batch of pages); one opened inside it is a
// savepoint (a page of the batch), whose rollback leaves the rest of the batch standing, unless
// the batch was begun without savepoints (ArchiveWriter::begin_unguarded_batch; UnguardedPage).

#include "store/sqlite.hpp"
#include "store/store_error.hpp"

#include <optional>

namespace archiver {

class ArchiveWriter;

// While one lives, the writer's scopes open no savepoint (sqlite::Database::suspend_savepoints).
class SavepointsSuspended {
 public:
  explicit SavepointsSuspended(sqlite::Database& db) : m_db(db) { m_db.suspend_savepoints(); }
  SavepointsSuspended(const SavepointsSuspended&) = delete;
  SavepointsSuspended& operator=(const SavepointsSuspended&) = delete;
  ~SavepointsSuspended() { m_db.resume_savepoints(); }

 private:
  sqlite::Database& m_db;
};

class WriteTransaction {
 public:
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction() = default;

  void commit() { m_transaction.commit(); }

 private:
  // Only the writer opens one, on its own connection (ArchiveWriter::begin_batch, begin_page).
  friend class ArchiveWriter;
  enum class Savepoints { inside, none };
  WriteTransaction(sqlite::Database& db, Savepoints savepoints) : m_transaction(db) {
    if (savepoints == Savepoints::none) {
      m_suspended.emplace(db);
    }
  }

  sqlite::Transaction m_transaction;
  std::optional<SavepointsSuspended> m_suspended;  // after m_transaction: it goes first
};

// One page's stores inside a batch with no savepoint of its own: the writer's scopes opened
// inside it open none either. SQLite copies each database page a savepoint changes: in the
// benchmark crawl that was a tenth of the writer's work. The price: a failure cannot be undone
// alone, only with the whole batch. end() throws when a scope inside it ended without its commit
// (a caller caught the failure and went on), and the batch can then only be rolled back.
class UnguardedPage {
 public:
  UnguardedPage(const UnguardedPage&) = delete;
  UnguardedPage& operator=(const UnguardedPage&) = delete;
  // Left without end() (a failure on the way out), the page spoils its batch.
  ~UnguardedPage() {
    if (!m_ended) {
      m_db.spoil();
    }
  }

  void end() {
    if (m_db.spoiled()) {
      throw StoreError(4 /* SQLITE_ABORT */,
                       "a part of the page failed and could not be undone alone");
    }
    m_ended = true;
  }

 private:
  // Only the writer opens one (ArchiveWriter::begin_unguarded_page).
  friend class ArchiveWriter;
  explicit UnguardedPage(sqlite::Database& db) : m_db(db), m_suspended(db) {}

  sqlite::Database& m_db;
  SavepointsSuspended m_suspended;
  bool m_ended = false;
};

}  // namespace archiver
