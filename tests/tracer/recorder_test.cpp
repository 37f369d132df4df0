// Recorder → writer round trip: what the runtime records is what the file says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gmpscope/tracer/events.h"
#include "gmpscope/tracer/recorder.h"

using namespace gmps::trace;
using nlohmann::json;

namespace {

std::vector<json> readLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

std::string tmpPath(const char* name) {
  return std::string(::testing::TempDir()) + name + std::to_string(::getpid()) + ".jsonl";
}

// writeAndRead writes the session's chunks as a trace file named after name and
// returns its lines, the file removed; none if the write failed (a test failure
// quoting the writer's message).
std::vector<json> writeAndRead(const char* name, const TraceHeader& h) {
  std::string path = tmpPath(name);
  std::string err = writeJSONL(path.c_str(), h);
  EXPECT_EQ(err, "");
  std::vector<json> lines = err.empty() ? readLines(path) : std::vector<json>{};
  ::unlink(path.c_str());
  return lines;
}

TEST(EventTable, NamesRoundTrip) {
  for (int i = 0; i < kNumEvents; i++) {
    Ev e = static_cast<Ev>(i);
    ASSERT_EQ(eventByName(eventName(e)), e) << eventName(e);
    EXPECT_NE(std::string(eventDef(e).goFunc), "");
  }
  EXPECT_FALSE(eventByName("NoSuchEvent").has_value());
  EXPECT_EQ(argIndex(Ev::RunqPut, "where"), 1);
  EXPECT_EQ(enumValue(EnumKind::StartupStep, "main_main"), int(StartupStep::MainMain));
}

// Every field is a varint: each length from 1 to 10 bytes round-trips, at both ends
// of its range, packed back to back.
TEST(Varint, EveryLengthRoundTrips) {
  std::vector<uint64_t> vs = {0, 1};
  for (int bits = 7; bits <= 63; bits += 7) {
    vs.push_back((uint64_t(1) << bits) - 1);
    vs.push_back(uint64_t(1) << bits);
  }
  vs.push_back(~uint64_t(0));
  std::vector<uint8_t> buf(vs.size() * kMaxVarintBytes + 8);
  uint8_t* w = buf.data();
  std::vector<size_t> lens;
  for (uint64_t v : vs) {
    uint8_t* next = putVarint(w, v);
    lens.push_back(size_t(next - w));
    w = next;
  }
  const uint8_t* r = buf.data();
  for (size_t i = 0; i < vs.size(); i++) {
    const uint8_t* at = r;
    EXPECT_EQ(getVarint(r), vs[i]) << i;
    EXPECT_EQ(size_t(r - at), lens[i]) << vs[i];
  }
  auto lenOf = [&](uint64_t v) { return lens[size_t(std::find(vs.begin(), vs.end(), v) - vs.begin())]; };
  EXPECT_EQ(lenOf(0), 1u);
  EXPECT_EQ(lenOf(127), 1u);
  EXPECT_EQ(lenOf(128), 2u);
  EXPECT_EQ(lenOf((uint64_t(1) << 56) - 1), 8u);
  EXPECT_EQ(lenOf(uint64_t(1) << 56), 9u);
  EXPECT_EQ(lenOf(~uint64_t(0)), 10u);
  for (int64_t v : {int64_t(0), int64_t(-1), int64_t(1), INT64_MIN, INT64_MAX})
    EXPECT_EQ(unzigzag(zigzag(v)), v);
  EXPECT_EQ(zigzag(-1), 1u);  // g0's g takes one byte
}

// Ids are stored as id+1: none (-1) and ids up to 126 in one byte, and any value,
// even one no runtime id takes, comes back as it went in.
TEST(Recorder, IdsRoundTripAndTheUsualOnesTakeOneByte) {
  uint8_t buf[kMaxVarintBytes];
  for (int64_t id : {int64_t(-1), int64_t(0), int64_t(126), int64_t(127), int64_t(1) << 40, INT64_MAX,
                     INT64_MIN, int64_t(-2)}) {
    const uint8_t* end = putId(buf, id);
    const uint8_t* r = buf;
    EXPECT_EQ(getId(r), id);
    EXPECT_EQ(r, end) << id;
    if (id >= -1 && id <= 126) {
      EXPECT_EQ(end - buf, 1) << id;
    }
  }
  EXPECT_EQ(putId(buf, 127) - buf, 2);
}

TEST(Recorder, DisabledRecordsNothing) {
  discard();
  stop();
  Recorder r(0);
  r.emit(Ev::GoStart, 0, 1, 0);
  r.flush();
  EXPECT_EQ(eventCount(), 0u);
}

TEST(Recorder, WritesEventsInTimeOrderWithArguments) {
  start();
  Recorder m0(0), m1(1);
  m0.emit(Ev::GoCreate, 0, 1, 7, 0);
  m1.emit(Ev::RunqPut, 1, -1, 7, int(RunqWhere::Runnext), -1);
  int64_t gs[] = {3, 4, 5};
  int64_t fixed[] = {0, 1};
  m1.emitList(Ev::RunqSteal, 1, -1, fixed, 2, argIndex(Ev::RunqSteal, "gs"), gs, 3);
  m0.emit(Ev::Startup, 0, -1, int(StartupStep::MainInit), 2, reinterpret_cast<int64_t>("pkg"));
  m0.flush();
  m1.flush();
  stop();
  EXPECT_EQ(eventCount(), 4u);
  auto lines = writeAndRead("rt", {"unit", 2, 2});
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["format"], kFormatName);
  EXPECT_EQ(lines[0]["gomaxprocs"], 2);
  EXPECT_EQ(lines[0]["events"], 4);
  // Merged in timestamp order, each keeping its own M and P.
  EXPECT_EQ(lines[1]["ev"], "GoCreate");
  EXPECT_EQ(lines[1]["newg"], 7);
  EXPECT_EQ(lines[1]["m"], 0);
  EXPECT_EQ(lines[2]["ev"], "RunqPut");
  EXPECT_EQ(lines[2]["where"], "runnext");
  EXPECT_EQ(lines[2]["m"], 1);
  EXPECT_EQ(lines[2]["g"], -1);
  EXPECT_EQ(lines[3]["ev"], "RunqSteal");
  EXPECT_EQ(lines[3]["gs"], json::array({3, 4, 5}));
  EXPECT_EQ(lines[3]["victim"], 0);
  EXPECT_EQ(lines[3]["runnext"], 1);
  EXPECT_EQ(lines[4]["step"], "main_init");
  EXPECT_EQ(lines[4]["name"], "pkg");
  int64_t prev = -1;
  for (size_t i = 1; i < lines.size(); i++) {
    EXPECT_GE(lines[i]["ts"].get<int64_t>(), prev);
    prev = lines[i]["ts"];
  }
  discard();
}

