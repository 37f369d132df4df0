// `gmpscope check`: valid traces pass; each kind of broken rule is reported at the
// right line with a message that says what was found and what was expected.
#include <gtest/gtest.h>

#include "gmpscope/model/check.h"
#include "test_util.h"
#include "trace_gen.h"

using namespace gmps::model;
using gmps::testing::Lines;

namespace {

CheckResult check(const std::string& text) {
  gmps::trace::ReadResult r = gmps::trace::readTraceText(text, "t.jsonl");
  EXPECT_TRUE(r.ok()) << r.error;
  if (!r.ok()) return {};
  return checkTrace(*r.trace);
}

std::string violation(const Lines& l) {
  CheckResult c = check(l.text());
  EXPECT_FALSE(c.ok) << "the trace was accepted";
  if (!c.ok) {
    EXPECT_EQ(c.message.rfind("t.jsonl:" + std::to_string(c.line) + ": ", 0), 0u);
  }
  return c.message;
}

Lines basic() { return Lines::data("basic.jsonl"); }
Lines queues() { return Lines::data("queues.jsonl"); }

TEST(Check, AcceptsTheHandWrittenTraces) {
  for (const char* name : {"basic.jsonl", "queues.jsonl"}) {
    CheckResult c = check(gmps::testing::readText(gmps::testing::dataPath(name)));
    EXPECT_TRUE(c.ok) << c.message;
  }
  CheckResult c = check(basic().text());
  EXPECT_EQ(c.events, 30);
  EXPECT_EQ(c.goroutines, 2);
  EXPECT_EQ(c.procs, 2);
  EXPECT_EQ(c.machines, 2);
  EXPECT_EQ(c.duration, 600);
  EXPECT_TRUE(c.message.empty());
}

TEST(Check, AcceptsGeneratedTraces) {
  for (uint64_t seed = 1; seed <= 4; seed++) {
    gmps::testing::GenOptions o;
    o.events = 40000;
    o.seed = seed;
    o.procs = int(2 + seed % 3);
    CheckResult c = check(gmps::testing::syntheticTrace(o));
    EXPECT_TRUE(c.ok) << "seed " << seed << ": " << c.message;
  }
}

TEST(Check, GoStartOfABlockedG) {
  auto l = basic().insertAfter(19, R"({"ev":"GoStart","ts":205,"m":0,"p":0,"g":1,"inherit":0})");
  EXPECT_EQ(violation(l),
            "t.jsonl:20: GoStart of G1: G1 is waiting (blocked on chan receive since line 19), not runnable");
}

TEST(Check, GoStartOfAGStillInItsQueue) {
  auto l = basic().erase(7);  // findRunnable never took G1 out of runnext
  EXPECT_EQ(violation(l), "t.jsonl:7: GoStart of G1: G1 is still in P0's runnext since line 6");
}

TEST(Check, GoStartOnG0) {
  auto l = basic().replace(8, R"("g":1)", R"("g":-1)");
  EXPECT_EQ(violation(l), "t.jsonl:8: GoStart on M0: the event has no G (g=-1: it happened on g0)");
}

TEST(Check, GoStartOfADeadG) {
  auto l = basic();
  l.v.push_back(R"({"ev":"GoStart","ts":700,"m":1,"p":1,"g":1,"inherit":0})");
  EXPECT_EQ(violation(l), "t.jsonl:32: GoStart of G1: G1 is dead (ended at line 28), not runnable");
}

TEST(Check, GoCreateOfAnExistingG) {
  auto l = basic().replace(9, R"("newg":2)", R"("newg":1)");
  EXPECT_EQ(violation(l),
            "t.jsonl:9: GoCreate of G1: G1 already exists: it is running on M0/P0 (since line 8)");
}

TEST(Check, GoUnblockOfARunningG) {
  auto l = basic().replace(22, R"("gp":1)", R"("gp":2)");
  EXPECT_EQ(violation(l), "t.jsonl:22: GoUnblock of G2: G2 is running on M1/P1 (since line 18), not waiting");
}

TEST(Check, GoStopRecordedByAnotherM) {
  auto l = basic().replace(24, R"("m":1,"p":1)", R"("m":0,"p":0)");
  EXPECT_EQ(violation(l),
            "t.jsonl:24: GoStop of G2: G2 is running on M1, not on M0 which recorded the event");
}

TEST(Check, AGMayUnblockItselfWhenItsParkIsAbandoned) {
  const char* text = R"({"format":"gmpscope-trace","version":1}
{"ev":"ProcStart","ts":1,"m":0,"p":0,"g":-1}
{"ev":"GoCreate","ts":2,"m":0,"p":0,"g":-1,"newg":1,"label":""}
{"ev":"RunqPut","ts":3,"m":0,"p":0,"g":-1,"gp":1,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":4,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":5,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"GoBlock","ts":6,"m":0,"p":0,"g":1,"reason":"chan send"}
{"ev":"GoUnblock","ts":7,"m":0,"p":0,"g":1,"gp":1}
{"ev":"GoStart","ts":8,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"GoEnd","ts":9,"m":0,"p":0,"g":1}
)";
  CheckResult c = check(text);
  EXPECT_TRUE(c.ok) << c.message;
}

