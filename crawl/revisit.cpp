#include "crawl/revisit.hpp"

#include <array>

namespace archiver {

std::optional<std::chrono::sys_seconds> next_visit(std::chrono::sys_seconds first_seen,
                                                   int visits) {
  using namespace std::chrono;
  static constexpr std::array<seconds, 5> k_ages = {hours(1), hours(6), days(1), days(7), days(30)};
  if (visits < 0 || static_cast<std::size_t>(visits) >= k_ages.size()) {
    return std::nullopt;
  }
  return first_seen + k_ages[static_cast<std::size_t>(visits)];
}

}  // namespace archiver