// Goroutine ids past 32 bits (a long run can create more than 4 billion goroutines)
// and large P ids come out whole, for fixed-argument and GList events alike.
TEST(Recorder, GoroutineIdsBeyond32BitsAndLargePsSurvive) {
  start();
  Recorder m(3);
  const int64_t big = (int64_t(1) << 33) + 5;
  m.emit(Ev::GoStart, 1023, big, 1);
  int64_t gs[] = {big + 1, 9};
  int64_t fixed[] = {2, 0};
  m.emitList(Ev::RunqSteal, 1023, big, fixed, 2, argIndex(Ev::RunqSteal, "gs"), gs, 2);
  m.emit(Ev::GoEnd, 0, int64_t(0xFFFFFFFEll));  // the largest id that fits
  m.emit(Ev::GoStop, -1, -1, int(StopReason::Gosched));
  m.flush();
  stop();
  EXPECT_EQ(eventCount(), 4u);
  auto lines = writeAndRead("bigg", {"unit", 1024, 2});
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[1]["ev"], "GoStart");
  EXPECT_EQ(lines[1]["g"], big);
  EXPECT_EQ(lines[1]["p"], 1023);
  EXPECT_EQ(lines[1]["m"], 3);
  EXPECT_EQ(lines[1]["inherit"], 1);
  EXPECT_EQ(lines[2]["ev"], "RunqSteal");
  EXPECT_EQ(lines[2]["g"], big);
  EXPECT_EQ(lines[2]["gs"], json::array({big + 1, 9}));
  EXPECT_EQ(lines[2]["victim"], 2);
  EXPECT_EQ(lines[3]["g"], int64_t(0xFFFFFFFEll));
  EXPECT_EQ(lines[3]["p"], 0);
  EXPECT_EQ(lines[4]["ev"], "GoStop");
  EXPECT_EQ(lines[4]["g"], -1);
  EXPECT_EQ(lines[4]["p"], -1);
  discard();
}

