// runq_test.cpp — the run queues on bare P objects with no scheduler threads running,
// as Go's export_test.go does (RunSchedLocalQueueTest, RunSchedLocalQueueStealTest):
// runqput/runqget order, runnext, runqputslow, runqsteal, globrunqget batch sizes,
// the trace events they record, and one concurrent stress test of the lock-free ring.
//
// The functions under test are the runtime's own (runq.cpp), called on Ps and Gs made
// here. They need a current M only for tracing, so the fixture installs a fake one.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "runtime2.h"
#include "trace_util.h"

namespace rt = gmps::rt;
namespace trace = gmps::trace;
using gmps::testutil::json;

namespace {

class RunqTest : public ::testing::Test {
 protected:
  void SetUp() override {
    savedM_ = rt::getm();
    savedG_ = rt::getg();
    savedProcs_ = rt::gomaxprocs;
    ASSERT_EQ(rt::sched.runqsize.load(), 0) << "global queue not empty before the test";
    ASSERT_EQ(rt::sched.runqhead, nullptr);
    m_ = std::make_unique<rt::M>();
    m_->id = 0;
    m_->tr.setM(0);
    m_->fastrand = 0x1234567;
    rt::setm(m_.get());
    rt::setg(&m_->g0);
    rt::gomaxprocs = 1;
  }

  void TearDown() override {
    if (trace::enabled.load()) trace::stop();
    m_->tr.flush();
    trace::discard();
    // Leave the global queue as the next test (or run) expects it: empty.
    rt::sched.runqhead = rt::sched.runqtail = nullptr;
    rt::sched.runqsize.store(0);
    rt::sched.gFree = nullptr;
    rt::sched.gFreeN.store(0);
    rt::setm(savedM_);
    rt::setg(savedG_);
    rt::gomaxprocs = savedProcs_;
  }

  // newG makes a runnable G with the next goid (1, 2, ...).
  rt::G* newG() {
    rt::G& g = gs_.emplace_back();
    g.goid = int64_t(gs_.size());
    g.atomicstatus.store(rt::_Grunnable);
    return &g;
  }
  std::vector<rt::G*> newGs(size_t n) {
    std::vector<rt::G*> v;
    for (size_t i = 0; i < n; i++) v.push_back(newG());
    return v;
  }

  // newP makes an idle P; own says the fake M holds it (runqput's caller owns pp).
  rt::P* newP(bool own = false) {
    rt::P& p = ps_.emplace_back();
    p.id = int32_t(ps_.size() - 1);
    if (own) {
      m_->p = &p;
      p.m = m_.get();
      p.status = rt::_Prunning;
    }
    return &p;
  }

  // drain takes everything from pp's local queue with runqget.
  struct Got {
    rt::G* gp;
    bool inherit;
  };
  static std::vector<Got> drain(rt::P* pp) {
    std::vector<Got> v;
    bool inherit = false;
    while (rt::G* gp = rt::runqget(pp, &inherit)) v.push_back({gp, inherit});
    return v;
  }
  static std::vector<rt::G*> drainGs(rt::P* pp) {
    std::vector<rt::G*> v;
    for (const Got& g : drain(pp)) v.push_back(g.gp);
    return v;
  }

  // globalList walks the global queue without changing it.
  static std::vector<rt::G*> globalList() {
    std::vector<rt::G*> v;
    for (rt::G* gp = rt::sched.runqhead; gp != nullptr; gp = gp->schedlink) v.push_back(gp);
    return v;
  }

  // traceOps runs ops with tracing on and returns the events the fake M recorded.
  template <typename F>
  std::vector<json> traced(F ops) {
    trace::start();
    ops();
    trace::stop();
    m_->tr.flush();
    std::string path = gmps::testutil::tracePath("runq");
    EXPECT_EQ(trace::writeJSONL(path.c_str(), trace::TraceHeader{"runq_test", rt::gomaxprocs, 1}), "");
    trace::discard();
    auto t = gmps::testutil::readTrace(path);
    EXPECT_TRUE(t.ok) << t.error;
    std::remove(path.c_str());
    return t.events;
  }

