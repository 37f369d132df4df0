// findrunnable_test.cpp — findRunnable's order, observed through the trace: which
// branch found each G (RunqGet's src) and where each readied G was put (RunqPut's
// where). Most tests use GOMAXPROCS=1 so the order is fully determined.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "gmpscope/go.h"
#include "trace_util.h"

using gmps::testutil::isEv;
using gmps::testutil::json;

namespace {

// runTraced runs fn as main.main with tracing and returns the events, after checking
// the run's exit code and the header.
template <typename F>
std::vector<json> runTraced(const char* tag, int procs, F fn) {
  std::string path = gmps::testutil::tracePath(tag);
  gmps::Config cfg;
  cfg.procs = procs;
  cfg.trace = path.c_str();
  cfg.program = tag;
  EXPECT_EQ(gmps::run(fn, cfg), 0);
  auto t = gmps::testutil::readTrace(path);
  EXPECT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.header.value("gomaxprocs", 0), procs);
  EXPECT_EQ(t.header.value("events", size_t(0)), t.events.size());
  std::remove(path.c_str());
  return t.events;
}

// settle starts main.main with a new time slice: a Gosched. sysmon asks a G to stop
// once its P's schedtick has not moved for 10 ms, and main inherited its slice from
// startup, so a request may be pending as main.main begins; Gosched takes it here, at
// a known point, and the test's own events come after. afterSettle drops the events
// up to main's return from that Gosched. (An asynchronous preemption may also stop
// main before it gets there.)
void settle() { gmps::Gosched(); }

std::vector<json> afterSettle(const std::vector<json>& evs) {
  size_t i = 0;
  while (i < evs.size() && !(isEv(evs[i], "Startup") && evs[i]["step"] == "main_main")) i++;
  EXPECT_LT(i, evs.size()) << "no Startup main_main event";
  // settle's own stop (a preemption may come before it, but Gosched always records
  // a Gosched stop), then main's next start.
  while (i < evs.size() && !(isEv(evs[i], "GoStop") && evs[i]["g"] == 1 && evs[i]["reason"] == "Gosched")) i++;
  while (i < evs.size() && !(isEv(evs[i], "GoStart") && evs[i]["g"] == 1)) i++;
  EXPECT_LT(i, evs.size()) << "main never resumed after settle()";
  return std::vector<json>(evs.begin() + long(std::min(i + 1, evs.size())), evs.end());
}

std::vector<json> only(const std::vector<json>& evs, const char* name) {
  std::vector<json> v;
  for (const auto& e : evs)
    if (isEv(e, name)) v.push_back(e);
  return v;
}

std::string describe(const std::vector<json>& evs) {
  std::string s;
  for (const auto& e : evs) s += e.dump() + "\n";
  return s;
}

int checkGlobalQueueModel(const std::vector<json>& evs, int procs);

// newproc puts the new G in runnext; when main blocks, findRunnable takes it from
// there (src runnext), and it shares main's time slice (GoStart inherit=1).
TEST(FindRunnable, NewGoroutineIsPutInRunnextAndRunsNext) {
  std::atomic<int64_t> aid{0};
  auto evs = afterSettle(runTraced("newproc_runnext", 1, [&] {
    settle();
    gmps::WaitGroup wg;
    wg.Add(1);
    gmps::go([&] {
      aid = gmps::goid();
      wg.Done();
    });
    wg.Wait();
  }));
  ASSERT_GT(aid.load(), 1);
  auto puts = only(evs, "RunqPut");
  ASSERT_FALSE(puts.empty());
  EXPECT_EQ(puts[0]["gp"], aid.load());
  EXPECT_EQ(puts[0]["where"], "runnext");
  EXPECT_EQ(puts[0]["g"], 1) << "main (G1) ran the go statement";
  auto gets = only(evs, "RunqGet");
  ASSERT_FALSE(gets.empty());
  EXPECT_EQ(gets[0]["gp"], aid.load()) << describe(evs);
  EXPECT_EQ(gets[0]["src"], "runnext");
  for (size_t i = 0; i < evs.size(); i++) {
    if (isEv(evs[i], "GoStart") && evs[i]["g"] == aid.load()) {
      EXPECT_EQ(evs[i]["inherit"], 1) << "a G from runnext inherits the time slice";
      break;
    }
  }
}

