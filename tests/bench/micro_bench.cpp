// gmpscope-microbench — Google Benchmark suite of the runtime's hot paths:
// the context switch, run-queue operations on bare Ps, and trace event emission.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "gmpscope/go.h"
#include "runtime2.h"

using namespace gmps::rt;

extern "C" void gmps_swapctx(void** save, void* to);
extern "C" void gmps_swapctx_words(void** save, void* to, uint64_t words);

namespace {

// Two contexts switching back and forth, both reading their control words (the
// general swap): one iteration = two switches, reported per switch.
void* mainSP;
void* coSP;
void coroutine(G*) {
  for (;;) gmps_swapctx(&coSP, mainSP);
}

void BM_ContextSwitch(benchmark::State& state) {
  G g;
  std::vector<char> stack(64 * 1024);
  g.stack.lo = stack.data();
  g.stack.hi = stack.data() + stack.size();
  gostartFrame(&g, coroutine);
  coSP = g.sp;
  for (auto _ : state) gmps_swapctx(&mainSP, coSP);
  state.SetItemsProcessed(state.iterations() * 2);
  state.counters["ns_per_switch"] = benchmark::Counter(
      double(state.iterations() * 2), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ContextSwitch);

// The pair the scheduler does for every goroutine switch: gogo (g0 -> G, g0's control
// words known, gmps_swapctx_words) and mcall (G -> g0, reads the G's words,
// gmps_swapctx). Reported per switch.
void* g0SP;
void* gSP;
void gside(G*) {
  for (;;) gmps_swapctx(&gSP, g0SP);
}

void BM_GoroutineSwitch(benchmark::State& state) {
  G g;
  std::vector<char> stack(64 * 1024);
  g.stack.lo = stack.data();
  g.stack.hi = stack.data() + stack.size();
  gostartFrame(&g, gside);
  gSP = g.sp;
  uint32_t mxcsr = 0;
  uint16_t cw = 0;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(cw));
  const uint64_t words = uint64_t(mxcsr & ~0x3Fu) | (uint64_t(cw) << 32);
  for (auto _ : state) gmps_swapctx_words(&g0SP, gSP, words);
  state.SetItemsProcessed(state.iterations() * 2);
  state.counters["ns_per_switch"] = benchmark::Counter(
      double(state.iterations() * 2), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_GoroutineSwitch);

// A fake M so tracing helpers have somewhere to record.
struct BareM {
  std::unique_ptr<M> m = std::make_unique<M>();
  BareM() {
    setm(m.get());
    setg(&m->g0);
    gomaxprocs = 2;
  }
  ~BareM() {
    setm(nullptr);
    setg(nullptr);
  }
};

void BM_RunqPutGet(benchmark::State& state) {
  BareM bm;
  P pp;
  G g;
  bool inherit;
  for (auto _ : state) {
    runqput(&pp, &g, false);
    benchmark::DoNotOptimize(runqget(&pp, &inherit));
  }
}
BENCHMARK(BM_RunqPutGet);

void BM_RunqPutNextGet(benchmark::State& state) {
  BareM bm;
  P pp;
  G g;
  bool inherit;
  for (auto _ : state) {
    runqput(&pp, &g, true);
    benchmark::DoNotOptimize(runqget(&pp, &inherit));
  }
}
BENCHMARK(BM_RunqPutNextGet);

// Steal half of a 64-G queue and put them back: reported per G moved.
void BM_RunqSteal(benchmark::State& state) {
  BareM bm;
  P victim, thief;
  victim.status = _Prunning;
  std::vector<G> gs(64);
  for (auto& g : gs) runqput(&victim, &g, false);
  bool inherit;
  int64_t moved = 0;
  for (auto _ : state) {
    G* gp = runqsteal(&thief, &victim, false);
    moved += 1 + runqlen(&thief);
    runqput(&victim, gp, false);
    while (G* g2 = runqget(&thief, &inherit)) runqput(&victim, g2, false);
  }
  state.SetItemsProcessed(moved);
}
BENCHMARK(BM_RunqSteal);

// recordLoop runs step(r, i) once per iteration on a recorder of a live trace session,
// i counting from 1, and throws the trace away after.
template <typename Step>
void recordLoop(benchmark::State& state, Step step) {
  gmps::trace::start();
  gmps::trace::Recorder r(0);
  int64_t i = 0;
  for (auto _ : state) step(r, ++i);
  r.flush();
  gmps::trace::stop();
  gmps::trace::discard();
}

// gid is the i-th goroutine id the events below name: ids that change from event to
// event, as in a real trace, and under 127, as in most programs (one byte each).
// BM_EmitEnabledBigIds names ids past 16,383 instead, as spawn 1000000 does (three
// bytes each).
int64_t gid(int64_t i) { return 2 + (i & 63); }

// One event with its own clock read (the RunqPut of a G that went to the back of the
// queue).
void BM_EmitEnabled(benchmark::State& state) {
  recordLoop(state, [](gmps::trace::Recorder& r, int64_t i) {
    r.emit(gmps::trace::Ev::RunqPut, 0, 1, gid(i), 0, -1);
  });
}
BENCHMARK(BM_EmitEnabled)->Iterations(4 << 20);  // 160 MiB of trace: a bounded buffer

void BM_EmitEnabledBigIds(benchmark::State& state) {
  recordLoop(state, [](gmps::trace::Recorder& r, int64_t i) {
    r.emit(gmps::trace::Ev::RunqPut, 0, 16384 + i, 16384 + i, 0, -1);
  });
}
BENCHMARK(BM_EmitEnabledBigIds)->Iterations(4 << 20);

// The second event of one scheduler step (GoUnblock → RunqPut, RunqGet → GoStart,
// GoStop → RunqPut) reuses the first one's timestamp: what recording costs without
// the clock read.
void BM_EmitSharedTs(benchmark::State& state) {
  recordLoop(state, [](gmps::trace::Recorder& r, int64_t i) {
    r.shareNextTs();
    r.emit(gmps::trace::Ev::RunqPut, 0, 1, gid(i), 0, -1);
  });
}
BENCHMARK(BM_EmitSharedTs)->Iterations(4 << 20);

// A wake-up step, GoUnblock then RunqPut at one time, recorded as two events (the
// second a sub-record) and as one pair record (what ready does): each with its clock read.
void BM_EmitStepAsTwoEvents(benchmark::State& state) {
  recordLoop(state, [](gmps::trace::Recorder& r, int64_t i) {
    r.emit(gmps::trace::Ev::GoUnblock, 0, 1, gid(i));
    r.shareNextTs();
    r.emit(gmps::trace::Ev::RunqPut, 0, 1, gid(i), 0, -1);
  });
}
BENCHMARK(BM_EmitStepAsTwoEvents)->Iterations(4 << 20);

void BM_EmitStepAsPair(benchmark::State& state) {
  recordLoop(state, [](gmps::trace::Recorder& r, int64_t i) {
    r.emitUnblockPut(r.stamp(), 0, 1, gid(i), 0, -1);
  });
}
BENCHMARK(BM_EmitStepAsPair)->Iterations(4 << 20);

// One clock read alone: the floor under an event with its own timestamp.
void BM_ClockRead(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(gmps::trace::ticks());
}
BENCHMARK(BM_ClockRead);

void BM_EmitDisabled(benchmark::State& state) {
  gmps::trace::stop();
  gmps::trace::Recorder r(0);
  int64_t i = 0;
  for (auto _ : state) {
    r.emit(gmps::trace::Ev::RunqPut, 0, 1, ++i, 0, -1);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_EmitDisabled);

}  // namespace

BENCHMARK_MAIN();