  static std::vector<int64_t> ids(const std::vector<rt::G*>& v) {
    std::vector<int64_t> out;
    for (rt::G* gp : v) out.push_back(gp->goid);
    return out;
  }

  std::unique_ptr<rt::M> m_;
  std::deque<rt::G> gs_;  // deque: elements never move
  std::deque<rt::P> ps_;

 private:
  rt::M* savedM_ = nullptr;
  rt::G* savedG_ = nullptr;
  int32_t savedProcs_ = 1;
};

// Go: export_test.go RunSchedLocalQueueTest.
TEST_F(RunqTest, LocalQueueIsFIFOAtEveryLength) {
  rt::P* pp = newP(true);
  std::vector<rt::G*> gs = newGs(rt::kRunqSize);
  for (size_t n = 0; n < rt::kRunqSize; n++) {
    bool inherit = true;
    ASSERT_EQ(rt::runqget(pp, &inherit), nullptr) << "runq is not empty initially";
    ASSERT_TRUE(rt::runqempty(pp));
    for (size_t j = 0; j < n; j++) rt::runqput(pp, gs[j], false);
    ASSERT_EQ(rt::runqlen(pp), n);
    ASSERT_EQ(n == 0, rt::runqempty(pp));
    for (size_t j = 0; j < n; j++) {
      rt::G* gp = rt::runqget(pp, &inherit);
      ASSERT_EQ(gp, gs[j]) << "bad element at iter " << n << "/" << j;
      ASSERT_FALSE(inherit) << "a G from the local queue starts a new time slice";
    }
    ASSERT_EQ(rt::runqget(pp, &inherit), nullptr) << "again runq is not empty";
    ASSERT_EQ(rt::sched.runqsize.load(), 0) << "nothing may spill while the queue has room";
  }
}

TEST_F(RunqTest, RunnextRunsFirstAndInheritsTheTimeSlice) {
  rt::P* pp = newP(true);
  auto gs = newGs(3);
  rt::runqput(pp, gs[0], false);
  rt::runqput(pp, gs[1], false);
  rt::runqput(pp, gs[2], true);
  EXPECT_EQ(pp->runnext.load(), gs[2]);
  EXPECT_EQ(rt::runqlen(pp), 2u) << "runnext is not part of the ring";
  EXPECT_FALSE(rt::runqempty(pp));
  auto got = drain(pp);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].gp, gs[2]);
  EXPECT_TRUE(got[0].inherit) << "runnext inherits the time slice";
  EXPECT_EQ(got[1].gp, gs[0]);
  EXPECT_FALSE(got[1].inherit);
  EXPECT_EQ(got[2].gp, gs[1]);
  EXPECT_FALSE(got[2].inherit);
  EXPECT_TRUE(rt::runqempty(pp));
}

TEST_F(RunqTest, RunqputNextKicksTheOldRunnextToTheTail) {
  rt::P* pp = newP(true);
  auto gs = newGs(5);
  rt::runqput(pp, gs[0], false);
  rt::runqput(pp, gs[1], false);
  rt::runqput(pp, gs[2], true);
  rt::runqput(pp, gs[3], true);  // kicks gs[2] behind gs[0], gs[1]
  EXPECT_EQ(pp->runnext.load(), gs[3]);
  EXPECT_EQ(rt::runqlen(pp), 3u);
  rt::runqput(pp, gs[4], true);  // kicks gs[3]
  EXPECT_EQ(pp->runnext.load(), gs[4]);
  EXPECT_EQ(ids(drainGs(pp)), (std::vector<int64_t>{5, 1, 2, 3, 4}));
}

