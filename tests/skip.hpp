// tests/skip.hpp: a test case whose data is absent says so, and CTest reports it as skipped.
//
// SKIP_TEST(why) prints "skipped: why" and marks the running test case as skipped; the test case
// returns right after. The runner (tests/main.cpp) exits with skip_exit_code when it ran at least
// one test case and every one it ran was skipped; CTest runs one test case per process
// (doctest_discover_tests in CMakeLists.txt, with SKIP_RETURN_CODE 77), so such a case shows as
// "Skipped" in its summary instead of "Passed". A run of many cases lists the skipped ones at its end.
#pragma once
#include <doctest/doctest.h>

namespace ae::test {

inline constexpr int skip_exit_code = 77;  // as automake's and CTest's convention

void mark_skipped();  // tests/main.cpp

}  // namespace ae::test

#define SKIP_TEST(why)                   \
    do {                                 \
        MESSAGE("skipped: " << why);     \
        ::ae::test::mark_skipped();      \
    } while (0)