// A G readied by the running G goes to runnext and runs before older local work.
TEST(FindRunnable, ReadiedGoroutineRunsBeforeOlderLocalWork) {
  std::atomic<int64_t> aid{0}, bid{0};
  std::vector<int64_t> order;  // GOMAXPROCS=1: one goroutine at a time
  auto evs = afterSettle(runTraced("ready_runnext", 1, [&] {
    settle();
    gmps::Chan<int> ch(0);
    gmps::WaitGroup wg;
    wg.Add(2);
    gmps::go([&] {  // B: into runnext, then kicked to the local queue by A
      bid = gmps::goid();
      order.push_back(gmps::goid());
      wg.Done();
    });
    gmps::go([&, ch]() mutable {  // A: in runnext
      aid = gmps::goid();
      order.push_back(gmps::goid());
      EXPECT_EQ(ch.recv(), 42);  // main waits in send: this readies main into runnext
      wg.Done();
    });
    ch.send(42);  // blocks: A (runnext) runs, takes the value, readies main
    order.push_back(gmps::goid());
    wg.Wait();
  }));
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0], aid.load()) << "A was in runnext";
  EXPECT_EQ(order[1], 1) << "main was readied into runnext by A, ahead of B in the local queue";
  EXPECT_EQ(order[2], bid.load());

  // The trace tells the same story.
  bool sawReady = false;
  for (const auto& e : evs) {
    if (isEv(e, "GoUnblock") && e["gp"] == 1 && e["g"] == aid.load()) sawReady = true;
    if (sawReady && isEv(e, "RunqPut")) {
      EXPECT_EQ(e["gp"], 1);
      EXPECT_EQ(e["where"], "runnext");
      break;
    }
  }
  EXPECT_TRUE(sawReady) << "A readied main: GoUnblock gp=1 on A";
  std::vector<std::pair<int64_t, std::string>> gets;
  for (const auto& e : only(evs, "RunqGet")) gets.emplace_back(e["gp"].get<int64_t>(), e["src"].get<std::string>());
  ASSERT_GE(gets.size(), 3u) << describe(evs);
  EXPECT_EQ(gets[0], std::make_pair(aid.load(), std::string("runnext"))) << describe(evs);
  EXPECT_EQ(gets[1], std::make_pair(int64_t(1), std::string("runnext")));
  EXPECT_EQ(gets[2], std::make_pair(bid.load(), std::string("local")));
}

// Gosched puts the G on the global queue: the local queue's Gs run first, then the
// global queue is taken as a batch (or by the 1-in-61 check, if its tick comes up).
TEST(FindRunnable, GoschedGoesToTheGlobalQueue) {
  std::vector<std::string> order;
  std::atomic<int64_t> cid{0};
  auto evs = afterSettle(runTraced("gosched_global", 1, [&] {
    settle();
    gmps::WaitGroup wg;
    wg.Add(3);
    gmps::go([&] { order.push_back("A"); wg.Done(); });
    gmps::go([&] { order.push_back("B"); wg.Done(); });
    gmps::go([&] {
      cid = gmps::goid();
      order.push_back("C1");
      gmps::Gosched();
      order.push_back("C2");
      wg.Done();
    });
    wg.Wait();
  }));
  ASSERT_EQ(order.size(), 4u);
  ASSERT_EQ(order[0], "C1") << "C was in runnext";

  bool stopped = false;
  std::string src;
  for (const auto& e : evs) {
    if (isEv(e, "GoStop") && e["g"] == cid.load()) {
      EXPECT_EQ(e["reason"], "Gosched");
      stopped = true;
    }
    if (stopped && isEv(e, "RunqPut") && e["gp"] == cid.load()) {
      EXPECT_EQ(e["where"], "global") << e.dump();
    }
    if (stopped && isEv(e, "RunqGet") && e["gp"] == cid.load()) src = e["src"];
  }
  ASSERT_TRUE(stopped) << describe(evs);
  if (src == "global") {
    EXPECT_EQ(order, (std::vector<std::string>{"C1", "A", "B", "C2"})) << "global only after local";
  } else {
    EXPECT_EQ(src, "global_fair") << describe(evs);
  }
}

