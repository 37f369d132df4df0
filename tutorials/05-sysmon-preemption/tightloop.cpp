// tightloop — with GOMAXPROCS=1, a goroutine spins in a loop that calls nothing.
// Nothing in the loop is a cooperative preemption point, so only sysmon can get
// main.main running again: after 10 ms on the same P it asks the spinner to stop,
// and since the spinner never calls the runtime, it sends SIGURG (async preemption,
// Go 1.14). Run it again with GMPDEBUG=asyncpreemptoff=1: main waits until the
// loop ends by itself.
#include <atomic>
#include <chrono>
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

namespace {
std::atomic<bool> spinnerDone{false};

// spin is a loop with no calls in it: no runtime call, no preemption point.
__attribute__((noinline)) long spin(long iters) {
  unsigned long x = 0;  // wraps like Go's int (signed overflow is undefined in C++)
  for (long i = 0; i < iters; i++) {
    x = x * 31 + i;
    asm volatile("" : "+r"(x));  // keep the loop; still no call
  }
  return x;
}
}  // namespace

GMPS_DEMO("tightloop", "05-sysmon-preemption", 1,
          "a goroutine spins without calls on the only P; sysmon preempts it (try GMPDEBUG=asyncpreemptoff=1)") {
  long iters = n > 0 ? n : 400'000'000;  // a few hundred ms
  spinnerDone = false;
  auto t0 = std::chrono::steady_clock::now();
  gmps::Chan<int> started(1);
  gmps::WaitGroup wg;
  wg.Add(1);
  gmps::go("spinner", [&] {
    started.send(1);  // readies main, which cannot run: the spinner holds the only P
    long r = spin(iters);
    spinnerDone = true;
    std::printf("spinner: loop finished (%ld) after %.1f ms\n", r & 1,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    wg.Done();
  });
  started.recv();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  bool during = !spinnerDone;
  std::printf("main: ran again after %.1f ms, %s\n", ms,
              during ? "while the spinner was still spinning (it was preempted)"
                     : "only after the spinner finished (it was never preempted)");
  wg.Wait();
  std::printf("preempted=%s\n", during ? "yes" : "no");
}
