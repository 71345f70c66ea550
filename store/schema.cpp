#include "store/schema.hpp"

#include "store/image_hashes.hpp"
#include "store/normal_urls.hpp"
#include "store/search_index.hpp"
#include "store/storage_compaction.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace archiver {
namespace {

// Each entry moves the schema from version N to N+1. Never edit a released entry: add one.
constexpr std::array<std::string_view, 16> k_migrations = {
    // 1: raw bodies, the fetch log, per-URL state, articles and their versions, headlines.
    R"sql(
CREATE TABLE bodies (
  sha256      TEXT PRIMARY KEY,        -- of the raw (decoded-transfer, undecoded-charset) bytes
  size        INTEGER NOT NULL,        -- bytes before compression
  compression TEXT NOT NULL DEFAULT 'zstd',
  data        BLOB NOT NULL
);

CREATE TABLE fetches (
  id               INTEGER PRIMARY KEY,
  url              TEXT NOT NULL,
  final_url        TEXT,
  site             TEXT,
  fetched_at       TEXT NOT NULL,      -- UTC, ISO 8601 with Z
  http_status      INTEGER,
  outcome          TEXT NOT NULL CHECK (outcome IN
                     ('new', 'changed', 'unchanged', 'not-modified', 'error')),
  bytes            INTEGER NOT NULL DEFAULT 0,
  duration_ms      INTEGER,
  body_sha256      TEXT REFERENCES bodies(sha256),
  content_type     TEXT,
  charset          TEXT,
  charset_reason   TEXT,
  request_headers  TEXT,
  response_headers TEXT,
  error            TEXT
);
CREATE INDEX fetches_by_url ON fetches(url, id);
CREATE INDEX fetches_by_time ON fetches(fetched_at);

CREATE TABLE pages (
  url           TEXT PRIMARY KEY,
  site          TEXT,
  etag          TEXT,
  last_modified TEXT,
  body_sha256   TEXT REFERENCES bodies(sha256),
  first_fetched TEXT NOT NULL,
  last_fetched  TEXT NOT NULL,
  last_fetch_id INTEGER REFERENCES fetches(id)
);

CREATE TABLE articles (
  id         INTEGER PRIMARY KEY,
  url        TEXT NOT NULL UNIQUE,
  site       TEXT,
  first_seen TEXT NOT NULL,
  last_seen  TEXT NOT NULL
);
CREATE INDEX articles_by_site ON articles(site);

CREATE TABLE versions (
  id           INTEGER PRIMARY KEY,
  article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  title        TEXT NOT NULL,
  kicker       TEXT,
  subtitle     TEXT,
  published    TEXT,
  author       TEXT,
  source       TEXT,
  body         TEXT NOT NULL,
  edition      TEXT,
  page         TEXT,
  issue        TEXT,
  parser       TEXT NOT NULL,
  fetch_id     INTEGER REFERENCES fetches(id),
  first_seen   TEXT NOT NULL,
  last_seen    TEXT NOT NULL,
  UNIQUE (article_id, version)
);
CREATE INDEX versions_by_published ON versions(published);

CREATE TABLE headlines (
  page_url TEXT NOT NULL,
  position INTEGER NOT NULL,
  title    TEXT NOT NULL,
  url      TEXT NOT NULL,
  summary  TEXT,
  PRIMARY KEY (page_url, position)
);

-- Every article with its newest version: the view to query first.
CREATE VIEW latest_articles AS
SELECT a.id, a.site, a.url, v.version, v.title, v.kicker, v.subtitle, v.published, v.author,
       v.source, v.body, v.edition, v.page, v.issue, v.parser, v.content_hash,
       a.first_seen, a.last_seen
FROM articles a
JOIN versions v ON v.article_id = a.id
WHERE v.version = (SELECT max(version) FROM versions WHERE article_id = a.id);

-- Every stored version, with its article's URL.
CREATE VIEW article_versions AS
SELECT a.id AS article_id, a.site, a.url, v.version, v.content_hash, v.title, v.published,
       v.author, v.source, v.body, v.first_seen, v.last_seen
FROM versions v JOIN articles a ON a.id = v.article_id;

-- The fetch log, one row per attempt.
CREATE VIEW fetch_log AS
SELECT id, fetched_at, site, url, http_status, outcome, bytes, duration_ms, charset, error
FROM fetches;
)sql",
    // 2: crawl records with parser health, and where each version came from.
    R"sql(
CREATE TABLE crawls (
  id            INTEGER PRIMARY KEY,
  site          TEXT NOT NULL,
  target        TEXT NOT NULL,         -- the edition date, or "lists"
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  result        TEXT,                  -- ok, partial (some errors), failed, missing (no edition)
  pages         INTEGER NOT NULL DEFAULT 0,  -- edition pages or list pages fetched
  headlines     INTEGER NOT NULL DEFAULT 0,  -- distinct in-scope articles the pages list
  articles      INTEGER NOT NULL DEFAULT 0,  -- articles fetched and parsed
  with_title    INTEGER NOT NULL DEFAULT 0,
  with_date     INTEGER NOT NULL DEFAULT 0,
  with_body     INTEGER NOT NULL DEFAULT 0,
  new_versions  INTEGER NOT NULL DEFAULT 0,
  errors        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX crawls_by_site ON crawls(site, id);

-- 'fetch' for versions made from a fetch, 'reparse' for those `archiver reparse` made from a
-- stored body with a newer parser.
ALTER TABLE versions ADD COLUMN origin TEXT NOT NULL DEFAULT 'fetch';
)sql",
    // 3: the article's pictures with their captions, a JSON array of {"url", "caption"}.
    R"sql(
ALTER TABLE versions ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
)sql",
    // 4: revisits of articles of list-driven sites (1 h, 6 h, 1 d, 7 d, 30 d after first seen).
    R"sql(
