// Assets in the archive: bytes stored once by SHA-256 and as they came when the format
// compresses itself; a photo archived later completes its version, a photo replaced at the same
// URL makes a new one; a 版面 keeps its PDF, scan and map; the spool takes bodies off the heap.

#include "change/fingerprint.hpp"
#include "fetch/body_spool.hpp"
#include "store/archive_reader.hpp"
#include "store/archive_writer.hpp"
#include "tests/support/archive_sql.hpp"
#include "tests/support/asset_bytes.hpp"
#include "tests/support/sample_articles.hpp"
#include "tests/support/schema_rewind.hpp"
#include "tests/support/temp_dir.hpp"
#include "util/sha256.hpp"

#include <doctest/doctest.h>

namespace archiver {
namespace {

using testing::fetch_of;
using testing::page_with;

// A query's one number on the archive, as committed.
std::int64_t scalar(const std::filesystem::path& archive, const std::string& sql) {
  auto tables = testing::archive_sql(archive);
  return testing::sql_scalar(tables, sql);
}

AssetBytes bytes_of(const std::string& bytes, std::string media_type) {
  return {.sha256 = sha256_hex(bytes),
          .media_type = std::move(media_type),
          .size = bytes.size(),
          .compress = false,
          // In two chunks, as a spool hands them over.
          .read = [bytes](const auto& chunk) {
            chunk(std::string_view(bytes).substr(0, bytes.size() / 2));
            chunk(std::string_view(bytes).substr(bytes.size() / 2));
          }};
}

FetchRecord asset_fetch(const std::string& url, const std::string& at) {
  FetchRecord fetch = fetch_of(url, at);
  fetch.asset_kind = AssetKind::image;
  return fetch;
}

ParsedPage page_with_photo(const std::string& photo, std::optional<std::string> caption) {
  ParsedPage page =
      page_with("职工书屋落成", {"全市职工书屋建设实现全覆盖。", "职工们就近借书读书。"});
  page.articles.front().images.push_back({.url = photo, .caption = std::move(caption)});
  return page;
}

}  // namespace

TEST_SUITE("store/assets") {
  TEST_CASE("a photo archived later completes its version, and replaced bytes make a new one") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string url = "http://127.0.0.1/news/1.html";
    const std::string photo = "http://cdn.127.0.0.1.example/p/1.png";
    const AssetKinds photos{AssetKind::image};

    const auto stored = writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>1</p>",
                                           page_with_photo(photo, "图为新落成的职工书屋。"),
                                           "generic", nullptr, photos);
    REQUIRE(stored.due_assets.size() == 1);
    CHECK(stored.due_assets[0].url == photo);

    const std::string first = testing::png_image(8, 8, 200, 0, 0);
    const auto archived = writer.record_asset(asset_fetch(photo, "2026-01-01T00:00:05Z"),
                                              AssetKind::image, bytes_of(first, "image/png"));
    CHECK(archived.outcome == Outcome::created);
    CHECK(archived.versions.empty());  // the version gets its photo's hash, no new version
    ArchiveReader reader(dir / "archive.db");
    auto article = reader.article(url);
    REQUIRE(article);
    CHECK(article->version == 1);
    REQUIRE(article->article.images.size() == 1);
    CHECK(article->article.images[0].sha256 == sha256_hex(first));
    CHECK(article->article.images[0].media_type == "image/png");
    CHECK(article->article.images[0].bytes == static_cast<std::int64_t>(first.size()));

    // The same bytes again: nothing new.
    const auto again = writer.record_asset(asset_fetch(photo, "2026-01-02T00:00:00Z"),
                                           AssetKind::image, bytes_of(first, "image/png"));
    CHECK(again.outcome == Outcome::unchanged);
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM versions") == 1);

