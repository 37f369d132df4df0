// semantics_test.cpp — what a gmpscope program may rely on, as in Go: channels
// (unbuffered, buffered, close, move-only elements), select, Mutex, WaitGroup, Sleep,
// NumGoroutine and goid, each under GOMAXPROCS 1, 2 and 4. Runs follow each other in
// one process, as gmps::run allows.
//
// Assertions inside goroutines are EXPECT_* (an ASSERT_* would return from the
// goroutine's function and could leave others blocked); most results are collected
// and checked after the run returns.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cfenv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmpscope/go.h"

using namespace std::chrono_literals;

namespace {

class Semantics : public ::testing::TestWithParam<int> {
 protected:
  // run runs fn as main.main with GOMAXPROCS = the parameter and expects exit code 0.
  template <typename F>
  void run(F&& fn) {
    gmps::Config cfg;
    cfg.procs = GetParam();
    EXPECT_EQ(gmps::run(std::forward<F>(fn), cfg), 0);
    EXPECT_EQ(gmps::goid(), 0) << "outside a run there is no goroutine";
  }
};

// waitGoroutines yields until at most n goroutines exist (exiting ones finish
// goexit after their last user code ran). Gives up after 30 s.
bool waitGoroutines(int64_t n) {
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (gmps::NumGoroutine() > n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    gmps::Sleep(100us);
  }
  return true;
}

// ---------------------------------------------------------------------------
// Channels

TEST_P(Semantics, UnbufferedChannelDeliversInOrder) {
  const int kN = 2000;
  std::vector<int> got;
  run([&] {
    gmps::Chan<int> ch(0);
    gmps::go([ch]() mutable {
      for (int i = 0; i < kN; i++) ch.send(i);
      ch.close();
    });
    for (;;) {
      auto [v, ok] = ch.recvOk();
      if (!ok) break;
      got.push_back(v);
    }
  });
  ASSERT_EQ(got.size(), size_t(kN));
  for (int i = 0; i < kN; i++) ASSERT_EQ(got[size_t(i)], i);
}

TEST_P(Semantics, UnbufferedSendBlocksUntilReceived) {
  std::atomic<bool> sent{false};
  bool sentEarly = true;
  int v = 0;
  run([&] {
    gmps::Chan<int> ch(0);
    gmps::Chan<int> done(0);
    gmps::go([&, ch, done]() mutable {
      ch.send(7);
      sent = true;
      done.send(0);
    });
    gmps::Sleep(5ms);  // the sender has had every chance to run: it must still wait
    sentEarly = sent.load();
    v = ch.recv();
    done.recv();
  });
  EXPECT_FALSE(sentEarly) << "an unbuffered send completed with no receiver";
  EXPECT_TRUE(sent.load());
  EXPECT_EQ(v, 7);
}

TEST_P(Semantics, BufferedChannelFillsWithoutBlockingThenBlocks) {
  std::vector<int> got;
  size_t len3 = 0, cap3 = 0;
  bool fourthFitted = true;
  std::atomic<bool> blockedSendDone{false};
  bool doneBeforeRecv = true;
  run([&] {
    gmps::Chan<int> ch(3);
    for (int i = 0; i < 3; i++) ch.send(i);  // main alone: would deadlock if it blocked
    len3 = ch.len();
    cap3 = ch.cap();
    fourthFitted = ch.trySend(99);
    gmps::Chan<int> done(0);
    gmps::go([&, ch, done]() mutable {
      ch.send(3);  // blocks: the buffer is full
      blockedSendDone = true;
      done.send(0);
    });
    gmps::Sleep(5ms);
    doneBeforeRecv = blockedSendDone.load();
    for (int i = 0; i < 4; i++) got.push_back(ch.recv());
    done.recv();
    EXPECT_EQ(ch.len(), 0u);
  });
  EXPECT_EQ(len3, 3u);
  EXPECT_EQ(cap3, 3u);
  EXPECT_FALSE(fourthFitted) << "trySend on a full channel";
  EXPECT_FALSE(doneBeforeRecv) << "a send on a full channel completed";
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3}));
}