ALTER TABLE articles ADD COLUMN revisits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN next_visit TEXT;
CREATE INDEX articles_by_next_visit ON articles(site, next_visit);
)sql",
    // 5: the frontier: articles a crawl has found and not yet stored. A row goes in the
    // transaction that stores the page listing it and out in the one that stores the article,
    // so a crawl killed at any moment resumes with exactly the work it had left.
    R"sql(
CREATE TABLE frontier (
  crawl_id  INTEGER NOT NULL REFERENCES crawls(id),
  url       TEXT NOT NULL,
  position  INTEGER NOT NULL,    -- the order the crawl fetches in
  edition   TEXT,                -- where an e-paper article is printed: its edition,
  page      TEXT,                -- 版面
  issue     TEXT,                -- and 期次, as its 版面 said
  PRIMARY KEY (crawl_id, url)
) WITHOUT ROWID;
)sql",
    // 6: how many listed articles a crawl did not fetch (archived already, or robots.txt
    // forbids them), and the fetch log by site (the `sites`/`status` figures and the URLs an
    // interrupted crawl finished).
    R"sql(
ALTER TABLE crawls ADD COLUMN known INTEGER NOT NULL DEFAULT 0;
CREATE INDEX fetches_by_site ON fetches(site, fetched_at, outcome);
)sql",
    // 7: full-text search over every version's titles and body (rowid = versions.id). The
    // text is folded (traditional to simplified, full-width to ASCII) and each CJK character
    // is a token of its own, so phrase queries find words of any length. The writer adds a
    // version's row in the transaction that stores the version; migrate() fills it for the
    // versions stored before; deleting a version deletes its row.
    R"sql(
CREATE VIRTUAL TABLE search_index USING fts5(
  title,                 -- title, 引题 and 副题, one per line
  body,
  tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER versions_leave_search_index AFTER DELETE ON versions BEGIN
  DELETE FROM search_index WHERE rowid = old.id;
END;
-- The versions a fetch made: WARC export (metadata records) and gc (bodies still in use).
CREATE INDEX versions_by_fetch ON versions(fetch_id);
-- Who refers to a body: without these, deleting a body (gc) checks the foreign keys by scanning
-- the whole fetch log for each one.
CREATE INDEX fetches_by_body ON fetches(body_sha256);
CREATE INDEX pages_by_body ON pages(body_sha256);
-- The SHA-256 of the bytes a fetch received, when the archive kept other bytes for it (a page
-- whose article content was unchanged keeps pointing at the body archived before): the WARC
-- export can then tell an identical payload from an equivalent one.
ALTER TABLE fetches ADD COLUMN received_sha256 TEXT;
CREATE INDEX versions_by_edition ON versions(edition);

-- The 版面 of each e-paper edition as a crawl found them, for `archiver editions`: which
-- pages an edition has, and through their 标题导航 (headlines), which articles it should have.
CREATE TABLE edition_pages (
  site     TEXT NOT NULL,
  edition  TEXT NOT NULL,      -- YYYY-MM-DD
  url      TEXT NOT NULL,
  position INTEGER NOT NULL,   -- 版面 order
  name     TEXT,               -- as shown, e.g. 第02版:工会新闻
  PRIMARY KEY (site, edition, url)
) WITHOUT ROWID;
)sql",
    // 8: unattended crawls. Days an e-paper did not publish are not failures; one crawl per
    // site at a time across processes (a lease); list crawls that go on where the last stopped;
    // every stored URL in normal form (migrate() rewrites the old ones).
    R"sql(
