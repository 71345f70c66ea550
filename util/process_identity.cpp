#include "util/process_identity.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace archiver {
namespace {

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// Field 22 of /proc/PID/stat; empty when it cannot be read. The command name (field 2) is in
// parentheses and may hold spaces: the fields are counted after its closing one.
std::string start_time(std::int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos) {
    return {};
  }
  std::istringstream fields(stat.substr(name_end + 1));
  std::string field;
  for (int index = 3; index <= 22 && fields >> field; ++index) {
    if (index == 22) {
      return field;
    }
  }
  return {};
}

}  // namespace

ProcessIdentity this_process() {
  const std::int64_t pid = ::getpid();
  return {.pid = pid, .boot_id = boot_id(), .process_start = start_time(pid)};
}

bool is_running(const ProcessIdentity& process) {
  if (process.pid <= 0 || process.boot_id != boot_id()) {
    return false;
  }
  if (::kill(static_cast<pid_t>(process.pid), 0) != 0 && errno == ESRCH) {
    return false;
  }
  const std::string started = start_time(process.pid);
  return started.empty() || started == process.process_start;
}

}  // namespace archiver
