#!/usr/bin/env bash
# An archive of schema 11 (tests/fixtures/archive-schema11.db, written by the archiver of that
# schema) upgrades in place to the current schema (16) and keeps everything, through the real
# binary and the stock sqlite3 shell:
# 1. readers refuse the old schema with a message that says what to do; a writer (gc) upgrades
#    it and says how long it took;
# 2. articles, versions, search and the WARC export work on the upgraded file;
# 3. every stored body decompresses (with its site's dictionary where it names one) to bytes
#    whose SHA-256 is the one it is stored under: byte for byte; the fetch log and the pages,
#    which name bodies by number since schema 16, name the same bytes as before;
# 4. the sqlite3 shell reads the views with the extension (and says which function is missing
#    without it); the search index agrees with the texts it reads (FTS5 integrity-check), also
#    after gc deleted a version through the index's trigger.
set -euo pipefail
archiver=$1
extension=$2
fixture=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
db=$scratch/archive.db
cp "$fixture" "$db"

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
shell() { sqlite3 -readonly -cmd ".load ${extension%.so}" "$db" "$@"; }

if "$archiver" --db "$db" articles >"$scratch/out" 2>"$scratch/err"; then
  fail "a reader read a schema-11 archive"
fi
grep -q "schema version 11 and this archiver reads 12" "$scratch/err" ||
  fail "the reader's refusal does not name the schemas: $(cat "$scratch/err")"
grep -q "archiver gc" "$scratch/err" || fail "the refusal does not say how to upgrade"

bodies_before=$(sqlite3 -readonly "$db" 'SELECT count(*) FROM bodies')
sqlite3 -readonly "$db" "SELECT id || ' ' || body_sha256 FROM fetches WHERE body_sha256 IS NOT NULL
                          ORDER BY id" >"$scratch/fetches_before"
sqlite3 -readonly "$db" "SELECT url || ' ' || body_sha256 FROM pages WHERE body_sha256 IS NOT NULL
                          ORDER BY url" >"$scratch/pages_before"
"$archiver" --db "$db" --log-level info gc >"$scratch/out" 2>"$scratch/err" ||
  fail "gc failed on the old archive: $(cat "$scratch/err")"
# (gc drops the bodies nothing refers to any more: an edited page's old bytes.)
dropped=$(grep -o '[0-9]* unreferenced bodies' "$scratch/out" | cut -d' ' -f1)
grep -Eq "migrated from schema version 11 to 16 in [0-9]+ ms" "$scratch/err" ||
  fail "the upgrade does not say how long it took: $(cat "$scratch/err")"
[ "$(sqlite3 -readonly "$db" 'PRAGMA user_version')" = 16 ] || fail "not at schema 16"
# Each fetch names the bytes it named before (or none: gc let go of those nothing needs), each
# page the same bytes.
unlinked=$(grep -o '[0-9]* fetch-log rows' "$scratch/out" | cut -d' ' -f1)
sqlite3 -readonly "$db" "SELECT f.id || ' ' || b.sha256 FROM fetches f JOIN bodies b ON b.id = f.body_id
                          ORDER BY f.id" >"$scratch/fetches_after"
[ -z "$(comm -13 <(sort "$scratch/fetches_before") <(sort "$scratch/fetches_after"))" ] ||
  fail "a fetch names other bytes after the upgrade"
[ "$(wc -l <"$scratch/fetches_after")" = $(($(wc -l <"$scratch/fetches_before") - unlinked)) ] ||
  fail "fetches lost their bytes beyond the $unlinked gc unlinked"
sqlite3 -readonly "$db" "SELECT p.url || ' ' || b.sha256 FROM pages p JOIN bodies b ON b.id = p.body_id
                          ORDER BY p.url" >"$scratch/pages_after"
cmp -s "$scratch/pages_before" "$scratch/pages_after" || fail "a page names other bytes after the upgrade"
[ -s "$scratch/pages_after" ] || fail "no page names a body"
# The index built after the steps merges eight segments at a time (the writer sets it).
[ "$(sqlite3 -readonly "$db" "SELECT v FROM search_index_config WHERE k = 'automerge'")" = 8 ] ||
  fail "the rebuilt search index does not merge eight segments at a time"

"$archiver" --db "$db" show 6 >"$scratch/show" || fail "show 6 failed"
grep -q "立足岗位、争创一流、建功立业" "$scratch/show" || fail "article 6's edited text is lost"
[ "$("$archiver" --db "$db" history 6 | wc -l)" = 2 ] || fail "article 6 lost a version"
[ "$("$archiver" --db "$db" articles --json | wc -l)" = 49 ] || fail "not 49 articles"
"$archiver" --db "$db" search 劳模 --json >"$scratch/search" || fail "search failed"
grep -q '"id":6,' "$scratch/search" || fail "search does not find article 6 (劳模)"
"$archiver" --db "$db" export --format warc -o "$scratch/out.warc.gz" 2>"$scratch/err" ||
  fail "WARC export failed: $(cat "$scratch/err")"

if sqlite3 -readonly "$db" 'SELECT body FROM latest_articles LIMIT 1' 2>"$scratch/err"; then
  fail "the views read without the extension?"
fi
grep -q "no such function: archiver_text" "$scratch/err" ||
  fail "without the extension the error does not name the function: $(cat "$scratch/err")"
[ "$(shell 'SELECT count(*) FROM latest_articles')" = 49 ] || fail "the shell sees not 49"
shell "SELECT body FROM latest_articles WHERE id = 6" | grep -q "争创一流" ||
  fail "the shell does not read article 6's text"
[ "$(shell "SELECT count(*) FROM dictionaries WHERE kind = 'page'")" -ge 3 ] ||
  fail "fewer than 3 sites got a page dictionary"

# Byte for byte: every body, decompressed by the extension, hashes to its key.
mkdir "$scratch/bodies"
shell "SELECT sha256 FROM bodies" >"$scratch/keys"
while read -r key; do
  shell "SELECT writefile('$scratch/bodies/$key', CASE compression WHEN 'none' THEN data \
         ELSE archiver_unzstd(data) END) FROM bodies WHERE sha256 = '$key'" >/dev/null
  [ "$(sha256sum "$scratch/bodies/$key" | cut -d' ' -f1)" = "$key" ] ||
    fail "body $key does not decompress to its bytes"
done <"$scratch/keys"
[ "$(wc -l <"$scratch/keys")" = $((bodies_before - dropped)) ] ||
  fail "$(wc -l <"$scratch/keys") bodies, not $bodies_before less the $dropped gc dropped"

check_index() {
  local problem
  problem=$(sqlite3 -cmd ".load ${extension%.so}" "$db" \
    "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)" 2>&1) ||
    fail "$1: the search index disagrees with the texts: $problem"
}
check_index "after the upgrade"
[ "$(sqlite3 -readonly "$db" "SELECT count(*) FROM search_index WHERE search_index MATCH '\"劳 模\"'")" -ge 3 ] ||
  fail "the stock shell's MATCH finds too little"
"$archiver" --db "$db" gc --keep-versions 1 >/dev/null 2>"$scratch/err" ||
  fail "gc --keep-versions 1 failed: $(cat "$scratch/err")"
[ "$("$archiver" --db "$db" history 6 | wc -l)" = 1 ] || fail "gc kept both versions"
check_index "after gc deleted a version"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: schema 11 upgraded and read, every body byte for byte, index consistent"