TEST(Check, RunqPutOfAQueuedG) {
  auto l = queues().insertAfter(15, queues().line(15));
  EXPECT_EQ(violation(l), "t.jsonl:16: RunqPut of G2: G2 is already in P0's local queue since line 15");
}

TEST(Check, RunqPutWithTheWrongKickedG) {
  auto l = queues().replace(14, R"("kicked":2)", R"("kicked":-1)");
  EXPECT_EQ(violation(l),
            "t.jsonl:14: RunqPut of G3: it says it kicked nothing out of P0's runnext, but runnext held G2");
}

TEST(Check, RunqPutSlowOfAGNotInTheLocalQueue) {
  auto l = queues().replace(21, "[2,4]", "[5,4]");
  EXPECT_EQ(violation(l),
            "t.jsonl:21: RunqPutSlow on P0: G5 is not in P0's local queue (it is in P0's runnext since line 20)");
}

TEST(Check, RunqGetFromTheWrongQueue) {
  auto l = queues().replace(42, R"("src":"local")", R"("src":"runnext")");
  EXPECT_EQ(violation(l),
            "t.jsonl:42: RunqGet of G4: P1's runnext holds nothing, not G4 (G4 is in P1's local queue "
            "since line 36)");
}

TEST(Check, TheGlobalQueueIsExact) {
  auto l = queues().replace(36, R"("gp":2,"src":"global","batch":[4])",
                            R"("gp":4,"src":"global","batch":[2])");
  EXPECT_EQ(violation(l),
            "t.jsonl:36: RunqGet of G4: G4 is not at the head of the global queue (the head is G2; G4 "
            "is in the global queue since line 21)");
}

TEST(Check, StealOfAGTheVictimDoesNotHave) {
  auto l = queues().replace(23, "[3]", "[2]");
  EXPECT_EQ(violation(l),
            "t.jsonl:23: RunqSteal by P1 from P0: G2 is not in P0's local queue (it is in the global "
            "queue since line 21)");
}

TEST(Check, StealFromTheWrongVictim) {
  auto l = queues().replace(2, R"("procs":2)", R"("procs":3)").replace(23, R"("victim":0)", R"("victim":2)");
  EXPECT_EQ(violation(l),
            "t.jsonl:23: RunqSteal by P1 from P2: G3 is not in P2's local queue (it is in P0's local "
            "queue since line 18)");
}