TEST_P(Semantics, ManySendersAndReceiversOnABufferedChannel) {
  const int kSenders = 8, kPer = 2000, kReceivers = 5;
  std::atomic<long> sum{0}, count{0};
  run([&] {
    gmps::Chan<int> ch(16);
    gmps::WaitGroup senders, receivers;
    senders.Add(kSenders);
    receivers.Add(kReceivers);
    for (int s = 0; s < kSenders; s++) {
      gmps::go([&, ch, s]() mutable {
        for (int i = 0; i < kPer; i++) ch.send(s * kPer + i);
        senders.Done();
      });
    }
    for (int r = 0; r < kReceivers; r++) {
      gmps::go([&, ch]() mutable {
        while (auto v = ch.recvOpt()) {
          sum += *v;
          count++;
        }
        receivers.Done();
      });
    }
    senders.Wait();
    ch.close();
    receivers.Wait();
  });
  const long n = long(kSenders) * kPer;
  EXPECT_EQ(count.load(), n);
  EXPECT_EQ(sum.load(), n * (n - 1) / 2);
}

TEST_P(Semantics, CloseWakesEveryBlockedReceiverWithOkFalse) {
  const int kR = 20;
  std::atomic<int> woken{0}, okTrue{0}, nonZero{0};
  run([&] {
    gmps::Chan<int> ch(0);
    gmps::WaitGroup wg;
    wg.Add(kR);
    for (int i = 0; i < kR; i++) {
      gmps::go([&, ch]() mutable {
        auto [v, ok] = ch.recvOk();
        woken++;
        if (ok) okTrue++;
        if (v != 0) nonZero++;
        wg.Done();
      });
    }
    gmps::Sleep(5ms);  // let them block (not required for the outcome)
    ch.close();
    wg.Wait();
  });
  EXPECT_EQ(woken.load(), kR);
  EXPECT_EQ(okTrue.load(), 0);
  EXPECT_EQ(nonZero.load(), 0) << "a receive from a closed channel yields the zero value";
}

TEST_P(Semantics, ValuesAreDrainedAfterClose) {
  std::vector<std::pair<int, bool>> got;
  bool optEmpty = false, tryClosed = false;
  run([&] {
    gmps::Chan<int> ch(4);
    ch.send(1);
    ch.send(2);
    ch.send(3);
    ch.close();
    for (int i = 0; i < 4; i++) got.push_back(ch.recvOk());
    optEmpty = !ch.recvOpt().has_value();
    auto t = ch.tryRecv();
    tryClosed = t.has_value() && !t->has_value();  // ready, but closed
  });
  EXPECT_EQ(got, (std::vector<std::pair<int, bool>>{{1, true}, {2, true}, {3, true}, {0, false}}));
  EXPECT_TRUE(optEmpty);
  EXPECT_TRUE(tryClosed);
}

TEST_P(Semantics, SendOnClosedChannelPanics) {
  std::string msg, msg2, blockedMsg;
  run([&] {
    gmps::Chan<int> ch(1);
    ch.close();
    try {
      ch.send(1);
    } catch (const gmps::Panic& p) {
      msg = p.msg;
    }
    try {
      ch.close();
    } catch (const gmps::Panic& p) {
      msg2 = p.msg;
    }
    // A sender blocked on the channel panics when it is closed (Go: closechan).
    gmps::Chan<int> ub(0);
    gmps::Chan<int> done(0);
    gmps::go([&, ub, done]() mutable {
      try {
        ub.send(5);
      } catch (const gmps::Panic& p) {
        blockedMsg = p.msg;
      }
      done.send(0);
    });
    gmps::Sleep(5ms);
    ub.close();
    done.recv();
  });
  EXPECT_EQ(msg, "send on closed channel");
  EXPECT_EQ(msg2, "close of closed channel");
  EXPECT_EQ(blockedMsg, "send on closed channel");
}

TEST_P(Semantics, CloseOfNilChannelPanics) {
  std::string msg;
  run([&] {
    gmps::Chan<int> nil;
    EXPECT_TRUE(nil.nil());
    try {
      nil.close();
    } catch (const gmps::Panic& p) {
      msg = p.msg;
    }
  });
  EXPECT_EQ(msg, "close of nil channel");
}

