// replay_test.cpp — the teaching half's pure helpers: the play head (speeds, stepping,
// seeking), the scheduler panel's layout from the model's reconstructed state, token
// tweens, "why is this G waiting", the startup walkthrough's step map and the text
// markup. No display needed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/markup.h"
#include "core/replay.h"
#include "core/sched_layout.h"
#include "core/tween.h"
#include "core/walkthrough.h"
#include "core/why.h"
#include "boot_trace.h"
#include "small_trace.h"

namespace gmps::viewer {
namespace {

namespace fs = std::filesystem;
using model::Ev;

using Replay = testing::SmallTrace;

// ---------------------------------------------------------------- play head

TEST_F(Replay, SeekingByTimeLandsOnTheLastEventAtOrBeforeIt) {
  ReplayState r;
  seekTime(r, ev(), 111.5);
  EXPECT_EQ(r.cur, 9);  // the RunqPut at ts 111
  EXPECT_DOUBLE_EQ(r.t, 111.5);
  seekTime(r, ev(), 0);  // before the first event: clamped onto it
  EXPECT_EQ(r.cur, 0);
  seekTime(r, ev(), 1e9);
  EXPECT_EQ(r.cur, EventIndex(ev().size()) - 1);
}

TEST_F(Replay, SteppingMovesOneEventAndStopsAtTheEnds) {
  ReplayState r;
  seekEvent(r, ev(), 4);
  stepBy(r, ev(), 1);
  EXPECT_EQ(r.cur, 5);
  EXPECT_DOUBLE_EQ(r.t, 40);
  stepBy(r, ev(), -10);
  EXPECT_EQ(r.cur, -1);
  stepBy(r, ev(), 1000);
  EXPECT_EQ(r.cur, EventIndex(ev().size()) - 1);
}

TEST_F(Replay, EventPacedPlayAdvancesByWholeEvents) {
  ReplayState r;
  seekEvent(r, ev(), 0);
  r.speed = speedByName("5 events/s");
  ASSERT_GE(r.speed, 0);
  togglePlay(r, ev());
  EXPECT_FALSE(advance(r, ev(), 0.1));  // half an event
  EXPECT_EQ(r.cur, 0);
  EXPECT_TRUE(advance(r, ev(), 0.1));
  EXPECT_EQ(r.cur, 1);
  advance(r, ev(), 1.0);
  EXPECT_EQ(r.cur, 6);
  advance(r, ev(), 100);  // plays to the end and stops there
  EXPECT_EQ(r.cur, EventIndex(ev().size()) - 1);
  EXPECT_FALSE(r.playing);
  togglePlay(r, ev());  // at the end: starts over
  EXPECT_TRUE(r.playing);
  EXPECT_EQ(r.cur, 0);
}

TEST_F(Replay, TimePacedPlayFollowsTheClock) {
  ReplayState r;
  seekEvent(r, ev(), 1);  // ts 10
  r.speed = speedByName("100 µs/s");
  togglePlay(r, ev());
  advance(r, ev(), 0.001);  // 100 ns of trace
  EXPECT_DOUBLE_EQ(r.t, 110);
  EXPECT_EQ(r.cur, 8);  // GoCreate at 110
  EXPECT_EQ(speedByName("100us/s"), r.speed);
  EXPECT_EQ(speedByName("realtime"), 0);
  EXPECT_EQ(speedByName("1ev/s"), kNumSpeeds - 1);
  EXPECT_EQ(speedByName("warp"), -1);
}

TEST_F(Replay, OnlySmallMovesAnimate) {
  ReplayState r;
  EXPECT_GT(moveSeconds(r, ev(), 3, 4), 0);
  EXPECT_GT(moveSeconds(r, ev(), 4, 3), 0);
  EXPECT_EQ(moveSeconds(r, ev(), 0, 20), 0);
  r.playing = true;
  r.speed = speedByName("1 event/s");
  EXPECT_LE(moveSeconds(r, ev(), 3, 4), 0.35);
  r.speed = speedByName("100 events/s");
  EXPECT_LE(moveSeconds(r, ev(), 3, 4), 0.0081);
}

// ---------------------------------------------------------------- scheduler layout

SchedMetrics metrics() {
  SchedMetrics k;
  k.width = 600;
  return k;
}

TEST_F(Replay, LayoutPlacesEveryQueuedGoroutineInOrder) {
  // After the RunqPut that kicks G2 to the tail: P0 runs G1, runnext G3, queue [G2].
  model::SchedState s = m_->stateAfter(find(Ev::RunqPut, 2) + 2);
  SchedLayout l = layoutScheduler(s, metrics(), {});
  ASSERT_EQ(l.procs.size(), 2u);
  EXPECT_FALSE(l.procs[0].idle);
  EXPECT_TRUE(l.procs[1].idle);
  const TokenBox* g1 = l.tokenOf(1);
  const TokenBox* g3 = l.tokenOf(3);
  const TokenBox* g2 = l.tokenOf(2);
  ASSERT_TRUE(g1 && g2 && g3);
  EXPECT_EQ(g1->slot, Slot::Running);
  EXPECT_EQ(g3->slot, Slot::Runnext);
  EXPECT_EQ(g2->slot, Slot::Local);
  EXPECT_EQ(g2->index, 0);
  EXPECT_TRUE(g1->box == l.procs[0].running);
  EXPECT_TRUE(g3->box == l.procs[0].runnext);
  EXPECT_LT(g1->box.x0, g3->box.x0);
  EXPECT_LT(g3->box.x0, g2->box.x0);
  EXPECT_FLOAT_EQ(g2->box.x0, l.colQueue);
  // Rows go down by P id; the global row and the M chips come after them.
  EXPECT_LT(l.procs[0].row.y1, l.procs[1].row.y0 + 0.01f);
  EXPECT_GT(l.globalRow.y0, l.procs[1].row.y1);
  EXPECT_GT(l.mHeader.y0, l.globalRow.y1);
}

TEST(SchedLayout, ALongQueueEndsInACountOfTheHiddenOnes) {
  model::SchedState s;
  model::ProcState p;
  p.id = 0;
  p.m = 0;
  for (int g = 10; g < 110; g++) p.runq.push_back(g);
  s.procs.push_back(p);
  for (int g = 200; g < 203; g++) s.globalQueue.push_back(g);
  SchedMetrics k = metrics();
  SchedLayout l = layoutScheduler(s, k, {});
  const QueueRow& q = l.procs[0].runq;
  EXPECT_GT(q.shown, 3);
  EXPECT_EQ(q.shown + q.hidden, 100);
  EXPECT_LE(q.more.x1, k.width + 0.01f);
  EXPECT_GT(q.more.x0, l.colQueue);
  // Shown tokens are the head of the queue, in order.
  for (int i = 0; i < q.shown; i++) {
    const TokenBox* t = l.tokenOf(10 + i);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->index, i);
  }
  EXPECT_EQ(l.tokenOf(10 + q.shown), nullptr);
  EXPECT_EQ(l.global.shown, 3);
  EXPECT_EQ(l.global.hidden, 0);
  EXPECT_EQ(l.tokenOf(201)->slot, Slot::Global);
}

TEST(SchedLayout, MachineChipsWrapAtTheWidth) {
  model::SchedState s;
  for (int i = 0; i < 5; i++) s.machines.push_back({i, model::MStatus::Parked, -1, -1, false});
  std::vector<float> w(5, 250.f);
  SchedLayout l = layoutScheduler(s, metrics(), w);
  ASSERT_EQ(l.ms.size(), 5u);
  EXPECT_EQ(l.ms[0].box.y0, l.ms[1].box.y0);
  EXPECT_GT(l.ms[2].box.y0, l.ms[1].box.y0);
  EXPECT_GE(l.height, l.ms[4].box.y1);
}

TEST_F(Replay, AStealDrawsAnArrowFromTheVictimToTheThief) {
  EventIndex steal = find(Ev::RunqSteal);
  model::SchedState s = m_->stateAfter(steal + 1);
  SchedLayout l = layoutScheduler(s, metrics(), {});
  MoveArrow a = arrowFor(*m_, steal, l);
  EXPECT_EQ(a.kind, MoveArrow::Kind::Steal);
  EXPECT_EQ(a.count, 1);
  EXPECT_FLOAT_EQ(a.y0, l.procs[0].runq.queue.cy());
  EXPECT_FLOAT_EQ(a.y1, l.procs[1].runq.queue.cy());
  EXPECT_EQ(arrowFor(*m_, find(Ev::GoStart), l).kind, MoveArrow::Kind::None);
}

// ---------------------------------------------------------------- tweens

TEST(Tweens, MovedTokensSlideAndNewOnesFadeIn) {
  TokenTweens tw;
  std::vector<TokenBox> a = {{1, Slot::Runnext, 0, 0, Box{100, 0, 140, 20}}, {2, Slot::Local, 0, 0, Box{200, 0, 240, 20}}};
  tw.snap(a);
  std::vector<TokenBox> b = {{1, Slot::Running, 0, 0, Box{50, 0, 90, 20}}, {3, Slot::Local, 0, 0, Box{300, 0, 340, 20}}};
  tw.retarget(b, 10.0, 0.3);
  EXPECT_TRUE(tw.moving(10.1));
  std::vector<DrawnToken> d;
  tw.sample(10.15, d);  // halfway
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].g, 1);
  EXPECT_NEAR(d[0].box.x0, 75, 0.5);  // halfway between 100 and 50 (the curve is symmetric)
  EXPECT_EQ(d[1].g, 2);
  EXPECT_TRUE(d[1].leaving);
  EXPECT_NEAR(d[1].alpha, 0.5f, 0.01f);
  EXPECT_EQ(d[2].g, 3);
  EXPECT_NEAR(d[2].alpha, 0.5f, 0.01f);
  tw.sample(11, d);  // done: G2 has gone, the others are in place
  ASSERT_EQ(d.size(), 2u);
  EXPECT_TRUE(d[0].box == b[0].box);
  EXPECT_TRUE(d[1].box == b[1].box);
  EXPECT_FALSE(tw.moving(11));
  EXPECT_TRUE(tw.sameTargets(b));
  EXPECT_FALSE(tw.sameTargets(a));
}

