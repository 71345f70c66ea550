#pragma once
// Which process this is, in a form that stays true across pid reuse and reboots: the pid, the
// machine's boot id and the process's start time since boot. Used to tell whether the holder of
// a site's crawl lease is still running.

#include <cstdint>
#include <string>

namespace archiver {

struct ProcessIdentity {
  std::int64_t pid = 0;
  std::string boot_id;        // /proc/sys/kernel/random/boot_id
  std::string process_start;  // field 22 of /proc/PID/stat: clock ticks after boot
};

[[nodiscard]] ProcessIdentity this_process();

// Whether the process is still running. A different boot id (the machine restarted), no
// process with that pid, or one that started at another time (the pid was reused) is gone. A
// process whose start time cannot be read (another user's, behind ProtectProc) but that exists
// counts as running.
[[nodiscard]] bool is_running(const ProcessIdentity& process);

}  // namespace archiver
