// Lanes built from the hand-written traces in data/: per-G, per-P and per-M spans,
// counters and marks, checked span by span. Event index = file line - 2.
#include <gtest/gtest.h>

#include "test_util.h"

using namespace gmps::model;
using gmps::testing::loadData;
using gmps::testing::spanShape;

namespace {

TEST(Spans, BasicGoroutineLanes) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->goroutines().size(), 2u);
  const GoroutineLane& g1 = *m->goroutine(1);
  EXPECT_EQ(spanShape(g1.spans),
            "runnable(3-6:-1) running(6-17:0) waiting(17-20:-1) runnable(20-25:-1) running(25-26:1)");
  EXPECT_EQ(g1.spans[2].detail, uint8_t(gmps::trace::BlockReason::ChanRecv));
  EXPECT_EQ(g1.spans[0].detail, uint8_t(RunnableCause::Created));
  EXPECT_EQ(g1.spans[3].detail, uint8_t(RunnableCause::Unblocked));
  EXPECT_EQ(g1.created, 3);
  EXPECT_EQ(g1.ended, 26);
  EXPECT_EQ(g1.label, "runtime.main");
  const GoroutineLane& g2 = *m->goroutine(2);
  EXPECT_EQ(spanShape(g2.spans),
            "runnable(7-16:-1) running(16-22:1) runnable(22-28:-1) running(28-29:1)");
  EXPECT_EQ(g2.spans[2].detail, uint8_t(RunnableCause::Yielded));
  EXPECT_EQ(g2.label, "main.worker");
  EXPECT_EQ(m->goroutine(3), nullptr);
  EXPECT_EQ(m->goroutine(-1), nullptr);
}

TEST(Spans, BasicProcAndMachineLanes) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->procs().size(), 2u);
  EXPECT_EQ(spanShape(m->procs()[0].running), "running(6-17:1)");
  EXPECT_EQ(spanShape(m->procs()[0].held), "held(2-18:0)");
  EXPECT_EQ(spanShape(m->procs()[1].running), "running(16-22:2) running(25-26:1) running(28-29:2)");
  EXPECT_EQ(spanShape(m->procs()[1].held), "held(11--1:1)");  // held until the end
  ASSERT_EQ(m->machines().size(), 2u);
  EXPECT_EQ(spanShape(m->machines()[0].spans), "running(6-17:1) parked(19--1:-1)");
  EXPECT_EQ(spanShape(m->machines()[1].spans),
            "spinning(12-15:-1) running(16-22:2) running(25-26:1) running(28-29:2)");
  EXPECT_FALSE(m->machines()[0].sysmon);
  // An open span ends when the trace does.
  EXPECT_EQ(m->spanEnd(m->procs()[1].held[0]), 600);
  EXPECT_EQ(m->spanStart(m->procs()[1].held[0]), 111);
}

TEST(Spans, BasicCountersAndMarks) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  auto pts = [](const std::vector<CounterPoint>& v) {
    std::string s;
    for (auto& p : v) s += "(" + std::to_string(p.ev) + "," + std::to_string(p.value) + ")";
    return s;
  };
  EXPECT_EQ(pts(m->procs()[0].runnext), "(4,1)(5,0)(8,1)(13,0)");
  EXPECT_EQ(pts(m->procs()[1].runnext), "(21,1)(24,0)");
  EXPECT_EQ(pts(m->globalRunqLen()), "(23,1)(27,0)");
  EXPECT_EQ(m->startupMarks(), std::vector<EventIndex>{0});
  EXPECT_EQ(m->machines()[1].marks, std::vector<EventIndex>{10});  // MStart
  EXPECT_EQ(m->machines()[0].marks, std::vector<EventIndex>{9});   // Wakep
  EXPECT_EQ(m->procs()[0].marks, std::vector<EventIndex>{13});     // robbed
  EXPECT_EQ(m->procs()[1].marks, std::vector<EventIndex>{13});     // the thief
  auto gMarks = [&](int32_t g) {
    auto mk = m->goroutine(g)->marks;
    return std::vector<EventIndex>(mk.begin(), mk.end());
  };
  EXPECT_EQ(gMarks(1), (std::vector<EventIndex>{7, 20}));  // created G2, unblocked
  EXPECT_EQ(gMarks(2), std::vector<EventIndex>{20});       // unblocked G1
}

