// `/articles/ID[?version=N]`: an article with everything the archive knows of it (photos and
// its 版面 from the archive, never from the origin), its versions; `/articles/ID/diff`: what
// changed between two of them, inline or side by side.

#include "query/article_diff.hpp"
#include "serve/diff_view.hpp"
#include "serve/escape.hpp"
#include "serve/pages.hpp"
#include "serve/response_policy.hpp"
#include "serve/templates.hpp"
#include "serve/views.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

std::string_view origin_text(std::string_view origin) {
  return origin == "reparse" ? "重新解析" : "抓取";
}

nlohmann::json image_views(const Article& article) {
  nlohmann::json images = nlohmann::json::array();
  for (std::size_t i = 0; i < article.images.size(); ++i) {
    const ArticleImage& image = article.images[i];
    images.push_back(
        {{"src", image.sha256 ? nlohmann::json("/assets/" + *image.sha256) : nlohmann::json()},
         {"alt", image.caption.value_or(fmt::format("图片 {}", i + 1))},
         {"caption", image.caption ? nlohmann::json(*image.caption) : nlohmann::json()}});
  }
  return images;
}

nlohmann::json printed_view(const PrintedOn& printed) {
  nlohmann::json view = {{"printed_name", printed.page_name.value_or(printed.page_url)},
                         {"printed_scan", nullptr},
                         {"printed_pdf", nullptr}};
  for (const auto& asset : printed.assets) {
    if (asset.sha256) {
      view[asset.kind == AssetKind::pdf ? "printed_pdf" : "printed_scan"] = *asset.sha256;
    }
  }
  return view;
}

}  // namespace

Reply article_page(const WebContext& context, const Target& target, std::int64_t id) {
  const auto version = number_param(target, "version", 1, 1'000'000);
  if (!version) {
    return bad_request(version.error());
  }
  auto reader = context.readers.borrow();
  const auto stored = reader->article(std::to_string(id), *version);
  if (!stored) {
    return not_found(*version ? fmt::format("文章 {} 的第 {} 版", id, **version)
                              : fmt::format("文章 {}", id));
  }
  const Article& article = stored->article;
  const auto history = reader->history(id);
  nlohmann::json view = page_view(article.title, target);
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  const SiteSettings* site = stored->site ? context.settings.site_named(*stored->site) : nullptr;
  view["name"] = site != nullptr ? nlohmann::json(site->name) : nlohmann::json();
  view["site_title"] = site_title(context.settings, stored->site);
  view["site_feed"] = view["name"];
  view["id"] = stored->id;
  view["title"] = article.title.empty() ? std::string("（无标题）") : article.title;
  view["kicker"] = optional(article.kicker);
  view["subtitle"] = optional(article.subtitle);
  view["published"] = shown_date(article.published).empty()
                          ? nlohmann::json()
                          : nlohmann::json(shown_date(article.published));
  view["author"] = optional(article.author);
  view["source"] = optional(article.source);
  view["page"] = optional(article.page);
  view["issue"] = optional(article.issue);
  view["edition"] = site != nullptr && site->parser == ParserKind::epaper
                        ? optional(article.edition)
                        : nlohmann::json();
  view["version"] = stored->version;
  view["version_count"] = history.size();
  view["old_version"] = !history.empty() && stored->version < history.back().version;
  view["body"] = article.body;
  view["images"] = image_views(article);
  const auto printed = reader->printed_on(stored->url);
  view["printed"] = printed ? printed_view(*printed) : nlohmann::json();
  view["url"] = stored->url;
  const std::string origin = link_target(stored->url);
  view["origin"] = origin.empty() ? nlohmann::json() : nlohmann::json(origin);
  view["archived_page"] =
      reader->version_page(id, stored->version)
          ? nlohmann::json(fmt::format("/articles/{}/archived?version={}", id, stored->version))
          : nlohmann::json();
  nlohmann::json versions = nlohmann::json::array();
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    versions.push_back(
        {{"number", it->version},
         {"first_seen", beijing_time(it->first_seen)},
         {"last_seen", beijing_time(it->last_seen)},
         {"origin_text", std::string(origin_text(it->origin))},
         {"parser_text",
          it->parser_version ? fmt::format("{} r{}", it->parser, *it->parser_version) : it->parser},
         {"version_title", it->title},
         {"row_class", it->version == stored->version ? "current" : ""},
         {"diff_from", it->version > 1 ? nlohmann::json(it->version - 1) : nlohmann::json()}});
  }
  view["versions"] = versions;
  return html_reply(render_page("article", view));
}

Reply diff_page(const WebContext& context, const Target& target, std::int64_t id) {
  const auto from = number_param(target, "from", 1, 1'000'000);
  const auto to = number_param(target, "to", 1, 1'000'000);
  if (!from || !to) {
    return bad_request(!from ? from.error() : to.error());
  }
  const auto view_name = target.param("view").value_or("inline");
  if (view_name != "inline" && view_name != "side") {
    return bad_request("view: \"inline\" or \"side\"");
  }
  auto reader = context.readers.borrow();
  const auto latest = reader->article(std::to_string(id));
  if (!latest) {
    return not_found(fmt::format("文章 {}", id));
  }
  const std::int64_t to_version = to->value_or(latest->version);
  const std::int64_t from_version = from->value_or(to_version - 1);
  if (from_version < 1) {
    return error_reply(404,
                       fmt::format("文章 {} 只有一个版本，没有可对比的 (only one version)", id));
  }
  const auto before = reader->article(std::to_string(id), from_version);
  const auto after = reader->article(std::to_string(id), to_version);
  if (!before || !after) {
    return not_found(fmt::format("文章 {} 的第 {} 版", id, !before ? from_version : to_version));
  }
  nlohmann::json view = page_view(
      fmt::format("{}：v{} → v{}", after->article.title, from_version, to_version), target);
  view.update(diff_view(diff_articles(before->article, after->article)));
  view["id"] = id;
  view["title"] = after->article.title;
  view["from"] = from_version;
  view["to"] = to_version;
  view["from_seen"] = beijing_time(before->version_first_seen);
  view["to_seen"] = beijing_time(after->version_first_seen);
  view["view"] = view_name;
  view["side"] = view_name == "side";
  view["inline"] = view_name == "inline";
  return html_reply(render_page("diff", view));
}

}  // namespace archiver::serve
