#pragma once
// Articles of list-driven sites are edited after publication: a crawl comes back to each one
// 1 hour, 6 hours, 1 day, 7 days and 30 days after it was first archived, then leaves it.

#include <chrono>
#include <optional>

namespace archiver {

// When an article first seen at first_seen, revisited `visits` times so far, is due again;
// nothing once every revisit is done.
[[nodiscard]] std::optional<std::chrono::sys_seconds> next_visit(
    std::chrono::sys_seconds first_seen, int visits);

}  // namespace archiver
