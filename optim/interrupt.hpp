// optim/interrupt.hpp: Ctrl-C as a request to stop training cleanly, for programs such as the CLI:
//   options.stop_requested = stop_on_interrupt();
// The run then ends after the current step with TrainStatus::interrupted and a checkpoint to
// resume from.
#pragma once
#include <functional>

namespace ae {

// Installs handlers for SIGINT and SIGTERM (each call clears the flag and installs them again)
// and returns a function saying whether one of them has arrived. The first signal sets the flag,
// writes a short note to stderr and restores the default action, so a second one ends the
// process at once.
std::function<bool()> stop_on_interrupt();

}  // namespace ae