// Events stamped under one lock come out in the order the lock was won, even when a
// CPU's clock read ran ahead of its lock: M1 holds the lock after M0, whose last event
// there claims a later time than M1's clock. M1's event moves just after it, and M1's
// next event, recorded later, stays after it in the file.
TEST(Recorder, LockedStampsFollowTheLocksLastAndEachMKeepsItsOrder) {
  start();
  Recorder m0(0), m1(1);
  uint64_t lockLast = 0;
  m0.stampAfterLocked(&lockLast, ticks() + 5'000'000'000ull);  // a read "5 s ahead"
  m0.emit(Ev::RunqPut, 0, 7, 7, int(RunqWhere::Global), -1);
  const uint64_t m0Put = lockLast;
  m1.stampAfterLocked(&lockLast);  // a fresh read: earlier than m0's
  m1.emit(Ev::RunqGet, 1, -1, 7, int(RunqSrc::Global), 0);
  EXPECT_EQ(lockLast, m0Put + 1);
  m1.emit(Ev::GoStart, 1, 7, 0);  // fresh, unordered: before both in raw time
  m0.flush();
  m1.flush();
  stop();
  auto lines = writeAndRead("locked", {"unit", 2, 2});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1]["ev"], "RunqPut");
  EXPECT_EQ(lines[2]["ev"], "RunqGet");
  EXPECT_EQ(lines[3]["ev"], "GoStart");
  EXPECT_EQ(lines[3]["ts"], lines[2]["ts"]);  // raised to its M's previous record
  discard();
}

TEST(Writer, UnwritablePathLeavesNoFileAndSaysWhy) {
  start();
  Recorder r(0);
  r.emit(Ev::GoEnd, 0, 1);
  r.flush();
  stop();
  std::string err = writeJSONL("/nonexistent-dir/x.jsonl", {"unit", 1, 1});
  EXPECT_NE(err.find("/nonexistent-dir/x.jsonl"), std::string::npos) << err;
  EXPECT_NE(err.find("cannot write"), std::string::npos) << err;
  discard();
}

