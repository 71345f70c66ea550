#include "crawl/asset_fetcher.hpp"

#include "decode/asset_type.hpp"
#include "fetch/body_spool.hpp"
#include "pipeline/fetch_pipeline.hpp"
#include "util/clock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace archiver {
namespace {

bool is_http(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// Failures worth another try by a later crawl: the network, the server's own trouble.
bool transient(const FetchResponse& response) {
  switch (response.error_kind) {
    case FetchErrorKind::dns:
    case FetchErrorKind::connect:
    case FetchErrorKind::timeout:
    case FetchErrorKind::tls:
    case FetchErrorKind::transfer:
      return true;
    case FetchErrorKind::none:
      return response.http_status == 429 || response.http_status >= 500;
    default:
      return false;
  }
}

std::uint64_t next_owner_id() {
  // Far above the crawl engines' ids, so that cancelling this fetcher's requests leaves theirs.
  static std::atomic<std::uint64_t> last{1ULL << 40U};
  return ++last;
}

// Shared with the fetcher's completions, which may outlive a fetch() that was stopped.
struct Inbox {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::pair<std::size_t, PoliteFetcher::Result>> done;
};

}  // namespace

std::filesystem::path spool_folder_for(const std::filesystem::path& database) {
  const auto folder = database.parent_path();
  return folder.empty() ? std::filesystem::path(".") : folder;
}

AssetFetcher::AssetFetcher(ArchiveWriter& writer, PoliteFetcher& fetcher, const Settings& settings,
                           std::filesystem::path spool_folder)
    : m_writer(writer),
      m_fetcher(fetcher),
      m_settings(settings),
      m_spool_folder(std::move(spool_folder)),
      m_owner(next_owner_id()) {}

AssetTally AssetFetcher::fetch(const std::vector<AssetRef>& assets, const SiteSettings* site) {
  AssetTally tally;
  const FetchSettings& politeness = site != nullptr ? site->fetch : m_settings.fetch;
  const std::optional<std::string> site_name =
      site != nullptr ? std::optional(site->name) : std::nullopt;
  const auto record_for = [&](const std::string& url, AssetKind kind) {
    FetchRecord record;
    record.url = url;
    record.final_url = url;
    record.site = site_name;
    record.fetched_at = now_utc_iso();
    record.asset_kind = kind;
    return record;
  };

  // What to fetch: each URL once per crawl; a data: URL is inside its page already.
  std::vector<AssetRef> to_fetch;
  std::vector<std::string> fetched_before;
  for (const AssetRef& asset : assets) {
    if (!m_fetched.insert(asset.url).second) {
      fetched_before.push_back(asset.url);
      continue;
    }
    if (!is_http(asset.url)) {
      FetchRecord record = record_for(asset.url, asset.kind);
      record.error = asset.url.starts_with("data:")
                         ? "a data: URL: the picture is inside its page (archived with it), not "
                           "fetched on its own"
                         : "not an http(s) URL: " + asset.url;
      m_writer.record_asset_failure(record, asset.kind, false);
      spdlog::warn("asset {}: {}", asset.url.substr(0, 60), *record.error);
      ++tally.errors;
      continue;
    }
    to_fetch.push_back(asset);
  }
  m_writer.assets_done(fetched_before);

  auto inbox = std::make_shared<Inbox>();
  std::size_t submitted = 0;
  std::size_t finished = 0;
  const auto submit = [&](std::size_t index) {
    const AssetRef& asset = to_fetch[index];
    const AssetState state = m_writer.asset_state(asset.url);
    FetchRequest request;
    request.url = asset.url;
    request.user_agent = m_settings.user_agent;
    // Validators only for bytes the archive holds: else the whole asset is wanted.
    if (state.sha256) {
      request.etag = state.etag;
      request.last_modified = state.last_modified;
    }
    request.connect_timeout = std::min(politeness.connect_timeout, politeness.timeout);
    // A big PDF on a slow link needs longer than a page; the low-speed abort still ends a
    // transfer that stalls.
    request.timeout = politeness.timeout * 5;
    request.max_body = politeness.max_asset;
    request.abort = m_stop;
    request.spool = std::make_shared<BodySpool>(m_spool_folder);
    m_fetcher.submit(
        std::move(request), politeness,
        [inbox, index](PoliteFetcher::Result result) {
          const std::scoped_lock lock(inbox->mutex);
          inbox->done.emplace_back(index, std::move(result));
          inbox->ready.notify_one();
        },
        m_owner);
  };

  while (finished < to_fetch.size()) {
    while (submitted < to_fetch.size() && submitted - finished < k_window) {
      submit(submitted++);
    }
    std::unique_lock lock(inbox->mutex);
    while (inbox->done.empty()) {
      if (m_stop != nullptr && m_stop->load()) {
        lock.unlock();
        m_fetcher.cancel(m_owner);
        return tally;
      }
      inbox->ready.wait_for(lock, std::chrono::milliseconds(100));
    }
    auto [index, result] = std::move(inbox->done.front());
    inbox->done.pop_front();
    lock.unlock();
    ++finished;
    const AssetRef& asset = to_fetch[index];
    FetchResponse& response = result.response;
    FetchRecord record = make_fetch_record(response, site);
    record.asset_kind = asset.kind;
    const auto fail = [&](std::string why, bool retry) {
      record.error = std::move(why);
      m_writer.record_asset_failure(record, asset.kind, retry);
      spdlog::warn("{} {}: {}", to_string(asset.kind), asset.url, *record.error);
      ++tally.errors;
    };
    try {
      for (const FetchResponse& attempt : result.failed_attempts) {
        FetchRecord earlier = make_fetch_record(attempt, site);
        earlier.asset_kind = asset.kind;
        earlier.error =
            attempt.ok() ? "HTTP " + std::to_string(attempt.http_status) : attempt.error;
        m_writer.record_asset_failure(earlier, asset.kind, true);
      }
      if (!response.ok()) {
        fail(response.error_kind == FetchErrorKind::body_too_large
                 ? fmt::format("larger than max_asset ({} bytes)", politeness.max_asset)
                 : response.error,
             transient(response));
        continue;
      }
      if (response.http_status == 304) {
        m_writer.record_asset_not_modified(record);
        ++tally.unchanged;
        continue;
      }
      if (response.http_status < 200 || response.http_status >= 300 ||
          response.http_status == 206) {
        fail("HTTP " + std::to_string(response.http_status), transient(response));
        continue;
      }
      BodySpool& spool = *response.spool;
      if (auto problem = asset_problem(asset.kind, spool.head(), spool.tail(), spool.size())) {
        fail(std::move(*problem), false);
        continue;
      }
      const std::string_view media_type = sniff_media_type(spool.head());
      const AssetResult stored =
          m_writer.record_asset(record, asset.kind,
                                {.sha256 = spool.sha256(),
                                 .media_type = std::string(media_type),
                                 .size = spool.size(),
                                 .compress = !compresses_itself(media_type),
                                 .read = [&spool](const auto& chunk) { spool.read(chunk); }});
      if (stored.outcome == Outcome::unchanged) {
        ++tally.unchanged;
      } else {
        ++tally.archived;
      }
      for (const ArticleResult& version : stored.versions) {
        spdlog::info("{}: version {}: a photo was replaced ({})", version.url, version.version,
                     asset.url);
      }
      tally.versions.insert(tally.versions.end(), stored.versions.begin(), stored.versions.end());
    } catch (const StoreError& error) {
      if (error.is_full() || error.is_schema_changed()) {
        // No room, or an archive a newer archiver upgraded: no asset after it can be stored
        // either. The crawl stops (resumable when there is room again).
        throw;
      }
      fail(std::string("cannot store: ") + error.what(), true);
    } catch (const std::runtime_error& error) {
      fail(error.what(), true);  // the spool could not be read back
    }
  }
  return tally;
}

}  // namespace archiver
