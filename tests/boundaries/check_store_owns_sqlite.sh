#!/usr/bin/env bash
# Only store/ talks to SQLite: no C or C++ source outside store/ and tests/ may use SQLite's C
# API, the store's SQLite wrapper (store/sqlite.hpp, sqlite::), prepare a statement, or hold an
# SQL statement. The writer and reader give no connection out, so this keeps "one writer" a fact.
# Tests may check what was stored with SQL of their own (tests/support/archive_sql.hpp).
# No other folder or file is allowed; a tool that must talk to SQLite itself gets a class in
# store/ (as the search fuzzer has store/fts5_syntax_check.hpp).
#   check_store_owns_sqlite.sh SOURCE_DIR
set -uo pipefail
root=${1:?usage: check_store_owns_sqlite.sh SOURCE_DIR}
cd "$root" || exit 2

# What gives SQLite away, one extended regular expression each:
patterns=(
  'sqlite3(_|\.h)'                # the C API and its header
  'sqlite::|store/sqlite\.hpp'    # the store's wrapper
  'namespace[^;{]*sqlite'         # ... brought in by a using-directive
  '(\.|->)prepare\(\s*($|"|std::string|[A-Za-z_]*sql)'  # a statement from SQL text
  '"\s*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ATTACH)\b'
)

# The sources: C and C++ files, outside store/, tests/, build folders and hidden ones.
mapfile -d '' sources < <(find . -type d \( -path ./store -o -path ./tests -o -name 'build*' -o \
  -name '.?*' \) -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o \
  -name '*.cc' -o -name '*.c' -o -name '*.ipp' \) -print0)

found=0
if ((${#sources[@]} > 0)); then
  for pattern in "${patterns[@]}"; do
    if grep -nHE -- "$pattern" "${sources[@]}"; then
      found=1
    fi
  done
fi
if ((found)); then
  echo "FAIL: SQLite outside store/ (above): move it behind ArchiveWriter, ArchiveReader or a" \
    "class of store/"
  exit 1
fi
echo "ok: ${#sources[@]} sources outside store/ and tests/, none touches SQLite"
