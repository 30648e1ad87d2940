// optim/interrupt.cpp: a signal handler that only sets a flag (all it may safely do) and says so.
#include "optim/interrupt.hpp"

#include <unistd.h>

#include <csignal>

namespace ae {

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_signal(int) {
    g_stop = 1;
    const char note[] = "\nstopping after this step (again to quit at once)\n";
    [[maybe_unused]] ssize_t n = write(STDERR_FILENO, note, sizeof note - 1);  // async-signal-safe
}

}  // namespace

std::function<bool()> stop_on_interrupt() {
    g_stop = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;  // the next signal gets the default action
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return [] { return g_stop != 0; };
}

}  // namespace ae
