#pragma once
// A scope of the writer's work that is stored whole or not at all: what the writer stores from
// its start is committed by commit(), and rolled back when it is destroyed without. The first
// one opened is a transaction (BEGIN IMMEDIATE, a batch of pages); one opened inside it is a
// savepoint (a page of the batch), whose rollback leaves the rest of the batch standing.

#include "store/sqlite.hpp"

namespace archiver {

class ArchiveWriter;

class WriteTransaction {
 public:
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction() = default;

  void commit() { m_transaction.commit(); }

 private:
  // Only the writer opens one, on its own connection (ArchiveWriter::begin_batch, begin_page).
  friend class ArchiveWriter;
  explicit WriteTransaction(sqlite::Database& db) : m_transaction(db) {}

  sqlite::Transaction m_transaction;
};

}  // namespace archiver