// A record holds the time since its M's previous record in 32 bits; a gap of more than
// 2^32 ticks (an M parked for a few seconds) goes through a full-time clock record and
// must come out whole, not wrapped. Here 2^33 ticks: 2.4-3.4 s at 2.5-3.5 GHz.
TEST(Recorder, GapsBeyond32BitsOfTicksComeOutWhole) {
  start();
  Recorder m(0);
  const uint64_t t0 = ticks();
  const uint64_t later = t0 + (uint64_t(1) << 33);
  m.emitAt(t0, Ev::MPark, 0, -1);
  m.emitAt(later, Ev::MUnpark, 0, -1, 1, 1);
  m.emitAt(later + 3000, Ev::GoStart, 0, 7, 0);
  m.flush();
  stop();
  auto lines = writeAndRead("gap", {"unit", 1, 1});
  ASSERT_EQ(lines.size(), 4u);
  const int64_t gap = lines[2]["ts"].get<int64_t>() - lines[1]["ts"].get<int64_t>();
  EXPECT_GT(gap, 2'000'000'000) << "a 2^33-tick gap came out as " << gap << " ns";
  EXPECT_LT(gap, 4'000'000'000);
  const int64_t small = lines[3]["ts"].get<int64_t>() - lines[2]["ts"].get<int64_t>();
  EXPECT_GT(small, 0);
  EXPECT_LT(small, 10'000);  // 3000 ticks
  EXPECT_EQ(lines[2]["mp"], 1);
  EXPECT_EQ(lines[3]["g"], 7);
  discard();
}

// A time delta takes 2 bytes under 2^15 ticks and continues in a varint above: gaps
// on both sides of that edge, and up to the 2^32 that a clock record takes over,
// keep their proportions.
TEST(Recorder, TimeDeltasOnBothSidesOfTheTwoByteEdgeComeOutWhole) {
  start();
  Recorder m(0);
  const uint64_t gaps[] = {0x7FFF, 0x8000, 0x12345, uint64_t(1) << 31, 0x7FFF};
  uint64_t t = ticks();
  m.emitAt(t, Ev::MPark, 0, -1);
  for (uint64_t g : gaps) m.emitAt(t += g, Ev::MPark, 0, -1);
  m.flush();
  stop();
  auto lines = writeAndRead("dt", {"unit", 1, 1});
  ASSERT_EQ(lines.size(), 2u + std::size(gaps));
  const double nsPerTick =
      double(lines[2]["ts"].get<int64_t>() - lines[1]["ts"].get<int64_t>()) / double(gaps[0]);
  for (size_t i = 1; i < std::size(gaps); i++) {
    const double ns = double(lines[i + 2]["ts"].get<int64_t>() - lines[i + 1]["ts"].get<int64_t>());
    EXPECT_NEAR(ns / double(gaps[i]), nsPerTick, nsPerTick * 0.01) << "gap of " << gaps[i] << " ticks";
  }
  discard();
}

// The events of one scheduler step share a time; on the same P they share a record
// (a sub-record drops the 2-byte time delta and the P: 3 bytes here), and each still comes
// out as its own line, in order, with the shared time, its own g and arguments.
TEST(Recorder, EventsOfOneMomentShareARecordAndComeOutAsTheirOwnLines) {
  auto record = [](int32_t secondP) {
    start();
    Recorder r(2);
    r.emit(Ev::GoUnblock, 0, 5, 6);
    r.shareNextTs();
    r.emit(Ev::RunqPut, secondP, 5, 6, int(RunqWhere::Runnext), -1);
    r.flush();
    stop();
  };
  record(1);
  const uint64_t ownRecord = bytesRecorded();
  discard();
  record(0);
  EXPECT_EQ(bytesRecorded(), ownRecord - 3);
  discard();

  start();
  Recorder r(2);
  r.emit(Ev::GoUnblock, 0, 5, 6);
  r.shareNextTs();
  r.emit(Ev::RunqPut, 0, 5, 6, int(RunqWhere::Runnext), 4);
  r.shareNextTs();
  r.emit(Ev::RunqPut, 1, 5, 7, int(RunqWhere::Local), -1);  // another P: its own record
  const int64_t batch[] = {8, int64_t(1) << 40};
  const int64_t fixed[] = {10, int64_t(RunqSrc::Global)};
  r.shareNextTs();
  r.emitList(Ev::RunqGet, 1, -1, fixed, 2, argIndex(Ev::RunqGet, "batch"), batch, 2);
  r.shareNextTs();
  r.emit(Ev::GoStart, 1, 10, 1);
  r.emit(Ev::GoEnd, 1, 10);  // a fresh clock read: a record of its own
  r.flush();
  stop();
  EXPECT_EQ(eventCount(), 6u);
  auto lines = writeAndRead("moment", {"unit", 2, 2});
  ASSERT_EQ(lines.size(), 7u);
  const char* evs[] = {"GoUnblock", "RunqPut", "RunqPut", "RunqGet", "GoStart", "GoEnd"};
  for (int i = 0; i < 6; i++) {
    EXPECT_EQ(lines[size_t(i + 1)]["ev"], evs[i]) << i;
    EXPECT_EQ(lines[size_t(i + 1)]["m"], 2) << i;
    if (i > 0 && i < 5) {
      EXPECT_EQ(lines[size_t(i + 1)]["ts"], lines[1]["ts"]) << i;
    }
  }
  EXPECT_EQ(lines[1]["gp"], 6);
  EXPECT_EQ(lines[2]["p"], 0);
  EXPECT_EQ(lines[2]["where"], "runnext");
  EXPECT_EQ(lines[2]["kicked"], 4);
  EXPECT_EQ(lines[3]["p"], 1);
  EXPECT_EQ(lines[3]["gp"], 7);
  EXPECT_EQ(lines[3]["kicked"], -1);
  EXPECT_EQ(lines[4]["p"], 1);
  EXPECT_EQ(lines[4]["g"], -1);
  EXPECT_EQ(lines[4]["gp"], 10);
  EXPECT_EQ(lines[4]["src"], "global");
  EXPECT_EQ(lines[4]["batch"], json::array({8, int64_t(1) << 40}));
  EXPECT_EQ(lines[5]["g"], 10);
  EXPECT_EQ(lines[5]["p"], 1);
  EXPECT_EQ(lines[5]["inherit"], 1);
  EXPECT_EQ(lines[6]["g"], 10);
  EXPECT_GE(lines[6]["ts"], lines[5]["ts"]);
  discard();
}

// recordSteps records the scheduler steps of a go statement, a wake-up (kicking G4
// out of runnext) and a switch to G10 on M 2, at fixed times: each step's events as
// separate calls (its second event a sub-record), or as one pair record each.
void recordSteps(bool pairs) {
  start();
  Recorder r(2);
  const uint64_t t = ticks();
  const char* label = "worker";
  const auto label64 = reinterpret_cast<int64_t>(label);
  const int where = int(RunqWhere::Runnext);
  if (pairs) {
    r.emitCreatePut(t + 100, 0, 5, 6, label, where, -1);
    r.emitUnblockPut(t + 200, 0, 5, 7, where, 6);
  } else {
    r.emitAt(t + 100, Ev::GoCreate, 0, 5, 6, label64);
    r.emitAt(t + 100, Ev::RunqPut, 0, 5, 6, where, -1);
    r.emitAt(t + 200, Ev::GoUnblock, 0, 5, 7);
    r.emitAt(t + 200, Ev::RunqPut, 0, 5, 7, where, 6);
  }
  r.emitAt(t + 200, Ev::RunqPut, 0, 5, 6, int(RunqWhere::Local), -1);  // the kicked G
  r.emitAt(t + 300, Ev::GoEnd, 0, 5);
  // The switch shares GoEnd's time: with pairs, the pair is itself a sub-record.
  if (pairs)
    r.emitGetStart(t + 300, 0, -1, 10, int(RunqSrc::Runnext), 1);
  else {
    r.emitAt(t + 300, Ev::RunqGet, 0, -1, 10, int(RunqSrc::Runnext), 0);
    r.emitAt(t + 300, Ev::GoStart, 0, 10, 1);
  }
  r.emitAt(t + 400, Ev::GoBlock, 0, 10, int(BlockReason::ChanRecv));
  r.flush();
  stop();
}

TEST(Recorder, PairRecordsComeOutAsTheEventsTheyJoin) {
  recordSteps(false);
  const uint64_t separateBytes = bytesRecorded();
  const std::vector<json> separate = writeAndRead("separate", {"unit", 1, 1});
  discard();
  recordSteps(true);
  EXPECT_EQ(eventCount(), 9u);
  // Each pair saves its second event's ev byte and the fields it repeats: the G
  // and the G it is about (RunqPut after GoUnblock and after GoCreate), RunqGet's
  // empty batch and GoStart's G, the G just got: 3 one-byte fields here.
  EXPECT_EQ(bytesRecorded(), separateBytes - 9);
  const std::vector<json> paired = writeAndRead("paired", {"unit", 1, 1});
  discard();
  ASSERT_EQ(paired.size(), 10u);
  ASSERT_EQ(separate.size(), paired.size());
  const char* evs[] = {"GoCreate", "RunqPut", "GoUnblock", "RunqPut", "RunqPut",
                       "GoEnd",    "RunqGet", "GoStart",   "GoBlock"};
  for (size_t i = 1; i < paired.size(); i++) {
    EXPECT_EQ(paired[i]["ev"], evs[i - 1]) << i;
    json a = separate[i], b = paired[i];
    a.erase("ts");  // the two sessions started at different times
    b.erase("ts");
    EXPECT_EQ(a, b) << i;
    // Times relative to the first event match, as far as each session's own
    // calibration of ticks to ns (over its few ms, on a loaded machine) agrees.
    const int64_t ds = int64_t(separate[i]["ts"]) - int64_t(separate[1]["ts"]);
    const int64_t dp = int64_t(paired[i]["ts"]) - int64_t(paired[1]["ts"]);
    EXPECT_NEAR(ds, dp, 1 + ds / 5) << i;
  }
  EXPECT_EQ(paired[1]["label"], "worker");
  EXPECT_EQ(paired[2]["gp"], 6);
  EXPECT_EQ(paired[4]["kicked"], 6);
  EXPECT_EQ(paired[7]["batch"], json::array());
  EXPECT_EQ(paired[8]["g"], 10);
  EXPECT_EQ(paired[8]["inherit"], 1);
  EXPECT_EQ(paired[2]["ts"], paired[1]["ts"]);
  EXPECT_EQ(paired[7]["ts"], paired[6]["ts"]);
  EXPECT_LT(paired[6]["ts"], paired[9]["ts"]);
}

// stepEvent names the first event of the last step: events that share its time
// (a Gosched's RunqPut after its GoStop) keep it; the next event with a time of
// its own starts a new step. The scheduler shares a stop's time with the RunqGet
// that follows it on this basis (traceGetTs).
TEST(Recorder, AStepIsNamedByItsFirstEventNotByWhatSharesItsTime) {
  start();
  Recorder r(0);
  r.emit(Ev::GoStop, 0, 5, int64_t(0));
  EXPECT_EQ(r.stepEvent(), Ev::GoStop);
  r.shareNextTs();
  r.emit(Ev::RunqPut, 0, -1, int64_t(5), int64_t(2), int64_t(-1));
  EXPECT_EQ(r.stepEvent(), Ev::GoStop) << "the RunqPut shared the GoStop's time";
  r.emit(Ev::RunqPut, 1, -1, int64_t(6), int64_t(2), int64_t(-1));  // another P: a record of its own
  EXPECT_EQ(r.stepEvent(), Ev::RunqPut);
  r.emitUnblockPut(r.stamp(), 0, 5, 7, 0, -1);
  EXPECT_EQ(r.stepEvent(), Ev::GoUnblock) << "a pair's step is its first event";
  uint64_t t = ticks();
  while (ticks() == t) {
  }
  r.emit(Ev::GoBlock, 0, 5, int64_t(1));
  EXPECT_EQ(r.stepEvent(), Ev::GoBlock);
  r.flush();
  stop();
  discard();
}

TEST(Recorder, LabelsComeOutWholeAndARepeatedOneCostsOneByte) {
  // b lives on the heap, far from a: the delta between them takes several bytes.
  static const char a[] = "worker";
  static const std::string* const heap = new std::string("server");
  const char* b = heap->c_str();
  auto record = [&](const char* second) {
    start();
    Recorder r(1);
    const uint64_t t = ticks();
    r.emitAt(t + 10, Ev::GoCreate, 0, 1, 2, reinterpret_cast<int64_t>(a));
    r.emitAt(t + 20, Ev::GoCreate, 0, 1, 3, reinterpret_cast<int64_t>(second));
    r.emitCreatePut(t + 30, 0, 1, 4, a, int(RunqWhere::Runnext), -1);
    r.emitAt(t + 40, Ev::Startup, 0, 1, int(StartupStep::MainMain), 0, reinterpret_cast<int64_t>(b));
    r.emitCreatePut(t + 50, 0, 1, 5, b, int(RunqWhere::Runnext), 4);
    r.flush();
    stop();
  };
  record(b);
  const uint64_t different = bytesRecorded();
  const std::vector<json> lines = writeAndRead("labels", {"unit", 1, 1});
  discard();
  record(a);
  // The repeated label is a delta of 0 (1 byte) where the far one's takes several.
  EXPECT_LE(bytesRecorded() + 4, different);
  const std::vector<json> again = writeAndRead("labels2", {"unit", 1, 1});
  discard();
  ASSERT_EQ(lines.size(), 8u);
  ASSERT_EQ(again.size(), 8u);
  EXPECT_EQ(lines[1]["label"], "worker");
  EXPECT_EQ(lines[2]["label"], "server");
  EXPECT_EQ(again[2]["label"], "worker");
  EXPECT_EQ(lines[3]["label"], "worker");
  EXPECT_EQ(lines[3]["newg"], 4);
  EXPECT_EQ(lines[4]["ev"], "RunqPut");
  EXPECT_EQ(lines[5]["name"], "server");
  EXPECT_EQ(lines[6]["label"], "server");
  EXPECT_EQ(lines[7]["kicked"], 4);
}

TEST(Recorder, PairsFillChunksToTheEdgeAndStayWhole) {
  start();
  Recorder r(3);
  const int n = kChunkRoom / 8;  // each pair 11-14 bytes: several chunks
  const uint64_t t = ticks();
  for (int i = 0; i < n; i++)
    r.emitUnblockPut(t + uint64_t(i) * 10, 0, 1, i, int(RunqWhere::Runnext), -1);
  r.flush();
  stop();
  EXPECT_EQ(eventCount(), uint64_t(2 * n));
  const std::vector<json> lines = writeAndRead("pairs", {"unit", 1, 1});
  discard();
  ASSERT_EQ(lines.size(), size_t(2 * n + 1));
  for (int i = 0; i < n; i++) {
    const json& u = lines[size_t(2 * i + 1)];
    const json& p = lines[size_t(2 * i + 2)];
    ASSERT_EQ(u["ev"], "GoUnblock") << i;
    ASSERT_EQ(u["gp"], i) << i;
    ASSERT_EQ(p["ev"], "RunqPut") << i;
    ASSERT_EQ(p["gp"], i) << i;
    ASSERT_EQ(p["ts"], u["ts"]) << i;
  }
}

// runqput's kick: a `go` statement or a wake-up put in runnext, and the G it pushed
// out put at the tail of the local queue in the same step. The second RunqPut is one
// byte when it follows its kick at once in the chunk, else a record of its own; both
// come out as the same line. Spans several chunks, so some kicks end one.
TEST(Recorder, AKickedGsRunqPutIsOneByteAndComesOutWhole) {
  auto session = [](bool kickRecords, int n) {
    start();
    Recorder r(2);
    const uint64_t t = ticks();
    // As runqput: the put's time is the recorder's last stamp, which the kicked G's
    // RunqPut shares.
    auto stampAt = [&](uint64_t ts) {
      r.useNextTs(ts);
      return r.stamp();
    };
    for (int i = 0; i < n; i++) {
      const int64_t newg = 1000 + i, kicked = newg - 1;
      r.emitCreatePut(stampAt(t + uint64_t(i) * 10), 0, 1, newg, "w", int(RunqWhere::Runnext),
                      kicked);
      r.noteKick(1, kicked);
      r.shareNextTs();
      if (kickRecords)
        r.emitKickedLocal(0, 1, kicked);
      else
        r.emit(Ev::RunqPut, 0, 1, kicked, int64_t(RunqWhere::Local), int64_t(-1));
    }
    // Not right after its kick (an event between), or not the G kicked: the RunqPut
    // is recorded whole.
    r.emitCreatePut(stampAt(t + uint64_t(n) * 10), 0, 1, 5, "w", int(RunqWhere::Runnext), 4);
    r.noteKick(1, 4);
    r.emit(Ev::GoEnd, 0, 1);
    r.shareNextTs();
    r.emitKickedLocal(0, 1, 4);
    r.emitCreatePut(stampAt(t + uint64_t(n + 1) * 10), 0, 1, 8, "w", int(RunqWhere::Runnext), 7);
    r.noteKick(1, 7);
    r.shareNextTs();
    r.emitKickedLocal(0, 1, 3);
    r.flush();
    stop();
  };
  const int n = kChunkRoom / 10;  // ~15 bytes a step: a few chunks
  session(false, n);
  const uint64_t wholeBytes = bytesRecorded();
  const std::vector<json> whole = writeAndRead("kick-whole", {"unit", 1, 1});
  discard();
  session(true, n);
  // Each kick record is 1 byte where the RunqPut took 6 (ev, g, a 2-byte gp, where,
  // kicked): the first and last steps of each chunk may keep theirs.
  EXPECT_LE(bytesRecorded(), wholeBytes - 5 * uint64_t(n - 8));
  const std::vector<json> kicks = writeAndRead("kick-byte", {"unit", 1, 1});
  discard();
  ASSERT_EQ(kicks.size(), size_t(3 * n + 8));
  ASSERT_EQ(whole.size(), kicks.size());
  for (size_t i = 1; i < kicks.size(); i++) {
    json a = whole[i], b = kicks[i];
    a.erase("ts");
    b.erase("ts");
    ASSERT_EQ(a, b) << i;
  }
  for (int i = 0; i < n; i++) {
    const json& put = kicks[size_t(3 * i + 2)];
    const json& kicked = kicks[size_t(3 * i + 3)];
    ASSERT_EQ(put["kicked"], 999 + i) << i;
    ASSERT_EQ(kicked["ev"], "RunqPut") << i;
    ASSERT_EQ(kicked["gp"], 999 + i) << i;
    ASSERT_EQ(kicked["where"], "local") << i;
    ASSERT_EQ(kicked["kicked"], -1) << i;
    ASSERT_EQ(kicked["ts"], put["ts"]) << i;
  }
  const size_t k = size_t(3 * n + 1);
  EXPECT_EQ(kicks[k + 2]["ev"], "GoEnd");
  EXPECT_EQ(kicks[k + 3]["gp"], 4);
  EXPECT_EQ(kicks[k + 6]["gp"], 3);
  EXPECT_EQ(kicks[k + 6]["where"], "local");
}

TEST(Recorder, ManyEventsSpanChunks) {
  start();
  Recorder r(3);
  const int n = kChunkRoom;  // forces several chunks
  for (int i = 0; i < n; i++) r.emit(Ev::GoStart, 0, i, 0);
  r.flush();
  stop();
  EXPECT_EQ(eventCount(), uint64_t(n));
  discard();
}

}  // namespace
