#pragma once
// The exit statuses of the contract; scripts and systemd rely on them.

namespace archiver {

enum ExitCode : int {
  k_exit_ok = 0,             // success
  k_exit_some_failed = 1,    // some work failed; everything was attempted, successes are stored
  k_exit_usage = 2,          // usage or config error; nothing was done
  k_exit_database = 3,       // the database cannot be opened or is not an archiver database, or
                             // another archiver upgraded it while this one had it open
  k_exit_interrupted = 130,  // Ctrl-C (SIGINT): 128 + 2, as shells report it
};

}  // namespace archiver