    // Other bytes at the same URL: the article now shows another photo.
    const std::string second = testing::png_image(8, 8, 0, 0, 200);
    const auto replaced = writer.record_asset(asset_fetch(photo, "2026-01-03T00:00:00Z"),
                                              AssetKind::image, bytes_of(second, "image/png"));
    CHECK(replaced.outcome == Outcome::changed);
    REQUIRE(replaced.versions.size() == 1);
    CHECK(replaced.versions[0].version == 2);
    article = reader.article(url);
    REQUIRE(article);
    CHECK(article->version == 2);
    CHECK(article->article.images[0].sha256 == sha256_hex(second));
    const auto before = reader.article(url, 1);
    REQUIRE(before);
    CHECK(before->article.images[0].sha256 == sha256_hex(first));  // version 1 keeps its photo

    // The page fetched again unchanged stays unchanged (the text's hash did not move).
    const auto unchanged = writer.record_page(fetch_of(url, "2026-01-04T00:00:00Z"), "<p>1</p>",
                                              page_with_photo(photo, "图为新落成的职工书屋。"),
                                              "generic", nullptr, photos);
    CHECK(unchanged.outcome == Outcome::unchanged);
    // A changed caption is a new version, keeping the photo's hash.
    const auto recaptioned = writer.record_page(fetch_of(url, "2026-01-05T00:00:00Z"), "<p>2</p>",
                                                page_with_photo(photo, "图为职工在书屋阅读。"),
                                                "generic", nullptr, photos);
    CHECK(recaptioned.outcome == Outcome::changed);
    article = reader.article(url);
    REQUIRE(article);
    CHECK(article->version == 3);
    CHECK(article->article.images[0].sha256 == sha256_hex(second));
  }

  TEST_CASE("an archive from before schema 9: articles with photos stay unchanged") {
    testing::TempDir dir;
    const std::string url = "http://127.0.0.1/news/2.html";
    const ParsedPage page = page_with_photo("http://127.0.0.1/p/2.jpg", "图为职工书屋。");
    {
      ArchiveWriter writer(dir / "archive.db");
      writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>2</p>", page, "generic");
    }
    {
      // Schema 8 hashed the text without the photos: what such an archive holds.
      Article text_only = page.articles.front();
      text_only.images.clear();
      auto tables = testing::archive_sql_to_change(dir / "archive.db");
      auto old_hash = tables.prepare("UPDATE versions SET content_hash = ?1");
      old_hash.bind(1, content_hash(text_only)).run();
    }
    testing::rewind_to_schema_11(dir / "archive.db");
    {
      auto tables = testing::archive_sql_to_change(dir / "archive.db");
      tables.execute(
          "DROP TABLE outbox; ALTER TABLE versions DROP COLUMN parser_version; "
          "DROP VIEW asset_files; DROP TABLE page_areas; DROP TABLE asset_refs; "
          "DROP TABLE assets; ALTER TABLE bodies DROP COLUMN media_type; "
          "ALTER TABLE fetches DROP COLUMN asset_kind; ALTER TABLE crawls DROP COLUMN assets; "
          "ALTER TABLE crawls DROP COLUMN asset_errors; PRAGMA user_version = 8");
    }
    ArchiveWriter writer(dir / "archive.db");
    const auto again = writer.record_page(fetch_of(url, "2026-01-02T00:00:00Z"), "<p>2</p>", page,
                                          "generic", nullptr, {AssetKind::image});
    CHECK(again.outcome == Outcome::unchanged);  // the migration rehashed the version
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM versions") == 1);
  }

  TEST_CASE("bytes stored once by SHA-256, as they came when they compress themselves") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string logo = testing::jpeg_bytes(20000, 7);
    for (int n = 1; n <= 3; ++n) {
      writer.record_asset(
          asset_fetch("http://127.0.0.1/logo" + std::to_string(n) + ".jpg", "2026-01-01T00:00:00Z"),
          AssetKind::image, bytes_of(logo, "image/jpeg"));
    }
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM bodies") == 1);
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM assets") == 3);
    CHECK(scalar(dir / "archive.db",
                 "SELECT length(data) = size AND compression = 'none' FROM bodies") == 1);
    ArchiveReader reader(dir / "archive.db");
    std::string back;
    reader.write_body(sha256_hex(logo), [&](std::string_view chunk) { back.append(chunk); });
    CHECK(back == logo);
    const auto by_url = reader.asset("http://127.0.0.1/logo2.jpg");
    REQUIRE(by_url);
    CHECK(by_url->sha256 == sha256_hex(logo));
    CHECK(by_url->media_type == "image/jpeg");
  }

  TEST_CASE("a 版面 keeps its PDF, its scan and where its articles sit") {
    testing::TempDir dir;
    ArchiveWriter writer(dir / "archive.db");
    const std::string url = "http://127.0.0.1/2024-05/09/node_02.html";
    ParsedPage page;
    page.assets = {{.kind = AssetKind::pdf, .url = "http://127.0.0.1/pdf/02.pdf"},
                   {.kind = AssetKind::page_image, .url = "http://127.0.0.1/img/02.jpg"}};
    page.areas = {{.article_url = "http://127.0.0.1/2024-05/09/content_1.html",
                   .shape = "rect",
                   .coords = "0,0,100,100"}};
    const auto only_pdf = writer.record_page(fetch_of(url, "2026-01-01T00:00:00Z"), "<p>版面</p>",
                                             page, "epaper", nullptr, {AssetKind::pdf});
    REQUIRE(only_pdf.due_assets.size() == 1);  // the site keeps PDFs only
    CHECK(only_pdf.due_assets[0].kind == AssetKind::pdf);
    const auto all =
        writer.record_page(fetch_of(url, "2026-01-02T00:00:00Z"), "<p>版面</p>", page, "epaper",
                           nullptr, {AssetKind::pdf, AssetKind::page_image, AssetKind::image});
    CHECK(all.due_assets.size() == 2);
    CHECK(scalar(dir / "archive.db", "SELECT count(*) FROM page_areas") == 1);
    // A failure is logged as the asset's, and due again only when a page refers to it again.
    FetchRecord failed = fetch_of("http://127.0.0.1/pdf/02.pdf", "2026-01-02T00:00:01Z");
    failed.asset_kind = AssetKind::pdf;
    failed.http_status = 404;
    failed.error = "HTTP 404";
    writer.record_asset_failure(failed, AssetKind::pdf, false);
    CHECK(scalar(dir / "archive.db", "SELECT due FROM assets WHERE kind = 'pdf'") == 0);
    CHECK(scalar(dir / "archive.db",
                 "SELECT count(*) FROM fetches WHERE asset_kind = 'pdf' AND outcome = 'error'") ==
          1);
  }

  TEST_CASE("the spool keeps a body on disk with its hash and its edges") {
    testing::TempDir dir;
    BodySpool spool(dir.path());
    const std::string bytes = testing::jpeg_bytes(300000, 9);
    for (std::size_t at = 0; at < bytes.size(); at += 7000) {
      spool.append(std::string_view(bytes).substr(at, 7000));
    }
    CHECK(spool.size() == bytes.size());
    CHECK(spool.sha256() == sha256_hex(bytes));
    CHECK(spool.head() == std::string_view(bytes).substr(0, BodySpool::k_edge_bytes));
    CHECK(spool.tail() == std::string_view(bytes).substr(bytes.size() - BodySpool::k_edge_bytes));
    std::string back;
    spool.read([&](std::string_view chunk) { back.append(chunk); });
    CHECK(back == bytes);
    spool.restart();  // a retry starts from nothing
    spool.append("abc");
    CHECK(spool.sha256() == sha256_hex("abc"));
    // The file has no name: nothing is left in the folder.
    CHECK(std::filesystem::is_empty(dir.path()));
  }
}

}  // namespace archiver
