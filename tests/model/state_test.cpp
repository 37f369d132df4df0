// Reconstruction of the scheduler's state at chosen instants, and the snapshot +
// replay seek against a replay from the first event.
#include <gtest/gtest.h>

#include <random>

#include "boot_trace.h"
#include "describe_state.h"
#include "replay.h"  // model-internal: the from-scratch replay to compare against
#include "test_util.h"
#include "trace_gen.h"

using namespace gmps::model;
using gmps::testing::loadData;
using gmps::model::textual::describe;

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
    EXPECT_EQ(describe(m->stateAfter(i)), describe(scratch, ids, i)) << "after " << i << " events";
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


// describeEvent: each event's sentence fits its arguments and what the M did before it.
// Lines (0-based event index): 2 runtime GoCreate, 14 MSpinStart of a woken M, 21 MPark
// after findRunnable gave up, 25 GoSyscallBegin blocking=0, 31 sysmon's netpoll readies
// G1, 35 timer readies G3, 46 MPark after GoSyscallEndBlocked, 48/49 SysmonPreempt
// async=0/1, 55 park_m's at-once GoUnblock, 58 GoUnblock by G2.
const std::string kDescribeTrace = gmps::testing::bootTrace("describe") + R"({"ev":"GoCreate","ts":100,"m":0,"p":0,"g":1,"newg":2,"label":"main.caller"}
{"ev":"RunqPut","ts":101,"m":0,"p":0,"g":1,"gp":2,"where":"runnext","kicked":-1}
{"ev":"GoCreate","ts":110,"m":0,"p":0,"g":1,"newg":3,"label":"main.sleeper"}
{"ev":"RunqPut","ts":111,"m":0,"p":0,"g":1,"gp":3,"where":"runnext","kicked":2}
{"ev":"RunqPut","ts":112,"m":0,"p":0,"g":1,"gp":2,"where":"local","kicked":-1}
{"ev":"Wakep","ts":113,"m":0,"p":0,"g":1}
{"ev":"MStart","ts":120,"m":1,"p":-1,"g":-1,"parent":0}
{"ev":"ProcStart","ts":130,"m":1,"p":1,"g":-1}
{"ev":"MSpinStart","ts":131,"m":1,"p":1,"g":-1}
{"ev":"RunqSteal","ts":140,"m":1,"p":1,"g":-1,"victim":0,"gs":[3],"runnext":1}
{"ev":"RunqGet","ts":141,"m":1,"p":1,"g":-1,"gp":3,"src":"steal","batch":[]}
{"ev":"MSpinStop","ts":142,"m":1,"p":1,"g":-1}
{"ev":"GoStart","ts":150,"m":1,"p":1,"g":3,"inherit":0}
{"ev":"GoBlock","ts":160,"m":1,"p":1,"g":3,"reason":"sleep"}
{"ev":"ProcStop","ts":170,"m":1,"p":1,"g":-1}
{"ev":"MPark","ts":180,"m":1,"p":-1,"g":-1}
{"ev":"GoBlock","ts":200,"m":0,"p":0,"g":1,"reason":"IO wait"}
{"ev":"RunqGet","ts":210,"m":0,"p":0,"g":-1,"gp":2,"src":"local","batch":[]}
{"ev":"GoStart","ts":220,"m":0,"p":0,"g":2,"inherit":0}
{"ev":"GoSyscallBegin","ts":230,"m":0,"p":0,"g":2,"blocking":0}
{"ev":"MStart","ts":240,"m":2,"p":-1,"g":-1,"parent":0}
{"ev":"SysmonTick","ts":300,"m":2,"p":-1,"g":-1,"sleep":20}
{"ev":"SysmonRetake","ts":301,"m":2,"p":-1,"g":-1,"pp":0,"mp":0,"syscall":70}
{"ev":"ProcSteal","ts":302,"m":2,"p":-1,"g":-1,"pp":0,"mp":0}
{"ev":"HandoffP","ts":303,"m":2,"p":-1,"g":-1,"pp":0}
{"ev":"GoUnblock","ts":310,"m":2,"p":-1,"g":-1,"gp":1}
{"ev":"RunqPut","ts":311,"m":2,"p":-1,"g":-1,"gp":1,"where":"global","kicked":-1}
{"ev":"MUnpark","ts":312,"m":2,"p":-1,"g":-1,"mp":1,"pp":0}
{"ev":"ProcStart","ts":320,"m":1,"p":0,"g":-1}
{"ev":"GoUnblock","ts":321,"m":1,"p":0,"g":-1,"gp":3}
{"ev":"RunqPut","ts":322,"m":1,"p":0,"g":-1,"gp":3,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":330,"m":1,"p":0,"g":-1,"gp":3,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":340,"m":1,"p":0,"g":3,"inherit":1}
{"ev":"Wakep","ts":341,"m":1,"p":0,"g":3}
{"ev":"MStart","ts":345,"m":3,"p":-1,"g":-1,"parent":1}
{"ev":"ProcStart","ts":346,"m":3,"p":1,"g":-1}
{"ev":"RunqGet","ts":347,"m":3,"p":1,"g":-1,"gp":1,"src":"global","batch":[]}
{"ev":"GoStart","ts":348,"m":3,"p":1,"g":1,"inherit":0}
{"ev":"GoSyscallEndBlocked","ts":350,"m":0,"p":-1,"g":2}
{"ev":"RunqPut","ts":351,"m":0,"p":-1,"g":-1,"gp":2,"where":"global","kicked":-1}
{"ev":"MPark","ts":352,"m":0,"p":-1,"g":-1}
{"ev":"SysmonTick","ts":10400,"m":2,"p":-1,"g":-1,"sleep":10000}
{"ev":"SysmonPreempt","ts":10401,"m":2,"p":-1,"g":-1,"gp":3,"pp":0,"ran":10060,"async":0}
{"ev":"SysmonPreempt","ts":10402,"m":2,"p":-1,"g":-1,"gp":1,"pp":1,"ran":10054,"async":1}
{"ev":"GoStop","ts":10410,"m":3,"p":1,"g":1,"reason":"preempted"}
{"ev":"RunqPut","ts":10411,"m":3,"p":1,"g":-1,"gp":1,"where":"global","kicked":-1}
{"ev":"RunqGet","ts":10420,"m":3,"p":1,"g":-1,"gp":2,"src":"global","batch":[1]}
{"ev":"GoStart","ts":10430,"m":3,"p":1,"g":2,"inherit":0}
{"ev":"GoBlock","ts":10500,"m":3,"p":1,"g":2,"reason":"chan receive"}
{"ev":"GoUnblock","ts":10501,"m":3,"p":1,"g":-1,"gp":2}
{"ev":"GoStart","ts":10502,"m":3,"p":1,"g":2,"inherit":1}
{"ev":"GoBlock","ts":10550,"m":1,"p":0,"g":3,"reason":"chan receive"}
{"ev":"GoUnblock","ts":10600,"m":3,"p":1,"g":2,"gp":3}
)";

