#pragma once
// The assets a crawl keeps beside the text (a 版面's PDF and scan, articles' photos), fetched
// through the crawl's PoliteFetcher: from any http(s) host, politely per host, never parsed or
// followed. Each body streams into a spool file beside the archive, is checked by its bytes
// (decode/asset_type.hpp) and its size, and goes into the archive once per SHA-256. An asset
// that cannot be had is an error in the fetch log, never a failure of its page or article.

#include "config/settings.hpp"
#include "fetch/polite_fetcher.hpp"
#include "store/archive_writer.hpp"

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace archiver {

// What a round of asset fetches came to.
struct AssetTally {
  std::int64_t archived = 0;   // new bytes stored
  std::int64_t unchanged = 0;  // the same bytes again, or a 304
  std::int64_t errors = 0;
  std::vector<ArticleResult> versions;  // article versions made by a replaced photo
};

class AssetFetcher {
 public:
  // Spool files go to spool_folder (the archive's folder: the same disk and sandbox).
  AssetFetcher(ArchiveWriter& writer, PoliteFetcher& fetcher, const Settings& settings,
               std::filesystem::path spool_folder);

  // Fetches the assets, each URL once per AssetFetcher (one crawl): a URL fetched already is
  // only marked done. site: whose politeness, limits and `assets` apply (nullptr: [fetch]).
  AssetTally fetch(const std::vector<AssetRef>& assets, const SiteSettings* site);

  // Checked while waiting: when it turns true, what is running is abandoned (nothing of it is
  // logged) and fetch returns.
  void stop_when(const std::atomic<bool>* stop) { m_stop = stop; }

  // Assets at most in flight at once: each holds a spool file.
  static constexpr std::size_t k_window = 32;

 private:
  ArchiveWriter& m_writer;
  PoliteFetcher& m_fetcher;
  const Settings& m_settings;
  std::filesystem::path m_spool_folder;
  std::uint64_t m_owner;  // as the fetcher knows this one (cancel)
  const std::atomic<bool>* m_stop = nullptr;
  std::set<std::string> m_fetched;
};

// The folder spool files go to for an archive at database: its own folder.
[[nodiscard]] std::filesystem::path spool_folder_for(const std::filesystem::path& database);

}  // namespace archiver
