// cursor_test.cpp — the play head's seeks: a StateCursor, which goes on from its last
// state, answers exactly as TraceModel::stateAfter, which restores a snapshot; and
// that answer is the state of a replay from the first event. On a real trace: the
// runtime's spawn benchmark, whose tens of thousands of queued goroutines are what
// snapshots and seeks are built for. No display needed.
#include "gmpscope/model/cursor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gmpscope/model/trace_model.h"
#include "describe_state.h"
#include "replay.h"  // model-internal: the replay from the first event to compare with

namespace gmps::viewer {
namespace {

using model::EventIndex;
using model::SchedState;
using model::textual::describe;


// A spawn trace recorded by the runtime for this suite: 20 000 goroutines created by
// one, ~120 000 events, thousands of them waiting in the run queues at once.
class Cursor : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
#ifdef GMPS_SPAWN_BENCH
    namespace fs = std::filesystem;
    path_ =
        (fs::temp_directory_path() / ("gmps_cursor_spawn_" + std::to_string(::getpid()) + ".jsonl"))
            .string();
    std::string cmd = std::string("GOMAXPROCS=2 '") + GMPS_SPAWN_BENCH + "' spawn 20000 --trace '" +
                      path_ + "' >/dev/null";
    if (std::system(cmd.c_str()) != 0) return;
    model::LoadResult r = model::loadTrace(path_);
    fs::remove(path_);
    model_ = std::move(r.model);
#endif
  }
  static void TearDownTestSuite() {
    model_.reset();
  }
  void SetUp() override {
#ifndef GMPS_SPAWN_BENCH
    GTEST_SKIP()
        << "gmpscope-bench is not built (GMPSCOPE_BUILD_BENCH=OFF): no spawn trace to record";
#endif
    ASSERT_NE(model_, nullptr) << "could not record or load a spawn trace at " << path_;
    ASSERT_GT(m().events().size(), 60000u) << "the trace is too short to hold many snapshots";
  }
  static const model::TraceModel& m() {
    return *model_;
  }
  static EventIndex events() {
    return EventIndex(model_->events().size());
  }

  static inline std::string path_;
  static inline std::unique_ptr<model::TraceModel> model_;
};

TEST_F(Cursor, PlayingForwardAnswersAsASeekFromASnapshot) {
  // Steps as a play head takes them: single events, a few, a frame's worth, a drag.
  std::mt19937 rng(1);
  const int steps[] = {1, 1, 2, 7, 40, 300, 1700, 5000};
  model::StateCursor c(m());
  int onwards = 0, seeks = 0;
  EventIndex last = 0;
  for (EventIndex at = 0; at <= events(); last = at, at += steps[rng() % std::size(steps)]) {
    SchedState s = c.stateAfter(at);
    ASSERT_EQ(describe(s), describe(m().stateAfter(at))) << "after " << at << " events";
    onwards += at > last && c.replayed() == at - last;  // only the events in between
    seeks++;
  }
  // Most steps must have gone on from the last state, or the test proves nothing.
  EXPECT_GT(onwards, seeks / 2);
}

TEST_F(Cursor, JumpingAnywhereAnswersAsASeekFromASnapshot) {
  std::mt19937 rng(2);
  model::StateCursor c(m());
  for (int k = 0; k < 400; k++) {
    EventIndex at = EventIndex(rng() % uint32_t(events() + 1));
    if (k % 3 == 1)
      at = std::max<EventIndex>(0, at - EventIndex(rng() % 50));  // just before the last
    EXPECT_EQ(describe(c.stateAfter(at)), describe(m().stateAfter(at)))
        << "jump " << k << " to " << at;
  }
  // And the ends, beyond them (clamped), and back.
  for (EventIndex at : {events(), EventIndex(0), events() + 10, EventIndex(-5), events() / 2})
    EXPECT_EQ(describe(c.stateAfter(at)), describe(m().stateAfter(at))) << "at " << at;
}

TEST_F(Cursor, EveryEventOfAStretchAnswersAsASeekFromASnapshot) {
  // One event at a time over a long stretch in the busiest part, so the walk crosses
  // snapshots: the cursor must switch to each one just as stateAfter does.
  model::StateCursor c(m());
  const EventIndex from = events() / 3, to = std::min(events(), from + 30000);
  for (EventIndex at = from; at <= to; at++) {
    SchedState s = c.stateAfter(at);
    if (at % 97 == 0 || at == to) {
      ASSERT_EQ(describe(s), describe(m().stateAfter(at))) << "after " << at << " events";
    }
  }
}

TEST_F(Cursor, SeeksEqualAReplayFromTheFirstEvent) {
  const trace::Trace& t = m().trace();
  model::detail::GIds ids(t);
  model::detail::Replayer scratch(t, ids);
  model::StateCursor c(m());
  std::mt19937 rng(3);
  std::vector<EventIndex> at;
  for (int k = 0; k < 300; k++) at.push_back(EventIndex(rng() % uint32_t(events() + 1)));
  std::sort(at.begin(), at.end());
  EventIndex done = 0;
  for (EventIndex i : at) {
    for (; done < i; done++) scratch.apply(done);
    const std::string want = describe(scratch, ids, i);
    ASSERT_EQ(describe(m().stateAfter(i)), want) << "snapshot seek after " << i << " events";
    ASSERT_EQ(describe(c.stateAfter(i)), want) << "cursor after " << i << " events";
  }
}

}  // namespace
}  // namespace gmps::viewer