TEST(Tweens, AMoveMidAnimationStartsFromWhatIsOnScreen) {
  TokenTweens tw;
  tw.snap(std::vector<TokenBox>{{1, Slot::Local, 0, 0, Box{0, 0, 40, 20}}});
  tw.retarget(std::vector<TokenBox>{{1, Slot::Local, 0, 0, Box{100, 0, 140, 20}}}, 0, 1);
  std::vector<DrawnToken> d;
  tw.sample(0.5, d);
  float mid = d[0].box.x0;
  tw.retarget(std::vector<TokenBox>{{1, Slot::Local, 0, 0, Box{200, 0, 240, 20}}}, 0.5, 1);
  tw.sample(0.5, d);
  EXPECT_FLOAT_EQ(d[0].box.x0, mid);
  tw.retarget(std::vector<TokenBox>{{1, Slot::Local, 0, 0, Box{0, 0, 40, 20}}}, 0.6, 0);  // a seek snaps
  tw.sample(0.6, d);
  EXPECT_FLOAT_EQ(d[0].box.x0, 0);
}

// ---------------------------------------------------------------- why is this G waiting

TEST_F(Replay, ARunnableGoroutineSaysWhereItIsAndWhatItWaitsFor) {
  // After G2 was kicked to the tail of P0's queue: P0 is busy with G1, P1 is idle,
  // nobody spins.
  EventIndex cur = find(Ev::RunqPut, 3);
  model::SchedState s = m_->stateAfter(cur + 1);
  QueuePosition q = findG(s, 2);
  EXPECT_EQ(q.where, QueuePosition::Where::Local);
  EXPECT_EQ(q.p, 0);
  EXPECT_EQ(q.index, 0);
  GExplanation x = explainG(*m_, s, cur, 112, 2);
  EXPECT_EQ(x.status, model::GStatus::Runnable);
  EXPECT_NE(x.headline.find("1st of 1 in P0's local run queue"), std::string::npos) << x.headline;
  std::string all;
  for (const std::string& w : x.waitsFor) all += w + "\n";
  EXPECT_NE(all.find("G3 in runnext goes first"), std::string::npos) << all;
  EXPECT_NE(all.find("P0 is busy running G1"), std::string::npos) << all;
  EXPECT_NE(all.find("No spinning M"), std::string::npos) << all;
  EXPECT_NE(all.find("P1"), std::string::npos) << all;
  // What happened next is read from the trace: P0 takes it from its local queue.
  EXPECT_NE(x.next.find("P0 takes it from the head of its local queue"), std::string::npos) << x.next;
  EXPECT_NE(x.since.find("since it was"), std::string::npos) << x.since;
}

