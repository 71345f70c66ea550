#include "cli/json_output.hpp"

namespace archiver {
namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
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
      {"parser", stored.parser},
      {"content_hash", stored.content_hash},
  };
}

nlohmann::json to_json(const FetchReport& report) {
  nlohmann::json object = report.article ? to_json(*report.article) : nlohmann::json::object();
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
  return object;
}

nlohmann::json to_json(const VersionSummary& version) {
  return {{"version", version.version},
          {"first_seen", version.first_seen},
          {"last_seen", version.last_seen},
          {"content_hash", version.content_hash},
          {"title", version.title}};
}

std::string json_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace archiver
