// stats.h — per-G, per-P and whole-trace figures (what `gmpscope stats` prints and
// the viewer's statistics panel shows). Computed once from the lanes at load time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "gmpscope/model/types.h"

namespace gmps::model {

inline constexpr int kNumBlockReasons = int(trace::BlockReason::Count);

// GoroutineStats: one per G, so it is kept to 64 bytes (ordered largest first, no
// padding). The breakdown of blocked time by reason is computed on demand from the G's
// lane (blockedByReason): most Gs block for one reason or none.
struct GoroutineStats {
  Ns running = 0;   // time in GRunning spans
  Ns runnable = 0;  // scheduler wait: time in GRunnable spans
  Ns blocked = 0;   // time in GWaiting spans
  Ns syscall = 0;
  int32_t id = -1;
  int32_t starts = 0;       // GoStart events
  int32_t preemptions = 0;  // GoStop reason=preempted
  int32_t yields = 0;       // GoStop reason=Gosched
  int32_t blocks = 0;       // GoBlock events
  int32_t syscalls = 0;     // GoSyscallBegin events
  int8_t topBlockReason = -1;  // the trace::BlockReason it was blocked on longest, -1 = none
};
static_assert(sizeof(GoroutineStats) == 64);

class TraceModel;
struct GoroutineLane;
using BlockedByReason = std::array<Ns, kNumBlockReasons>;
// blockedByReason: the G's time in GWaiting spans by trace::BlockReason.
BlockedByReason blockedByReason(const TraceModel& m, const GoroutineLane& g);

struct ProcStats {
  int32_t id = -1;
  Ns running = 0;           // time some G ran on it (PRunning spans)
  Ns held = 0;              // time some M held it (PHeld spans)
  double utilisation = 0;   // running / trace duration
  int32_t gsRun = 0;        // GoStart events on it
  int32_t steals = 0;       // RunqSteal with it as thief
  int32_t gsStolen = 0;     // Gs it took by stealing
  int32_t stolenFrom = 0;   // RunqSteal with it as victim
  int32_t gsLost = 0;       // Gs taken from it
  int32_t preemptions = 0;  // GoStop(preempted) on it
};

// LatencyHistogram: scheduler latency = time from runnable to running (each GRunnable
// span that a GoStart ends). Bucket 0 counts [0, 1] ns, bucket i >= 1 counts
// (2^(i-1), 2^i] ns, so bucket i's upper bound is bucketUpper(i).
struct LatencyHistogram {
  static constexpr int kBuckets = 48;
  std::array<int64_t, kBuckets> counts{};
  int64_t total = 0;
  Ns sum = 0, min = 0, max = 0;
  static Ns bucketUpper(int i) { return i == 0 ? 1 : Ns(1) << i; }
  static int bucketOf(Ns v);
  void add(Ns v);
  // percentile q in [0,1]: the upper bound of the bucket holding the q-th sample.
  Ns percentile(double q) const;
  Ns mean() const { return total ? sum / total : 0; }
};

struct TraceStats {
  Ns duration = 0;  // last event's ts - first event's ts
  std::array<int64_t, trace::kNumEvents> eventCounts{};  // by trace::Ev
  int64_t events = 0;
  int64_t goroutines = 0;     // distinct Gs seen
  int64_t steals = 0;         // RunqSteal events
  int64_t gsStolen = 0;       // Gs moved by them
  int64_t preemptions = 0;    // GoStop reason=preempted
  int64_t sysmonPreempts = 0; // SysmonPreempt events
  int64_t maxGlobalQueue = 0;
  LatencyHistogram schedLatency;
  std::vector<GoroutineStats> perG;  // ascending id
  std::vector<ProcStats> perP;       // by P id
};

class TraceModel;

// statsJson renders m.stats() (every G and P, all counts) as a JSON document for
// machines: `gmpscope stats --json`. Keys are snake_case, times in nanoseconds.
std::string statsJson(const TraceModel& m);

// formatDuration renders ns for people: "850 ns", "12.3 µs", "4.56 ms", "1.234 s".
std::string formatDuration(Ns d);

}  // namespace gmps::model