TEST_F(Replay, ASpinningThreadIsNamedAsTheOneThatMaySteal) {
  EventIndex cur = find(Ev::MSpinStart);
  model::SchedState s = m_->stateAfter(cur + 1);
  GExplanation x = explainG(*m_, s, cur, 131, 3);  // G3 in P0's runnext
  EXPECT_NE(x.headline.find("runnext"), std::string::npos) << x.headline;
  std::string all;
  for (const std::string& w : x.waitsFor) all += w + "\n";
  EXPECT_NE(all.find("M1 is spinning"), std::string::npos) << all;
  EXPECT_NE(x.next.find("P1 steals it"), std::string::npos) << x.next;
}

TEST_F(Replay, AGoroutineJustTakenByAThreadIsShownInItsRunningSlot) {
  // After the steal, G3 is in no queue: M1 has it in hand for P1 until its GoStart.
  EventIndex steal = find(Ev::RunqSteal);
  model::SchedState s = m_->stateAfter(steal + 1);
  EXPECT_EQ(findG(s, 3).where, QueuePosition::Where::None);
  EXPECT_EQ(takenBy(*m_, s, steal, 1), 3);
  EXPECT_EQ(takenBy(*m_, s, steal, 0), -1);  // P0 is running G1
  GExplanation x = explainG(*m_, s, steal, 140, 3);
  EXPECT_NE(x.headline.find("P1's thread has just taken it"), std::string::npos) << x.headline;
  std::vector<int32_t> taken = {-1, 3};
  SchedLayout l = layoutScheduler(s, metrics(), {}, taken);
  ASSERT_NE(l.tokenOf(3), nullptr);
  EXPECT_EQ(l.tokenOf(3)->slot, Slot::Taken);
  EXPECT_TRUE(l.tokenOf(3)->box == l.procs[1].running);
  EventIndex start = find(Ev::GoStart, 1);  // G3 starts on P1
  model::SchedState after = m_->stateAfter(start + 1);
  EXPECT_EQ(takenBy(*m_, after, start, 1), -1);
}

