#pragma once
// `archiver run`: every configured site crawled on its schedule until SIGTERM/SIGINT.
//
// One Boost.Asio io_context owns the timers (one per site), the signals and systemd's watchdog;
// one worker thread owns the archive (the single writer) and runs the crawls, one at a time, so
// the loop stays responsive while pages are fetched and parsed. SIGHUP re-reads the config and
// keeps the old one when the new one is invalid. Webhook events ([[notify]]) go out from the
// archive's outbox on threads of their own (webhooks/deliverer.hpp).

#include "cli/context.hpp"

#include <filesystem>

namespace archiver {

// Runs until stopped; returns the exit code (0 after SIGTERM/SIGINT, 3 when the archive cannot
// be opened, 2 for a config that stops being readable before start).
int run_daemon(const GlobalOptions& global);

}  // namespace archiver