TEST_F(RunqTest, RunqputIsTracedWithWhereAndKicked) {
  rt::P* pp = newP(true);
  pp->id = 3;
  auto gs = newGs(3);
  auto evs = traced([&] {
    rt::runqput(pp, gs[0], false);
    rt::runqput(pp, gs[1], true);
    rt::runqput(pp, gs[2], true);
  });
  std::vector<json> puts;
  for (auto& e : evs)
    if (gmps::testutil::isEv(e, "RunqPut")) puts.push_back(e);
  ASSERT_EQ(puts.size(), 4u) << "3 puts plus the kicked G's move to the tail";
  EXPECT_EQ(puts[0]["gp"], 1);
  EXPECT_EQ(puts[0]["where"], "local");
  EXPECT_EQ(puts[1]["gp"], 2);
  EXPECT_EQ(puts[1]["where"], "runnext");
  EXPECT_EQ(puts[1]["kicked"], -1);
  EXPECT_EQ(puts[2]["gp"], 3);
  EXPECT_EQ(puts[2]["where"], "runnext");
  EXPECT_EQ(puts[2]["kicked"], 2);
  EXPECT_EQ(puts[3]["gp"], 2);
  EXPECT_EQ(puts[3]["where"], "local");
  for (auto& e : puts) {
    EXPECT_EQ(e["p"], 3) << e.dump();
    EXPECT_EQ(e["m"], 0) << e.dump();
  }
  drain(pp);
}

TEST_F(RunqTest, FullQueueMovesHalfPlusTheNewGToTheGlobalQueue) {
  rt::P* pp = newP(true);
  auto gs = newGs(rt::kRunqSize + 1);
  for (size_t i = 0; i < rt::kRunqSize; i++) rt::runqput(pp, gs[i], false);
  ASSERT_EQ(rt::runqlen(pp), rt::kRunqSize);
  ASSERT_EQ(rt::sched.runqsize.load(), 0);

  rt::runqput(pp, gs[rt::kRunqSize], false);  // the 257th: runqputslow

  EXPECT_EQ(rt::runqlen(pp), rt::kRunqSize / 2);
  EXPECT_EQ(rt::sched.runqsize.load(), int32_t(rt::kRunqSize / 2 + 1));
  std::vector<rt::G*> wantGlobal(gs.begin(), gs.begin() + rt::kRunqSize / 2);
  wantGlobal.push_back(gs[rt::kRunqSize]);
  EXPECT_EQ(ids(globalList()), ids(wantGlobal)) << "the oldest half, in order, then the new G";
  EXPECT_EQ(rt::sched.runqtail, gs[rt::kRunqSize]);
  std::vector<rt::G*> wantLocal(gs.begin() + rt::kRunqSize / 2, gs.begin() + rt::kRunqSize);
  EXPECT_EQ(ids(drainGs(pp)), ids(wantLocal)) << "the newer half stays local, in order";
}

TEST_F(RunqTest, FullQueueSpillsAgainAndAppendsToTheGlobalQueue) {
  rt::P* pp = newP(true);
  auto gs = newGs(2 * rt::kRunqSize);
  // 256 fill it, the 257th spills 129; 128 more fill it again, the next spills 129.
  size_t n = rt::kRunqSize + 1 + rt::kRunqSize / 2 + 1;
  for (size_t i = 0; i < n; i++) rt::runqput(pp, gs[i], false);
  EXPECT_EQ(rt::sched.runqsize.load(), int32_t(2 * (rt::kRunqSize / 2 + 1)));
  EXPECT_EQ(rt::runqlen(pp), rt::kRunqSize / 2);
  auto global = ids(globalList());
  ASSERT_EQ(global.size(), 2 * (rt::kRunqSize / 2 + 1));
  // First batch: 1..128 and 257. Then the queue holds 129..256 and 258..385, so the
  // second batch is 129..256 and 386. Every G is exactly once in global + local.
  std::vector<int64_t> all = global;
  for (int64_t id : ids(drainGs(pp))) all.push_back(id);
  std::sort(all.begin(), all.end());
  std::vector<int64_t> want;
  for (size_t i = 0; i < n; i++) want.push_back(int64_t(i + 1));
  EXPECT_EQ(all, want);
  EXPECT_EQ(global[128], 257);
  EXPECT_EQ(global[129], 129) << "the second batch is appended after the first";
}

