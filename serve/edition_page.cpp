// `/editions/NAME/YYYY-MM-DD`: an edition as a newspaper. Its 版面 in order, each with its scan
// and PDF from the archive, and its 标题导航 headlines with 摘要, linked to the archived
// articles; a headline the archive has no article for is marked.

#include "serve/escape.hpp"
#include "serve/pages.hpp"
#include "serve/templates.hpp"
#include "serve/views.hpp"
#include "store/edition_report.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

std::string next_day(const std::string& date, int days) {
  const auto day = parse_iso_day(date);
  return day_iso(
      std::chrono::year_month_day{std::chrono::sys_days{*day} + std::chrono::days{days}});
}

const StoredAsset* asset_of(const EditionSheet& sheet, AssetKind kind) {
  for (const auto& asset : sheet.assets) {
    if (asset.kind == kind) {
      return &asset;
    }
  }
  return nullptr;
}

// "版面图未存档" when the page links a scan the archive lacks, "" when it links none.
std::string not_archived_note(const StoredAsset* asset, std::string_view what) {
  if (asset == nullptr) {
    return fmt::format("此版没有{}", what);
  }
  return fmt::format("{}未存档{}", what, asset->error ? "（" + *asset->error + "）" : "");
}

nlohmann::json sheet_view(const EditionSheet& sheet, std::size_t position) {
  const StoredAsset* scan = asset_of(sheet, AssetKind::page_image);
  const StoredAsset* pdf = asset_of(sheet, AssetKind::pdf);
  nlohmann::json headlines = nlohmann::json::array();
  for (const auto& headline : sheet.headlines) {
    headlines.push_back(
        {{"headline", headline.title},
         {"article", headline.article ? nlohmann::json(*headline.article) : nlohmann::json()},
         {"state", headline.article ? "archived" : "missing"},
         {"summary", headline.summary ? nlohmann::json(*headline.summary) : nlohmann::json()}});
  }
  const auto stored = [](const StoredAsset* asset) {
    return asset != nullptr && asset->sha256 ? nlohmann::json(*asset->sha256) : nlohmann::json();
  };
  const std::string origin = link_target(sheet.url);
  return {{"sheet_name", sheet.name.value_or(fmt::format("第 {} 版", position + 1))},
          {"scan", stored(scan)},
          {"scan_note", not_archived_note(scan, "版面图")},
          {"pdf", stored(pdf)},
          {"pdf_note", not_archived_note(pdf, " PDF")},
          {"origin", origin.empty() ? nlohmann::json() : nlohmann::json(origin)},
          {"headlines", headlines}};
}

}  // namespace

Reply edition_page(const WebContext& context, const Target& target, std::string_view name,
                   std::string_view date) {
  const SiteSettings* site = context.settings.site_named(name);
  if (site == nullptr || site->parser != ParserKind::epaper) {
    return not_found(fmt::format("电子报 \"{}\"", name));
  }
  if (!parse_iso_day(date)) {
    return bad_request(fmt::format("\"{}\" is not a date (YYYY-MM-DD)", date));
  }
  const std::string day(date);
  auto reader = context.readers.borrow();
  const auto reports = reader->edition_reports(
      site->name, day, day, [site](const std::string& url) { return site->in_scope(url); });
  const auto sheets = reader->edition_sheets(site->name, day);
  const std::string title = site->title.empty() ? site->name : site->title;
  nlohmann::json view = page_view(fmt::format("{} {}", title, day), target);
  view["name"] = site->name;
  view["site_title"] = title;
  view["site_feed"] = site->name;
  view["date"] = day;
  view["month"] = day.substr(0, 7);
  const std::string status = reports.empty() ? "missing" : std::string(reports.front().status());
  view["status"] = status;
  view["status_text"] = std::string(edition_status_text(status));
  view["page_count"] = sheets.size();
  view["article_count"] = reports.empty() ? 0 : reports.front().articles;
  view["issue"] = nullptr;
  view["prev_day"] = next_day(day, -1);
  const std::string tomorrow = next_day(day, 1);
  view["next_day"] = tomorrow <= today_iso() ? nlohmann::json(tomorrow) : nlohmann::json();
  nlohmann::json sheet_views = nlohmann::json::array();
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    sheet_views.push_back(sheet_view(sheets[i], i));
  }
  view["has_sheets"] = !sheet_views.empty();
  view["sheets"] = sheet_views;
  // The 期次 as the edition's articles give it.
  if (const auto issue = reader->edition_issue(site->name, day)) {
    view["issue"] = *issue;
  }
  return html_reply(render_page("edition", view));
}

}  // namespace archiver::serve
