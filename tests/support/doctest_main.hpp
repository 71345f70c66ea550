#pragma once
// The doctest runner of both test programs. Logging is quiet unless ARCHIVER_TEST_LOG is set:
// several tests feed deliberately broken input that would otherwise flood the output.
//
// A run asked for test cases by name (ctest runs each as --test-case=NAME) fails when no test
// case has that name: otherwise a name ctest cut apart (it splits names at ';') would run
// nothing and pass.

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace archiver::testing {

// Remembers how many test cases the run's filters let through.
class MatchCounter : public doctest::IReporter {
 public:
  explicit MatchCounter(const doctest::ContextOptions& /*options*/) {}
  static inline unsigned matched = 0;

  void report_query(const doctest::QueryData& /*data*/) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    matched = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData& /*data*/) override {}
  void test_case_reenter(const doctest::TestCaseData& /*data*/) override {}
  void test_case_end(const doctest::CurrentTestCaseStats& /*stats*/) override {}
  void test_case_exception(const doctest::TestCaseException& /*exception*/) override {}
  void subcase_start(const doctest::SubcaseSignature& /*signature*/) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData& /*data*/) override {}
  void log_message(const doctest::MessageData& /*data*/) override {}
  void test_case_skipped(const doctest::TestCaseData& /*data*/) override {}
};

inline int run_tests(int argc, char** argv) {
  if (std::getenv("ARCHIVER_TEST_LOG") == nullptr) {
    spdlog::set_level(spdlog::level::off);
  }
  bool by_name = false;
  bool listing = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    by_name = by_name || arg.starts_with("--test-case=") || arg.starts_with("-tc=");
    listing = listing || arg.starts_with("--list") || arg.starts_with("-ltc") ||
              arg.starts_with("-lts") || arg.starts_with("-lr");
  }
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (result == 0 && by_name && !listing && MatchCounter::matched == 0) {
    std::fputs("no test case has the name asked for (ctest splits names at ';')\n", stderr);
    return 1;
  }
  return result;
}

}  // namespace archiver::testing

REGISTER_LISTENER("match-counter", 1, archiver::testing::MatchCounter);
