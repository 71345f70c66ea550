#include "util/status_line.hpp"

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace archiver::status_line {
namespace {

struct State {
  std::mutex mutex;
  std::string text;
  bool enabled = ::isatty(STDERR_FILENO) == 1;
};

State& state() {
  static State shared;
  return shared;
}

// "\r" to the line's start, ESC [K to erase it: what terminals since the VT100 understand.
void erase() { std::fputs("\r\033[K", stderr); }

}  // namespace

bool enabled() { return state().enabled; }

void show(std::string_view text) {
  State& shared = state();
  if (!shared.enabled) {
    return;
  }
  const std::scoped_lock lock(shared.mutex);
  shared.text = text;
  erase();
  std::fwrite(shared.text.data(), 1, shared.text.size(), stderr);
  std::fflush(stderr);
}

void clear() {
  State& shared = state();
  if (!shared.enabled) {
    return;
  }
  const std::scoped_lock lock(shared.mutex);
  if (!shared.text.empty()) {
    erase();
    std::fflush(stderr);
  }
  shared.text.clear();
}

void print_above(const std::function<void()>& print) {
  State& shared = state();
  if (!shared.enabled) {
    print();
    return;
  }
  const std::scoped_lock lock(shared.mutex);
  if (shared.text.empty()) {
    print();
    return;
  }
  erase();
  std::fflush(stderr);
  print();
  std::fwrite(shared.text.data(), 1, shared.text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace archiver::status_line
