// Reconstruction of the scheduler's state at chosen instants, and the snapshot +
// replay seek against a replay from the first event.
#include <gtest/gtest.h>

#include <random>

#include "replay.h"  // model-internal: the from-scratch replay to compare against
#include "test_util.h"
#include "trace_gen.h"

using namespace gmps::model;
using gmps::testing::loadData;

namespace {

const GoroutineState* findG(const SchedState& s, int32_t id) {
  for (auto& g : s.goroutines)
    if (g.id == id) return &g;
  return nullptr;
}

TEST(State, BasicWhileG1IsInRunnext) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  SchedState s = m->stateAt(305);
  EXPECT_EQ(s.next, 22);
  EXPECT_EQ(s.time, 305);
  ASSERT_EQ(s.procs.size(), 2u);
  EXPECT_EQ(s.procs[0].m, -1);
  EXPECT_EQ(s.procs[1].m, 1);
  EXPECT_EQ(s.procs[1].curg, 2);
  EXPECT_EQ(s.procs[1].runnext, 1);
  EXPECT_TRUE(s.procs[1].runq.empty());
  EXPECT_EQ(s.idleProcs, std::vector<int32_t>{0});
  EXPECT_TRUE(s.globalQueue.empty());
  ASSERT_EQ(s.machines.size(), 2u);
  EXPECT_EQ(s.machines[0].status, MStatus::Parked);
  EXPECT_EQ(s.machines[1].status, MStatus::Running);
  EXPECT_EQ(s.machines[1].curg, 2);
  EXPECT_EQ(s.machines[1].p, 1);
  ASSERT_EQ(s.goroutines.size(), 2u);
  EXPECT_EQ(s.goroutines[0].id, 1);
  EXPECT_EQ(s.goroutines[0].status, GStatus::Runnable);
  EXPECT_EQ(s.goroutines[0].since, 20);
  EXPECT_EQ(s.goroutines[1].status, GStatus::Running);
  EXPECT_EQ(s.goroutines[1].m, 1);
  EXPECT_EQ(s.goroutines[1].p, 1);
}

TEST(State, BasicAfterGosched) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  SchedState s = m->stateAt(401);
  EXPECT_EQ(s.globalQueue, std::vector<int32_t>{2});
  EXPECT_EQ(s.procs[1].curg, -1);
  EXPECT_EQ(s.procs[1].runnext, 1);
  EXPECT_EQ(s.machines[1].status, MStatus::Idle);
  EXPECT_EQ(findG(s, 2)->status, GStatus::Runnable);
}

TEST(State, EdgesOfTheTrace) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  SchedState first = m->stateAt(-1);
  EXPECT_EQ(first.next, 0);
  EXPECT_TRUE(first.procs.empty());
  EXPECT_TRUE(first.goroutines.empty());
  SchedState last = m->stateAt(1'000'000);
  EXPECT_EQ(last.next, 30);
  EXPECT_TRUE(last.goroutines.empty());
  EXPECT_EQ(last.deadGoroutines, 2);
  EXPECT_EQ(m->stateAfter(30).deadGoroutines, 2);
  EXPECT_EQ(m->stateAfter(99).next, 30);  // clamped
}

TEST(State, QueuesAfterRunqPutSlow) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  SchedState s = m->stateAt(135);
  EXPECT_EQ(s.procs[0].m, 0);
  EXPECT_EQ(s.procs[0].curg, 1);
  EXPECT_EQ(s.procs[0].runnext, 5);
  EXPECT_EQ(s.procs[0].runq, std::vector<int32_t>{3});
  EXPECT_EQ(s.globalQueue, (std::vector<int32_t>{2, 4}));
  EXPECT_EQ(s.procs[1].curg, -1);
  EXPECT_TRUE(s.idleProcs.empty());
  ASSERT_EQ(s.goroutines.size(), 5u);
  for (int id = 2; id <= 5; id++) EXPECT_EQ(findG(s, id)->status, GStatus::Runnable) << id;
}

TEST(State, QueuesAfterGlobalBatch) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  SchedState s = m->stateAt(255);
  EXPECT_EQ(s.globalQueue, std::vector<int32_t>{1});
  EXPECT_EQ(s.procs[1].runq, std::vector<int32_t>{4});
  EXPECT_EQ(s.procs[0].curg, 5);
  EXPECT_EQ(s.procs[0].runnext, -1);
  const GoroutineState* g3 = findG(s, 3);
  ASSERT_TRUE(g3);
  EXPECT_EQ(g3->status, GStatus::Waiting);
  EXPECT_EQ(g3->reason, uint8_t(gmps::trace::BlockReason::NetPoll));
  EXPECT_EQ(g3->since, 33);
}

TEST(State, QueuesDuringBlockingSyscall) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  SchedState s = m->stateAt(335);
  EXPECT_EQ(s.procs[0].m, -1);
  EXPECT_EQ(s.idleProcs, std::vector<int32_t>{0});
  EXPECT_EQ(s.machines[0].status, MStatus::Syscall);
  EXPECT_EQ(s.machines[0].curg, 1);
  EXPECT_EQ(s.machines[0].p, -1);
  EXPECT_EQ(findG(s, 1)->status, GStatus::Syscall);
  EXPECT_EQ(findG(s, 1)->m, 0);
  EXPECT_TRUE(s.machines[2].sysmon);
}