// Goroutines the network poller readies go to the global queue only for idle Ps; an M
// that holds a P keeps the rest in its own local queue (Go 1.19 injectglist). With one
// P nothing is idle: findRunnable's netpoll(0) returns one G to run and queues the
// others locally, in the order epoll reported them. sysmon is off so only that path
// polls.
TEST(FindRunnable, NetpollKeepsReadiedGoroutinesInTheLocalQueueWhenNoPIsIdle) {
  const int kReaders = 8;
  ::setenv("GMPDEBUG", "sysmonoff=1", 1);
  std::atomic<int> got{0};
  auto evs = runTraced("netpoll_local", 1, [&] {
    auto ln = gmps::net::Listen("127.0.0.1", 0);
    ASSERT_TRUE(ln.ok()) << ln.err.msg;
    int port = ln.value.Port();
    gmps::WaitGroup wg;
    wg.Add(kReaders);
    for (int k = 0; k < kReaders; k++)
      gmps::go([&, port] {
        auto c = gmps::net::Dial("127.0.0.1", port);
        char b = 0;
        if (c.ok() && c.value.Read(&b, 1).ok() && b == 'x') got++;
        wg.Done();
      });
    std::vector<gmps::net::Conn> conns;
    for (int k = 0; k < kReaders; k++) {
      auto c = ln.value.Accept();
      ASSERT_TRUE(c.ok()) << c.err.msg;
      conns.push_back(std::move(c.value));
    }
    gmps::Sleep(std::chrono::milliseconds(20));  // every reader parks in Read
    for (auto& c : conns) EXPECT_TRUE(c.Write("x", 1).ok());
    wg.Wait();
  });
  ::unsetenv("GMPDEBUG");
  EXPECT_EQ(got.load(), kReaders);
  // From main's last block (wg.Wait) on: the readers' GoUnblocks on g0, one RunqGet
  // src=netpoll, and a local RunqPut for each of the others, none global.
  size_t i = evs.size();
  for (size_t k = 0; k < evs.size(); k++)
    if (isEv(evs[k], "GoBlock") && evs[k]["g"] == 1) i = k;
  ASSERT_LT(i, evs.size()) << "main never blocked";
  int unblocks = 0, local = 0, global = 0, fromPoller = 0;
  for (size_t k = i; k < evs.size(); k++) {
    const auto& e = evs[k];
    if (isEv(e, "GoUnblock") && e["g"] == -1) unblocks++;
    if (isEv(e, "RunqPut") && e["where"] == "local") local++;
    if (isEv(e, "RunqPut") && e["where"] == "global") global++;
    if (isEv(e, "RunqGet") && e["src"] == "netpoll") fromPoller++;
  }
  // Normally all 8 readers are parked in Read when main writes. On a machine so busy
  // that a reader had not reached Read within the 20 ms, it reads without parking and
  // the poll readies fewer: the rule must hold for however many it readied.
  ASSERT_GE(unblocks, 2) << describe(evs);
  EXPECT_LE(unblocks, kReaders) << describe(evs);
  EXPECT_GE(fromPoller, 1) << describe(evs);  // one per poll that found work
  EXPECT_EQ(local, unblocks - fromPoller) << describe(evs);
  EXPECT_EQ(global, 0) << describe(evs);
}

// Every 61st schedtick findRunnable looks at the global queue first. schedtick grows
// by one per GoStart with inherit=0 on that P, so on P0 the number of such GoStarts
// before each global_fair pick is a multiple of 61.
TEST(FindRunnable, GlobalQueueFairnessCheckEvery61Ticks) {
  const int kG = 8, kYields = 200;
  auto evs = runTraced("global_fair", 1, [&] {
    gmps::WaitGroup wg;
    wg.Add(kG);
    for (int i = 0; i < kG; i++) {
      gmps::go([&] {
        for (int k = 0; k < kYields; k++) gmps::Gosched();
        wg.Done();
      });
    }
    wg.Wait();
  });
  int64_t ticks = 0;  // schedtick of P0 as the trace shows it
  int fair = 0;
  for (const auto& e : evs) {
    if (e["p"] != 0) continue;
    if (isEv(e, "GoStart") && e["inherit"] == 0) ticks++;
    if (isEv(e, "RunqGet") && e["src"] == "global_fair") {
      fair++;
      EXPECT_EQ(ticks % 61, 0) << "global_fair at schedtick " << ticks;
      EXPECT_EQ(gmps::testutil::gList(e, "batch").size(), 0u) << "the fairness check takes one G";
    }
  }
  checkGlobalQueueModel(evs, 1);
  // 1600 yields, each a new time slice: about 26 multiples of 61, most with work queued.
  EXPECT_GE(fair, 5) << "ticks=" << ticks;
  EXPECT_GE(ticks, kG * kYields);
}

