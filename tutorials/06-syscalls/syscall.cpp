// syscall — goroutines blocked in real system calls while others compute. A
// goroutine in a system call keeps its P only briefly: sysmon retakes the P and
// hands it to another M (handoffp → startm), so the computing goroutines keep every
// P busy. The trace shows more Ms than Ps, SysmonRetake/ProcSteal and HandoffP, and
// GoSyscallEnd (P regained) or GoSyscallEndBlocked (P gone: wait on the global queue).
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

namespace {
__attribute__((noinline)) long work(long iters) {
  unsigned long x = 0;  // wraps like Go's int (signed overflow is undefined in C++)
  for (long i = 0; i < iters; i++) x = x * 31 + i;
  return x;
}
}  // namespace

GMPS_DEMO("syscall", "06-syscalls", 2, "4 goroutines sleep in nanosleep(2) and read(2) while 4 compute") {
  int blockers = n > 0 ? int(n) : 4;
  gmps::WaitGroup wg;
  int fds[2];
  if (pipe(fds) != 0) gmps::panic("pipe failed");
  wg.Add(blockers + 4);
  for (int i = 0; i < blockers; i++) {
    gmps::go("sleeper", [&wg, i, fds] {
      if (i == 0) {
        char c;
        gmps::sysRead(fds[0], &c, 1);  // blocks until the writer below
      } else {
        gmps::sysNanosleep(std::chrono::milliseconds(20 + 5 * i));
      }
      wg.Done();
    });
  }
  long sum = 0;
  gmps::Mutex mu;
  for (int i = 0; i < 4; i++) {
    gmps::go("worker", [&] {
      for (int k = 0; k < 20; k++) {
        long r = work(200'000);
        gmps::LockGuard g(mu);
        sum += r & 1;
      }
      wg.Done();
    });
  }
  gmps::Sleep(std::chrono::milliseconds(30));
  gmps::sysWrite(fds[1], "x", 1);
  wg.Wait();
  close(fds[0]);
  close(fds[1]);
  std::printf("%d goroutines made system calls; %lld threads (Ms) served %d Ps\n", blockers,
              static_cast<long long>(gmps::NumThreads()), gmps::GOMAXPROCS());
}
