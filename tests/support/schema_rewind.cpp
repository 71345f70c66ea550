#include "tests/support/schema_rewind.hpp"

#include "search/fold.hpp"
#include "store/dictionaries.hpp"
#include "store/search_index.hpp"
#include "store/sqlite.hpp"

#include <stdexcept>

namespace archiver::testing {

void rewind_to_schema_15(const std::filesystem::path& path) {
  sqlite::Database db(path, sqlite::Database::Mode::read_write_create);
  db.execute(R"sql(
BEGIN;
DROP VIEW fetch_log;
DROP VIEW asset_files;
DROP INDEX fetches_by_body;
DROP INDEX pages_by_body;
CREATE TABLE bodies_15 (
  sha256      TEXT PRIMARY KEY,
  size        INTEGER NOT NULL,
  compression TEXT NOT NULL DEFAULT 'zstd',
  data        BLOB NOT NULL,
  media_type  TEXT
);
INSERT INTO bodies_15 SELECT sha256, size, compression, data, media_type FROM bodies ORDER BY id;
CREATE TABLE fetches_15 (
  id INTEGER PRIMARY KEY, url TEXT NOT NULL, final_url TEXT, site TEXT, fetched_at TEXT NOT NULL,
  http_status INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN
    ('new', 'changed', 'unchanged', 'not-modified', 'error')),
  bytes INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER, body_sha256 TEXT REFERENCES bodies(sha256), content_type TEXT,
  charset TEXT, charset_reason TEXT, request_headers TEXT, response_headers TEXT, error TEXT,
  received_sha256 TEXT, not_published INTEGER NOT NULL DEFAULT 0,
  asset_kind TEXT CHECK (asset_kind IN ('pdf', 'page-image', 'image'))
);
INSERT INTO fetches_15
SELECT f.id, f.url, f.final_url, f.site, f.fetched_at, f.http_status, f.outcome, f.bytes,
       f.duration_ms, b.sha256, f.content_type, f.charset, f.charset_reason, f.request_headers,
       f.response_headers, f.error, f.received_sha256, f.not_published, f.asset_kind
FROM fetches f LEFT JOIN bodies b ON b.id = f.body_id;
CREATE TABLE pages_15 (
  url TEXT PRIMARY KEY, site TEXT, etag TEXT, last_modified TEXT,
  body_sha256 TEXT REFERENCES bodies(sha256), first_fetched TEXT NOT NULL,
  last_fetched TEXT NOT NULL, last_fetch_id INTEGER REFERENCES fetches(id), parser TEXT
);
INSERT INTO pages_15
SELECT p.url, p.site, p.etag, p.last_modified, b.sha256, p.first_fetched, p.last_fetched,
       p.last_fetch_id, p.parser
FROM pages p LEFT JOIN bodies b ON b.id = p.body_id;
DROP TABLE pages;
DROP TABLE fetches;
DROP TABLE bodies;
ALTER TABLE bodies_15 RENAME TO bodies;
ALTER TABLE fetches_15 RENAME TO fetches;
ALTER TABLE pages_15 RENAME TO pages;
CREATE INDEX fetches_by_url ON fetches(url, id);
CREATE INDEX fetches_by_time ON fetches(fetched_at);
CREATE INDEX fetches_by_site ON fetches(site, fetched_at, outcome);
CREATE INDEX fetches_by_body ON fetches(body_sha256);
CREATE INDEX pages_by_body ON pages(body_sha256);
CREATE VIEW fetch_log AS
SELECT id, fetched_at, site, url, http_status, outcome, bytes, duration_ms, charset, error
FROM fetches;
CREATE VIEW asset_files AS
SELECT a.url, a.kind, a.site, a.sha256, b.media_type, b.size AS bytes, a.last_fetched, a.error
FROM assets a LEFT JOIN bodies b ON b.sha256 = a.sha256;
PRAGMA user_version = 15;
COMMIT;
)sql");
}

void rewind_to_schema_11(const std::filesystem::path& path) {
  rewind_to_schema_15(path);
  search::load_folding();
  sqlite::Database db(path, sqlite::Database::Mode::read_write_create);
  Dictionaries dictionaries(db);
  dictionaries.define_sql_functions();
  define_search_functions(db);
  auto trained = db.prepare("SELECT count(*) FROM dictionaries");
  if (trained.step() && trained.column_int(0) > 0) {
    throw std::logic_error("rewind_to_schema_11: the archive has dictionaries already");
  }
  trained.reset();
  db.execute(R"sql(
BEGIN;
DROP TABLE IF EXISTS page_links;
DROP TRIGGER versions_leave_search_index;
DROP TABLE search_index;
DROP VIEW search_text;
DROP VIEW latest_articles;
DROP VIEW article_versions;
ALTER TABLE versions ADD COLUMN body TEXT NOT NULL DEFAULT '';
UPDATE versions SET body = archiver_text(body_zstd);
ALTER TABLE versions DROP COLUMN body_zstd;
DROP TABLE dictionaries;
CREATE VIEW latest_articles AS
SELECT a.id, a.site, a.url, v.version, v.title, v.kicker, v.subtitle, v.published, v.author,
       v.source, v.body, v.edition, v.page, v.issue, v.parser, v.content_hash,
       a.first_seen, a.last_seen
FROM articles a
JOIN versions v ON v.article_id = a.id
WHERE v.version = (SELECT max(version) FROM versions WHERE article_id = a.id);
CREATE VIEW article_versions AS
SELECT a.id AS article_id, a.site, a.url, v.version, v.content_hash, v.title, v.published,
       v.author, v.source, v.body, v.first_seen, v.last_seen
FROM versions v JOIN articles a ON a.id = v.article_id;
CREATE VIRTUAL TABLE search_index USING fts5(
  title, body, tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER versions_leave_search_index AFTER DELETE ON versions BEGIN
  DELETE FROM search_index WHERE rowid = old.id;
END;
INSERT INTO search_index (rowid, title, body)
SELECT id, archiver_index_text(title || coalesce(char(10) || nullif(kicker, ''), '') ||
                               coalesce(char(10) || nullif(subtitle, ''), '')),
       archiver_index_text(body)
FROM versions;
PRAGMA user_version = 11;
COMMIT;
)sql");
}

}  // namespace archiver::testing
