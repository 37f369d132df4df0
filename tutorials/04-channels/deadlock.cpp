// deadlock — main waits on a channel nobody will ever send on. When the last M runs
// out of work, checkdead finds no goroutine that can run, no timer and no network
// waiter: "fatal error: all goroutines are asleep - deadlock!", exit status 2.
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

GMPS_DEMO("deadlock", "04-channels", 0, "main receives from a channel no one sends on: Go's deadlock error") {
  (void)n;
  gmps::Chan<int> ch(0);
  gmps::go("sleeper", [] { gmps::Sleep(std::chrono::milliseconds(1)); });
  std::printf("waiting for a value that never comes...\n");
  std::fflush(stdout);
  ch.recv();
}
