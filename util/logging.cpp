#include "util/logging.hpp"

#include "util/status_line.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace archiver {
namespace {

// The terminal's log sink, writing each line above the status line (util/status_line.hpp).
class AboveStatusLine final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  AboveStatusLine() : m_inner(std::make_shared<spdlog::sinks::stderr_color_sink_mt>()) {}
  void set_inner_pattern(const std::string& pattern) { m_inner->set_pattern(pattern); }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    status_line::print_above([&] { m_inner->log(message); });
  }
  void flush_() override { m_inner->flush(); }

 private:
  std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> m_inner;
};

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) {
  if (name == "warning") {
    return spdlog::level::warn;
  }
  const auto level = spdlog::level::from_str(std::string(name));
  // from_str answers "off" for anything it does not know.
  if (level == spdlog::level::off && name != "off") {
    return std::nullopt;
  }
  return level;
}

void setup_logging(spdlog::level::level_enum level) {
  auto sink = std::make_shared<AboveStatusLine>();
  sink->set_inner_pattern(
      std::getenv("JOURNAL_STREAM") != nullptr ? "%l: %v" : "%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  auto logger = std::make_shared<spdlog::logger>("archiver", std::move(sink));
  logger->set_level(level);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace archiver
