// inspect_test.cpp — the model queries behind the details panel, over a hand-made
// trace held in memory and over a recorded one (tests/viewer/data).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/colors.h"
#include "core/inspect.h"
#include "small_trace.h"

namespace gmps::viewer {
namespace {

using Inspect = testing::SmallTrace;

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
