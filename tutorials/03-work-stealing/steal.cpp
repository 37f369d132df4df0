// steal — one goroutine creates all the work. Its P's queue fills, and the other
// Ps, woken by wakep, find their own queues empty and steal half of it (runqsteal).
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

namespace {
// spin burns about iters steps of CPU without calling the runtime.
long spin(long iters) {
  unsigned long x = 0;  // wraps like Go's int (signed overflow is undefined in C++)
  for (long i = 0; i < iters; i++) x = x * 31 + i;
  return x;
}
}  // namespace

GMPS_DEMO("steal", "03-work-stealing", 0, "one goroutine spawns N CPU-bound goroutines (default 200); idle Ps steal them") {
  long count = n > 0 ? n : 200;
  gmps::WaitGroup wg;
  gmps::Mutex mu;
  long total = 0;
  wg.Add(1);
  gmps::go("producer", [&] {
    wg.Add(count);
    for (long i = 0; i < count; i++) {
      gmps::go("worker", [&] {
        long r = spin(50000);  // ~50-100 µs of work
        mu.Lock();
        total += r & 1;
        mu.Unlock();
        wg.Done();
      });
    }
    wg.Done();
  });
  wg.Wait();
  std::printf("%ld workers finished (checksum %ld)\n", count, total);
}