TEST_P(Semantics, MoveOnlyElements) {
  std::vector<int> got;
  run([&] {
    gmps::Chan<std::unique_ptr<int>> ub(0), buf(2);
    gmps::go([ub, buf]() mutable {
      for (int i = 0; i < 5; i++) ub.send(std::make_unique<int>(i));
      buf.send(std::make_unique<int>(100));
      buf.send(std::make_unique<int>(101));
      buf.close();
      ub.close();
    });
    while (auto p = ub.recvOpt()) got.push_back(**p);
    while (auto p = buf.recvOpt()) got.push_back(**p);
    // Values left in a buffer are destroyed with the channel (ASan checks the leak).
    gmps::Chan<std::unique_ptr<int>> left(3);
    left.send(std::make_unique<int>(1));
    left.send(std::make_unique<int>(2));
    auto [p, ok] = left.recvOk();
    EXPECT_TRUE(ok);
    EXPECT_EQ(*p, 1);
    // And through select.
    gmps::Chan<std::unique_ptr<int>> sel(1);
    sel.send(std::make_unique<int>(7));
    int seen = 0;
    gmps::select(gmps::Recv(sel, [&](std::unique_ptr<int> v, bool ok) {
      EXPECT_TRUE(ok);
      seen = *v;
    }));
    EXPECT_EQ(seen, 7);
  });
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 100, 101}));
}

TEST_P(Semantics, NilChannelNeverProceedsInSelect) {
  int which = -1;
  run([&] {
    gmps::Chan<int> nil;
    which = gmps::select(gmps::Recv(nil, [](int) {}), gmps::Send(nil, 1, [] {}), gmps::Default([] {}));
  });
  EXPECT_EQ(which, 2);
}

// ---------------------------------------------------------------------------
// select

TEST_P(Semantics, SelectChoosesTheReadyCase) {
  int which = -1, val = 0;
  run([&] {
    gmps::Chan<int> a(1), b(1);
    b.send(5);
    which = gmps::select(gmps::Recv(a, [&](int v) { val = v; }), gmps::Recv(b, [&](int v) { val = v; }));
  });
  EXPECT_EQ(which, 1);
  EXPECT_EQ(val, 5);
}

TEST_P(Semantics, SelectSendCaseToAWaitingReceiver) {
  int which = -1, got = 0;
  run([&] {
    gmps::Chan<int> full(1), out(0);
    full.send(0);  // full: its send case is not ready
    gmps::Chan<int> done(0);
    gmps::go([&, out, done]() mutable {
      got = out.recv();
      done.send(0);
    });
    which = gmps::select(gmps::Send(full, 1, [] {}), gmps::Send(out, 42, [] {}));
    done.recv();
  });
  EXPECT_EQ(which, 1);
  EXPECT_EQ(got, 42);
}

TEST_P(Semantics, SelectDefaultWhenNothingIsReady) {
  int which = -1;
  bool defaulted = false;
  run([&] {
    gmps::Chan<int> a(0), b(1);
    b.send(1);  // b is full: a send to it is not ready; a has no sender
    which = gmps::select(gmps::Recv(a, [](int) {}), gmps::Send(b, 2, [] {}),
                         gmps::Default([&] { defaulted = true; }));
    EXPECT_EQ(b.len(), 1u);
  });
  EXPECT_EQ(which, 2);
  EXPECT_TRUE(defaulted);
}

TEST_P(Semantics, SelectIsFairAmongReadyCases) {
  const int kIters = 4000;
  int counts[2] = {0, 0};
  run([&] {
    gmps::Chan<int> a(1), b(1);
    for (int i = 0; i < kIters; i++) {
      if (a.len() == 0) a.send(0);
      if (b.len() == 0) b.send(1);
      int w = gmps::select(gmps::Recv(a, [](int) {}), gmps::Recv(b, [](int) {}));
      ASSERT_TRUE(w == 0 || w == 1);
      counts[w]++;
    }
  });
  // Uniform choice: 2000 ± 32 (1 sd). 35% is over 18 sd away.
  EXPECT_GT(counts[0], kIters * 35 / 100) << counts[0] << " vs " << counts[1];
  EXPECT_GT(counts[1], kIters * 35 / 100) << counts[0] << " vs " << counts[1];
}