TEST_F(RunqTest, KickedRunnextOfAFullQueueSpillsWithTheBatch) {
  rt::P* pp = newP(true);
  auto gs = newGs(rt::kRunqSize + 2);
  for (size_t i = 0; i < rt::kRunqSize; i++) rt::runqput(pp, gs[i], false);
  rt::G* r = gs[rt::kRunqSize];
  rt::G* x = gs[rt::kRunqSize + 1];
  rt::runqput(pp, r, true);
  ASSERT_EQ(rt::sched.runqsize.load(), 0);
  rt::runqput(pp, x, true);  // r is kicked to a full queue: it goes to the global queue
  EXPECT_EQ(pp->runnext.load(), x);
  auto global = globalList();
  ASSERT_EQ(global.size(), rt::kRunqSize / 2 + 1);
  EXPECT_EQ(global.back(), r);
  EXPECT_EQ(global.front(), gs[0]);
  drain(pp);
}

TEST_F(RunqTest, RunqputslowIsTracedWithTheMovedGs) {
  rt::P* pp = newP(true);
  auto gs = newGs(rt::kRunqSize + 1);
  auto evs = traced([&] {
    for (rt::G* gp : gs) rt::runqput(pp, gp, false);
  });
  int locals = 0;
  const json* slow = nullptr;
  for (auto& e : evs) {
    if (gmps::testutil::isEv(e, "RunqPut") && e["where"] == "local") locals++;
    if (gmps::testutil::isEv(e, "RunqPutSlow")) {
      ASSERT_EQ(slow, nullptr) << "one spill only";
      slow = &e;
    }
  }
  EXPECT_EQ(locals, int(rt::kRunqSize)) << "256 fitted; the 257th went with the batch";
  ASSERT_NE(slow, nullptr);
  std::vector<int64_t> want;
  for (size_t i = 0; i < rt::kRunqSize / 2; i++) want.push_back(int64_t(i + 1));
  want.push_back(int64_t(rt::kRunqSize + 1));
  EXPECT_EQ(gmps::testutil::gList(*slow, "gs"), want);
  EXPECT_EQ((*slow)["p"], 0);
  drain(pp);
}

// Go: export_test.go RunSchedLocalQueueStealTest.
TEST_F(RunqTest, StealTakesHalfRoundedUpAndNeverLosesOrDuplicatesAG) {
  rt::P* p1 = newP();
  rt::P* p2 = newP(true);  // the thief's P is ours
  auto gs = newGs(rt::kRunqSize);
  for (size_t n = 0; n < rt::kRunqSize; n++) {
    for (size_t j = 0; j < n; j++) rt::runqput(p1, gs[j], false);
    rt::G* gp = rt::runqsteal(p2, p1, true);
    std::vector<rt::G*> stolen;
    if (gp != nullptr) stolen.push_back(gp);
    std::vector<rt::G*> p2local = drainGs(p2);
    std::vector<rt::G*> left = drainGs(p1);
    size_t s = stolen.size() + p2local.size();
    ASSERT_EQ(s, n - n / 2) << "bad steal of " << n;
    ASSERT_EQ(n == 0, gp == nullptr);
    // The stolen are the oldest s, the one returned to run is the last of them and
    // the others land in the thief's queue in order; the victim keeps the rest.
    for (size_t j = 0; j < p2local.size(); j++) ASSERT_EQ(p2local[j], gs[j]) << n << "/" << j;
    if (gp != nullptr) {
      ASSERT_EQ(gp, gs[s - 1]) << n;
    }
    ASSERT_EQ(left.size(), n - s);
    for (size_t j = 0; j < left.size(); j++) ASSERT_EQ(left[j], gs[s + j]) << n << "/" << j;
  }
  EXPECT_EQ(rt::sched.runqsize.load(), 0);
}

TEST_F(RunqTest, StealIntoANonEmptyThiefQueueAppends) {
  rt::P* victim = newP();
  rt::P* thief = newP(true);
  auto gs = newGs(10);
  for (int i = 0; i < 3; i++) rt::runqput(thief, gs[size_t(i)], false);
  for (int i = 3; i < 10; i++) rt::runqput(victim, gs[size_t(i)], false);
  rt::G* gp = rt::runqsteal(thief, victim, false);  // 7 queued: takes 4
  ASSERT_EQ(gp, gs[6]);
  EXPECT_EQ(ids(drainGs(thief)), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ids(drainGs(victim)), (std::vector<int64_t>{8, 9, 10}));
}