// checkGlobalQueueModel replays the global run queue from the trace of a GOMAXPROCS=1
// run: RunqPut where=global and RunqPutSlow append, RunqGet src global/global_fair
// pop. Each pop must take the queue's head, and a global batch must be exactly
// min(size/gomaxprocs+1, 128) Gs in queue order (Go: proc.go globrunqget).
// Returns the number of global batches seen.
int checkGlobalQueueModel(const std::vector<json>& evs, int procs) {
  std::deque<int64_t> q;
  int batches = 0;
  for (const auto& e : evs) {
    if (isEv(e, "RunqPut") && e["where"] == "global") q.push_back(e["gp"].get<int64_t>());
    if (isEv(e, "RunqPutSlow"))
      for (int64_t id : gmps::testutil::gList(e, "gs")) q.push_back(id);
    if (!isEv(e, "RunqGet") || (e["src"] != "global" && e["src"] != "global_fair")) continue;
    EXPECT_FALSE(q.empty()) << "took from an empty global queue: " << e.dump();
    if (q.empty()) return batches;
    auto batch = gmps::testutil::gList(e, "batch");
    size_t size = q.size();
    EXPECT_EQ(e["gp"].get<int64_t>(), q.front()) << e.dump();
    q.pop_front();
    if (e["src"] == "global_fair") {
      EXPECT_TRUE(batch.empty()) << "the 1-in-61 check takes one G: " << e.dump();
    } else {
      size_t n = std::min<size_t>({size, size / size_t(procs) + 1, 128});
      EXPECT_EQ(batch.size() + 1, n) << "global batch from a queue of " << size << ": " << e.dump();
      batches++;
    }
    for (int64_t id : batch) {
      EXPECT_FALSE(q.empty());
      if (q.empty()) break;
      EXPECT_EQ(id, q.front()) << "batch out of queue order: " << e.dump();
      q.pop_front();
    }
  }
  EXPECT_TRUE(q.empty()) << q.size() << " Gs left on the global queue at the end";
  return batches;
}

// With the local queue empty, findRunnable takes a batch from the global queue: one G
// to run and the rest, in order, to the local queue.
TEST(FindRunnable, GlobalBatchGoesToTheLocalQueueInOrder) {
  const int kG = 10, kYields = 3;
  std::vector<int64_t> order;
  auto evs = afterSettle(runTraced("global_batch", 1, [&] {
    settle();
    gmps::WaitGroup wg;
    wg.Add(kG);
    for (int i = 0; i < kG; i++) {
      gmps::go([&] {
        for (int k = 0; k < kYields; k++) {
          order.push_back(gmps::goid());
          gmps::Gosched();  // every one of them ends up on the global queue
        }
        wg.Done();
      });
    }
    wg.Wait();
  }));
  EXPECT_EQ(order.size(), size_t(kG * kYields));
  EXPECT_GE(checkGlobalQueueModel(evs, 1), 1) << describe(evs);
  // After the first round, each round runs in the order of the previous one's yields:
  // a FIFO global queue and an in-order batch.
  bool fair = false;
  for (const auto& e : only(evs, "RunqGet")) fair = fair || e["src"] == "global_fair";
  if (!fair) {
    for (size_t i = kG; i < order.size(); i++) EXPECT_EQ(order[i], order[i - kG]) << i;
  }
}