TEST_F(Replay, AGoroutineBetweenItsWakeUpAndItsRunqputIsOnItsWay) {
  // After GoUnblock of G1 and before the RunqPut that puts it in runnext.
  EventIndex unblock = find(Ev::GoUnblock);
  model::SchedState s = m_->stateAfter(unblock + 1);
  GExplanation x = explainG(*m_, s, unblock, 300, 1);
  EXPECT_EQ(x.status, model::GStatus::Runnable);
  EXPECT_NE(x.headline.find("on its way to P0's runnext"), std::string::npos) << x.headline;
}

TEST_F(Replay, BlockedAndRunningGoroutinesAreExplainedToo) {
  EventIndex cur = find(Ev::GoBlock);
  model::SchedState s = m_->stateAfter(cur + 1);
  GExplanation x = explainG(*m_, s, cur, 200, 1);
  EXPECT_EQ(x.status, model::GStatus::Waiting);
  EXPECT_NE(x.headline.find("chan receive"), std::string::npos);
  EXPECT_NE(x.next.find("G2 makes it runnable"), std::string::npos) << x.next;
  GExplanation r = explainG(*m_, s, cur, 200, 3);
  EXPECT_EQ(r.status, model::GStatus::Running);
  EXPECT_NE(r.headline.find("running on P1"), std::string::npos) << r.headline;
  EXPECT_NE(r.next.find("returns from its function"), std::string::npos) << r.next;
  EXPECT_EQ(explainG(*m_, s, cur, 200, 99).status, model::GStatus::None);
  EXPECT_EQ(ordinal(1), "1st");
  EXPECT_EQ(ordinal(12), "12th");
  EXPECT_EQ(ordinal(22), "22nd");
  EXPECT_EQ(ordinal(103), "103rd");
}

// ---------------------------------------------------------------- walkthrough

