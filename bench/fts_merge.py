#!/usr/bin/env python3
"""How long FTS5 takes to index a crawl's articles, by automerge setting.

Usage: bench/fts_merge.py ARTICLES.jsonl [RUNS]
  ARTICLES.jsonl: `archiver export --format jsonl` of a crawled archive (the e-paper
  benchmark's 17,600 articles, say).

The articles go into a contentless FTS5 table laid out as archiver's search_index (two
columns, no column sizes, unicode61) the way a crawl adds them: 64 rows per savepoint
(SearchIndexQueue writes once it holds 256 KiB, some 64 of these articles, and FTS5 writes a
segment at the next savepoint), four savepoints per transaction. The text is folded roughly as
search::index_text folds it (every CJK ideograph a word). Prints the CPU seconds of each run,
automerge 4 (FTS5's default) and 8 (what archiver's writer sets) in turn, and the same loop
into a plain table (roughly what is not FTS5's own: it stores the text as well).
"""
import json
import os
import re
import sqlite3
import sys
import tempfile
import time

ROWS_PER_SEGMENT = 64
SEGMENTS_PER_TRANSACTION = 4


def fold(text):
    return re.sub(r"([\u3400-\u9fff])", r" \1 ", text).lower()


def index(rows, automerge, path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -8192")
    if automerge is None:
        db.execute("CREATE TABLE s (title, body)")
    else:
        db.execute("CREATE VIRTUAL TABLE s USING fts5(title, body, content = '', "
                   "columnsize = 0, tokenize = 'unicode61 remove_diacritics 0')")
        db.execute("INSERT INTO s (s, rank) VALUES ('automerge', ?)", (automerge,))
    started = time.process_time()
    at = 0
    while at < len(rows):
        db.execute("BEGIN")
        for _ in range(SEGMENTS_PER_TRANSACTION):
            db.execute("SAVEPOINT page")
            for row in rows[at:at + ROWS_PER_SEGMENT]:
                at += 1
                db.execute("INSERT INTO s (rowid, title, body) VALUES (?, ?, ?)", (at,) + row)
            db.execute("RELEASE page")
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.process_time() - started
    db.close()
    return seconds, os.path.getsize(path)


def main():
    with open(sys.argv[1], encoding="utf-8") as export:
        articles = [json.loads(line) for line in export]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rows = [(fold(a.get("title") or ""), fold(a.get("body") or "")) for a in articles]
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(1, runs + 1):
            for automerge in (4, 8, None):
                path = os.path.join(scratch, f"index-{run}-{automerge}.db")
                seconds, size = index(rows, automerge, path)
                label = "plain table" if automerge is None else f"automerge {automerge}"
                print(f"run {run}: {label}: {seconds:.2f} s CPU, {size:,} bytes")


if __name__ == "__main__":
    main()
