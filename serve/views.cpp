#include "serve/views.hpp"

#include "serve/response_policy.hpp"
#include "util/clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <charconv>

namespace archiver::serve {

nlohmann::json page_view(std::string title, const Target& target) {
  return {{"page_title", std::move(title)},
          {"q", target.param("q").value_or("")},
          {"version", ARCHIVER_VERSION},
          {"site_feed", nullptr},
          {"site_title", ""}};
}

std::string beijing_time(std::string_view utc_iso) {
  const auto time = parse_utc_iso(utc_iso);
  if (!time) {
    return std::string(utc_iso);
  }
  return fmt::format("{:%Y-%m-%d %H:%M}", *time + std::chrono::hours{8});
}

std::string shown_date(const std::optional<std::string>& published) {
  if (!published) {
    return "";
  }
  // "2026-12-01T08:00:00+08:00" -> "2026-12-01 08:00"; a date alone stays as it is.
  if (published->size() >= 16 && (*published)[10] == 'T') {
    return published->substr(0, 10) + " " + published->substr(11, 5);
  }
  return *published;
}

std::string_view edition_status_text(std::string_view status) {
  if (status == "complete") {
    return "完整";
  }
  if (status == "incomplete") {
    return "不完整";
  }
  if (status == "not-published") {
    return "未出版";
  }
  return "缺失";
}

std::string site_title(const Settings& settings, const std::optional<std::string>& site) {
  if (!site) {
    return "";
  }
  const SiteSettings* configured = settings.site_named(*site);
  return configured != nullptr && !configured->title.empty() ? configured->title : *site;
}

nlohmann::json article_item(const StoredArticle& article, const Settings& settings) {
  return {
      {"id", article.id},
      {"title", article.article.title.empty() ? std::string("（无标题）") : article.article.title},
      {"date", shown_date(article.article.published)},
      {"site_title", site_title(settings, article.site)},
      {"author", article.article.author ? nlohmann::json(*article.article.author) : nullptr}};
}

nlohmann::json segments(const std::vector<DiffSpan>& spans, std::string_view side) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& span : spans) {
    const bool removed = span.kind == DiffKind::removed;
    const bool added = span.kind == DiffKind::added;
    if ((side == "old" && added) || (side == "new" && removed)) {
      continue;
    }
    out.push_back({{"removed", removed},
                   {"added", added},
                   {"same", !removed && !added},
                   {"text", span.text}});
  }
  return out;
}

Reply html_reply(std::string body) {
  Reply reply;
  reply.body = std::move(body);
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

Reply json_reply(const nlohmann::json& value) {
  Reply reply;
  reply.content_type = "application/json; charset=utf-8";
  // Invalid UTF-8 in archived strings is replaced, never thrown on (as `--json` does).
  reply.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

Reply not_found(std::string_view what) {
  return error_reply(404, fmt::format("找不到 {} (not found)", what));
}

Reply bad_request(std::string_view why) {
  return error_reply(400, fmt::format("请求有误：{}", why));
}

std::expected<std::optional<std::string>, std::string> day_param(const Target& target,
                                                                 const std::string& name) {
  auto value = target.param(name);
  if (value && !parse_iso_day(*value)) {
    return std::unexpected(fmt::format("{}: \"{}\" is not a date (YYYY-MM-DD)", name, *value));
  }
  return value;
}

std::expected<std::optional<std::int64_t>, std::string> number_param(const Target& target,
                                                                     const std::string& name,
                                                                     std::int64_t low,
                                                                     std::int64_t high) {
  const auto value = target.param(name);
  if (!value) {
    return std::nullopt;
  }
  const auto number = path_number(*value);
  if (!number || *number < low || *number > high) {
    return std::unexpected(
        fmt::format("{}: \"{}\" is not a whole number from {} to {}", name, *value, low, high));
  }
  return number;
}

std::optional<std::int64_t> path_number(std::string_view segment) {
  std::int64_t number = 0;
  const auto* end = segment.data() + segment.size();
  const auto parsed = std::from_chars(segment.data(), end, number);
  if (segment.empty() || segment.size() > 18 || parsed.ec != std::errc{} || parsed.ptr != end) {
    return std::nullopt;
  }
  return number;
}

}  // namespace archiver::serve
