// System calls: sysmon retakes the P of an M blocked in a syscall and hands it off,
// so other goroutines keep running; entersyscallblock hands it off at once.
#include <gtest/gtest.h>

#include <atomic>

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

}  // namespace
