// schedtrace — about 2.5 seconds of a mixed workload, long enough for
// GMPDEBUG=schedtrace=1000 to print a few SCHED lines worth reading, with a goroutine
// in each state the lines can show:
//
//   3 crunchers   CPU-bound loops without calls: on 2 Ps one of them is always
//                 waiting, and sysmon preempts whoever ran 10 ms (to the global queue)
//   1 ticker      sleeps 100 ms at a time (a timer on its P; G status "sleep")
//   1 syscaller   blocks its thread in nanosleep(2) for 50 ms at a time (more Ms
//                 than Ps; sysmon retakes its P)
//   1 waiter      receives on a channel that stays empty until the end ("chan receive")
//   1 locker      waits for a Mutex main holds until the end ("sync.Mutex.Lock")
//
// main sleeps for the run's length, then releases everyone. tutorials/08-schedtrace/
// main.go is the same program in Go, to compare with GODEBUG=schedtrace=1000.
#include <atomic>
#include <chrono>
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

namespace {

// crunch is a loop that calls nothing: only sysmon can stop it (by signal).
__attribute__((noinline)) long crunch(long iters) {
  unsigned long x = 0;  // wraps like Go's int (signed overflow is undefined in C++)
  for (long i = 0; i < iters; i++) {
    x = x * 31 + i;
    asm volatile("" : "+r"(x));
  }
  return x;
}

}  // namespace

GMPS_DEMO("schedtrace", "08-schedtrace", 2,
          "2.5 s (N ms) of CPU-bound, sleeping, syscall- and channel-blocked goroutines: try GMPDEBUG=schedtrace=1000") {
  using namespace std::chrono;
  const long runMs = n > 0 ? n : 2500;
  std::atomic<bool> stop{false};
  std::atomic<long> rounds{0}, ticks{0}, syscalls{0};
  gmps::WaitGroup wg;
  gmps::Chan<int> never(0);
  gmps::Mutex held;
  held.Lock();  // main holds it until the end

  wg.Add(7);
  for (int i = 0; i < 3; i++) {
    gmps::go("cruncher", [&] {
      while (!stop.load(std::memory_order_relaxed)) {
        crunch(2'000'000);  // a few ms per round
        rounds.fetch_add(1, std::memory_order_relaxed);
      }
      wg.Done();
    });
  }
  gmps::go("ticker", [&] {
    while (!stop.load(std::memory_order_relaxed)) {
      gmps::Sleep(milliseconds(100));
      ticks.fetch_add(1, std::memory_order_relaxed);
    }
    wg.Done();
  });
  gmps::go("syscaller", [&] {
    while (!stop.load(std::memory_order_relaxed)) {
      gmps::sysNanosleep(milliseconds(50));
      syscalls.fetch_add(1, std::memory_order_relaxed);
    }
    wg.Done();
  });
  gmps::go("waiter", [&] {
    never.recvOpt();  // nothing is ever sent: it waits until main closes the channel
    wg.Done();
  });
  gmps::go("locker", [&] {
    held.Lock();  // main holds it: this waits until main unlocks at the end
    held.Unlock();
    wg.Done();
  });

  gmps::Sleep(milliseconds(runMs));
  stop.store(true);
  never.close();
  held.Unlock();
  wg.Wait();
  std::printf("ran %ld ms: %ld crunch rounds, %ld ticks, %ld syscalls; %lld threads (Ms) for %d Ps\n", runMs,
              rounds.load(), ticks.load(), syscalls.load(), static_cast<long long>(gmps::NumThreads()),
              gmps::GOMAXPROCS());
}