-- 1 for the 404 of an edition's first page on a day the paper did not publish: logged, but no
-- failure in `sites` and `status`.
ALTER TABLE fetches ADD COLUMN not_published INTEGER NOT NULL DEFAULT 0;

-- The parser family that read the page last (epaper, cms, portal, generic): `reparse` reads a
-- page of no configured site the way it was read, never as another kind of page.
ALTER TABLE pages ADD COLUMN parser TEXT;

-- Who is crawling a site now. A crawl takes its site's row and gives it back when it ends; a
-- row whose process is gone (killed, the machine restarted) is taken over.
CREATE TABLE site_leases (
  site          TEXT PRIMARY KEY,
  pid           INTEGER NOT NULL,
  boot_id       TEXT NOT NULL,    -- the holder's machine boot (/proc/sys/kernel/random/boot_id)
  process_start TEXT NOT NULL,    -- the holder's start time, so a reused pid is not mistaken
  command       TEXT NOT NULL,    -- what runs: "archiver run", "archiver fetch --site S"
  taken_at      TEXT NOT NULL     -- UTC, ISO 8601
) WITHOUT ROWID;

-- How far a list crawl has read each start URL's pagination. Until a crawl has reached the
-- list's last page (complete = 1), each crawl goes on from resume_url after the new entries.
CREATE TABLE list_progress (
  site        TEXT NOT NULL,
  start_url   TEXT NOT NULL,
  resume_url  TEXT,                         -- the next list page not yet read; NULL: none
  pages_read  INTEGER NOT NULL DEFAULT 0,   -- list pages read on the way down so far
  complete    INTEGER NOT NULL DEFAULT 0,   -- 1 once the end of the pagination was reached
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (site, start_url)
) WITHOUT ROWID;
)sql",
    // 9: whole records. A 版面's PDF and scan and the photos of articles are kept beside the
    // text: their bytes in `bodies` (once per SHA-256, like pages), their URLs in `assets`, who
    // refers to them in `asset_refs`, and the scan's image map in `page_areas`. A version's
    // images carry the SHA-256 of the photo it showed; its content hash now covers the images'
    // URLs and captions (migrate() recomputes it for the newest versions that have images).
    R"sql(
-- The type the bytes show (application/pdf, image/jpeg, ...) for assets; NULL for pages.
-- Assets already compressed (JPEG, PNG, PDF) are stored as they came: compression 'none'.
ALTER TABLE bodies ADD COLUMN media_type TEXT;

-- What kind of thing a fetch was for: NULL for a page, else the asset's kind.
ALTER TABLE fetches ADD COLUMN asset_kind TEXT CHECK (asset_kind IN ('pdf', 'page-image', 'image'));

-- One row per asset URL: its newest bytes, its validators, and whether a fetch is due.
CREATE TABLE assets (
  url           TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('pdf', 'page-image', 'image')),
  site          TEXT,
  sha256        TEXT REFERENCES bodies(sha256),  -- the bytes archived last; NULL: none yet
  etag          TEXT,
  last_modified TEXT,
  first_seen    TEXT NOT NULL,                   -- when a page first referred to it
  last_fetched  TEXT,
  last_fetch_id INTEGER REFERENCES fetches(id),
  error         TEXT,                            -- why the last attempt failed, if it did
  tries         INTEGER NOT NULL DEFAULT 0,      -- failed attempts since the last success
  due           INTEGER NOT NULL DEFAULT 1       -- 1: to be fetched by the next crawl
);
CREATE INDEX assets_due ON assets(site, due);
CREATE INDEX assets_by_body ON assets(sha256);

-- Who refers to an asset: a 版面 page its PDF and scan, an article its photos (in page order).
CREATE TABLE asset_refs (
  page_url TEXT NOT NULL,      -- the 版面 page, or the article
  kind     TEXT NOT NULL,
  position INTEGER NOT NULL,
  url      TEXT NOT NULL,      -- the asset
  PRIMARY KEY (page_url, kind, position)
) WITHOUT ROWID;
CREATE INDEX asset_refs_by_url ON asset_refs(url);