TEST(Describe, EventSentencesFitTheirArguments) {
  auto m = gmps::testing::loadText(kDescribeTrace, "describe.jsonl");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->firstViolation()) << m->firstViolation()->message;
  auto d = [&](EventIndex i) { return describeEvent(*m, i); };
  auto has = [&](EventIndex i, const std::string& part) {
    std::string s = d(i);
    return s.find(part) != std::string::npos ? ::testing::AssertionSuccess()
                                             : ::testing::AssertionFailure() << "event " << i << ": " << s;
  };
  auto hasNot = [&](EventIndex i, const std::string& part) {
    std::string s = d(i);
    return s.find(part) == std::string::npos ? ::testing::AssertionSuccess()
                                             : ::testing::AssertionFailure() << "event " << i << ": " << s;
  };
  // GoUnblock: by a G only when g >= 0; else by whom the wait says.
  EXPECT_EQ(d(58), "goroutine G3 was made runnable again by G2, which was running on M3 (proc.go ready)");
  EXPECT_TRUE(has(31, "by sysmon, whose network poll found its I/O ready, on M2, not by a goroutine"));
  EXPECT_TRUE(has(35, "by timer code (its sleep ended) on M1, not by a goroutine"));
  EXPECT_TRUE(has(55, "at once: gopark's unlock function declined the park"));
  for (EventIndex i : {31, 35, 55}) EXPECT_TRUE(hasNot(i, "by this G"));
  // SysmonPreempt: by the async argument.
  EXPECT_TRUE(has(48, "async=0: it set the preempt flag only"));
  EXPECT_TRUE(hasNot(48, "signal"));
  EXPECT_TRUE(has(49, "async=1: it also signalled the G's M"));
  // MPark: the cause from the M's previous events, never "found no work" after a syscall.
  EXPECT_TRUE(has(46, "its G's system call returned and no P was free"));
  EXPECT_TRUE(hasNot(46, "no work"));
  EXPECT_TRUE(has(21, "findRunnable found no work"));
  // MSpinStart: woken to spin is not "found no work".
  EXPECT_TRUE(has(14, "M1 was woken to spin with P1"));
  EXPECT_TRUE(hasNot(14, "no work"));
  // The others that depend on an argument.
  EXPECT_EQ(d(2), "the runtime, not a go statement in a goroutine, created goroutine G1 (newproc)");
  EXPECT_EQ(d(6), "a go statement in G1 created goroutine G2");
  EXPECT_TRUE(has(5, "inherit=1: it shares"));
  EXPECT_TRUE(has(18, "inherit=0: it starts a new time slice"));
  EXPECT_TRUE(has(25, "blocking=0: M0 keeps P0"));
  EXPECT_EQ(d(50), "G1 was preempted; it stays runnable");
  EXPECT_EQ(d(9), "G3 was queued in P0's runnext; it pushed G2 out of runnext, to the local queue");
  EXPECT_EQ(d(10), "G2 was queued at the tail of P0's local queue");
  EXPECT_EQ(d(15), "P1 stole 1 G from P0, taking its runnext; G3 runs now");
  EXPECT_TRUE(has(52, "from the global queue, P1's local queue being empty; G1 moved"));
  EXPECT_EQ(d(27), "sysmon woke after sleeping 20 ns");
  EXPECT_EQ(d(30),
            "P0 was handed off (handoffp): startm gave it to M1, which acquires it 17 ns later");
  EXPECT_EQ(d(-1), "");
  EXPECT_EQ(d(EventIndex(m->events().size())), "");
}

}  // namespace