TEST_P(Semantics, BlockedSelectIsWokenByALaterSend) {
  int which = -1, val = 0;
  run([&] {
    gmps::Chan<int> a(0), b(0);
    gmps::go([b]() mutable {
      gmps::Sleep(2ms);
      b.send(9);
    });
    which = gmps::select(gmps::Recv(a, [&](int v) { val = v; }), gmps::Recv(b, [&](int v) { val = v; }));
    // The select's sudog on a must be gone: a later sender to a pairs with a receiver.
    gmps::go([a]() mutable { a.send(1); });
    EXPECT_EQ(a.recv(), 1);
  });
  EXPECT_EQ(which, 1);
  EXPECT_EQ(val, 9);
}

TEST_P(Semantics, SelectOnAClosedChannelReceivesOkFalse) {
  int which = -1;
  bool gotOk = true;
  int blockedWhich = -1;
  bool blockedOk = true;
  run([&] {
    gmps::Chan<int> a(0), c(0);
    c.close();
    which = gmps::select(gmps::Recv(a, [](int, bool) {}), gmps::Recv(c, [&](int, bool ok) { gotOk = ok; }));
    // A select blocked on two channels is woken by a close of one of them.
    gmps::Chan<int> x(0), y(0);
    gmps::go([y]() mutable {
      gmps::Sleep(2ms);
      y.close();
    });
    blockedWhich = gmps::select(gmps::Recv(x, [](int, bool) {}),
                                gmps::Recv(y, [&](int, bool ok) { blockedOk = ok; }));
  });
  EXPECT_EQ(which, 1);
  EXPECT_FALSE(gotOk);
  EXPECT_EQ(blockedWhich, 1);
  EXPECT_FALSE(blockedOk);
}

TEST_P(Semantics, SelectSendOnClosedChannelPanics) {
  std::string msg;
  run([&] {
    gmps::Chan<int> c(1);
    c.close();
    try {
      gmps::select(gmps::Send(c, 1, [] {}));
    } catch (const gmps::Panic& p) {
      msg = p.msg;
    }
  });
  EXPECT_EQ(msg, "send on closed channel");
}

// Two goroutines select on each other's channels many times: every value sent is
// received exactly once (exercises select's enqueue/dequeue races across Ps).
TEST_P(Semantics, SelectPingPongUnderContention) {
  const int kN = 3000;
  long sumA = 0, sumB = 0;
  run([&] {
    gmps::Chan<int> ab(0), ba(0), quit(0);
    gmps::WaitGroup wg;
    wg.Add(2);
    gmps::go([&, ab, ba]() mutable {
      int sent = 0, recvd = 0;
      while (sent < kN || recvd < kN) {
        if (sent < kN) {
          gmps::select(gmps::Send(ab, sent, [&] { sent++; }), gmps::Recv(ba, [&](int v) { sumA += v; recvd++; }));
        } else {
          sumA += ba.recv();
          recvd++;
        }
      }
      wg.Done();
    });
    gmps::go([&, ab, ba]() mutable {
      int sent = 0, recvd = 0;
      while (sent < kN || recvd < kN) {
        if (sent < kN) {
          gmps::select(gmps::Send(ba, sent, [&] { sent++; }), gmps::Recv(ab, [&](int v) { sumB += v; recvd++; }));
        } else {
          sumB += ab.recv();
          recvd++;
        }
      }
      wg.Done();
    });
    wg.Wait();
  });
  EXPECT_EQ(sumA, long(kN) * (kN - 1) / 2);
  EXPECT_EQ(sumB, long(kN) * (kN - 1) / 2);
}

// ---------------------------------------------------------------------------
// Mutex

TEST_P(Semantics, MutexGivesMutualExclusion) {
  const int kG = 16, kIncr = 5000;
  long counter = 0;  // plain int: only the mutex protects it
  std::atomic<int> inside{0}, maxInside{0};
  run([&] {
    gmps::Mutex mu;
    gmps::WaitGroup wg;
    wg.Add(kG);
    for (int g = 0; g < kG; g++) {
      gmps::go([&, g] {
        for (int i = 0; i < kIncr; i++) {
          gmps::LockGuard lk(mu);
          int n = ++inside;
          if (n > maxInside) maxInside = n;
          counter++;
          if ((i + g) % 500 == 0) gmps::Gosched();  // yield while holding it
          --inside;
        }
        wg.Done();
      });
    }
    wg.Wait();
  });
  EXPECT_EQ(counter, long(kG) * kIncr);
  EXPECT_EQ(maxInside.load(), 1);
}