-- The areas of a 版面 scan's image map: where each article is printed on the page.
CREATE TABLE page_areas (
  page_url    TEXT NOT NULL,
  position    INTEGER NOT NULL,
  article_url TEXT NOT NULL,
  shape       TEXT NOT NULL,   -- rect, poly, circle
  coords      TEXT NOT NULL,   -- pixels of the scan, as the page gives them
  PRIMARY KEY (page_url, position)
) WITHOUT ROWID;

-- A crawl's assets: archived (new bytes), and those that could not be had.
ALTER TABLE crawls ADD COLUMN assets INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawls ADD COLUMN asset_errors INTEGER NOT NULL DEFAULT 0;

-- Every asset with the bytes archived for it.
CREATE VIEW asset_files AS
SELECT a.url, a.kind, a.site, a.sha256, b.media_type, b.size AS bytes, a.last_fetched, a.error
FROM assets a LEFT JOIN bodies b ON b.sha256 = a.sha256;
)sql",
    // 10: provenance. Which revision of the extraction rules made each version
    // (parsers/version.hpp); NULL for versions stored before this schema.
    R"sql(
ALTER TABLE versions ADD COLUMN parser_version INTEGER;
)sql",
    // 11: notifications. One row per [[notify]] webhook per stored version, written in the
    // transaction that stores the version (nothing is lost to a crash between the two), and
    // marked delivered by the daemon once the webhook answered 2xx. The payload is rendered from
    // the version at delivery, so a row stays small and the crawl's transaction cheap.
    R"sql(
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,   -- the event_id receivers deduplicate by
  webhook         TEXT NOT NULL,         -- the [[notify]] url
  version_id      INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
  status          TEXT NOT NULL CHECK (status IN ('new', 'changed')),
  created_at      TEXT NOT NULL,         -- UTC, ISO 8601 with milliseconds and Z
  attempts        INTEGER NOT NULL DEFAULT 0,  -- failed deliveries so far
  next_attempt_at TEXT NOT NULL,         -- not tried before this (UTC, with milliseconds)
  last_error      TEXT,                  -- why the last attempt failed
  delivered_at    TEXT                   -- NULL until a 2xx answer
);
-- Each webhook's waiting events in the order they were stored: what the daemon sends next.
CREATE INDEX outbox_pending ON outbox(webhook, id) WHERE delivered_at IS NULL;
-- Deleting a version (gc --keep-versions) finds its events without a scan.
CREATE INDEX outbox_by_version ON outbox(version_id);
)sql",
    // 12: a smaller archive. Per-site zstd dictionaries (store/dictionaries); a version's body
    // text compressed (body_zstd, a zstd frame naming its dictionary); the search index without
    // a copy of the text (FTS5 external content, reading it through the view search_text).
    // migrate() compresses the stored texts and bodies, then runs k_schema_12_views; the new
    // index itself is k_search_index (as schema 13 has it).
    R"sql(
CREATE TABLE dictionaries (
  id               INTEGER PRIMARY KEY,   -- the zstd dictionary id is 32768 + id
  site             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('page', 'text')),  -- bodies, version texts
  created_at       TEXT NOT NULL,         -- UTC, ISO 8601
  samples          INTEGER NOT NULL,      -- trained on the site's first this many pages/texts,
  sample_bytes     INTEGER NOT NULL,      -- of this many bytes,
  compressed_bytes INTEGER NOT NULL,      -- which it compressed to this many
  data             BLOB NOT NULL          -- the dictionary (zstd format)
);
CREATE INDEX dictionaries_by_site ON dictionaries(site, kind, id);

DROP VIEW latest_articles;
DROP VIEW article_versions;
DROP TRIGGER versions_leave_search_index;
DROP TABLE search_index;
-- The body text as a zstd frame; every version has one (the column is added, so SQLite cannot
-- say NOT NULL).
ALTER TABLE versions ADD COLUMN body_zstd BLOB;
)sql",
    // 13: the search index keeps no column sizes (FTS5 columnsize=0): archiver ranks with BM25F
    // of its own (search/rank) and never asks FTS5 for them, and without them FTS5 writes one
    // row less per version (16-21% less time per version indexed, BENCHMARKS.md). The old index
    // goes here (schema 12's step dropped older ones); migrate() builds the new one once, after
    // the steps, with k_search_index.
    R"sql(
DROP TRIGGER IF EXISTS versions_leave_search_index;
DROP TABLE IF EXISTS search_index;
)sql",
    // 14: the crawls not finished, by site and target. A crawl's start looks for its target's
    // unfinished crawl and closes it, and found it among all of the site's crawls (an e-paper
    // back-filled or crawled daily has one per edition): a re-crawl of 220 editions read the
    // site's crawls twice per edition. The index holds only unfinished ones: a few rows.
    R"sql(