// GOMAXPROCS=2: main keeps its P busy without ever entering the scheduler, so the Gs
// it created can only run if the other P steals them, runnext included (last pass only).
TEST(FindRunnable, IdlePStealsEverythingFromABusyP) {
  const int kG = 40;
  std::vector<int64_t> ids(kG, 0);
  std::atomic<int> ran{0};
  bool allRan = false;
  // main must not be preempted: its spin loop makes no runtime call, so only an
  // asynchronous preemption could stop it.
  const char* oldDebug = std::getenv("GMPDEBUG");
  std::string savedDebug = oldDebug ? oldDebug : "";
  setenv("GMPDEBUG", "asyncpreemptoff=1", 1);
  auto evs = afterSettle(runTraced("steal", 2, [&] {
    settle();
    for (int i = 0; i < kG; i++) {
      gmps::go([&, i] {
        ids[size_t(i)] = gmps::goid();
        ran.fetch_add(1);
      });
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (ran.load() < kG && std::chrono::steady_clock::now() < deadline) {
      __builtin_ia32_pause();  // no runtime call: the P stays busy with main
    }
    allRan = ran.load() == kG;
  }));
  if (oldDebug) {
    setenv("GMPDEBUG", savedDebug.c_str(), 1);
  } else {
    unsetenv("GMPDEBUG");
  }
  ASSERT_TRUE(allRan) << "the idle P did not steal all work within 60 s";
  // After its Gosched main may run on either P: the busy P is the one it spawns on.
  bool spawning = false;
  int64_t busyP = -1;
  for (const auto& e : evs) {
    if (isEv(e, "GoCreate") && e["g"] == 1) {
      if (!spawning) busyP = e["p"];
      spawning = true;
      ASSERT_EQ(e["p"], busyP) << "main moved while spawning: " << e.dump();
    }
    if (spawning && isEv(e, "GoStop")) {
      ASSERT_FALSE(e["g"] == 1) << "main lost its P while spawning or spinning: " << e.dump();
    }
  }
  ASSERT_GE(busyP, 0);
  std::vector<int> stolen(size_t(kG) + 2, 0);
  int64_t firstId = ids[0];
  int64_t lastId = ids[kG - 1];  // the last go statement's G stays in runnext
  bool lastViaRunnext = false;
  for (size_t i = 0; i < evs.size(); i++) {
    const auto& e = evs[i];
    if (!isEv(e, "RunqSteal")) continue;
    EXPECT_EQ(e["victim"], busyP) << e.dump();
    EXPECT_EQ(e["p"], 1 - busyP) << e.dump();
    auto gs = gmps::testutil::gList(e, "gs");
    ASSERT_FALSE(gs.empty());
    for (int64_t id : gs) {
      ASSERT_GE(id, firstId);
      ASSERT_LE(id, lastId);
      stolen[size_t(id - firstId)]++;
    }
    if (e["runnext"] == 1) {
      // Taken only when the queue was empty, and alone. While main is still spawning
      // any of its Gs may sit in runnext; the last one is only ever there.
      EXPECT_EQ(gs.size(), 1u) << "runnext is stolen alone: " << e.dump();
      if (gs.back() == lastId) lastViaRunnext = true;
    }
    // The thief runs the last G it took: the next RunqGet on its M says steal.
    for (size_t j = i + 1; j < evs.size(); j++) {
      if (isEv(evs[j], "RunqGet") && evs[j]["m"] == e["m"]) {
        EXPECT_EQ(evs[j]["src"], "steal");
        EXPECT_EQ(evs[j]["gp"], gs.back());
        break;
      }
    }
  }
  for (int i = 0; i < kG; i++) EXPECT_EQ(stolen[size_t(i)], 1) << "G " << firstId + i << " stolen once";
  EXPECT_TRUE(lastViaRunnext) << "runnext of the busy P must be stolen on the last pass";
}

// SysmonPreempt's "ran" is how long the G had been running: never more than the run,
// and at least the 10 ms slice. (A P whose schedtick had not moved since startup was
// once measured from clock zero: preempted at sysmon's first tick, "ran" = uptime.)
TEST(Sysmon, PreemptOfAFreshMainIsNotBasedOnClockZero) {
  auto evs = runTraced("sysmon_fresh", 2, [&] {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(30);
    while (std::chrono::steady_clock::now() < until) __builtin_ia32_pause();  // CPU-bound main
  });
  int64_t end = evs.empty() ? 0 : evs.back()["ts"].get<int64_t>();
  for (const auto& e : only(evs, "SysmonPreempt")) {
    EXPECT_LE(e["ran"].get<int64_t>(), end) << "ran longer than the whole trace: " << e.dump();
    EXPECT_GE(e["ran"].get<int64_t>(), 10'000'000) << "preempted before its 10 ms slice: " << e.dump();
  }
}

// The M and P state machines as the trace shows them, per M in program order: an M
// spins only between MSpinStart and MSpinStop, holds at most one P between its
// ProcStart and ProcStop, and a P is held by at most one M. The workload makes Ms
// park and be woken again (by wakep → startm, spinning) many times, which is where an
// M woken spinning once recorded MSpinStop without MSpinStart.
class TraceStateMachines : public ::testing::TestWithParam<int> {};

// checkStateMachines checks one trace and returns how many parked Ms were woken.
int checkStateMachines(const std::vector<json>& evs) {
  std::map<int64_t, bool> spinning;    // by M
  std::map<int64_t, int64_t> heldBy;   // P -> M
  std::map<int64_t, int64_t> holding;  // M -> P
  int unparks = 0, errors = 0;
  for (size_t i = 0; i < evs.size() && errors < 5; i++) {
    const auto& e = evs[i];
    int64_t m = e["m"];
    std::string where = " (event " + std::to_string(i + 2) + ": " + e.dump() + ")";
    if (isEv(e, "MUnpark")) unparks++;
    if (isEv(e, "MSpinStart")) {
      if (spinning[m]) {
        ADD_FAILURE() << "M" << m << " starts spinning twice" << where;
        errors++;
      }
      spinning[m] = true;
    }
    if (isEv(e, "MSpinStop")) {
      if (!spinning[m]) {
        ADD_FAILURE() << "M" << m << " stops spinning without having started" << where;
        errors++;
      }
      spinning[m] = false;
    }
    if (isEv(e, "MPark") && spinning[m]) {
      ADD_FAILURE() << "M" << m << " parks while spinning" << where;
      errors++;
    }
    if (isEv(e, "ProcStart")) {
      int64_t p = e["p"];
      if (holding.count(m)) {
        ADD_FAILURE() << "M" << m << " acquires P" << p << " while holding P" << holding[m] << where;
        errors++;
      }
      if (heldBy.count(p)) {
        ADD_FAILURE() << "P" << p << " acquired by M" << m << " while held by M" << heldBy[p] << where;
        errors++;
      }
      holding[m] = p;
      heldBy[p] = m;
    }
    if (isEv(e, "ProcStop")) {
      int64_t p = e["p"];
      if (!holding.count(m) || holding[m] != p) {
        ADD_FAILURE() << "M" << m << " releases P" << p << " it does not hold" << where;
        errors++;
      }
      holding.erase(m);
      heldBy.erase(p);
    }
  }
  return unparks;
}

TEST_P(TraceStateMachines, SpinningAndPOwnershipAreConsistent) {
  const int kG = 8, kRounds = 25;
  int unparks = 0;
  // Whether a parked M gets woken depends on timing; a few runs make it certain.
  for (int attempt = 0; attempt < 5 && unparks == 0 && !HasFailure(); attempt++) {
    auto evs = runTraced("state_machines", GetParam(), [&] {
      gmps::WaitGroup wg;
      wg.Add(kG);
      for (int i = 0; i < kG; i++) {
        gmps::go([&, i] {
          for (int r = 0; r < kRounds; r++) {
            gmps::Sleep(std::chrono::microseconds(200 + 50 * i));
            volatile long x = 0;
            for (long k = 0; k < 2000; k++) x = x + k;
          }
          wg.Done();
        });
      }
      wg.Wait();
    });
    unparks += checkStateMachines(evs);
  }
  EXPECT_GT(unparks, 0) << "the workload never woke a parked M";
}

INSTANTIATE_TEST_SUITE_P(Procs, TraceStateMachines, ::testing::Values(2, 4),
                         [](const ::testing::TestParamInfo<int>& i) { return "procs" + std::to_string(i.param); });

}  // namespace
