// Flows between related events: create, unblock, steal, preempt, handoff.
#include <gtest/gtest.h>

#include <algorithm>

#include "boot_trace.h"
#include "gmpscope/model/state.h"
#include "test_util.h"

using namespace gmps::model;
using gmps::testing::loadData;

namespace {

std::string shape(const std::vector<Flow>& flows) {
  std::string s;
  for (const Flow& f : flows) {
    if (!s.empty()) s += ' ';
    s += std::string(flowKindName(f.kind)) + "(" + std::to_string(f.from) + "->" +
         std::to_string(f.to) + (f.count != 1 ? " n=" + std::to_string(f.count) : "") +
         (f.fromP >= 0 ? " fromP" + std::to_string(f.fromP) : "") + ")";
  }
  return s;
}

TEST(Flows, Basic) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  EXPECT_EQ(shape(m->flows()), "create(3->6) create(7->16) steal(13->13 fromP0) unblock(20->25)");
}

TEST(Flows, QueuesAllKinds) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  EXPECT_EQ(shape(m->flows()),
            "create(5->8) create(9->35) create(11->24) create(14->41) create(17->30) "
            "steal(21->21 fromP0) preempt(26->27) unblock(46->48)");
}

TEST(Flows, TouchingARangeListsEachFlowOnce) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  std::vector<int32_t> got;
  m->flowsTouching(21, 28, got);
  std::vector<Flow> fl;
  for (int32_t i : got) fl.push_back(m->flows()[size_t(i)]);
  std::sort(fl.begin(), fl.end(), [](const Flow& a, const Flow& b) { return a.from < b.from; });
  // create(11->24) ends inside, steal and preempt start inside.
  EXPECT_EQ(shape(fl), "create(11->24) steal(21->21 fromP0) preempt(26->27)");
  got.clear();
  m->flowsTouching(0, 100, got);
  EXPECT_EQ(got.size(), m->flows().size());
  got.clear();
  m->flowsTouching(58, 100, got);
  EXPECT_TRUE(got.empty());
}

// A preempt request whose G blocks instead of stopping is stale at its next start.
TEST(Flows, StalePreemptRequestMakesNoFlow) {
  const char* text = R"({"format":"gmpscope-trace","version":1}
{"ev":"ProcsChange","ts":1,"m":0,"p":-1,"g":-1,"procs":1}
{"ev":"ProcStart","ts":2,"m":0,"p":0,"g":-1}
{"ev":"GoCreate","ts":3,"m":0,"p":0,"g":-1,"newg":1,"label":""}
{"ev":"RunqPut","ts":4,"m":0,"p":0,"g":-1,"gp":1,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":5,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":6,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"SysmonPreempt","ts":7,"m":1,"p":-1,"g":-1,"gp":1,"pp":0,"ran":5,"async":0}
{"ev":"GoBlock","ts":8,"m":0,"p":0,"g":1,"reason":"sleep"}
{"ev":"GoUnblock","ts":9,"m":0,"p":0,"g":-1,"gp":1}
{"ev":"RunqPut","ts":10,"m":0,"p":0,"g":-1,"gp":1,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":11,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":12,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"GoStop","ts":13,"m":0,"p":0,"g":1,"reason":"preempted"}
{"ev":"RunqPut","ts":14,"m":0,"p":0,"g":-1,"gp":1,"where":"global","kicked":-1}
)";
  auto m = gmps::testing::loadText(text);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->firstViolation().has_value()) << m->firstViolation()->message;
  EXPECT_EQ(shape(m->flows()), "create(2->5) unblock(8->11)");
}

// handoffp starts an M for the P (one it wakes, or a new one) or puts the P idle, which
// the trace does not record. The flow links a HandoffP only to the ProcStart of the M it
// started; in queues.jsonl M0's HandoffP put P0 idle and M1 woke M0 with it 50 ns later.
TEST(Flows, HandoffLinksOnlyToTheMItStarted) {
  const std::string text = gmps::testing::bootTrace("handoff") +
                           R"({"ev":"GoSyscallBegin","ts":47,"m":0,"p":0,"g":1,"blocking":1}
{"ev":"ProcStop","ts":48,"m":0,"p":0,"g":1}
{"ev":"HandoffP","ts":49,"m":0,"p":-1,"g":1,"pp":0}
{"ev":"MStart","ts":50,"m":1,"p":-1,"g":-1,"parent":0}
{"ev":"ProcStart","ts":51,"m":1,"p":0,"g":-1}
{"ev":"ProcStop","ts":52,"m":1,"p":0,"g":-1}
{"ev":"HandoffP","ts":53,"m":1,"p":-1,"g":-1,"pp":0}
{"ev":"MPark","ts":54,"m":1,"p":-1,"g":-1}
{"ev":"GoSyscallEndBlocked","ts":55,"m":0,"p":-1,"g":1}
{"ev":"RunqPut","ts":56,"m":0,"p":-1,"g":-1,"gp":1,"where":"global","kicked":-1}
{"ev":"ProcStart","ts":57,"m":0,"p":0,"g":-1}
{"ev":"RunqGet","ts":58,"m":0,"p":0,"g":-1,"gp":1,"src":"global","batch":[]}
{"ev":"GoStart","ts":59,"m":0,"p":0,"g":1,"inherit":0}
{"ev":"GoSyscallBegin","ts":60,"m":0,"p":0,"g":1,"blocking":1}
{"ev":"ProcStop","ts":61,"m":0,"p":0,"g":1}
{"ev":"HandoffP","ts":62,"m":0,"p":-1,"g":1,"pp":0}
{"ev":"MUnpark","ts":63,"m":0,"p":-1,"g":1,"mp":1,"pp":0}
{"ev":"ProcStart","ts":64,"m":1,"p":0,"g":-1}
{"ev":"ProcStop","ts":65,"m":1,"p":0,"g":-1}
{"ev":"HandoffP","ts":66,"m":1,"p":-1,"g":-1,"pp":0}
)";
  auto m = gmps::testing::loadText(text);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->firstViolation().has_value()) << m->firstViolation()->message;
  // 8 -> 10: a new M whose parent handed P0 off. 12 put P0 idle: M0 took it from the
  // idle list at 16, no flow. 21 -> 23: the M that 21's M woke for P0.
  EXPECT_EQ(shape(m->flows()), "create(2->5) handoff(8->10) handoff(21->23)");
  // The details sentence says which.
  EXPECT_EQ(describeEvent(*m, 8),
            "P0 was handed off (handoffp): startm gave it to M1, which acquires it 2 ns later");
  EXPECT_EQ(
      describeEvent(*m, 12),
      "P0 was handed off and put idle: handoffp found no work for it and started no M (pidleput); "
      "M0 takes it from the idle list 4 ns later");
  EXPECT_EQ(describeEvent(*m, 21),
            "P0 was handed off (handoffp): startm gave it to M1, which acquires it 2 ns later");
  EXPECT_EQ(describeEvent(*m, 25),
            "P0 was handed off (handoffp); no M takes it before the trace ends");
}

}  // namespace