CREATE INDEX IF NOT EXISTS crawls_unfinished ON crawls(site, target) WHERE finished_at IS NULL;
)sql",
    // 15: the links a page listed, kept beside its body (pipeline/page_links): a crawl that asks
    // again and hears 304 reads them here instead of parsing the stored page (nearly half of an
    // unchanged re-crawl's CPU). Valid while the page's body is body_sha256 and the parse
    // conditions are parse_key; filled as pages are fetched (an archive upgraded to it starts
    // empty: its next crawl parses once more, and keeps what it read).
    R"sql(
CREATE TABLE IF NOT EXISTS page_links (
  url         TEXT PRIMARY KEY REFERENCES pages(url) ON DELETE CASCADE,
  body_sha256 TEXT NOT NULL,
  parse_key   TEXT NOT NULL,
  links       BLOB NOT NULL    -- zstd frame of JSON: headlines, pages, next_page, edition
);
)sql",
    // 16: bodies numbered in the order they come, and the fetch log and pages pointing at that
    // number instead of the SHA-256. Their indexes by body (what gc's foreign-key checks need)
    // then grow at their end; keyed by a SHA-256, every row went to a random place, and each
    // batch of a crawl rewrote nearly every page of both indexes: a fifth of the pages a crawl
    // wrote to the WAL (BENCHMARKS.md, the twenty-first session). SQLite changes a column's type
    // or foreign key only by building the table again: the three are copied (with foreign keys
    // off: migrate()), their indexes and the two views that read them made again. (A view or
    // trigger of a user's own that reads them stops the step: SQLite checks them all when a
    // table is renamed. The error names it; drop it, upgrade, make it again.)
    R"sql(
DROP VIEW IF EXISTS fetch_log;
DROP VIEW IF EXISTS asset_files;
DROP INDEX IF EXISTS fetches_by_body;
DROP INDEX IF EXISTS pages_by_body;

CREATE TABLE bodies_16 (
  id          INTEGER PRIMARY KEY,     -- what fetches and pages refer to
  sha256      TEXT NOT NULL UNIQUE,    -- of the raw (decoded-transfer, undecoded-charset) bytes
  size        INTEGER NOT NULL,        -- bytes before compression
  compression TEXT NOT NULL DEFAULT 'zstd',
  data        BLOB NOT NULL,
  media_type  TEXT
);
INSERT INTO bodies_16 (id, sha256, size, compression, data, media_type)
SELECT rowid, sha256, size, compression, data, media_type FROM bodies ORDER BY rowid;

CREATE TABLE fetches_16 (
  id               INTEGER PRIMARY KEY,
  url              TEXT NOT NULL,
  final_url        TEXT,
  site             TEXT,
  fetched_at       TEXT NOT NULL,
  http_status      INTEGER,
  outcome          TEXT NOT NULL CHECK (outcome IN
                     ('new', 'changed', 'unchanged', 'not-modified', 'error')),
  bytes            INTEGER NOT NULL DEFAULT 0,
  duration_ms      INTEGER,
  body_id          INTEGER REFERENCES bodies(id),
  content_type     TEXT,
  charset          TEXT,
  charset_reason   TEXT,
  request_headers  TEXT,
  response_headers TEXT,
  error            TEXT,
  received_sha256  TEXT,
  not_published    INTEGER NOT NULL DEFAULT 0,
  asset_kind       TEXT CHECK (asset_kind IN ('pdf', 'page-image', 'image'))
);
INSERT INTO fetches_16
SELECT f.id, f.url, f.final_url, f.site, f.fetched_at, f.http_status, f.outcome, f.bytes,
       f.duration_ms, b.id, f.content_type, f.charset, f.charset_reason, f.request_headers,
       f.response_headers, f.error, f.received_sha256, f.not_published, f.asset_kind
FROM fetches f LEFT JOIN bodies_16 b ON b.sha256 = f.body_sha256 ORDER BY f.id;

CREATE TABLE pages_16 (
  url           TEXT PRIMARY KEY,
  site          TEXT,
  etag          TEXT,
  last_modified TEXT,
  body_id       INTEGER REFERENCES bodies(id),
  first_fetched TEXT NOT NULL,
  last_fetched  TEXT NOT NULL,
  last_fetch_id INTEGER REFERENCES fetches(id),
  parser        TEXT
);
INSERT INTO pages_16
SELECT p.url, p.site, p.etag, p.last_modified, b.id, p.first_fetched, p.last_fetched,
       p.last_fetch_id, p.parser