// hello's ending: main.main returns, runtime.main records exit, and the teardown stops
// P0 while G1 still "runs" on it (Go's exit(0) ends the process under it). Before the
// first tick, runtime.main's Startup step=sysmon names M1 as sysmon.
const char* kExitTrace = R"({"format":"gmpscope-trace","version":1,"program":"exit","gomaxprocs":1,"ncpu":1,"clock":"ns"}
{"ev":"ProcsChange","ts":10,"m":0,"p":-1,"g":-1,"procs":1}
{"ev":"ProcStart","ts":20,"m":0,"p":0,"g":-1}
{"ev":"GoCreate","ts":30,"m":0,"p":0,"g":-1,"newg":1,"label":"runtime.main"}
{"ev":"RunqPut","ts":40,"m":0,"p":0,"g":-1,"gp":1,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":50,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":50,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"Startup","ts":60,"m":0,"p":0,"g":1,"step":"sysmon","value":1,"name":""}
{"ev":"Startup","ts":70,"m":0,"p":0,"g":1,"step":"exit","value":0,"name":""}
{"ev":"ProcStop","ts":80,"m":0,"p":0,"g":-1}
{"ev":"MStart","ts":100,"m":1,"p":-1,"g":-1,"parent":0}
)";

TEST(State, GoroutinesEndWithTheProcessAtExit) {
  auto m = gmps::testing::loadText(kExitTrace, "exit.jsonl");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->firstViolation()) << m->firstViolation()->message;
  const GoroutineLane& g1 = *m->goroutine(1);
  ASSERT_FALSE(g1.spans.empty());
  EXPECT_EQ(g1.spans.back().kind, SpanKind::GRunning);
  EXPECT_EQ(g1.spans.back().end, 8) << "G1 runs until the ProcStop after exit, not to the trace's end";
  EXPECT_EQ(g1.ended, 8);
  ASSERT_FALSE(m->procs()[0].running.empty());
  EXPECT_EQ(m->procs()[0].running.back().end, 8);
  EXPECT_EQ(m->machines()[0].spans.back().end, 8);
  EXPECT_EQ(m->stats().perG[0].running, 30);  // 50..80

  SchedState before = m->stateAfter(8);  // after exit, before the ProcStop
  EXPECT_EQ(before.procs[0].curg, 1);
  SchedState after = m->stateAfter(9);
  EXPECT_EQ(after.procs[0].curg, -1);
  EXPECT_EQ(after.procs[0].m, -1);
  EXPECT_EQ(after.machines[0].curg, -1);
  EXPECT_TRUE(after.goroutines.empty()) << "G1 ended with the process";
  SchedState end = m->stateAfter(10);
  ASSERT_GE(end.machines.size(), 2u);
  EXPECT_TRUE(end.machines[1].sysmon) << "named by Startup step=sysmon before any SysmonTick";
  EXPECT_TRUE(m->machines()[1].sysmon);
}
