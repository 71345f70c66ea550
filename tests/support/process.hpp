#pragma once
// Runs the real archiver binary in a child process and captures what it prints.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace archiver::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  long max_rss_kb = 0;   // the child's peak resident memory
  double seconds = 0.0;  // wall time from start to exit

  // stdout split into lines (JSON Lines output).
  [[nodiscard]] std::vector<std::string> lines() const {
    std::vector<std::string> result;
    std::istringstream stream(out);
    for (std::string line; std::getline(stream, line);) {
      result.push_back(line);
    }
    return result;
  }
};

// The whole of a file, as bytes.
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Starts program with args, stdin from /dev/null, stdout and stderr into the files named, and
// extra_env added to this process's environment. Returns the child's pid, or 0 when it could
// not be started.
inline pid_t spawn(const std::string& program, const std::vector<std::string>& args,
                   const std::filesystem::path& out, const std::filesystem::path& err,
                   const std::vector<std::string>& extra_env = {}) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> storage{program};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_storage(extra_env);
  for (char** entry = environ; *entry != nullptr; ++entry) {
    env_storage.emplace_back(*entry);
  }
  std::vector<char*> envp;
  for (auto& entry : env_storage) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
    pid = 0;
  }
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// The exit code of a wait status: the code, or 128 + the signal that ended the child.
inline int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs program with args to its end; stdout and stderr go to files in scratch, read back after.
inline ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                                 const std::filesystem::path& scratch) {
  const auto out_path = scratch / "stdout.txt";
  const auto err_path = scratch / "stderr.txt";
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = spawn(program, args, out_path, err_path);
  if (pid == 0) {
    throw std::runtime_error("posix_spawn " + program + " failed");
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  ProcessResult result;
  result.exit_code = exit_code_of(status);
  result.max_rss_kb = usage.ru_maxrss;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  return result;
}

// A child process left running (the daemon), with its output in files; killed on destruction.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& scratch, const std::vector<std::string>& extra_env)
      : m_out(scratch / "child.out"),
        m_err(scratch / "child.err"),
        m_pid(spawn(program, args, m_out, m_err, extra_env)) {
    // A pid of 0 would make signal() and wait_for() act on the whole process group.
    if (m_pid == 0) {
      throw std::runtime_error("posix_spawn " + program + " failed");
    }
  }
  ~ChildProcess() {
    if (m_pid > 0 && !m_status) {
      kill(m_pid, SIGKILL);
      int status = 0;
      waitpid(m_pid, &status, 0);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] bool started() const { return m_pid > 0; }  // always, once constructed
  void signal(int number) const { kill(m_pid, number); }

  // The exit code once the child has exited within timeout; nothing while it still runs.
  std::optional<int> wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!m_status) {
      int status = 0;
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_status = exit_code_of(status);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return m_status;
  }

  [[nodiscard]] std::string err() const { return slurp(m_err); }

 private:
  std::filesystem::path m_out;
  std::filesystem::path m_err;
  pid_t m_pid = 0;
  std::optional<int> m_status;
};

}  // namespace archiver::testing