TEST_F(RunqTest, RunnextIsStolenOnlyWhenAskedAndOnlyFromAnEmptyQueue) {
  rt::P* victim = newP();
  rt::P* thief = newP(true);
  auto gs = newGs(3);
  rt::runqput(victim, gs[0], true);
  EXPECT_EQ(rt::runqsteal(thief, victim, false), nullptr) << "runnext is not stolen before the last pass";
  EXPECT_EQ(victim->runnext.load(), gs[0]);
  EXPECT_EQ(rt::runqsteal(thief, victim, true), gs[0]);
  EXPECT_EQ(victim->runnext.load(), nullptr);
  EXPECT_TRUE(rt::runqempty(victim));
  EXPECT_TRUE(rt::runqempty(thief)) << "a stolen runnext runs at once, nothing is queued";

  // With local work, runnext stays put even when the thief may take it.
  rt::runqput(victim, gs[1], false);
  rt::runqput(victim, gs[2], true);
  EXPECT_EQ(rt::runqsteal(thief, victim, true), gs[1]);
  EXPECT_EQ(victim->runnext.load(), gs[2]);
  EXPECT_EQ(drainGs(victim), std::vector<rt::G*>{gs[2]});
}

TEST_F(RunqTest, RunnextOfARunningPIsStolenAfterTheGracePeriod) {
  rt::P* victim = newP();
  victim->status = rt::_Prunning;  // its M would run runnext soon: runqgrab waits ~3 µs
  rt::P* thief = newP(true);
  auto gs = newGs(1);
  rt::runqput(victim, gs[0], true);
  auto evs = traced([&] { EXPECT_EQ(rt::runqsteal(thief, victim, true), gs[0]); });
  EXPECT_EQ(victim->runnext.load(), nullptr);
  const json* steal = nullptr;
  const json* get = nullptr;
  for (auto& e : evs) {
    if (gmps::testutil::isEv(e, "RunqSteal")) steal = &e;
    if (gmps::testutil::isEv(e, "RunqGet")) get = &e;
  }
  ASSERT_NE(steal, nullptr);
  EXPECT_EQ((*steal)["victim"], victim->id);
  EXPECT_EQ((*steal)["runnext"], 1);
  EXPECT_EQ((*steal)["p"], thief->id);
  EXPECT_EQ(gmps::testutil::gList(*steal, "gs"), std::vector<int64_t>{1});
  ASSERT_NE(get, nullptr);
  EXPECT_EQ((*get)["src"], "steal");
  EXPECT_EQ((*get)["gp"], 1);
}

TEST_F(RunqTest, StealIsTracedWithVictimAndGs) {
  rt::P* victim = newP();
  rt::P* thief = newP(true);
  auto gs = newGs(5);
  for (rt::G* gp : gs) rt::runqput(victim, gp, false);
  auto evs = traced([&] { EXPECT_EQ(rt::runqsteal(thief, victim, true), gs[2]); });
  const json* steal = nullptr;
  for (auto& e : evs)
    if (gmps::testutil::isEv(e, "RunqSteal")) steal = &e;
  ASSERT_NE(steal, nullptr);
  EXPECT_EQ((*steal)["victim"], 0);
  EXPECT_EQ((*steal)["runnext"], 0);
  EXPECT_EQ(gmps::testutil::gList(*steal, "gs"), (std::vector<int64_t>{1, 2, 3}));
  drain(thief);
  drain(victim);
}

struct GlobCase {
  int32_t procs;
  int32_t size;
  int32_t max;
  int32_t want;  // how many Gs globrunqget takes (one to run, the rest to the local queue)
};

