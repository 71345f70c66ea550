#include "tests/support/schema_rewind.hpp"

#include "search/fold.hpp"
#include "store/dictionaries.hpp"
#include "store/search_index.hpp"
#include "store/sqlite.hpp"

#include <stdexcept>

namespace archiver::testing {

void rewind_to_schema_11(const std::filesystem::path& path) {
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
