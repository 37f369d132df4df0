// sysmon's time-slice preemption: cooperative at runtime calls, asynchronous by
// signal for loops that call nothing, and off with GMPDEBUG=asyncpreemptoff=1.
#include <gtest/gtest.h>

#include <atomic>

#include "gmpscope/go.h"
#include "trace_read.h"

using namespace sysmontest;

namespace {

std::atomic<bool> mainResumed{false};
std::atomic<bool> spinnerDone{false};
std::atomic<long> spins{0};

// spinNoCalls loops without calling anything until main.main has run again or a
// large iteration budget (seconds of work) is spent.
__attribute__((noinline)) void spinNoCalls() {
  long i = 0;
  while (!mainResumed.load(std::memory_order_relaxed) && i < 4'000'000'000L) i++;
  spins = i;
}

// starveMain: GOMAXPROCS=1, a spinner takes the only P right after readying main.
// Returns whether main.main ran again while the spinner was still spinning.
bool starveMain(bool cooperative, const char* trace) {
  mainResumed = false;
  spinnerDone = false;
  bool resumedDuring = false;
  gmps::Config cfg;
  cfg.procs = 1;
  cfg.trace = trace;
  int code = gmps::run(
      [&] {
        gmps::Chan<int> started(1);
        gmps::WaitGroup wg;
        wg.Add(1);
        gmps::go([&] {
          started.send(1);
          if (cooperative) {
            long i = 0;
            while (!mainResumed.load() && i < 4'000'000'000L) {
              gmps::Checkpoint();
              i++;
            }
          } else {
            spinNoCalls();
          }
          spinnerDone = true;
          wg.Done();
        });
        started.recv();
        resumedDuring = !spinnerDone.load();
        mainResumed = true;
        wg.Wait();
      },
      cfg);
  EXPECT_EQ(code, 0);
  return resumedDuring;
}

TEST(Preemption, AsyncPreemptionStopsALoopWithoutCalls) {
  std::string t = tempTrace("async");
  EXPECT_TRUE(starveMain(false, t.c_str()));
  auto tr = readTrace(t);
  int preemptsBySignal = 0, stops = 0;
  for (const auto& e : tr) {
    if (e["ev"] == "SysmonPreempt" && e["async"] == 1) preemptsBySignal++;
    if (e["ev"] == "GoStop" && e["reason"] == "preempted") stops++;
  }
  EXPECT_GE(preemptsBySignal, 1);
  EXPECT_GE(stops, 1);
  EXPECT_GE(gmps::lastRunStats().asyncPreempts, 1);
  std::remove(t.c_str());
}

// main.main runs on G1 inside runtime.main, which is the runtime's own code: only the
// program's part of it (main.main, the init functions) may be stopped by signal, and
// that part must be. With one P, a goroutine main starts can run before main's loop
// (no calls) ends only if sysmon stops main by signal.
std::atomic<bool> helperRan{false};

__attribute__((noinline)) bool spinUntilHelperRan() {
  long i = 0;
  while (!helperRan.load(std::memory_order_relaxed) && i < 4'000'000'000L) i++;
  return helperRan.load();
}

TEST(Preemption, MainItselfIsStoppedBySignal) {
  helperRan = false;
  bool ranDuring = false;
  gmps::Config cfg;
  cfg.procs = 1;
  int code = gmps::run(
      [&] {
        gmps::go([] { helperRan = true; });
        ranDuring = spinUntilHelperRan();
      },
      cfg);
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(ranDuring);
  EXPECT_GE(gmps::lastRunStats().asyncPreempts, 1);
}

TEST(Preemption, AsyncPreemptOffStarvesMainUntilTheLoopEnds) {
  EnvGuard env("GMPDEBUG", "asyncpreemptoff=1");
  EXPECT_FALSE(starveMain(false, nullptr));
  EXPECT_EQ(gmps::lastRunStats().asyncPreempts, 0);
}

TEST(Preemption, CheckpointIsACooperativePreemptionPoint) {
  EnvGuard env("GMPDEBUG", "asyncpreemptoff=1");
  std::string t = tempTrace("coop");
  EXPECT_TRUE(starveMain(true, t.c_str()));
  auto tr = readTrace(t);
  int coop = 0;
  for (const auto& e : tr)
    if (e["ev"] == "SysmonPreempt" && e["async"] == 0) coop++;
  EXPECT_GE(coop, 1);
  EXPECT_GE(countEv(tr, "GoStop"), 1);
  std::remove(t.c_str());
}

TEST(Sysmon, BacksOffWhileNothingNeedsDoing) {
  // Two busy goroutines for 200 ms: no P sits in a syscall, so each round finds
  // nothing to retake and sysmon's sleep grows from 20 µs towards 10 ms.
  std::string t = tempTrace("backoff");
  gmps::Config cfg;
  cfg.procs = 2;
  cfg.trace = t.c_str();
  gmps::run(
      [] {
        gmps::WaitGroup wg;
        wg.Add(2);
        int64_t end = gmps::nanotime() + 200'000'000;
        for (int k = 0; k < 2; k++) {
          gmps::go([&] {
            while (gmps::nanotime() < end) gmps::Checkpoint();
            wg.Done();
          });
        }
        wg.Wait();
      },
      cfg);
  auto tr = readTrace(t);
  int64_t maxSleep = 0, minSleep = INT64_MAX;
  for (const auto& e : tr) {
    if (e["ev"] != "SysmonTick") continue;
    maxSleep = std::max<int64_t>(maxSleep, e["sleep"]);
    minSleep = std::min<int64_t>(minSleep, e["sleep"]);
  }
  EXPECT_LT(minSleep, 1'000'000);   // starts at about 20 µs
  EXPECT_GT(maxSleep, 2'000'000);   // has doubled its way up past 2 ms
  std::remove(t.c_str());
}

}  // namespace
