// `/sites/NAME`: an e-paper as a calendar of its editions by month, any other site as its
// articles by date, a page at a time.

#include "serve/pages.hpp"
#include "serve/templates.hpp"
#include "serve/views.hpp"
#include "store/edition_report.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>

namespace archiver::serve {
namespace {

using namespace std::chrono;

constexpr std::int64_t k_articles_per_page = 50;

std::string month_iso(year_month month) {
  return fmt::format("{:04}-{:02}", static_cast<int>(month.year()),
                     static_cast<unsigned>(month.month()));
}

std::optional<year_month> parse_month(std::string_view text) {
  const auto day = parse_iso_day(std::string(text) + "-01");
  if (text.size() != 7 || !day) {
    return std::nullopt;
  }
  return day->year() / day->month();
}

// Monday-first weeks of the month, each day with its edition's status.
nlohmann::json calendar(ArchiveReader& reader, const SiteSettings& site, year_month month,
                        year_month this_month) {
  const year_month_day first{month / 1};
  const year_month_day last{month / std::chrono::last};
  const auto reports =
      reader.edition_reports(site.name, day_iso(first), day_iso(last),
                             [&site](const std::string& url) { return site.in_scope(url); });
  nlohmann::json weeks = nlohmann::json::array();
  nlohmann::json week = nlohmann::json::array();
  const unsigned lead = weekday{sys_days{first}}.iso_encoding() - 1;
  for (unsigned i = 0; i < lead; ++i) {
    week.push_back({{"date", nullptr}, {"status", "blank"}});
  }
  const std::string today = today_iso();
  for (const auto& report : reports) {
    const bool future = report.edition > today;
    const std::string status = future ? "future" : std::string(report.status());
    week.push_back(
        {{"date", future ? nlohmann::json() : nlohmann::json(report.edition)},
         {"day", std::stoi(report.edition.substr(8, 2))},
         {"status", status},
         {"status_text", future ? std::string() : std::string(edition_status_text(status))}});
    if (week.size() == 7) {
      weeks.push_back({{"days", week}});
      week = nlohmann::json::array();
    }
  }
  if (!week.empty()) {
    while (week.size() < 7) {
      week.push_back({{"date", nullptr}, {"status", "blank"}});
    }
    weeks.push_back({{"days", week}});
  }
  const year_month previous = month - months{1};
  const year_month next = month + months{1};
  return {{"month", month_iso(month)},
          {"prev_month", month_iso(previous)},
          {"next_month", next <= this_month ? nlohmann::json(month_iso(next)) : nlohmann::json()},
          {"weeks", weeks}};
}

}  // namespace

Reply site_page(const WebContext& context, const Target& target, std::string_view name) {
  const SiteSettings* site = context.settings.site_named(name);
  if (site == nullptr) {
    return not_found(fmt::format("站点 \"{}\"", name));
  }
  auto reader = context.readers.borrow();
  nlohmann::json view = page_view(site->title.empty() ? site->name : site->title, target);
  view["name"] = site->name;
  view["site_title"] = site->title.empty() ? site->name : site->title;
  view["site_feed"] = site->name;
  view["kind"] = std::string(to_string(site->parser));
  view["articles"] = context.site_states.get(*reader, *site).activity.articles;
  view["calendar"] = nullptr;
  view["list"] = nullptr;
  if (site->parser == ParserKind::epaper) {
    const auto today = parse_iso_day(today_iso());
    const year_month this_month = today->year() / today->month();
    // The month of the newest edition archived, else this one.
    year_month month = this_month;
    if (const auto newest = reader->newest_edition(site->name)) {
      if (const auto day = parse_iso_day(*newest)) {
        month = day->year() / day->month();
      }
    }
    if (const auto asked = target.param("month")) {
      const auto parsed = parse_month(*asked);
      if (!parsed) {
        return bad_request(fmt::format("month: \"{}\" is not a month (YYYY-MM)", *asked));
      }
      month = *parsed;
    }
    view["calendar"] = calendar(*reader, *site, month, this_month);
    return html_reply(render_page("site", view));
  }
  const auto page = number_param(target, "page", 1, 100'000);
  if (!page) {
    return bad_request(page.error());
  }
  const std::int64_t number = page->value_or(1);
  auto articles = reader->articles({.site = site->name,
                                    .limit = k_articles_per_page + 1,
                                    .offset = (number - 1) * k_articles_per_page});
  const bool more = static_cast<std::int64_t>(articles.size()) > k_articles_per_page;
  if (more) {
    articles.pop_back();
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& article : articles) {
    items.push_back(article_item(article, context.settings));
  }
  view["list"] = {{"page", number},
                  {"has_articles", !items.empty()},
                  {"page_articles", items},
                  {"prev_page", number > 1 ? nlohmann::json(number - 1) : nlohmann::json()},
                  {"next_page", more ? nlohmann::json(number + 1) : nlohmann::json()}};
  return html_reply(render_page("site", view));
}

}  // namespace archiver::serve
