// System calls: sysmon retakes the P of an M blocked in a syscall and hands it off,
// so other goroutines keep running; entersyscallblock hands it off at once.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "gmpscope/go.h"
#include "trace_read.h"

using namespace sysmontest;

namespace {

// While one goroutine sleeps in nanosleep(2) for 200 ms with GOMAXPROCS=1, another
// must keep running: its counter advances during the syscall.
void otherGoroutineRunsDuringSyscall(bool block) {
  std::string t = tempTrace(block ? "sysblock" : "syscall");
  gmps::Config cfg;
  cfg.procs = 1;
  cfg.trace = t.c_str();
  std::atomic<long> ticks{0};
  std::atomic<bool> stop{false};
  long during = 0;
  gmps::run(
      [&] {
        gmps::WaitGroup wg;
        wg.Add(1);
        gmps::go([&] {
          while (!stop.load()) {
            ticks++;
            gmps::Sleep(std::chrono::microseconds(200));
          }
          wg.Done();
        });
        gmps::Gosched();  // let the ticker start
        long before = ticks.load();
        auto sleep = [] {
          timespec ts{0, 200'000'000};
          return nanosleep(&ts, nullptr);
        };
        if (block) {
          gmps::syscallBlock(sleep);
        } else {
          gmps::syscall(sleep);
        }
        during = ticks.load() - before;
        stop = true;
        wg.Wait();
      },
      cfg);
  EXPECT_GT(during, 10) << "the other goroutine did not run while the P's M was in a syscall";
  EXPECT_GE(gmps::lastRunStats().threads, 3);  // m0, sysmon, and the M that took the P
  auto tr = readTrace(t);
  EXPECT_GE(countEv(tr, "GoSyscallBegin"), 1);
  EXPECT_GE(countEv(tr, "GoSyscallEnd") + countEv(tr, "GoSyscallEndBlocked"), 1);
  EXPECT_GE(countEv(tr, "HandoffP"), 1);
  if (!block) {
    EXPECT_GE(countEv(tr, "SysmonRetake"), 1);
    EXPECT_GE(countEv(tr, "ProcSteal"), 1);
  }
  std::remove(t.c_str());
}

TEST(Syscall, SysmonRetakesThePAndAnotherMRunsGoroutines) { otherGoroutineRunsDuringSyscall(false); }

TEST(Syscall, EntersyscallblockHandsThePOffAtOnce) { otherGoroutineRunsDuringSyscall(true); }

TEST(Syscall, ShortSyscallsKeepTheirP) {
  gmps::Config cfg;
  cfg.procs = 2;
  long sum = 0;
  gmps::run(
      [&] {
        for (int i = 0; i < 1000; i++) sum += gmps::syscall([] { return 1; });
      },
      cfg);
  EXPECT_EQ(sum, 1000);
}

// Out of line, so that each reads or sets the errno of the thread it runs on (an
// inlined errno may reuse the address of another thread's: see gmps::rt::setErrno).
__attribute__((noinline)) int readErrno() { return errno; }
__attribute__((noinline)) void failWith(int e) { errno = e; }
__attribute__((noinline)) long threadId() { return long(gettid()); }

// errno is the call's, read on whatever thread the goroutine returns on: with the P
// handed off at once and kept busy by another goroutine, exitsyscall finds no P,
// parks the M and the goroutine resumes later, on the M that runs it then.
TEST(Syscall, ErrnoIsTheCallsAfterTheWayBack) {
  gmps::Config cfg;
  cfg.procs = 1;
  int got = 0;
  long r = 0, before = 0, after = 0;
  gmps::run(
      [&] {
        std::atomic<bool> stop{false};
        gmps::WaitGroup wg;
        wg.Add(1);
        gmps::go([&] {
          while (!stop.load()) gmps::Checkpoint();
          wg.Done();
        });
        gmps::Gosched();  // the spinner holds the P from here on
        r = gmps::syscallBlock([&] {
          timespec ts{0, 20'000'000};
          nanosleep(&ts, nullptr);
          before = threadId();
          failWith(EBADF);
          return -1;
        });
        got = readErrno();
        after = threadId();
        stop = true;
        wg.Wait();
      },
      cfg);
  EXPECT_EQ(r, -1);
  EXPECT_EQ(got, EBADF) << "call on thread " << before << ", back on " << after;
}

}  // namespace