// Go: proc.go globrunqget: n = min(size, size/gomaxprocs+1, max if > 0, len(runq)/2).
TEST_F(RunqTest, GlobrunqgetBatchSizes) {
  const GlobCase cases[] = {
      {1, 10, 0, 10},   {4, 100, 0, 26}, {4, 100, 1, 1},  {4, 100, 5, 5},   {2, 400, 0, 128},
      {1, 300, 0, 128}, {3, 2, 0, 1},    {2, 1, 0, 1},    {4, 3, 0, 1},     {2, 7, 0, 4},
      {1, 1, 0, 1},     {8, 0, 0, 0},    {1, 129, 200, 128},
  };
  for (const GlobCase& c : cases) {
    SCOPED_TRACE("gomaxprocs=" + std::to_string(c.procs) + " size=" + std::to_string(c.size) +
                 " max=" + std::to_string(c.max));
    gs_.clear();
    ps_.clear();
    m_->p = nullptr;
    rt::P* pp = newP(true);
    rt::gomaxprocs = c.procs;
    auto gs = newGs(size_t(c.size));
    {
      rt::LockGuard lk(rt::sched.lock);
      for (rt::G* gp : gs) rt::globrunqput(gp);
    }
    ASSERT_EQ(rt::sched.runqsize.load(), c.size);
    rt::G* gp;
    {
      rt::LockGuard lk(rt::sched.lock);
      gp = rt::globrunqget(pp, c.max, false);
    }
    if (c.want == 0) {
      EXPECT_EQ(gp, nullptr);
      continue;
    }
    ASSERT_EQ(gp, gs[0]) << "the global queue is FIFO";
    EXPECT_EQ(rt::sched.runqsize.load(), c.size - c.want);
    std::vector<rt::G*> wantLocal(gs.begin() + 1, gs.begin() + c.want);
    EXPECT_EQ(ids(drainGs(pp)), ids(wantLocal));
    std::vector<rt::G*> wantGlobal(gs.begin() + c.want, gs.end());
    EXPECT_EQ(ids(globalList()), ids(wantGlobal));
    if (wantGlobal.empty()) {
      EXPECT_EQ(rt::sched.runqhead, nullptr);
      EXPECT_EQ(rt::sched.runqtail, nullptr);
    } else {
      EXPECT_EQ(rt::sched.runqtail, wantGlobal.back());
    }
    rt::sched.runqhead = rt::sched.runqtail = nullptr;
    rt::sched.runqsize.store(0);
  }
}

TEST_F(RunqTest, GlobrunqgetIsTracedWithSrcAndBatch) {
  rt::P* pp = newP(true);
  rt::gomaxprocs = 2;
  auto gs = newGs(6);
  auto evs = traced([&] {
    rt::LockGuard lk(rt::sched.lock);
    for (rt::G* gp : gs) rt::globrunqput(gp);
    EXPECT_EQ(rt::globrunqget(pp, 1, true), gs[0]);   // the 1-in-61 check takes one
    EXPECT_EQ(rt::globrunqget(pp, 0, false), gs[1]);  // 5/2+1 = 3: runs 2, queues 3, 4
  });
  std::vector<json> gets, puts;
  for (auto& e : evs) {
    if (gmps::testutil::isEv(e, "RunqGet")) gets.push_back(e);
    if (gmps::testutil::isEv(e, "RunqPut")) puts.push_back(e);
  }
  ASSERT_EQ(puts.size(), 6u);
  for (auto& e : puts) EXPECT_EQ(e["where"], "global") << e.dump();
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0]["gp"], 1);
  EXPECT_EQ(gets[0]["src"], "global_fair");
  EXPECT_EQ(gmps::testutil::gList(gets[0], "batch"), std::vector<int64_t>{});
  EXPECT_EQ(gets[1]["gp"], 2);
  EXPECT_EQ(gets[1]["src"], "global");
  EXPECT_EQ(gmps::testutil::gList(gets[1], "batch"), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(ids(drainGs(pp)), (std::vector<int64_t>{3, 4}));
}

