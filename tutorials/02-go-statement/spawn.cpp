// spawn — many goroutines. Each go statement is newproc: a G (reused from the free
// list when one is there) goes into runnext, the previous runnext is kicked to the
// local queue, a full local queue spills half to the global queue (runqputslow), and
// an idle P is woken (wakep) to help.
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

GMPS_DEMO("spawn", "02-go-statement", 0, "main starts N goroutines (default 1000) and waits for them") {
  long count = n > 0 ? n : 1000;
  gmps::WaitGroup wg;
  wg.Add(count);
  std::atomic<long> sum{0};
  for (long i = 0; i < count; i++) {
    gmps::go([&wg, &sum, i] {
      sum.fetch_add(i, std::memory_order_relaxed);
      wg.Done();
    });
  }
  wg.Wait();
  std::printf("%ld goroutines ran; sum of their ids = %ld\n", count, sum.load());
}
