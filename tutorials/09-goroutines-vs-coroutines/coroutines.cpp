// coroutines — why Go schedules in the runtime. With GOMAXPROCS=1 (one thread runs
// goroutines, like one event loop), a "server" of three goroutines:
//
//   ticker    wakes every 10 ms to serve a request (gmps::Sleep: parks, no thread held)
//   worker    computes in short slices (a few hundred µs) between short sleeps
//   blocker   makes one blocking call of 60 ms (N ms), the kind of library call an
//             event loop cannot survive (after a short 5 ms one that warms up a spare M)
//
// In `coroutines` the blocking call is a system call the runtime knows about
// (gmps::sysNanosleep = entersyscall/exitsyscall, as Go's syscall package and cgo
// calls do): sysmon takes the P away from the blocked thread and hands it to another
// M, so the ticker stays on time. In `coroutines-unpatched` the same call is made
// behind the runtime's back (a plain nanosleep(2), like a library gevent did not
// monkey-patch, or time.sleep() inside an asyncio coroutine): the only P stays with
// the blocked thread, and every goroutine waits the whole 60 ms.
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

namespace {

// rawSleep blocks the thread without telling the runtime (no entersyscall). A signal
// (sysmon's preemption request) interrupts nanosleep; resume with the time left.
void rawSleep(std::chrono::nanoseconds d) {
  timespec ts{time_t(d.count() / 1'000'000'000), long(d.count() % 1'000'000'000)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

__attribute__((noinline)) long burn(long iters) {
  unsigned long x = 0;  // wraps like Go's int (signed overflow is undefined in C++)
  for (long i = 0; i < iters; i++) {
    x = x * 31 + i;
    asm volatile("" : "+r"(x));
  }
  return x;
}

void server(bool patched, long blockMs) {
  using namespace std::chrono;
  const int64_t t0 = gmps::nanotime();
  auto ms = [t0] { return double(gmps::nanotime() - t0) / 1e6; };
  gmps::WaitGroup wg;
  double worstLate = 0;
  double blockStart = 0, blockEnd = 0;
  wg.Add(3);
  gmps::go("ticker", [&] {
    for (int i = 1; i <= 10; i++) {
      gmps::Sleep(milliseconds(10));
      double late = ms() - 10.0 * i;
      worstLate = std::max(worstLate, late);
    }
    wg.Done();
  });
  gmps::go("worker", [&] {
    for (int i = 0; i < 20; i++) {
      burn(300'000);  // a slice of CPU work
      gmps::Sleep(milliseconds(4));
    }
    wg.Done();
  });
  gmps::go("blocker", [&] {
    // A short blocking call first (think: reading a config file). sysmon hands the P
    // to a new M meanwhile; when the call returns that M parks, and the long call below
    // finds it ready to be woken instead of waiting for a thread to be created.
    gmps::sysNanosleep(milliseconds(5));
    gmps::Sleep(milliseconds(10));  // let the others get going
    blockStart = ms();
    if (patched) {
      gmps::sysNanosleep(milliseconds(blockMs));  // the runtime knows: entersyscall
    } else {
      rawSleep(milliseconds(blockMs));  // the runtime does not know
    }
    blockEnd = ms();
    wg.Done();
  });
  wg.Wait();
  std::printf("%s: the blocking call ran from %.1f ms to %.1f ms; the ticker was at most %.1f ms late\n",
              patched ? "runtime-aware call (entersyscall)" : "call behind the runtime's back", blockStart,
              blockEnd, worstLate);
}

}  // namespace

GMPS_DEMO("coroutines", "09-goroutines-vs-coroutines", 1,
          "GOMAXPROCS=1: one goroutine blocks 60 ms (N ms) in a system call; the others keep their schedule") {
  server(true, n > 0 ? n : 60);
}

GMPS_DEMO("coroutines-unpatched", "09-goroutines-vs-coroutines", 1,
          "the same, but the call blocks behind the runtime's back: everyone waits (like an un-patched call in gevent)") {
  server(false, n > 0 ? n : 60);
}