TEST(Spans, QueuesTraceLanes) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->firstViolation().has_value());
  EXPECT_EQ(spanShape(m->goroutine(1)->spans),
            "runnable(5-8:-1) running(8-27:0) runnable(27-38:-1) running(38-42:0) "
            "syscall(42-49:0) runnable(49-56:-1) running(56-57:0)");
  EXPECT_EQ(m->goroutine(1)->spans[2].detail, uint8_t(RunnableCause::Preempted));
  EXPECT_EQ(m->goroutine(1)->spans[5].detail, uint8_t(RunnableCause::SyscallExit));
  EXPECT_EQ(spanShape(m->goroutine(3)->spans),
            "runnable(11-24:-1) running(24-31:1) syscall(31-32:1) running(32-33:1) "
            "waiting(33-46:-1) runnable(46-48:-1) running(48-54:1)");
  EXPECT_EQ(m->goroutine(3)->spans[4].detail, uint8_t(gmps::trace::BlockReason::NetPoll));
  EXPECT_EQ(spanShape(m->machines()[0].spans),
            "running(8-27:1) running(30-36:5) running(38-42:1) syscall(42-49:1) parked(51-52:-1) "
            "running(56-57:1)");
  EXPECT_EQ(spanShape(m->machines()[1].spans),
            "spinning(20-23:-1) running(24-31:3) syscall(31-32:3) running(32-33:3) "
            "running(35-39:2) running(41-45:4) running(48-54:3)");
  EXPECT_EQ(spanShape(m->procs()[0].held), "held(1-43:0) held(53--1:0)");
  EXPECT_EQ(spanShape(m->procs()[1].running),
            "running(24-31:3) running(32-33:3) running(35-39:2) running(41-45:4) running(48-54:3)");
  EXPECT_TRUE(m->machines()[2].sysmon);
  EXPECT_EQ(m->sysmonMarks(), (std::vector<EventIndex>{25, 26}));
  EXPECT_EQ(m->procs()[0].marks, (std::vector<EventIndex>{21, 26}));
  EXPECT_EQ(m->machines()[0].marks, std::vector<EventIndex>{44});  // HandoffP
  EXPECT_EQ(m->machines()[1].marks, (std::vector<EventIndex>{2, 52}));  // MStart, MUnpark
  auto g1 = m->goroutine(1)->marks;
  EXPECT_EQ(std::vector<EventIndex>(g1.begin(), g1.end()), (std::vector<EventIndex>{9, 11, 14, 17}));
}

TEST(Spans, QueuesTraceCounters) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  auto pts = [](const std::vector<CounterPoint>& v) {
    std::string s;
    for (auto& p : v) s += "(" + std::to_string(p.ev) + "," + std::to_string(p.value) + ")";
    return s;
  };
  EXPECT_EQ(pts(m->procs()[0].runqLen), "(6,0)(13,1)(16,2)(19,1)(21,0)");
  EXPECT_EQ(pts(m->procs()[0].runnext), "(6,1)(7,0)(10,1)(29,0)");
  EXPECT_EQ(pts(m->procs()[1].runqLen), "(34,1)(40,0)");
  EXPECT_EQ(pts(m->globalRunqLen()), "(19,2)(28,3)(34,1)(37,0)(50,1)(55,0)");
}

// Lanes are what the viewer binary-searches: each must be sorted and non-overlapping.
void expectSorted(const TraceModel& m, std::span<const Span> lane, const std::string& what) {
  SpanClock c = m.clock();
  for (size_t i = 0; i < lane.size(); i++) {
    EXPECT_LE(c.start(lane[i]), c.end(lane[i])) << what << " span " << i;
    if (i > 0) {
      EXPECT_LE(c.end(lane[i - 1]), c.start(lane[i])) << what << " span " << i;
      EXPECT_NE(lane[i - 1].end, kNoEvent) << what << ": only the last span may be open";
    }
  }
}

TEST(Spans, EveryLaneIsSortedAndDisjoint) {
  for (const char* name : {"basic.jsonl", "queues.jsonl"}) {
    auto m = loadData(name);
    ASSERT_TRUE(m);
    for (auto& g : m->goroutines()) expectSorted(*m, g.spans, "G" + std::to_string(g.id));
    for (auto& p : m->procs()) {
      expectSorted(*m, p.running, "P running");
      expectSorted(*m, p.held, "P held");
    }
    for (auto& mm : m->machines()) expectSorted(*m, mm.spans, "M" + std::to_string(mm.id));
  }
}

}  // namespace
