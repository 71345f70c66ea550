#pragma once
// A status line at the bottom of the terminal, below the log: a long `archiver fetch --site`
// shows its progress there. Log lines (and what the command prints on the same terminal) go
// above it; it is redrawn after each. When stderr is not a terminal (a pipe, a file, journald)
// nothing is shown.

#include <functional>
#include <string_view>

namespace archiver::status_line {

// Whether a status line is shown at all: stderr is a terminal.
[[nodiscard]] bool enabled();

// Shows text as the status line, replacing the one before.
void show(std::string_view text);

// Takes the status line away (at the end of the command).
void clear();

// Runs print (which writes to the terminal) with the status line out of the way, then redraws
// it.
void print_above(const std::function<void()>& print);

}  // namespace archiver::status_line