// One owner putting and getting (with runnext and spills to the global queue) while
// two thieves steal: every G must come out exactly once.
// Dead Gs: a P keeps the newest kGFreeBatch of its own, moves the older ones to the
// global list a batch at a time, and a P with none takes a whole batch from it; no G
// is lost or handed out twice.
TEST_F(RunqTest, FreeGsMoveBetweenPsInBatchesAndNoneIsLostOrDuplicated) {
  const int32_t b = rt::kGFreeBatch;
  rt::P dying, creating;
  std::vector<rt::G*> dead;
  for (int i = 0; i < 4 * b - 1; i++) {  // batches move at the 2b-th and 3b-th puts
    dead.push_back(newG());
    rt::gfput(&dying, dead.back());
    // Never 2*b or more on the P: at 2*b the oldest b go.
    EXPECT_LT(dying.gFreeN.load(), 2 * b) << "after " << i + 1 << " puts";
  }
  EXPECT_EQ(dying.gFreeN.load(), b + b - 1);
  EXPECT_EQ(rt::sched.gFreeN.load(), 2 * b);
  // The dying P gets back its newest first.
  EXPECT_EQ(rt::gfget(&dying), dead.back());

  std::vector<rt::G*> got;
  for (rt::G* gp; (gp = rt::gfget(&creating)) != nullptr;) {
    got.push_back(gp);
    if (got.size() == 1) {
      EXPECT_EQ(creating.gFreeN.load(), b - 1) << "the first get takes one whole batch";
      EXPECT_EQ(rt::sched.gFreeN.load(), b);
    }
  }
  ASSERT_EQ(got.size(), size_t(2 * b));
  EXPECT_EQ(rt::sched.gFreeN.load(), 0);
  EXPECT_EQ(rt::sched.gFree, nullptr);
  // They are the 2*b oldest dead Gs, each once.
  std::sort(got.begin(), got.end());
  EXPECT_EQ(std::adjacent_find(got.begin(), got.end()), got.end()) << "a G handed out twice";
  std::vector<rt::G*> oldest(dead.begin(), dead.begin() + 2 * b);
  std::sort(oldest.begin(), oldest.end());
  EXPECT_EQ(got, oldest);
}

TEST_F(RunqTest, ConcurrentOwnerAndThievesNeitherLoseNorDuplicate) {
#if defined(GMPSCOPE_ASAN)
  const size_t kN = 60000;
#else
  const size_t kN = 300000;
#endif
  const int kThieves = 2;
  rt::P* owner = newP();
  owner->status = rt::_Prunning;
  std::vector<rt::P*> thiefPs;
  for (int i = 0; i < kThieves; i++) thiefPs.push_back(newP());
  auto gs = newGs(kN);
  std::atomic<bool> ownerDone{false};
  std::vector<std::vector<int64_t>> seen(kThieves + 1);

  auto asM = [](rt::M* mp) {
    rt::setm(mp);
    rt::setg(&mp->g0);
  };
  std::thread ownerT([&] {
    rt::M mine;
    asM(&mine);
    bool inherit;
    for (size_t i = 0; i < kN; i++) {
      rt::runqput(owner, gs[i], i % 5 == 0);
      if (i % 3 == 0)
        if (rt::G* gp = rt::runqget(owner, &inherit)) seen[0].push_back(gp->goid);
    }
    while (rt::G* gp = rt::runqget(owner, &inherit)) seen[0].push_back(gp->goid);
    ownerDone.store(true);
    rt::setm(nullptr);
  });
  std::vector<std::thread> thieves;
  for (int t = 0; t < kThieves; t++) {
    thieves.emplace_back([&, t] {
      rt::M mine;
      asM(&mine);
      bool inherit;
      for (;;) {
        bool done = ownerDone.load();
        rt::G* gp = rt::runqsteal(thiefPs[size_t(t)], owner, (t & 1) == 0);
        if (gp != nullptr) seen[size_t(t + 1)].push_back(gp->goid);
        while (rt::G* g2 = rt::runqget(thiefPs[size_t(t)], &inherit)) seen[size_t(t + 1)].push_back(g2->goid);
        if (done && gp == nullptr) break;
      }
      rt::setm(nullptr);
    });
  }
  ownerT.join();
  for (auto& th : thieves) th.join();
  rt::setm(m_.get());
  rt::setg(&m_->g0);

  std::vector<int> count(kN + 1, 0);
  size_t total = 0;
  for (auto& v : seen)
    for (int64_t id : v) {
      count[size_t(id)]++;
      total++;
    }
  size_t global = 0;
  for (rt::G* gp : globalList()) {
    count[size_t(gp->goid)]++;
    global++;
  }
  total += global;
  EXPECT_EQ(total, kN);
  for (size_t id = 1; id <= kN; id++) ASSERT_EQ(count[id], 1) << "G " << id;
  EXPECT_EQ(rt::sched.runqsize.load(), int32_t(global));
  EXPECT_TRUE(rt::runqempty(owner));
}

}  // namespace
