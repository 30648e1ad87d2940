// tests/main.cpp: doctest's runner, which also tells skipped test cases apart (tests/skip.hpp).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>
#include <set>
#include <string>

#include "tests/skip.hpp"

namespace {

std::string g_current;               // the test case running now
std::set<std::string> g_skipped;     // those that called SKIP_TEST
unsigned g_ran = 0;                  // test cases that passed the filters (doctest's count)

// Listens only: the console reporter still prints everything.
struct SkipListener : doctest::IReporter {
    explicit SkipListener(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override { g_ran = stats.numTestCasesPassingFilters; }
    void test_case_start(const doctest::TestCaseData& tc) override { g_current = tc.m_name; }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

REGISTER_LISTENER("aezoo_skip", 1, SkipListener);

void ae::test::mark_skipped() { g_skipped.insert(g_current); }

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int result = context.run();
    if (context.shouldExit()) return result;  // --list-test-cases, --help, ...
    if (!g_skipped.empty()) {
        std::cout << "[aezoo] " << g_skipped.size() << " of " << g_ran << " test cases skipped:";
        for (const auto& name : g_skipped) std::cout << "\n  " << name;
        std::cout << std::endl;
    }
    if (result == 0 && g_ran > 0 && g_skipped.size() == g_ran) return ae::test::skip_exit_code;
    return result;
}
