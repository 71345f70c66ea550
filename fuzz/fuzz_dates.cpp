// libFuzzer target: the Chinese date and time readers, on text and on URLs. Any date they return
// must be a real calendar date.

#include "parsers/date_time.hpp"
#include "parsers/dates.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(const archiver::Date& date) {
  if (date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > archiver::days_in_month(date.year, date.month)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // warnings about the bytes are expected here
    return true;
  }();
  static_cast<void>(quiet);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const archiver::DateContext context{.reference =
                                          archiver::Date{.year = 2024, .month = 6, .day = 9}};
  if (const auto found = archiver::find_date(text, context)) {
    check(found->date);
  }
  if (const auto labelled = archiver::find_labelled_date(text, context)) {
    check(labelled->date);
  }
  if (const auto machine = archiver::parse_machine_date(text)) {
    check(machine->date);
  }
  if (const auto from_url = archiver::date_from_url(text)) {
    check(*from_url);
  }
  return 0;
}
