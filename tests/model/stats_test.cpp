// Per-G, per-P and whole-trace figures, computed by hand from data/basic.jsonl and
// data/queues.jsonl (times in ns; see the ts fields).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

using namespace gmps::model;
using gmps::testing::loadData;

namespace {

const GoroutineStats& statsOf(const TraceModel& m, int32_t id) {
  for (auto& g : m.stats().perG)
    if (g.id == id) return g;
  static GoroutineStats none;
  ADD_FAILURE() << "no G" << id;
  return none;
}

TEST(Stats, BasicGoroutines) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  const GoroutineStats& g1 = statsOf(*m, 1);
  EXPECT_EQ(g1.running, 230);   // 50..200 + 420..500
  EXPECT_EQ(g1.runnable, 140);  // 30..50 + 300..420
  EXPECT_EQ(g1.blocked, 100);   // 200..300
  EXPECT_EQ(blockedByReason(*m, *m->goroutine(1))[size_t(gmps::trace::BlockReason::ChanRecv)], 100);
  EXPECT_EQ(g1.topBlockReason, int(gmps::trace::BlockReason::ChanRecv));
  EXPECT_EQ(g1.syscall, 0);
  EXPECT_EQ(g1.starts, 2);
  EXPECT_EQ(g1.blocks, 1);
  const GoroutineStats& g2 = statsOf(*m, 2);
  EXPECT_EQ(g2.running, 350);   // 130..400 + 520..600
  EXPECT_EQ(g2.runnable, 150);  // 100..130 + 400..520
  EXPECT_EQ(g2.yields, 1);
  EXPECT_EQ(g2.preemptions, 0);
}

TEST(Stats, BasicProcsAndTotals) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  const TraceStats& s = m->stats();
  EXPECT_EQ(s.duration, 600);
  EXPECT_EQ(s.events, 30);
  EXPECT_EQ(s.goroutines, 2);
  EXPECT_EQ(s.steals, 1);
  EXPECT_EQ(s.gsStolen, 1);
  EXPECT_EQ(s.preemptions, 0);
  EXPECT_EQ(s.maxGlobalQueue, 1);
  EXPECT_EQ(s.eventCounts[size_t(Ev::GoStart)], 4);
  EXPECT_EQ(s.eventCounts[size_t(Ev::RunqPut)], 4);
  EXPECT_EQ(s.eventCounts[size_t(Ev::Startup)], 1);
  ASSERT_EQ(s.perP.size(), 2u);
  EXPECT_EQ(s.perP[0].running, 150);
  EXPECT_EQ(s.perP[0].held, 190);
  EXPECT_DOUBLE_EQ(s.perP[0].utilisation, 0.25);
  EXPECT_EQ(s.perP[0].gsRun, 1);
  EXPECT_EQ(s.perP[0].stolenFrom, 1);
  EXPECT_EQ(s.perP[0].gsLost, 1);
  EXPECT_EQ(s.perP[1].running, 430);
  EXPECT_EQ(s.perP[1].held, 489);  // 111 .. the end at 600
  EXPECT_EQ(s.perP[1].gsRun, 3);
  EXPECT_EQ(s.perP[1].steals, 1);
  EXPECT_EQ(s.perP[1].gsStolen, 1);
}

TEST(Stats, BasicSchedulerLatency) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  const LatencyHistogram& h = m->stats().schedLatency;
  // Runnable -> running: G1 20 and 120, G2 30 and 120.
  EXPECT_EQ(h.total, 4);
  EXPECT_EQ(h.sum, 290);
  EXPECT_EQ(h.min, 20);
  EXPECT_EQ(h.max, 120);
  EXPECT_EQ(h.mean(), 72);
  EXPECT_EQ(h.counts[5], 2);  // (16, 32]
  EXPECT_EQ(h.counts[7], 2);  // (64, 128]
  EXPECT_EQ(h.percentile(0.5), 32);
  EXPECT_EQ(h.percentile(0.9), 120);  // the bucket's bound, but never above the max
}