TEST(Walkthrough, CandidatesStartWithTheEnvironmentThenTheBinary) {
  auto c = tutorialCandidates("/x/tut", "/opt/g/bin/gmpscope", "/src");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0], "/x/tut");
  c = tutorialCandidates("", "/opt/g/bin/gmpscope", "/src");
  ASSERT_GE(c.size(), 4u);
  EXPECT_EQ(c[0], "/opt/g/share/gmpscope/tutorials");
  EXPECT_EQ(c[1], "/opt/tutorials");
  EXPECT_EQ(c[2], "/src/tutorials");
  std::string tried;
  EXPECT_EQ(findTutorialsDir({"/nonexistent/a", "/nonexistent/b"}, &tried), "");
  EXPECT_EQ(tried, "/nonexistent/a, /nonexistent/b");
}

TEST(Walkthrough, EventsMapBackToTheirSteps) {
  WalkIndex ix;
  ix.events = {0, 2, 5, model::kNoEvent, 9, 30, 30};
  ix.regionEnd = 9;
  ix.exitAt = 30;
  EXPECT_EQ(stepsAt(ix, 0), std::vector<int>{0});
  EXPECT_EQ(stepsAt(ix, 3), std::vector<int>{1});
  EXPECT_EQ(stepsAt(ix, 9), std::vector<int>{4});
  EXPECT_TRUE(stepsAt(ix, 10).empty());  // the program's own events
  EXPECT_TRUE(stepsAt(ix, 29).empty());
  EXPECT_EQ(stepsAt(ix, 30), (std::vector<int>{5, 6}));  // two steps share the exit event
  EXPECT_EQ(stepsAt(ix, 31), (std::vector<int>{5, 6}));
  EXPECT_TRUE(stepsAt(ix, -1).empty());
}

TEST(Walkthrough, TheCommittedWalkthroughResolvesInTheStartupTrace) {
  std::string tried;
  std::string dir = tutorialsDir(&tried);
  ASSERT_FALSE(dir.empty()) << "looked in " << tried;
  auto w = guide::loadWalkthrough(dir + "/startup_walkthrough.json");
  ASSERT_TRUE(w.ok()) << w.error;
  fs::path trace = fs::path(dir).parent_path() / w.value->trace;
  if (!fs::exists(trace)) GTEST_SKIP() << trace << " is not there (traces/ not recorded yet)";
  auto r = model::loadTrace(trace.string());
  ASSERT_TRUE(r.ok()) << r.error;
  WalkIndex ix = indexWalkthrough(*w.value, *r.model);
  ASSERT_EQ(ix.events.size(), w.value->steps.size());
  for (size_t i = 0; i < ix.events.size(); i++) EXPECT_NE(ix.events[i], model::kNoEvent) << ix.errors[i];
  ASSERT_NE(ix.regionEnd, model::kNoEvent);
  // Each step's own event maps back to (at least) that step.
  for (size_t i = 0; i < ix.events.size(); i++) {
    auto steps = stepsAt(ix, ix.events[i]);
    EXPECT_NE(std::find(steps.begin(), steps.end(), int(i)), steps.end()) << w.value->steps[i].id;
  }
}

TEST(Walkthrough, TutorialsAreFoundByNumberOrSlug) {
  std::string dir = tutorialsDir(nullptr);
  ASSERT_FALSE(dir.empty());
  if (!fs::exists(fs::path(dir) / "01-startup" / "steps.json")) GTEST_SKIP() << "no tutorials/01-startup/steps.json yet";
  auto t = findTutorial(dir, "1");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value->id, "01");
  EXPECT_TRUE(findTutorial(dir, "01-startup").ok());
  auto bad = findTutorial(dir, "77");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("no tutorial \"77\""), std::string::npos) << bad.error;
  EXPECT_NE(bad.error.find("01-startup"), std::string::npos) << bad.error;
}

// ---------------------------------------------------------------- markup