// Owner and thieves take from one local queue at once and stamp their events
// independently, so a removal need not be at the head, only in that queue.
TEST(Check, LocalQueueRemovalsMayInterleave) {
  const char* text = R"({"format":"gmpscope-trace","version":1}
{"ev":"ProcsChange","ts":1,"m":0,"p":-1,"g":-1,"procs":2}
{"ev":"ProcStart","ts":2,"m":0,"p":0,"g":-1}
{"ev":"MStart","ts":3,"m":1,"p":-1,"g":-1,"parent":0}
{"ev":"ProcStart","ts":4,"m":1,"p":1,"g":-1}
{"ev":"GoCreate","ts":5,"m":0,"p":0,"g":-1,"newg":1,"label":""}
{"ev":"RunqPut","ts":6,"m":0,"p":0,"g":-1,"gp":1,"where":"local","kicked":-1}
{"ev":"GoCreate","ts":7,"m":0,"p":0,"g":-1,"newg":2,"label":""}
{"ev":"RunqPut","ts":8,"m":0,"p":0,"g":-1,"gp":2,"where":"local","kicked":-1}
{"ev":"GoCreate","ts":9,"m":0,"p":0,"g":-1,"newg":3,"label":""}
{"ev":"RunqPut","ts":10,"m":0,"p":0,"g":-1,"gp":3,"where":"local","kicked":-1}
{"ev":"MSpinStart","ts":11,"m":1,"p":1,"g":-1}
{"ev":"RunqSteal","ts":12,"m":1,"p":1,"g":-1,"victim":0,"gs":[2],"runnext":0}
{"ev":"RunqGet","ts":13,"m":1,"p":1,"g":-1,"gp":2,"src":"steal","batch":[]}
{"ev":"MSpinStop","ts":14,"m":1,"p":1,"g":-1}
{"ev":"GoStart","ts":15,"m":1,"p":1,"g":2,"inherit":0}
{"ev":"RunqGet","ts":16,"m":0,"p":0,"g":-1,"gp":1,"src":"local","batch":[]}
{"ev":"GoStart","ts":17,"m":0,"p":0,"g":1,"inherit":0}
)";
  CheckResult c = check(text);
  EXPECT_TRUE(c.ok) << c.message;
}

TEST(Check, ProcStartOfAHeldP) {
  auto l = basic().replace(13, R"("m":1,"p":1)", R"("m":1,"p":0)");
  EXPECT_EQ(violation(l), "t.jsonl:13: ProcStart of P0 on M1: P0 is held by M0 (since line 4), not idle");
}

TEST(Check, ProcStopByAnotherM) {
  auto l = basic().replace(20, R"("m":0,"p":0)", R"("m":1,"p":0)");
  EXPECT_EQ(violation(l),
            "t.jsonl:20: ProcStop of P0 on M1: P0 is held by M0 (since line 4), not held by M1");
}

TEST(Check, MParkWhileSpinning) {
  auto l = basic().insertAfter(14, R"({"ev":"MPark","ts":112,"m":1,"p":1,"g":-1})");
  EXPECT_EQ(violation(l), "t.jsonl:15: MPark of M1: M1 is spinning (since line 14), not idle");
}

TEST(Check, MSpinStopWithoutMSpinStart) {
  auto l = basic().erase(14);
  EXPECT_EQ(violation(l), "t.jsonl:16: MSpinStop of M1: M1 is idle (since line 12), not spinning");
}

TEST(Check, AnMThatIsNotAnM) {
  auto l = basic().replace(2, R"("m":0)", R"("m":5000000)");
  EXPECT_EQ(violation(l),
            "t.jsonl:2: Startup on M5000000: the event names no M it happened on (m=5000000)");
}

TEST(Check, ReportsTheLineAndIndexOfTheFirstViolation) {
  auto l = basic().insertAfter(19, R"({"ev":"GoStart","ts":205,"m":0,"p":0,"g":1,"inherit":0})");
  l.replace(9, R"("newg":2)", R"("newg":1)");  // an earlier one wins
  CheckResult c = check(l.text());
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.line, 9);
  EXPECT_EQ(c.at, 7);
}

}  // namespace