TEST(Stats, HistogramBuckets) {
  EXPECT_EQ(LatencyHistogram::bucketOf(0), 0);
  EXPECT_EQ(LatencyHistogram::bucketOf(1), 0);
  EXPECT_EQ(LatencyHistogram::bucketOf(2), 1);
  EXPECT_EQ(LatencyHistogram::bucketOf(3), 2);
  EXPECT_EQ(LatencyHistogram::bucketOf(1024), 10);
  EXPECT_EQ(LatencyHistogram::bucketOf(1025), 11);
  EXPECT_EQ(LatencyHistogram::bucketOf(Ns(1) << 60), LatencyHistogram::kBuckets - 1);
  EXPECT_EQ(LatencyHistogram::bucketUpper(10), 1024);
  LatencyHistogram h;
  EXPECT_EQ(h.percentile(0.5), 0);
  EXPECT_EQ(h.mean(), 0);
}

TEST(Stats, QueuesPreemptionsSyscallsAndTheGlobalQueue) {
  auto m = loadData("queues.jsonl");
  ASSERT_TRUE(m);
  const TraceStats& s = m->stats();
  EXPECT_EQ(s.preemptions, 1);
  EXPECT_EQ(s.sysmonPreempts, 1);
  EXPECT_EQ(s.maxGlobalQueue, 3);
  EXPECT_EQ(statsOf(*m, 1).preemptions, 1);
  EXPECT_EQ(statsOf(*m, 1).syscall, 40);  // 330..370, ended by GoSyscallEndBlocked
  EXPECT_EQ(statsOf(*m, 1).syscalls, 1);
  EXPECT_EQ(statsOf(*m, 3).syscall, 20);  // 210..230
  EXPECT_EQ(blockedByReason(*m, *m->goroutine(3))[size_t(gmps::trace::BlockReason::NetPoll)], 110);
  EXPECT_EQ(statsOf(*m, 3).topBlockReason, int(gmps::trace::BlockReason::NetPoll));
  EXPECT_EQ(statsOf(*m, 2).topBlockReason, -1);  // never blocked
  EXPECT_EQ(s.perP[0].preemptions, 1);
}

TEST(Stats, RunningTimeAddsUpAcrossGoroutinesAndProcs) {
  for (const char* name : {"basic.jsonl", "queues.jsonl"}) {
    auto m = loadData(name);
    ASSERT_TRUE(m);
    Ns g = 0, p = 0;
    for (auto& s : m->stats().perG) g += s.running;
    for (auto& s : m->stats().perP) p += s.running;
    EXPECT_EQ(g, p) << name;
  }
}

TEST(Stats, JsonIsMachineReadable) {
  auto m = loadData("basic.jsonl");
  ASSERT_TRUE(m);
  auto j = nlohmann::json::parse(statsJson(*m));
  EXPECT_EQ(j["events"], 30);
  EXPECT_EQ(j["duration_ns"], 600);
  EXPECT_EQ(j["steals"], 1);
  EXPECT_EQ(j["events_by_kind"]["GoStart"], 4);
  EXPECT_FALSE(j["events_by_kind"].contains("GoSyscallBegin"));
  EXPECT_EQ(j["sched_latency"]["count"], 4);
  EXPECT_EQ(j["sched_latency"]["p50_ns"], 32);
  ASSERT_EQ(j["procs"].size(), 2u);
  EXPECT_EQ(j["procs"][1]["steals"], 1);
  EXPECT_DOUBLE_EQ(j["procs"][0]["utilisation"].get<double>(), 0.25);
  ASSERT_EQ(j["goroutines_detail"].size(), 2u);
  EXPECT_EQ(j["goroutines_detail"][0]["id"], 1);
  EXPECT_EQ(j["goroutines_detail"][0]["label"], "runtime.main");
  EXPECT_EQ(j["goroutines_detail"][0]["blocked_by_ns"]["chan receive"], 100);
  EXPECT_EQ(j["goroutines_detail"][0]["created_line"], 5);
  EXPECT_EQ(j["goroutines_detail"][0]["ended_line"], 28);
  EXPECT_FALSE(j.contains("first_violation"));
}

TEST(Stats, FormatDuration) {
  EXPECT_EQ(formatDuration(850), "850 ns");
  EXPECT_EQ(formatDuration(12300), "12.3 µs");
  EXPECT_EQ(formatDuration(4560000), "4.56 ms");
  EXPECT_EQ(formatDuration(1234000000), "1.234 s");
  EXPECT_EQ(formatDuration(-850), "-850 ns");
}

}  // namespace
