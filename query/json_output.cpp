#include "query/json_output.hpp"

namespace archiver {
namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json images_to_json(const std::vector<ArticleImage>& images) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& image : images) {
    const bool described = image.sha256 && !image.media_type.empty();
    array.push_back({{"url", image.url},
                     {"caption", optional_json(image.caption)},
                     {"sha256", optional_json(image.sha256)},
                     {"content_type", described ? nlohmann::json(image.media_type) : nullptr},
                     {"bytes", described ? nlohmann::json(image.bytes) : nullptr}});
  }
  return array;
}

nlohmann::json assets_to_json(const std::vector<StoredAsset>& assets) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& asset : assets) {
    array.push_back({{"kind", std::string(to_string(asset.kind))},
                     {"url", asset.url},
                     {"sha256", optional_json(asset.sha256)},
                     {"content_type", asset.sha256 ? nlohmann::json(asset.media_type) : nullptr},
                     {"bytes", asset.sha256 ? nlohmann::json(asset.bytes) : nullptr}});
  }
  return array;
}

}  // namespace

nlohmann::json to_json(const StoredArticle& stored) {
  const Article& article = stored.article;
  return {
      {"id", stored.id},
      {"site", optional_json(stored.site)},
      {"url", stored.url},
      {"title", article.title},
      {"kicker", optional_json(article.kicker)},
      {"subtitle", optional_json(article.subtitle)},
      {"published", optional_json(article.published)},
      {"author", optional_json(article.author)},
      {"source", optional_json(article.source)},
      {"body", article.body_text()},
      {"version", stored.version},
      {"first_seen", stored.first_seen},
      {"last_seen", stored.last_seen},
      {"edition", optional_json(article.edition)},
      {"page", optional_json(article.page)},
      {"issue", optional_json(article.issue)},
      {"images", images_to_json(article.images)},
      {"parser", stored.parser},
      {"content_hash", stored.content_hash},
  };
}

nlohmann::json to_json(const FetchReport& report) {
  // One article: its fields at the top level, as the contract has it. Several (a whole 版面 on
  // one page): an "articles" array of article objects.
  nlohmann::json object =
      report.articles.size() == 1 ? to_json(report.articles.front()) : nlohmann::json::object();
  if (report.articles.size() > 1) {
    nlohmann::json articles = nlohmann::json::array();
    for (const auto& article : report.articles) {
      articles.push_back(to_json(article));
    }
    object["articles"] = std::move(articles);
  }
  object["url"] = report.url;
  object["status"] = std::string(to_string(report.outcome));
  object["http_status"] =
      report.http_status == 0 ? nlohmann::json(nullptr) : nlohmann::json(report.http_status);
  object["parser"] = report.parser;
  object["error"] = optional_json(report.error);
  object["site"] = optional_json(report.site);
  object["charset"] =
      report.charset.empty() ? nlohmann::json(nullptr) : nlohmann::json(report.charset);
  object["charset_reason"] = report.charset_reason.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(report.charset_reason);
  if (!report.headlines.empty()) {
    nlohmann::json headlines = nlohmann::json::array();
    for (const auto& headline : report.headlines) {
      headlines.push_back({{"title", headline.title},
                           {"url", headline.url},
                           {"summary", optional_json(headline.summary)}});
    }
    object["headlines"] = std::move(headlines);
  }
  if (!report.pages.empty()) {
    nlohmann::json pages = nlohmann::json::array();
    for (const auto& page : report.pages) {
      pages.push_back({{"title", page.title}, {"url", page.url}});
    }
    object["pages"] = std::move(pages);
  }
  if (report.next_page) {
    object["next_page"] = *report.next_page;
  }
  if (!report.assets.empty()) {
    object["assets"] = assets_to_json(report.assets);  // a 版面's PDF and scan
  }
  if (report.articles.size() != 1 && !report.edition.empty()) {
    object["edition"] = optional_json(report.edition.edition);
    object["page"] = optional_json(report.edition.page);
    object["issue"] = optional_json(report.edition.issue);
  }
  return object;
}

nlohmann::json to_json(const PrintedOn& printed) {
  nlohmann::json object = {{"page_url", printed.page_url},
                           {"page", optional_json(printed.page_name)},
                           {"assets", assets_to_json(printed.assets)}};
  object["area"] = printed.area ? nlohmann::json{{"shape", printed.area->shape},
                                                 {"coords", printed.area->coords}}
                                : nlohmann::json(nullptr);
  return object;
}

nlohmann::json to_json(const VersionSummary& version) {
  return {{"version", version.version},
          {"first_seen", version.first_seen},
          {"last_seen", version.last_seen},
          {"content_hash", version.content_hash},
          {"title", version.title},
          {"origin", version.origin},
          {"parser", version.parser},
          {"parser_version", version.parser_version ? nlohmann::json(*version.parser_version)
                                                    : nlohmann::json(nullptr)}};
}

std::string json_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace archiver
