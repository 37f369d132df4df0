// inspect_test.cpp — the model queries behind the details panel, over a hand-made
// trace held in memory and over a recorded one (tests/viewer/data).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/colors.h"
#include "core/inspect.h"

namespace gmps::viewer {
namespace {

// G1 (main) creates G2 and G3 on P0; G2 runs on P0, blocks on a channel, G1 wakes it;
// G3 is stolen by P1.
const char* kTrace = R"({"format":"gmpscope-trace","version":1,"program":"inspect","gomaxprocs":2,"ncpu":2,"clock":"ns"}
{"ev":"ProcStart","ts":10,"m":0,"p":0,"g":-1}
{"ev":"GoCreate","ts":20,"m":0,"p":0,"g":-1,"newg":1,"label":"runtime.main"}
{"ev":"RunqPut","ts":21,"m":0,"p":0,"g":-1,"gp":1,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":30,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":40,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"GoCreate","ts":100,"m":0,"p":0,"g":1,"newg":2,"label":"main.worker"}
{"ev":"RunqPut","ts":101,"m":0,"p":0,"g":1,"gp":2,"where":"runnext","kicked":-1}
{"ev":"GoCreate","ts":110,"m":0,"p":0,"g":1,"newg":3,"label":"main.worker"}
{"ev":"RunqPut","ts":111,"m":0,"p":0,"g":1,"gp":3,"where":"runnext","kicked":2}
{"ev":"RunqPut","ts":112,"m":0,"p":0,"g":1,"gp":2,"where":"local","kicked":-1}
{"ev":"MStart","ts":120,"m":1,"p":-1,"g":-1,"parent":0}
{"ev":"ProcStart","ts":130,"m":1,"p":1,"g":-1}
{"ev":"MSpinStart","ts":131,"m":1,"p":1,"g":-1}
{"ev":"RunqSteal","ts":140,"m":1,"p":1,"g":-1,"victim":0,"gs":[3],"runnext":1}
{"ev":"RunqGet","ts":141,"m":1,"p":1,"g":-1,"gp":3,"src":"steal","batch":[]}
{"ev":"MSpinStop","ts":142,"m":1,"p":1,"g":-1}
{"ev":"GoStart","ts":150,"m":1,"p":1,"g":3,"inherit":0}
{"ev":"GoBlock","ts":200,"m":0,"p":0,"g":1,"reason":"chan receive"}
{"ev":"RunqGet","ts":210,"m":0,"p":0,"g":-1,"gp":2,"src":"local","batch":[]}
{"ev":"GoStart","ts":220,"m":0,"p":0,"g":2,"inherit":0}
{"ev":"GoUnblock","ts":300,"m":0,"p":0,"g":2,"gp":1}
{"ev":"RunqPut","ts":301,"m":0,"p":0,"g":2,"gp":1,"where":"runnext","kicked":-1}
{"ev":"GoEnd","ts":400,"m":0,"p":0,"g":2}
{"ev":"RunqGet","ts":410,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":420,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"GoEnd","ts":500,"m":1,"p":1,"g":3}
{"ev":"GoEnd","ts":600,"m":0,"p":0,"g":1}
)";

class Inspect : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model::LoadResult r = model::loadTraceText(kTrace, "inspect.jsonl");
    ASSERT_TRUE(r.ok()) << r.error;
    m_ = r.model.release();
  }
  static void TearDownTestSuite() {
    delete m_;
    m_ = nullptr;
  }
  static EventIndex find(trace::Ev ev, int nth = 0) {
    auto events = m_->events();
    for (size_t i = 0; i < events.size(); i++)
      if (events[i].ev == ev && nth-- == 0) return EventIndex(i);
    return model::kNoEvent;
  }
  static model::TraceModel* m_;
};
model::TraceModel* Inspect::m_ = nullptr;

TEST_F(Inspect, EventGNamesTheGoroutineAnEventIsAbout) {
  EXPECT_EQ(eventG(*m_, find(trace::Ev::GoCreate, 1)), 2);  // newg, not the creator
  EXPECT_EQ(eventG(*m_, find(trace::Ev::GoUnblock)), 1);    // gp, not the waker
  EXPECT_EQ(eventG(*m_, find(trace::Ev::GoBlock)), 1);      // the G it ran on
  EXPECT_EQ(eventG(*m_, find(trace::Ev::ProcStart)), -1);
}

TEST_F(Inspect, CreatorIsTheGoroutineThatRanTheGoStatement) {
  EXPECT_EQ(creatorOf(*m_, 2), 1);
  EXPECT_EQ(creatorOf(*m_, 3), 1);
  EXPECT_EQ(creatorOf(*m_, 1), -1);  // created by the runtime on g0
  EXPECT_EQ(creatorOf(*m_, 99), -1);
}