FROM pages p LEFT JOIN bodies_16 b ON b.sha256 = p.body_sha256 ORDER BY p.url;

DROP TABLE pages;
DROP TABLE fetches;
DROP TABLE bodies;
ALTER TABLE bodies_16 RENAME TO bodies;
ALTER TABLE fetches_16 RENAME TO fetches;
ALTER TABLE pages_16 RENAME TO pages;

CREATE INDEX fetches_by_url ON fetches(url, id);
CREATE INDEX fetches_by_time ON fetches(fetched_at);
CREATE INDEX fetches_by_site ON fetches(site, fetched_at, outcome);
CREATE INDEX fetches_by_body ON fetches(body_id);
CREATE INDEX pages_by_body ON pages(body_id);

-- The fetch log, one row per attempt.
CREATE VIEW fetch_log AS
SELECT id, fetched_at, site, url, http_status, outcome, bytes, duration_ms, charset, error
FROM fetches;

-- Every asset with the bytes archived for it.
CREATE VIEW asset_files AS
SELECT a.url, a.kind, a.site, a.sha256, b.media_type, b.size AS bytes, a.last_fetched, a.error
FROM assets a LEFT JOIN bodies b ON b.sha256 = a.sha256;
)sql",
};

// Schema 12, once the texts are compressed: the old column goes, the views read the new one.
constexpr std::string_view k_schema_12_views = R"sql(
ALTER TABLE versions DROP COLUMN body;

-- Every article with its newest version: the view to query first.
CREATE VIEW latest_articles AS
SELECT a.id, a.site, a.url, v.version, v.title, v.kicker, v.subtitle, v.published, v.author,
       v.source, archiver_text(v.body_zstd) AS body, v.edition, v.page, v.issue, v.parser,
       v.content_hash, a.first_seen, a.last_seen
FROM articles a
JOIN versions v ON v.article_id = a.id
WHERE v.version = (SELECT max(version) FROM versions WHERE article_id = a.id);

-- Every stored version, with its article's URL.
CREATE VIEW article_versions AS
SELECT a.id AS article_id, a.site, a.url, v.version, v.content_hash, v.title, v.published,
       v.author, v.source, archiver_text(v.body_zstd) AS body, v.first_seen, v.last_seen
FROM versions v JOIN articles a ON a.id = v.article_id;

-- What the search index holds for each version, folded (search::index_text): FTS5 reads it
-- here when it rebuilds, and the text is stored once, in versions.
CREATE VIEW search_text AS
SELECT id,
       archiver_index_text(title || coalesce(char(10) || nullif(kicker, ''), '') ||
                           coalesce(char(10) || nullif(subtitle, ''), '')) AS title,
       archiver_index_text(archiver_text(body_zstd)) AS body
FROM versions;
)sql";

// The search index as schema 13 has it, built from search_text: once, by migrate(), for an
// archive that comes from before 13 (schema 12 had it with column sizes, older ones with a
// copy of the text; both steps drop the old one).
constexpr std::string_view k_search_index = R"sql(
CREATE VIRTUAL TABLE search_index USING fts5(
  title,                 -- title, 引题 and 副题, one per line
  body,
  content = 'search_text',
  content_rowid = 'id',
  columnsize = 0,        -- search/rank computes BM25F itself: FTS5 keeps no column sizes
  tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO search_index (search_index) VALUES ('rebuild');
-- An external-content index forgets a row when told what it held.
CREATE TRIGGER versions_leave_search_index AFTER DELETE ON versions BEGIN
  INSERT INTO search_index (search_index, rowid, title, body) VALUES ('delete', old.id,
         archiver_index_text(old.title || coalesce(char(10) || nullif(old.kicker, ''), '') ||
                             coalesce(char(10) || nullif(old.subtitle, ''), '')),
         archiver_index_text(archiver_text(old.body_zstd)));
END;
)sql";

constexpr int k_normal_urls_version = 8;
constexpr int k_assets_version = 9;
constexpr int k_compact_storage_version = 12;
constexpr int k_search_index_version = 13;
constexpr int k_body_ids_version = 16;