TEST(Markup, ParagraphsBulletsCodeAndBold) {
  auto b = parseMarkup("Call `runqput(pp, gp)`, then **wake**.\nSame paragraph.\n\n- one\n- two `x`\n\nEnd * and _ stay");
  ASSERT_EQ(b.size(), 4u);
  EXPECT_FALSE(b[0].bullet);
  EXPECT_TRUE(b[1].bullet);
  EXPECT_TRUE(b[1].gapBefore);
  EXPECT_TRUE(b[2].bullet);
  EXPECT_FALSE(b[2].gapBefore);
  EXPECT_TRUE(b[3].gapBefore);
  ASSERT_GE(b[0].words.size(), 5u);
  EXPECT_EQ(b[0].words[0].text, "Call");
  EXPECT_EQ(b[0].words[1].text, "runqput(pp,");
  EXPECT_EQ(b[0].words[1].style, TextStyle::Code);
  EXPECT_TRUE(b[0].words[1].space);
  EXPECT_EQ(b[0].words[2].text, "gp)");
  EXPECT_EQ(b[0].words[3].text, ",");
  EXPECT_FALSE(b[0].words[3].space);
  EXPECT_EQ(b[0].words[5].text, "wake");
  EXPECT_EQ(b[0].words[5].style, TextStyle::Bold);
  EXPECT_EQ(plainText(b), "Call runqput(pp, gp), then wake. Same paragraph.\n\n- one\n- two x\n\nEnd * and _ stay");
  // An unclosed marker is literal.
  auto u = parseMarkup("a `b and **c");
  EXPECT_EQ(plainText(u), "a `b and **c");
}

// sysmonPhase: a SysmonTick's sleep lies before it, so between a tick and the start of
// the next recorded sleep sysmon is awake; "wakes in" never exceeds the sleep.
TEST(Sysmon, PhaseAtThePlayHeadFollowsTheTicksSleeps) {
  const std::string text =
      gmps::testing::bootTrace("sysmon") + R"({"ev":"MStart","ts":50,"m":1,"p":-1,"g":-1,"parent":0}
{"ev":"SysmonTick","ts":100,"m":1,"p":-1,"g":-1,"sleep":20}
{"ev":"SysmonTick","ts":200,"m":1,"p":-1,"g":-1,"sleep":50}
{"ev":"GoBlock","ts":300,"m":0,"p":0,"g":1,"reason":"chan receive"}
{"ev":"ProcStop","ts":310,"m":0,"p":0,"g":-1}
{"ev":"MPark","ts":320,"m":0,"p":-1,"g":-1}
{"ev":"SysmonTick","ts":350,"m":1,"p":-1,"g":-1,"sleep":20}
)";
  model::LoadResult r = model::loadTraceText(text, "sysmon.jsonl");
  ASSERT_TRUE(r.ok()) << r.error;
  const model::TraceModel& m = *r.model;
  auto at = [&](double t) {
    ReplayState rs;
    seekTime(rs, m.events(), t);
    return sysmonPhase(m, rs.cur, t);
  };
  using K = SysmonPhase::Kind;
  // Before its first sleep (80..100) began: up, not yet ticked.
  EXPECT_EQ(at(60).kind, K::Awake);
  EXPECT_EQ(at(60).since, -1);
  SysmonPhase p = at(90);
  EXPECT_EQ(p.kind, K::Asleep);
  EXPECT_DOUBLE_EQ(p.sleep, 20);
  EXPECT_DOUBLE_EQ(p.left, 10);
  // On the tick and until the next sleep starts at 150: awake, working.
  p = at(100);
  EXPECT_EQ(p.kind, K::Awake);
  EXPECT_DOUBLE_EQ(p.since, 0);
  EXPECT_EQ(sysmonText(p), "awake, just woke");
  p = at(120);
  EXPECT_EQ(p.kind, K::Awake);
  EXPECT_DOUBLE_EQ(p.since, 20);
  p = at(170);
  EXPECT_EQ(p.kind, K::Asleep);
  EXPECT_DOUBLE_EQ(p.sleep, 50);
  EXPECT_DOUBLE_EQ(p.left, 30);
  EXPECT_EQ(sysmonText(p), "asleep 50 ns, wakes in 30 ns");
  // Every P idle from 310, but the tick at 200 found P0 running: sysmon is still at
  // its work (as while a P its retake handed off waits for the new M), not waiting.
  EXPECT_EQ(at(325).kind, K::Awake);
  EXPECT_EQ(at(340).kind, K::Asleep);
  // The tick at 350 found every P idle: after it, the untraced wait for a timer.
  EXPECT_EQ(at(400).kind, K::Waiting);
  EXPECT_EQ(sysmonText(at(400)), "every P idle: waits for a timer or a wake-up");
  for (double t = 0; t <= 400; t += 1) {
    SysmonPhase q = at(t);
    EXPECT_LE(q.left, q.sleep) << "t=" << t;
    EXPECT_GE(q.left, 0) << "t=" << t;
  }
}

}  // namespace
}  // namespace gmps::viewer