TEST_F(Inspect, GoroutineEventsAreItsLifeInOrder) {
  std::vector<EventIndex> ev = goroutineEvents(*m_, 2);
  ASSERT_FALSE(ev.empty());
  EXPECT_TRUE(std::is_sorted(ev.begin(), ev.end()));
  EXPECT_EQ(ev.front(), find(trace::Ev::GoCreate, 1));
  EXPECT_EQ(ev.back(), find(trace::Ev::GoEnd, 0));
  // GoStart of G2 is in, and its neighbours are the events around it.
  EventIndex start = find(trace::Ev::GoStart, 2);
  ASSERT_TRUE(std::binary_search(ev.begin(), ev.end(), start));
  auto [prev, next] = neighbours(ev, start);
  EXPECT_LT(prev, start);
  EXPECT_GT(next, start);
  EXPECT_NE(prev, model::kNoEvent);
  EXPECT_NE(next, model::kNoEvent);
  auto [none, first] = neighbours(ev, ev.front());
  EXPECT_EQ(none, model::kNoEvent);
  EXPECT_EQ(first, ev[1]);
  EXPECT_TRUE(goroutineEvents(*m_, 12345).empty());
}

TEST_F(Inspect, FlowsConnectCreationToFirstRun) {
  EventIndex create = find(trace::Ev::GoCreate, 1);
  std::vector<int32_t> fl = flowsOf(*m_, create);
  ASSERT_FALSE(fl.empty());
  bool found = false;
  for (int32_t f : fl) {
    const model::Flow& flow = m_->flows()[size_t(f)];
    if (flow.kind != model::FlowKind::Create) continue;
    found = true;
    EXPECT_EQ(otherEnd(flow, create), find(trace::Ev::GoStart, 2));
  }
  EXPECT_TRUE(found);
}

TEST_F(Inspect, FindEventsByKindAndGoroutine) {
  EXPECT_EQ(findEvents(*m_, int(trace::Ev::GoStart), {}, 100).size(), 4u);
  EXPECT_EQ(findEvents(*m_, int(trace::Ev::GoStart), {2}, 100).size(), 1u);
  EXPECT_EQ(findEvents(*m_, -1, {3}, 3).size(), 3u);  // the limit holds
  EXPECT_TRUE(findEvents(*m_, int(trace::Ev::SysmonTick), {}, 100).empty());
}

TEST_F(Inspect, ArgumentsReadLikeTheirMeaning) {
  EventIndex block = find(trace::Ev::GoBlock);
  EXPECT_EQ(argText(*m_, block, 0), "chan receive");
  EventIndex steal = find(trace::Ev::RunqSteal);
  EXPECT_EQ(argText(*m_, steal, trace::argIndex(trace::Ev::RunqSteal, "victim")), "P0");
  EXPECT_EQ(argText(*m_, steal, trace::argIndex(trace::Ev::RunqSteal, "gs")), "[G3]");
  EventIndex put = find(trace::Ev::RunqPut, 2);
  EXPECT_EQ(argText(*m_, put, trace::argIndex(trace::Ev::RunqPut, "kicked")), "G2");
  EXPECT_EQ(argText(*m_, find(trace::Ev::RunqPut), 2), "none");
  EXPECT_EQ(argText(*m_, find(trace::Ev::GoCreate), 1), "runtime.main");
}

TEST_F(Inspect, SpanColoursAndTextsFollowTheirKind) {
  const Palette& p = darkPalette();
  const model::GoroutineLane* g1 = m_->goroutine(1);
  ASSERT_NE(g1, nullptr);
  bool sawWait = false, sawRun = false;
  for (const model::Span& s : g1->spans) {
    if (s.kind == model::SpanKind::GWaiting) {
      sawWait = true;
      EXPECT_EQ(spanColor(p, s), p.blockReason[int(trace::BlockReason::ChanRecv)]);
      EXPECT_EQ(spanStateText(s), "blocked: chan receive");
    }
    if (s.kind == model::SpanKind::GRunning) {
      sawRun = true;
      EXPECT_EQ(spanColor(p, s), p.gState[int(GState::Running)]);
    }
  }
  EXPECT_TRUE(sawWait);
  EXPECT_TRUE(sawRun);
  for (const model::Span& s : m_->procs()[0].running) {
    EXPECT_EQ(s.kind, model::SpanKind::PRunning);
    EXPECT_EQ(spanColor(p, s), gColor(s.other));
    EXPECT_EQ(spanStateText(s), "running G" + std::to_string(s.other));
  }
}

TEST(InspectRecorded, EveryGoroutineOfARealTraceHasAnOrderedLife) {
  const char* dir = std::getenv("GMPS_VIEWER_DATA");
  if (dir == nullptr) GTEST_SKIP() << "GMPS_VIEWER_DATA not set";
  model::LoadResult r = model::loadTrace(std::string(dir) + "/fanout3.jsonl");
  ASSERT_TRUE(r.ok()) << r.error;
  for (const model::GoroutineLane& g : r.model->goroutines()) {
    std::vector<EventIndex> ev = goroutineEvents(*r.model, g.id);
    ASSERT_FALSE(ev.empty()) << "G" << g.id;
    EXPECT_TRUE(std::is_sorted(ev.begin(), ev.end()));
    if (g.created == model::kNoEvent) continue;
    EXPECT_EQ(ev.front(), g.created) << "G" << g.id;
  }
}

}  // namespace
}  // namespace gmps::viewer