// A setting of the connection changed while the migration runs and put back as it was however
// it ends. (Both settings used change only outside a transaction.)
class SettingWhileMigrating {
 public:
  SettingWhileMigrating(sqlite::Database& db, std::string name, std::string_view value)
      : m_db(db), m_name(std::move(name)) {
    auto query = m_db.prepare("PRAGMA " + m_name);
    m_was = query.step() ? query.column_int(0) : 0;
    query.reset();
    m_db.execute("PRAGMA " + m_name + " = " + std::string(value));
  }
  SettingWhileMigrating(const SettingWhileMigrating&) = delete;
  SettingWhileMigrating& operator=(const SettingWhileMigrating&) = delete;
  ~SettingWhileMigrating() {
    // The words, not the number read: SQLite takes "2" as ON where it reports FAST as 2.
    constexpr std::array<std::string_view, 3> k_words = {"OFF", "ON", "FAST"};
    const auto word = k_words.at(static_cast<std::size_t>(std::clamp<std::int64_t>(m_was, 0, 2)));
    try {
      m_db.execute("PRAGMA " + m_name + " = " + std::string(word));
    } catch (const sqlite::StoreError&) {
      // Only inside a transaction could it fail, and none is open here.
    }
  }

 private:
  sqlite::Database& m_db;
  std::string m_name;
  std::int64_t m_was = 0;
};

// Before schema 16's step: a fetch or page that names bytes the archive does not hold would
// name no body after the copy. The foreign keys keep that from happening; only an archive
// edited by hand has such a row. It is said, not hidden, and the upgrade goes on: nothing that
// was there is lost.
void report_missing_bodies(sqlite::Database& db) {
  for (const std::string_view table : {"fetches", "pages"}) {
    auto missing = db.prepare("SELECT count(*) FROM " + std::string(table) +
                              " t WHERE body_sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                              "bodies b WHERE b.sha256 = t.body_sha256)");
    const std::int64_t rows = missing.step() ? missing.column_int(0) : 0;
    missing.reset();
    if (rows > 0) {
      spdlog::warn(
          "archive {}: {} rows of {} name a body the archive does not hold (edited by hand?); "
          "from schema {} on they name none",
          db.path().string(), rows, table, k_body_ids_version);
    }
  }
}

// Shared by readers and the writer: is this file ours, at a version we understand? The three
// facts are read in one statement, so from one snapshot: another process creating the archive
// meanwhile cannot make it look half made.
int checked_version(sqlite::Database& db) {
  auto facts = db.prepare(
      "SELECT (SELECT application_id FROM pragma_application_id()), (SELECT user_version FROM "
      "pragma_user_version()), (SELECT count(*) FROM sqlite_schema)");
  std::int64_t application_id = 0;
  int version = 0;
  bool tables = false;
  if (facts.step()) {
    application_id = facts.column_int(0);
    version = static_cast<int>(facts.column_int(1));
    tables = facts.column_int(2) > 0;
  }
  facts.reset();
  if (application_id == 0 && version == 0 && !tables) {
    return 0;  // a new, empty file
  }
  if (application_id != k_application_id) {
    throw NotAnArchive(db.path().string() + " is not an archiver database (application_id " +
                       std::to_string(application_id) + ")");
  }
  if (version > latest_schema_version()) {
    throw NotAnArchive(db.path().string() + " has schema version " + std::to_string(version) +
                       ", newer than this archiver understands (" +
                       std::to_string(latest_schema_version()) + "); upgrade archiver");
  }
  return version;
}

}  // namespace

int latest_schema_version() { return static_cast<int>(k_migrations.size()); }

void check_readable(sqlite::Database& db) {
  const int version = checked_version(db);
  if (version == 0) {
    throw NotAnArchive(db.path().string() + " is empty: no archive has been written yet");
  }
  // Texts are read as schema 12 stores them (compressed); older archives are upgraded by the
  // first writer, which a reader may not be (read-only files, a reader beside the daemon).
  if (version < k_compact_storage_version) {
    throw NotAnArchive(db.path().string() + " has schema version " + std::to_string(version) +
                       " and this archiver reads " + std::to_string(k_compact_storage_version) +
                       " or later: run any writing command once (for example `archiver gc`) to "
                       "bring it up to date");
  }
}

namespace {

// The steps from schema `before` to the latest, inside the caller's transaction.
void run_steps(sqlite::Database& db, int before) {
  for (int version = before; version < latest_schema_version();) {
    if (version + 1 == k_body_ids_version && before > 0) {
      report_missing_bodies(db);
    }
    db.execute(k_migrations[static_cast<std::size_t>(version)]);
    ++version;
    if (version == k_normal_urls_version) {
      normalize_stored_urls(db);
    }
    if (version == k_compact_storage_version) {
      compress_stored_texts(db);
      db.execute(k_schema_12_views);
    }
  }
  if (before < k_search_index_version) {
    db.execute(k_search_index);
  }
  // (Schema 7's index of the versions stored before it is built again by then anyway.)
  if (before < k_assets_version && before > 0) {
    rehash_versions_with_images(db);
  }
}

}  // namespace

