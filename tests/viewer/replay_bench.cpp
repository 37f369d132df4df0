// replay_bench.cpp — how long the scheduler panel takes to answer a seek (not a test):
//   replay_bench FILE [SEEKS=300]
// Loads FILE, then puts the play head on SEEKS random events and, for each, does what
// the panel does when the play head lands somewhere new: rebuild the state there from
// the model's snapshots (TraceModel::stateAfter), lay the panel out, and explain the
// first runnable G. Prints percentiles of the whole and of the stateAfter part. A step
// to the next event is timed too (the common case while playing), from scratch and
// with a StateCursor (what the viewer's play head uses), and a sweep of the cursor
// over the whole trace in 600 steps (what viewer_bench's play head does). Last, the
// per-G table's sort on a header click (core/gtable.h), by label and by running time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "core/gtable.h"
#include "core/sched_layout.h"
#include "core/why.h"
#include "gmpscope/model/cursor.h"
#include "gmpscope/model/trace_model.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double pct(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

void report(const char* what, const std::vector<double>& v) {
  std::printf("replay bench: %-30s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", what,
              pct(v, 0.5), pct(v, 0.9), pct(v, 0.99), pct(v, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gmps;
  if (argc < 2) {
    std::fprintf(stderr, "usage: replay_bench FILE [SEEKS]\n");
    return 1;
  }
  const int seeks = argc > 2 ? std::max(1, std::atoi(argv[2])) : 300;
  auto t0 = Clock::now();
  model::LoadResult r = model::loadTrace(argv[1]);
  if (!r.ok()) {
    std::fprintf(stderr, "replay_bench: %s\n", r.error.c_str());
    return 1;
  }
  const model::TraceModel& m = *r.model;
  const auto n = model::EventIndex(m.events().size());
  std::printf("replay bench: %s, %d events, loaded in %.2f s\n", argv[1], n, ms(Clock::now() - t0) / 1e3);
  std::mt19937 rng(42);
  std::uniform_int_distribution<model::EventIndex> pick(0, n - 1);
  viewer::SchedMetrics k;
  k.width = 1100;
  std::vector<double> total, state, step, cstep, sweep;
  size_t tokens = 0, live = 0;
  model::StateCursor cursor(m);
  for (int i = 0; i < seeks; i++) {
    model::EventIndex cur = pick(rng);
    auto a = Clock::now();
    model::SchedState s = cursor.stateAfter(cur + 1);
    auto b = Clock::now();
    viewer::SchedLayout l = viewer::layoutScheduler(s, k, {});
    for (const model::GoroutineState& g : s.goroutines)
      if (g.status == model::GStatus::Runnable) {
        viewer::explainG(m, s, cur, double(m.event(cur).ts), g.id);
        break;
      }
    auto c = Clock::now();
    state.push_back(ms(b - a));
    total.push_back(ms(c - a));
    tokens += l.tokens.size();
    live += s.goroutines.size();
    auto d = Clock::now();
    model::SchedState next = m.stateAfter(std::min(cur + 2, n));
    step.push_back(ms(Clock::now() - d));
    auto e = Clock::now();
    model::SchedState onwards = cursor.stateAfter(std::min(cur + 2, n));
    cstep.push_back(ms(Clock::now() - e));
  }
  model::StateCursor sweeper(m);
  for (int i = 0; i < 600; i++) {
    auto a = Clock::now();
    model::SchedState s = sweeper.stateAfter(model::EventIndex(int64_t(n) * i / 599));
    sweep.push_back(ms(Clock::now() - a));
  }
  std::printf("replay bench: %d seeks to random events (on average %zu live Gs, %zu tokens drawn)\n", seeks,
              live / size_t(seeks), tokens / size_t(seeks));
  report("seek: state + layout + why", total);
  report("seek: stateAfter alone", state);
  report("step to the next event", step);
  report("the same step, by cursor", cstep);
  report("sweep in 600 steps, by cursor", sweep);
  // The statistics panel's per-G table, sorted by a click on a column header.
  for (auto [name, col] : {std::pair{"sort G table by label", viewer::GColumn::Label},
                           std::pair{"sort G table by running", viewer::GColumn::Running}}) {
    std::vector<double> sorts;
    for (int i = 0; i < 5; i++) {
      auto a = Clock::now();
      std::vector<int32_t> order = viewer::orderGoroutines(m, {{col, i % 2 == 0}, {viewer::GColumn::Id, true}});
      sorts.push_back(ms(Clock::now() - a));
    }
    report(name, sorts);
  }
  return 0;
}
