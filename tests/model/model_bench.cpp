// model_bench — the trace model's speed and size budgets on a synthetic trace of a
// million events (DESIGN.md: load with the model built in under a second on a
// 2-core machine, under 100 bytes per event held).
//
//   build/bin/model_bench                       # 1M events, written to $TMPDIR once
//   GMPS_BENCH_EVENTS=200000 build/bin/model_bench
//   GMPS_BENCH_TRACE=my.jsonl build/bin/model_bench   # any trace instead
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "gmpscope/model/trace_model.h"
#include "trace_gen.h"

using namespace gmps::model;

namespace {

// tracePath writes the synthetic trace once per run (or takes GMPS_BENCH_TRACE).
const std::string& tracePath() {
  static const std::string path = [] {
    if (const char* p = std::getenv("GMPS_BENCH_TRACE")) return std::string(p);
    int64_t n = 1000000;
    if (const char* e = std::getenv("GMPS_BENCH_EVENTS")) n = std::atoll(e);
    const char* tmp = std::getenv("TMPDIR");
    std::string out = std::string(tmp ? tmp : "/tmp") + "/gmpscope-bench-" + std::to_string(n) + ".jsonl";
    gmps::testing::GenOptions o;
    o.events = n;
    std::string err = gmps::testing::writeSyntheticTrace(out, o);
    if (!err.empty()) std::fprintf(stderr, "model_bench: %s\n", err.c_str());
    return out;
  }();
  return path;
}

// residentBytes reads this process's resident set from /proc (what the model really
// touched, as opposed to what it reserved).
int64_t residentBytes() {
  std::ifstream f("/proc/self/statm");
  int64_t size = 0, resident = 0;
  f >> size >> resident;
  return resident * ::sysconf(_SC_PAGESIZE);
}

const TraceModel& sharedModel() {
  static std::unique_ptr<TraceModel> m = [] {
    LoadResult r = loadTrace(tracePath());
    if (!r.ok()) std::fprintf(stderr, "model_bench: %s\n", r.error.c_str());
    return std::move(r.model);
  }();
  return *m;
}

// BM_LoadModel: read + parse (2 threads) + build lanes, flows, stats and snapshots.
void BM_LoadModel(benchmark::State& state) {
  const std::string& path = tracePath();
  size_t events = 0, bytes = 0;
  int64_t rss = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ::malloc_trim(0);  // give back the last iteration's pages, so RSS growth is this load's
    int64_t before = residentBytes();
    state.ResumeTiming();
    LoadResult r = loadTrace(path, nullptr, int(state.range(0)));
    if (!r.ok()) {
      state.SkipWithError(r.error.c_str());
      return;
    }
    rss = residentBytes() - before;
    events = r.model->events().size();
    bytes = r.model->memoryBytes();
    benchmark::DoNotOptimize(r.model.get());
  }
  state.counters["events"] = double(events);
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["model_B/event"] = double(bytes) / double(events);
  state.counters["rss_B/event"] = double(rss) / double(events);
}
BENCHMARK(BM_LoadModel)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// BM_ReadOnly: the parse alone (the part nlohmann's SAX parser does).
void BM_ReadOnly(benchmark::State& state) {
  for (auto _ : state) {
    gmps::trace::ReadOptions o;
    o.threads = int(state.range(0));
    auto r = gmps::trace::readTrace(tracePath(), o);
    benchmark::DoNotOptimize(r.trace.has_value());
  }
}
BENCHMARK(BM_ReadOnly)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// BM_Check: `gmpscope check` without the read.
void BM_Check(benchmark::State& state) {
  const TraceModel& m = sharedModel();
  for (auto _ : state) benchmark::DoNotOptimize(checkTrace(m.trace()).ok);
}
BENCHMARK(BM_Check)->Unit(benchmark::kMillisecond)->Iterations(3);

// BM_StateAt: seeking to random instants (snapshot + replay forward).
void BM_StateAt(benchmark::State& state) {
  const TraceModel& m = sharedModel();
  std::mt19937_64 rng(1);
  Ns span = std::max<Ns>(1, m.endTime() - m.startTime());
  for (auto _ : state) {
    SchedState s = m.stateAt(m.startTime() + Ns(rng() % uint64_t(span)));
    benchmark::DoNotOptimize(s.goroutines.size());
  }
}
BENCHMARK(BM_StateAt)->Unit(benchmark::kMicrosecond);

// BM_VisibleSpans: one frame's LOD pass over every P and M lane, whole trace in view.
void BM_VisibleSpans(benchmark::State& state) {
  const TraceModel& m = sharedModel();
  ViewGeometry g{m.startTime(), double(m.endTime() - m.startTime()) / 1600.0, 1600.f};
  g.nsPerPixel /= double(state.range(0));  // zoom in
  std::vector<VisibleItem> out;
  size_t items = 0;
  for (auto _ : state) {
    items = 0;
    for (const ProcLane& p : m.procs()) {
      visibleSpans(p.running, m.clock(), g, out);
      items += out.size();
    }
    for (const MachineLane& ml : m.machines()) {
      visibleSpans(ml.spans, m.clock(), g, out);
      items += out.size();
    }
  }
  state.counters["items"] = double(items);
}
BENCHMARK(BM_VisibleSpans)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
