#!/usr/bin/env bash
# The guard check_store_owns_sqlite.sh against small trees: each line that reaches SQLite outside
# store/ is reported, while a tree whose SQL stays in store/ and tests/ passes (with a
# pipeline's prepare(), which takes no SQL, and comments naming SQLite).
set -uo pipefail
guard="$(dirname "$0")/check_store_owns_sqlite.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failures=0
# A tree with a store/ and a tests/ full of SQL, and one file outside them holding $1.
tree_with() {
  rm -rf "$scratch/tree"
  mkdir -p "$scratch/tree/store" "$scratch/tree/tests" "$scratch/tree/crawl"
  printf '%s\n' '#include <sqlite3.h>' 'auto q = db.prepare("SELECT 1");' >"$scratch/tree/store/a.cpp"
  printf '%s\n' 'sqlite::Database db(path, mode);' >"$scratch/tree/tests/t.cpp"
  printf '%s\n' '// SQLite keeps the archive; the writer owns it.' \
    'auto fetch = m_pipeline.prepare(target.url, target.context);' \
    'if (auto refused = transfer.prepare()) {}' "$1" >"$scratch/tree/crawl/x.cpp"
}

tree_with ''
if ! "$guard" "$scratch/tree" >/dev/null; then
  echo "FAIL: a tree with SQL only in store/ and tests/ was refused"
  failures=$((failures + 1))
fi

while IFS= read -r line; do
  tree_with "$line"
  if "$guard" "$scratch/tree" >/dev/null; then
    echo "FAIL: not caught: $line"
    failures=$((failures + 1))
  fi
done <<'LINES'
sqlite3_exec(handle, "x", nullptr, nullptr, nullptr);
#include <sqlite3.h>
#include "store/sqlite.hpp"
catch (const sqlite::StoreError& error) {}
using namespace archiver::sqlite;
auto query = m_writer.database().prepare(
auto count = reader.database().prepare("SELECT count(*) FROM articles");
auto statement = db->prepare(sql);
auto versions = m_db.prepare(std::string("SELECT ") + columns);
    "SELECT id FROM articles WHERE url = ?1 "
    "PRAGMA user_version"
LINES

if ((failures > 0)); then
  exit 1
fi
echo "ok: the guard catches SQLite outside store/"