// describe renders a from-scratch Replayer like a SchedState, to compare the two.
std::string describe(const detail::Replayer& r, const detail::GIds& ids) {
  auto gid = [&](int32_t g) { return g < 0 ? -1 : ids.id(g); };
  std::string s;
  for (size_t p = 0; p < r.ps.size(); p++) {
    auto& P = r.ps[p];
    s += "P" + std::to_string(p) + " m" + std::to_string(P.m) + " g" + std::to_string(gid(P.curg)) +
         " next" + std::to_string(gid(P.runnext)) + " q";
    for (int32_t g : P.runq) s += " " + std::to_string(gid(g));
    s += "\n";
  }
  s += "global";
  for (int32_t g : r.global) s += " " + std::to_string(gid(g));
  s += "\n";
  for (size_t m = 0; m < r.ms.size(); m++)
    if (r.ms[m].st != MStatus::None)
      s += "M" + std::to_string(m) + " " + mStatusName(r.ms[m].st) + " p" + std::to_string(r.ms[m].p) +
           " g" + std::to_string(gid(r.ms[m].curg)) + "\n";
  std::vector<int32_t> live = r.live;
  std::sort(live.begin(), live.end());
  for (int32_t g : live) {
    auto& G = r.gs[size_t(g)];
    s += "G" + std::to_string(gid(g)) + " " + gStatusName(G.st) + " r" + std::to_string(G.reason) +
         " since" + std::to_string(G.since) + " m" + std::to_string(G.m) + "\n";
  }
  return s + "dead " + std::to_string(r.dead);
}

std::string describe(const SchedState& st) {
  std::string s;
  for (auto& P : st.procs) {
    s += "P" + std::to_string(P.id) + " m" + std::to_string(P.m) + " g" + std::to_string(P.curg) +
         " next" + std::to_string(P.runnext) + " q";
    for (int32_t g : P.runq) s += " " + std::to_string(g);
    s += "\n";
  }
  s += "global";
  for (int32_t g : st.globalQueue) s += " " + std::to_string(g);
  s += "\n";
  for (auto& M : st.machines)
    s += "M" + std::to_string(M.id) + " " + mStatusName(M.status) + " p" + std::to_string(M.p) +
         " g" + std::to_string(M.curg) + "\n";
  for (auto& G : st.goroutines)
    s += "G" + std::to_string(G.id) + " " + gStatusName(G.status) + " r" + std::to_string(G.reason) +
         " since" + std::to_string(G.since) + " m" + std::to_string(G.m) + "\n";
  return s + "dead " + std::to_string(st.deadGoroutines);
}

TEST(State, SnapshotSeekEqualsReplayFromTheStart) {
  gmps::testing::GenOptions o;
  o.events = 60000;
  o.targetLive = 1500;  // enough live Gs that snapshots are further apart than 4096
  o.seed = 3;
  auto m = gmps::testing::loadText(gmps::testing::syntheticTrace(o), "gen.jsonl");
  ASSERT_TRUE(m);
  const gmps::trace::Trace& t = m->trace();
  detail::GIds ids(t);
  detail::Replayer scratch(t, ids);
  std::mt19937 rng(7);
  std::vector<EventIndex> at;
  for (int k = 0; k < 25; k++) at.push_back(EventIndex(rng() % t.events.size()));
  at.push_back(4096);  // exactly at a snapshot
  at.push_back(EventIndex(t.events.size()));
  std::sort(at.begin(), at.end());
  EventIndex done = 0;
  for (EventIndex i : at) {
    for (; done < i; done++) scratch.apply(done);
    EXPECT_EQ(describe(m->stateAfter(i)), describe(scratch, ids)) << "after " << i << " events";
  }
}

// What stateAt says of a G agrees with the span of its lane at that instant.
TEST(State, AgreesWithGoroutineLanes) {
  gmps::testing::GenOptions o;
  o.events = 30000;
  o.seed = 5;
  auto m = gmps::testing::loadText(gmps::testing::syntheticTrace(o), "gen.jsonl");
  ASSERT_TRUE(m);
  std::mt19937 rng(11);
  SpanClock c = m->clock();
  for (int k = 0; k < 20; k++) {
    EventIndex i = EventIndex(1 + rng() % (m->events().size() - 1));
    SchedState s = m->stateAfter(i);
    for (const GoroutineState& g : s.goroutines) {
      const GoroutineLane& lane = *m->goroutine(g.id);
      // The span in force after events [0, i): the last that began before i.
      auto it = std::upper_bound(lane.spans.begin(), lane.spans.end(), i - 1,
                                 [](EventIndex v, const Span& sp) { return v < sp.begin; });
      ASSERT_NE(it, lane.spans.begin()) << "G" << g.id;
      const Span& sp = *(it - 1);
      EXPECT_TRUE(sp.end == kNoEvent || sp.end >= i) << "G" << g.id;
      static const SpanKind kindOf[] = {SpanKind::Count, SpanKind::GRunnable, SpanKind::GRunning,
                                        SpanKind::GWaiting, SpanKind::GSyscall};
      EXPECT_EQ(sp.kind, kindOf[int(g.status)]) << "G" << g.id << " after " << i;
      EXPECT_EQ(sp.begin, g.since);
      (void)c;
    }
  }
}

}  // namespace