void migrate(sqlite::Database& db) {
  const int found = checked_version(db);
  if (found == latest_schema_version()) {
    return;  // the usual case, without taking the write lock
  }
  if (found == 0) {
    // 8 KiB pages rather than SQLite's 4 KiB: each page written to the WAL is two write calls
    // (its frame header, then the page), and a crawl writes some 250 MB of them. The benchmark
    // crawl made 30% fewer system calls and took 10% less wall time (medians of five runs in
    // turn; BENCHMARKS.md, the seventeenth session), the archive 2-4% smaller. Like auto_vacuum,
    // it takes only before the file's first page is written (here by the switch to WAL); an
    // older archive keeps its 4 KiB.
    db.execute("PRAGMA page_size = 8192");
    // A new archive lets `archiver gc` give freed pages back to the disk a few at a time
    // (incremental vacuum). The setting only takes before the first table exists, and not
    // inside a transaction; on a file another process has just filled it changes nothing.
    db.execute("PRAGMA auto_vacuum = INCREMENTAL");
    // WAL from the first transaction on: a process killed while creating the archive leaves a
    // WAL, which readers can use, not a hot rollback journal, which only a writer can undo.
    db.execute("PRAGMA journal_mode = WAL");
  }
  // Schema 16's step drops and builds again tables that others refer to (SQLite's way of
  // changing a column): with foreign keys on, dropping them would delete rows or fail.
  const SettingWhileMigrating foreign_keys(db, "foreign_keys", "OFF");
  // Debian's SQLite zeroes every page it frees (SECURE_DELETE): dropping the old copy of the
  // stored pages would write each of them to the WAL once more, and the upgrade would need that
  // much more disk. FAST zeroes only what costs no extra writes (as gc does).
  const SettingWhileMigrating secure_delete(db, "secure_delete", "FAST");
  bool created = false;
  for (;;) {
    // The version is read inside the write transaction: several processes opening a new or old
    // archive at once take turns, and each sees what the one before it did. All the steps are
    // one transaction: some finish work a later step's code depends on (the rehash of schema 9
    // reads texts as schema 12 stores them), and a crash leaves the archive as it was.
    sqlite::Transaction transaction(db);
    const int before = checked_version(db);
    if (before >= latest_schema_version()) {
      break;  // (another process did it)
    }
    created = created || before == 0;
    const auto started = std::chrono::steady_clock::now();
    try {
      run_steps(db, before);
      db.execute("PRAGMA application_id = " + std::to_string(k_application_id));
      db.execute("PRAGMA user_version = " + std::to_string(latest_schema_version()));
      transaction.commit();
    } catch (const sqlite::StoreError& error) {
      if (before == 0) {
        throw;
      }
      // Rolled back: the archive stays as it was, and every writer will try again.
      throw sqlite::StoreError(
          error.code(),
          "upgrading " + db.path().string() + " from schema version " + std::to_string(before) +
              " to " + std::to_string(latest_schema_version()) + ": " + error.what() +
              "; the archive is left as it was" +
              (error.is_full() && before < k_body_ids_version
                   ? " (the step to schema 16 copies the stored pages, the fetch log and the "
                     "pages once: it needs free disk of about twice their size)"
                   : ""));
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
    if (before == 0) {
      spdlog::debug("archive {}: schema version {} ({} ms)", db.path().string(),
                    latest_schema_version(), took);
    } else {
      spdlog::info("archive {} migrated from schema version {} to {} in {} ms", db.path().string(),
                   before, latest_schema_version(), took);
      if (before < k_compact_storage_version) {
        spdlog::info(
            "archive {}: its stored pages and texts take less room now; `archiver gc "
            "--vacuum` gives the room back to the disk (it rewrites the file)",
            db.path().string());
      } else if (before < k_body_ids_version) {
        spdlog::info(
            "archive {}: the upgrade copied the stored pages, the fetch log and the pages once; "
            "`archiver gc` gives the room of the old copy back to the disk (`gc --vacuum` for an "
            "archive made before incremental vacuum)",
            db.path().string());
      }
    }
  }
  if (created) {
    spdlog::info("archive {} created (schema version {})", db.path().string(),
                 latest_schema_version());
  }
}

}  // namespace archiver
