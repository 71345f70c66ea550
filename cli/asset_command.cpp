// archiver asset SHA256|URL [-o FILE]: the stored bytes of a PDF, a scan or a photo.

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "util/output_file.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

namespace archiver {

int run_asset(const GlobalOptions& global, const AssetOptions& options) {
  auto session = open_read_session(global);
  if (!session) {
    return session.error();
  }
  const auto asset = session->reader->asset(options.asset);
  if (!asset) {
    spdlog::error("no asset {} in the archive (give its SHA-256 or its URL)", options.asset);
    return k_exit_some_failed;
  }
  if (!asset->sha256) {
    spdlog::error("{} is known but not archived{}", asset->url,
                  asset->error ? " (the last attempt: " + *asset->error + ")" : "");
    return k_exit_some_failed;
  }
  if (!options.output && isatty(STDOUT_FILENO) == 1 && !asset->media_type.starts_with("text/")) {
    spdlog::error("asset: {} is binary data ({}); give -o FILE or redirect stdout", *asset->sha256,
                  asset->media_type.empty() ? "unknown type" : asset->media_type);
    return k_exit_usage;
  }
  std::optional<OutputFile> file;
  if (options.output) {
    file.emplace(*options.output);
  }
  std::ostream& out = file ? file->stream() : std::cout;
  session->reader->write_body(*asset->sha256, [&](std::string_view chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out) {
      throw std::runtime_error("writing the asset failed (disk full?)");
    }
  });
  out.flush();
  if (file) {
    file->finish();
  }
  spdlog::info("asset {}: {} bytes ({}) to {}", *asset->sha256, asset->bytes,
               asset->media_type.empty() ? "a page" : asset->media_type,
               options.output.value_or("stdout"));
  return k_exit_ok;
}

}  // namespace archiver