TEST_P(Semantics, MutexTryLockAndBlockedLockParks) {
  bool first = false, second = true, afterUnlock = false;
  std::string unlockMsg;
  std::atomic<bool> gotIt{false};
  bool gotItEarly = true;
  run([&] {
    gmps::Mutex mu;
    first = mu.TryLock();
    second = mu.TryLock();
    gmps::Chan<int> done(0);
    gmps::go([&, done]() mutable {
      mu.Lock();  // parks until main unlocks
      gotIt = true;
      mu.Unlock();
      done.send(0);
    });
    gmps::Sleep(5ms);
    gotItEarly = gotIt.load();
    mu.Unlock();
    done.recv();
    afterUnlock = mu.TryLock();
    mu.Unlock();
    try {
      mu.Unlock();
    } catch (const gmps::Panic& p) {
      unlockMsg = p.msg;
    }
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second) << "TryLock of a locked mutex";
  EXPECT_FALSE(gotItEarly) << "Lock returned while main held the mutex";
  EXPECT_TRUE(gotIt.load());
  EXPECT_TRUE(afterUnlock);
  EXPECT_EQ(unlockMsg, "sync: unlock of unlocked mutex");
}

// ---------------------------------------------------------------------------
// WaitGroup

TEST_P(Semantics, WaitGroupWaitReturnsOnlyAfterEveryDone) {
  const int kG = 50;
  std::atomic<int> done{0};
  std::vector<int> seenByWaiters;
  run([&] {
    gmps::WaitGroup wg, waiters;
    wg.Add(kG);
    const int kWaiters = 3;
    waiters.Add(kWaiters);
    gmps::Mutex mu;
    for (int w = 0; w < kWaiters; w++) {
      gmps::go([&] {
        wg.Wait();
        int d = done.load();
        mu.Lock();
        seenByWaiters.push_back(d);
        mu.Unlock();
        waiters.Done();
      });
    }
    for (int i = 0; i < kG; i++) {
      gmps::go([&, i] {
        gmps::Sleep(std::chrono::microseconds(100 * (i % 10)));
        done++;
        wg.Done();
      });
    }
    wg.Wait();
    EXPECT_EQ(done.load(), kG);
    waiters.Wait();
    // Reuse after it reached zero.
    wg.Add(1);
    gmps::go([&] { wg.Done(); });
    wg.Wait();
  });
  EXPECT_EQ(seenByWaiters, (std::vector<int>{kG, kG, kG}));
}

TEST_P(Semantics, WaitGroupWaitWithZeroCounterReturnsAtOnce) {
  bool returned = false;
  run([&] {
    gmps::WaitGroup wg;
    wg.Wait();
    returned = true;
  });
  EXPECT_TRUE(returned);
}

TEST_P(Semantics, WaitGroupNegativeCounterPanics) {
  std::string msg;
  run([&] {
    gmps::WaitGroup wg;
    wg.Add(1);
    wg.Done();
    try {
      wg.Done();
    } catch (const gmps::Panic& p) {
      msg = p.msg;
    }
  });
  EXPECT_EQ(msg, "sync: negative WaitGroup counter");
}

// ---------------------------------------------------------------------------
// Sleep

double cpuSeconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// 100 goroutines sleep 200 ms: all wake, none early, and the process is idle
// meanwhile: sleeping goroutines are parked and idle Ms wait in the poller or park,
// they do not spin (spinning Ps would cost about GOMAXPROCS x 200 ms of CPU).
TEST_P(Semantics, SleepParksTheGoroutine) {
  const int kG = 100;
  const auto kSleep = 200ms;
  std::atomic<int> woke{0}, early{0};
  double cpu = 0, wall = 0;
  run([&] {
    gmps::WaitGroup wg;
    wg.Add(kG);
    for (int i = 0; i < kG; i++) {
      gmps::go([&] {
        int64_t t0 = gmps::nanotime();
        gmps::Sleep(kSleep);
        if (gmps::nanotime() - t0 < std::chrono::nanoseconds(kSleep).count()) early++;
        woke++;
        wg.Done();
      });
    }
    gmps::Sleep(20ms);  // everyone is asleep now; measure from here
    double c0 = cpuSeconds();
    auto w0 = std::chrono::steady_clock::now();
    wg.Wait();
    cpu = cpuSeconds() - c0;
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  });
  EXPECT_EQ(woke.load(), kG);
  EXPECT_EQ(early.load(), 0) << "Sleep returned before its duration";
  // An upper bound on CPU, not on time: a loaded machine only makes it smaller.
  EXPECT_LT(cpu, 0.5 * wall + 0.05) << "cpu " << cpu << " s over " << wall << " s asleep: Ms spin";
}

TEST_P(Semantics, SleepOfZeroOrLessReturns) {
  bool done = false;
  run([&] {
    gmps::Sleep(0ns);
    gmps::Sleep(-5ms);
    done = true;
  });
  EXPECT_TRUE(done);
}

// ---------------------------------------------------------------------------
// NumGoroutine, goid, GOMAXPROCS

TEST_P(Semantics, NumGoroutineCountsLiveGoroutines) {
  int64_t atStart = -1, withBlocked = -1;
  bool drained = false;
  run([&] {
    atStart = gmps::NumGoroutine();
    gmps::Chan<int> gate(0);
    gmps::WaitGroup started;
    started.Add(10);
    for (int i = 0; i < 10; i++) {
      gmps::go([gate, &started]() mutable {
        started.Done();
        gate.recv();
      });
    }
    started.Wait();
    withBlocked = gmps::NumGoroutine();
    gate.close();
    drained = waitGoroutines(1);
  });
  EXPECT_EQ(atStart, 1) << "only main.main";
  EXPECT_EQ(withBlocked, 11);
  EXPECT_TRUE(drained) << "exited goroutines are still counted";
}

TEST_P(Semantics, GoidsAreUniqueAndMainIsOne) {
  const int kG = 1000;
  std::vector<int64_t> ids(kG, 0);
  int64_t mainId = 0;
  int procs = 0;
  run([&] {
    mainId = gmps::goid();
    procs = gmps::GOMAXPROCS();
    gmps::WaitGroup wg;
    wg.Add(kG);
    for (int i = 0; i < kG; i++) {
      gmps::go([&, i] {
        ids[size_t(i)] = gmps::goid();
        wg.Done();
      });
    }
    wg.Wait();
  });
  EXPECT_EQ(mainId, 1);
  EXPECT_EQ(procs, GetParam());
  std::set<int64_t> uniq(ids.begin(), ids.end());
  EXPECT_EQ(uniq.size(), size_t(kG)) << "goids are never reused, even when G structs are";
  EXPECT_GT(*uniq.begin(), 1);
  // Created in order, so numbered in order (Go: goidgen).
  for (int i = 1; i < kG; i++) EXPECT_LT(ids[size_t(i - 1)], ids[size_t(i)]);
}

TEST_P(Semantics, GoroutinesRunOnAllPs) {
  // With more Ps, CPU-bound goroutines that never block still all finish, and a
  // goroutine started from a goroutine runs (newproc from any G).
  const int kG = 40;
  std::atomic<int> finished{0};
  run([&] {
    gmps::WaitGroup wg;
    wg.Add(kG);
    for (int i = 0; i < kG; i++) {
      gmps::go([&] {
        gmps::go([&] {
          volatile long x = 0;
          for (long k = 0; k < 100000; k++) x = x + k;
          finished++;
          wg.Done();
        });
      });
    }
    wg.Wait();
  });
  EXPECT_EQ(finished.load(), kG);
}

TEST_P(Semantics, PanicCaughtInAGoroutineIsRecovered) {
  std::string msg;
  bool mainContinued = false;
  run([&] {
    gmps::Chan<int> done(0);
    gmps::go([&, done]() mutable {
      try {
        gmps::panic("recover me");
      } catch (const gmps::Panic& p) {
        msg = p.msg;
      }
      done.send(0);
    });
    done.recv();
    mainContinued = true;
  });
  EXPECT_EQ(msg, "recover me");
  EXPECT_TRUE(mainContinued);
}

// ---------------------------------------------------------------------------
// Floating-point control words

// Each goroutine keeps its own rounding mode (MXCSR and the x87 control word are
// callee-saved in the System V ABI, so the context switch keeps them per goroutine),
// however often it is switched out, moved between threads or preempted, and the
// others never see it.
TEST_P(Semantics, EachGoroutineKeepsItsOwnRoundingMode) {
  const int kRounds = 3000;
  std::atomic<int> wrongUp{0}, wrongDefault{0};
  run([&] {
    gmps::WaitGroup wg;
    wg.Add(3);
    gmps::go([&] {
      std::fesetround(FE_UPWARD);
      for (int i = 0; i < kRounds; i++) {
        gmps::Gosched();
        volatile double third = 1.0, three = 3.0;
        if (std::fegetround() != FE_UPWARD || third / three <= 0.3333333333333333) wrongUp++;
      }
      wg.Done();
    });
    for (int k = 0; k < 2; k++)
      gmps::go([&] {
        for (int i = 0; i < kRounds; i++) {
          gmps::Gosched();
          if (std::fegetround() != FE_TONEAREST) wrongDefault++;
        }
        wg.Done();
      });
    wg.Wait();
    if (std::fegetround() != FE_TONEAREST) wrongDefault++;
  });
  EXPECT_EQ(wrongUp.load(), 0) << "the goroutine that rounds upward lost its mode";
  EXPECT_EQ(wrongDefault.load(), 0) << "another goroutine saw the upward rounding mode";
  EXPECT_EQ(std::fegetround(), FE_TONEAREST) << "the thread that ran the program";
}

INSTANTIATE_TEST_SUITE_P(Procs, Semantics, ::testing::Values(1, 2, 4),
                         [](const ::testing::TestParamInfo<int>& i) { return "procs" + std::to_string(i.param); });

// ---------------------------------------------------------------------------
// Run lifecycle

// Runs follow each other; each starts from a clean runtime (goids from 1, Ps anew).
TEST(RunLifecycle, RunsFollowEachOther) {
  for (int i = 0; i < 20; i++) {
    int64_t id = 0;
    int procs = 0;
    gmps::Config cfg;
    cfg.procs = 1 + i % 4;
    EXPECT_EQ(gmps::run(
                  [&] {
                    id = gmps::goid();
                    procs = gmps::GOMAXPROCS();
                    gmps::Chan<int> ch(0);
                    gmps::go([ch]() mutable { ch.send(1); });
                    EXPECT_EQ(ch.recv(), 1);
                  },
                  cfg),
              0);
    EXPECT_EQ(id, 1);
    EXPECT_EQ(procs, 1 + i % 4);
  }
}

// The run ends (main.main returns) just as another M runs out of work and parks in
// stopm. If that M parks after exitRuntime woke the idle Ms, it sleeps for ever and
// run() never returns. A watchdog turns that hang into a failure with a diagnosis.
TEST(RunLifecycle, RunReturnsWhenAnMGoesIdleAsMainExits) {
#if defined(GMPSCOPE_ASAN)
  const int kRuns = 100;
#else
  const int kRuns = 400;
#endif
  std::atomic<int> completed{0};
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (!finished.load()) {
      if (std::chrono::steady_clock::now() > deadline) {
        std::fprintf(stderr,
                     "FAIL: gmps::run did not return after %d completed runs: an M parked in "
                     "stopm after exitRuntime's wakeAllForExit (shutdown race)\n",
                     completed.load());
        std::fflush(stderr);
        _exit(1);
      }
      std::this_thread::sleep_for(50ms);
    }
  });
  for (int i = 0; i < kRuns; i++) {
    gmps::Config cfg;
    cfg.procs = 2;
    std::atomic<bool> ran{false};
    gmps::run(
        [&] {
          gmps::go([&] { ran = true; });
          // Spin without entering the scheduler: the other P's M runs the goroutine,
          // then looks for work and parks while main returns.
          while (!ran.load()) __builtin_ia32_pause();
        },
        cfg);
    completed++;
  }
  finished = true;
  watchdog.join();
  EXPECT_EQ(completed.load(), kRuns);
}

}  // namespace
