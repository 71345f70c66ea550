// `/feeds/NAME.atom` and `/feeds/all.atom`: Atom 1.0, one entry per stored version (a new
// article or a changed one), newest first. A changed version's entry shows what changed.

#include "change/fingerprint.hpp"
#include "query/article_diff.hpp"
#include "serve/diff_view.hpp"
#include "serve/pages.hpp"
#include "serve/templates.hpp"
#include "serve/views.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>

#include <regex>

namespace archiver::serve {
namespace {

constexpr std::int64_t k_feed_entries = 50;

// Where the feed's links point: [serve] base_url, else this request's host (already checked
// against the allowlist) when it is a plain host[:port].
std::string link_base(const WebContext& context, const Request& request) {
  if (context.base_url) {
    return *context.base_url;
  }
  const bool plain = !request.host.empty() &&
                     request.host.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                         std::string::npos;
  return plain ? "http://" + request.host : std::string();
}

// RFC 3339 as Atom wants it: seconds always written ("08:00" as the site printed it becomes
// "08:00:00"), a published day alone its midnight in Beijing; anything else is left out.
std::optional<std::string> atom_time(const std::optional<std::string>& published) {
  static const std::regex k_form(
      R"(^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?(Z|[+-]\d{2}:\d{2}))?$)");
  std::smatch parts;
  if (!published || !std::regex_match(*published, parts, k_form)) {
    return std::nullopt;
  }
  if (!parts[2].matched) {
    return parts[1].str() + "T00:00:00+08:00";
  }
  return parts[1].str() + "T" + parts[2].str() + (parts[3].matched ? parts[3].str() : ":00") +
         parts[4].str();
}

std::string entry_content(ArchiveReader& reader, const StoredArticle& version, bool changed) {
  nlohmann::json view = {
      {"changed", false},
      {"changes", ""},
      {"fields", nlohmann::json::array()},
      {"paragraphs", nlohmann::json::array()},
      {"kicker",
       version.article.kicker ? nlohmann::json(*version.article.kicker) : nlohmann::json()},
      {"subtitle",
       version.article.subtitle ? nlohmann::json(*version.article.subtitle) : nlohmann::json()},
      {"body", version.article.body}};
  if (changed) {
    if (const auto before = reader.article(std::to_string(version.id), version.version - 1)) {
      const ArticleDiff diff = diff_articles(before->article, version.article);
      nlohmann::json shown = diff_view(diff);
      nlohmann::json paragraphs = nlohmann::json::array();
      for (const auto& paragraph : shown["paragraphs"]) {
        if (paragraph["kind"] != "equal") {
          paragraphs.push_back(paragraph);
        }
      }
      std::string names;
      // The names the webhooks and `reparse --dry-run` give (change/fingerprint).
      for (const auto& name : changed_fields(before->article, version.article)) {
        names += (names.empty() ? "" : "、") + field_display_name(name);
      }
      view["changed"] = true;
      view["changes"] = names.empty() ? std::string("无内容变化") : names;
      view["fields"] = shown["fields"];
      view["paragraphs"] = paragraphs;
    }
  }
  return render_fragment("feed_entry", view);
}

}  // namespace

Reply feed(const WebContext& context, const Request& request,
           const std::optional<std::string>& site) {
  const SiteSettings* configured = site ? context.settings.site_named(*site) : nullptr;
  if (site && configured == nullptr) {
    return not_found(fmt::format("站点 \"{}\" 的订阅", *site));
  }
  const std::string base = link_base(context, request);
  const std::string title =
      configured == nullptr ? std::string("工会报刊档案：全部更新")
                            : (configured->title.empty() ? configured->name : configured->title);
  const std::string feed_name = site.value_or("all");
  auto reader = context.readers.borrow();
  const std::string cache_key = feed_name + "\n" + base;
  const std::int64_t newest = reader->newest_version_id();
  Reply reply;
  reply.content_type = "application/atom+xml; charset=utf-8";
  reply.headers.emplace_back("Cache-Control", "no-cache");
  if (auto cached = context.feeds.find(cache_key, newest)) {
    reply.body = std::move(*cached);
    return reply;
  }
  const auto versions = reader->recent_versions(site, k_feed_entries);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& version : versions) {
    const bool changed = version.version > 1;
    const std::string content = entry_content(*reader, version, changed);
    const std::string article_title =
        version.article.title.empty() ? std::string("（无标题）") : version.article.title;
    entries.push_back(
        {{"entry_id",
          fmt::format("tag:archiver.local,2026:article/{}/v{}", version.id, version.version)},
         {"entry_title", changed ? fmt::format("[更新] {}", article_title) : article_title},
         {"entry_updated", version.version_first_seen},
         {"entry_published", atom_time(version.article.published)
                                 ? nlohmann::json(*atom_time(version.article.published))
                                 : nlohmann::json()},
         {"entry_author",
          version.article.author.value_or(site_title(context.settings, version.site))},
         {"entry_link",
          fmt::format("{}/articles/{}?version={}", base, version.id, version.version)},
         {"status", changed ? "changed" : "new"},
         {"content", content}});
  }
  const nlohmann::json view = {
      {"feed_id", fmt::format("tag:archiver.local,2026:feed/{}", feed_name)},
      {"feed_title", title},
      {"feed_author", configured == nullptr ? std::string("archiver") : title},
      {"updated", versions.empty() ? now_utc_iso() : versions.front().version_first_seen},
      {"self_link", fmt::format("{}/feeds/{}.atom", base, feed_name)},
      {"page_link",
       configured == nullptr ? base + "/" : fmt::format("{}/sites/{}", base, feed_name)},
      {"version", ARCHIVER_VERSION},
      {"entries", entries}};
  reply.body = render_feed(view);
  context.feeds.keep(cache_key, newest, reply.body);
  return reply;
}

}  // namespace archiver::serve
