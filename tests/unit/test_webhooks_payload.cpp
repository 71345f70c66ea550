// A webhook event's JSON: the article object with event_id and status, and for a changed
// version the names of the fields that differ.

#include "query/json_output.hpp"
#include "webhooks/payload.hpp"

#include <doctest/doctest.h>

namespace archiver {
namespace {

StoredArticle stored(std::int64_t version, std::string title, std::vector<std::string> body) {
  StoredArticle article;
  article.id = 7;
  article.site = "union";
  article.url = "http://127.0.0.1/a.html";
  article.version = version;
  article.article.title = std::move(title);
  article.article.body = std::move(body);
  article.article.images = {{.url = "http://127.0.0.1/p.jpg", .caption = "图"}};
  return article;
}

}  // namespace

TEST_SUITE("webhooks/payload") {
  TEST_CASE("a new version: the article object, event_id and status, no changes") {
    const auto version = stored(1, "标题", {"正文。"});
    const auto payload =
        event_payload({.id = 42, .status = "new", .article_id = 7, .version = 1}, version, {});
    CHECK(payload["event_id"] == 42);
    CHECK(payload["status"] == "new");
    CHECK_FALSE(payload.contains("changes"));
    // Every field of the article object, as `show --json` has it.
    const nlohmann::json article = to_json(version);
    for (const auto& [key, value] : article.items()) {
      INFO(key);
      CHECK(payload[key] == value);
    }
  }

  TEST_CASE("a changed version names the fields that differ") {
    const auto before = stored(1, "标题", {"正文。"});
    auto after = stored(2, "新标题", {"正文，改过。"});
    const OutboxEvent event{.id = 43, .status = "changed", .article_id = 7, .version = 2};
    CHECK(event_payload(event, after, before)["changes"] ==
          nlohmann::json::array({"title", "body"}));
    // A photo replaced at the same URL: other bytes, same URL and caption.
    auto photo_before = before;
    photo_before.article.images[0].sha256 = std::string(64, 'a');
    auto photo_after = before;
    photo_after.version = 2;
    photo_after.article.images[0].sha256 = std::string(64, 'b');
    CHECK(event_payload(event, photo_after, photo_before)["changes"] ==
          nlohmann::json::array({"images"}));
    // The version before is gone (gc): still a changed event, with nothing to name.
    CHECK(event_payload(event, after, std::nullopt)["changes"] == nlohmann::json::array());
  }
}

}  // namespace archiver
