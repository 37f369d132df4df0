// state_vs_runtime_test.cpp — the trace model's reconstruction of the run queues
// (TraceModel::stateAfter, what the viewer's scheduler panel and `gmpscope check` use)
// against the queues the runtime itself holds at the same instant.
//
// GOMAXPROCS=1 and sysmon off, so between the moment main.main reads the runtime's
// queues (rt::readQueues) and its next event — blocking on the WaitGroup — nothing
// else can touch them. The model's state after that GoBlock must be the same.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gmpscope/go.h"
#include "gmpscope/model/trace_model.h"
#include "runtime2.h"
#include "trace_util.h"

namespace {

std::vector<int64_t> ids(const std::vector<int32_t>& v) { return {v.begin(), v.end()}; }

// spawnAndLook starts n goroutines that only say they are done, reads the queues the
// runtime holds, and waits for the goroutines (main's next event is that GoBlock).
gmps::rt::QueueState spawnAndLook(int n) {
  gmps::WaitGroup wg;
  wg.Add(n);
  for (int i = 0; i < n; i++) gmps::go([&wg] { wg.Done(); });
  gmps::rt::QueueState q = gmps::rt::readQueues();
  wg.Wait();
  return q;
}

TEST(StateVsRuntime, QueuesAtTwoPointsMatchTheModel) {
  ::setenv("GMPDEBUG", "sysmonoff=1", 1);
  std::string path = gmps::testutil::tracePath("state_vs_runtime");
  gmps::Config cfg;
  cfg.procs = 1;
  cfg.trace = path.c_str();
  std::vector<gmps::rt::QueueState> seen;
  ASSERT_EQ(gmps::run(
                [&] {
                  seen.push_back(spawnAndLook(5));    // runnext + a short local queue
                  seen.push_back(spawnAndLook(300));  // the local queue overflowed once
                },
                cfg),
            0);
  ::unsetenv("GMPDEBUG");
  ASSERT_EQ(seen.size(), 2u);
  // The runtime's own view, as Go's scheduler would hold it.
  EXPECT_EQ(seen[0].runnext, 6);
  EXPECT_EQ(seen[0].runq, (std::vector<int64_t>{2, 3, 4, 5}));
  EXPECT_TRUE(seen[0].global.empty());
  EXPECT_EQ(seen[1].runnext, 306);
  EXPECT_EQ(seen[1].runq.size() + seen[1].global.size(), 299u);
  EXPECT_EQ(seen[1].global.size(), 129u) << "runqputslow moved half the full queue and the kicked G";

  gmps::model::LoadResult r = gmps::model::loadTrace(path);
  ASSERT_TRUE(r.ok()) << r.error;
  const gmps::model::TraceModel& m = *r.model;
  ASSERT_FALSE(m.firstViolation()) << m.firstViolation()->message;
  size_t point = 0;
  for (gmps::model::EventIndex i = 0; i < gmps::model::EventIndex(m.events().size()); i++) {
    const gmps::model::Event& e = m.event(i);
    if (e.ev != gmps::trace::Ev::GoBlock || e.g != 1) continue;
    ASSERT_LT(point, seen.size()) << "main blocked more often than it waited";
    gmps::model::SchedState s = m.stateAfter(i + 1);
    const gmps::rt::QueueState& q = seen[point];
    ASSERT_EQ(q.p, 0);
    ASSERT_FALSE(s.procs.empty());
    EXPECT_EQ(s.procs[0].runnext, q.runnext) << "point " << point;
    EXPECT_EQ(ids(s.procs[0].runq), q.runq) << "point " << point;
    EXPECT_EQ(ids(s.globalQueue), q.global) << "point " << point;
    point++;
  }
  EXPECT_EQ(point, seen.size());
  std::remove(path.c_str());
}

}  // namespace
