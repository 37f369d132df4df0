// recorder.h — the hot path of tracing: per-M event buffers.
//
// Each M owns one Recorder and is the only writer of it, so recording takes no
// lock: an event is a few bytes appended to the M's current chunk. A full
// chunk is handed to the process-wide list (one mutex, once per 1 MiB) and the M
// starts a new one. Timestamps are raw TSC ticks, converted to nanoseconds when the
// trace is written. With tracing off, emit costs one predictable branch.
//
// Record layout: a byte string, each field a varint (see putVarint):
//   ev       one byte: the event (bits 0-6); kClockEv for a clock record
//   dt       ticks since this M's previous record (a record never goes back in time),
//            in 2 bytes (see putDt)
//   p+1      the P, or 0 for none
//   g+1      the goroutine, or 0 on g0 (see putId)
//   args…    each argument of ev's row in events.h, in row order: an id (G, P, M) as
//            id+1; an Enum as one raw byte; a string argument as its pointer less the
//            last string pointer recorded in the chunk, zigzag-coded (0 when the same
//            label comes again: 1 byte instead of 7); a GList as its length n and the
//            n goroutine ids+1; any other integer zigzag-coded.
// An event at the same moment and on the same P as the record before it (the steps
// of one scheduler action share their time: a kicked G's RunqPut after its
// successor's, a RunqGet after the GoBlock that left the P) is a sub-record, without
// dt and p: [ev | kSameBit, g, args…].
// A pair record holds two events of one scheduler step recorded by one call (see
// Pair): its ev byte is the pair's code, and its fields are those of the two events
// without the ones the second repeats (its G, the G it is about, an empty batch).
// Both events have the record's time and P; readers see two events.
// A kick record is the one byte kKickCode | kSameBit, right after a RunqPut whose G
// pushed G k out of runnext: the RunqPut of k to the tail of the same P's local queue,
// by the same G at the same time (runqput's kick; each `go` statement while runnext is
// taken records one), without the 5-7 bytes of its fields.
// A clock record is kClockEv and 8 raw bytes of full time; it starts the running
// time over: the first record of each chunk and any record more than 2^32 ticks
// (1-2 s) after its M's previous one follow one.
// The bytes stored are much of what an event costs (fresh memory here is faulted in
// at 2-6 µs a page, on whichever CPU), so records are small: 6-8 bytes for an event
// that read the clock, 3-5 for one that shares its step's time, where 32-bit slots
// took 12-24 and 64-bit words 16-40.
#pragma once

#include <x86intrin.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>

#include "gmpscope/tracer/events.h"

namespace gmps::trace {

// enabled is set once before any M starts and cleared when tracing stops; readers
// use relaxed loads: a stale value only records or drops one event at the edges.
extern std::atomic<bool> enabled;

struct Chunk {
  Chunk* next;
  int64_t mid;     // the M that recorded it
  uint8_t* fill;   // one past the last byte written (valid once handed over)
  uint8_t bytes[];
};

inline constexpr size_t kChunkBytes = size_t(1) << 20;  // 1 MiB
// kChunkRoom is what records may fill: the chunk less its header (and a cache line).
inline constexpr int kChunkRoom = int(kChunkBytes - 64);

inline constexpr uint8_t kClockEv = 0xFF;  // ev of a clock record
inline constexpr uint8_t kSameBit = 0x80;  // ev byte: same moment and P as the record before

// Pair names the two-event steps that the runtime records with one call (emit…
// below): each is a pair of events that always come together, at one time on one P,
// and recording them at once costs a few ns and 3-7 bytes less than an event and its
// sub-record. The fields of each pair record:
enum class Pair : uint8_t {
  UnblockPut,  // GoUnblock, then RunqPut of that G (ready): g, gp, where, kicked
  CreatePut,   // GoCreate, then RunqPut of the new G (newproc): g, newg, label, where, kicked
  GetStart,    // RunqGet from the local queue, then GoStart of that G (schedule): g, gp, src, inherit
  Count
};
struct PairDef {
  Ev first, second;
};
inline constexpr PairDef kPairDefs[] = {
    {Ev::GoUnblock, Ev::RunqPut}, {Ev::GoCreate, Ev::RunqPut}, {Ev::RunqGet, Ev::GoStart}};
static_assert(std::size(kPairDefs) == size_t(Pair::Count));
// A pair's code in the ev byte follows the events' ids.
inline constexpr uint8_t pairCode(Pair pr) { return uint8_t(kNumEvents + int(pr)); }
// The kick record's code follows the pairs' (see the record layout).
inline constexpr uint8_t kKickCode = uint8_t(kNumEvents + int(Pair::Count));
static_assert(kKickCode < 0x7F,
              "event, pair and kick codes must leave the ev byte's top bit and 0x7F free");

// varint: LEB128, 7 bits of v per byte, low bits first, the top bit set on every
// byte but the last: a value under 128 (most fields) is one byte store. (Writing
// the whole varint with one unaligned 8-byte store, tried first, made an event cost
// 3x as much: the overlapping stores of one record stalled each other.)
inline constexpr int kMaxVarintBytes = 10;
inline uint8_t* putVarint(uint8_t* p, uint64_t v) {
  while (v >= 0x80) [[unlikely]] {
    *p++ = uint8_t(v | 0x80);
    v >>= 7;
  }
  *p++ = uint8_t(v);
  return p;
}
inline uint64_t getVarint(const uint8_t*& p) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b = *p++;
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  return v;
}
// putDt writes a time delta in a fixed 2 bytes when under 2^15 ticks (~10 µs), the
// usual case; a larger one sets the top bit and continues in a varint. The length of
// a varint delta, 1 or 2 bytes as events came 40 or 60 ns apart, was a branch the CPU
// mispredicted often enough to show in traced pingpong.
inline uint8_t* putDt(uint8_t* p, uint64_t d) {
  if (d < 0x8000) [[likely]] {
    const uint16_t w = uint16_t(d);
    std::memcpy(p, &w, 2);
    return p + 2;
  }
  const uint16_t w = uint16_t(0x8000 | (d & 0x7fff));
  std::memcpy(p, &w, 2);
  return putVarint(p + 2, d >> 15);
}
inline uint64_t getDt(const uint8_t*& p) {
  uint16_t w;
  std::memcpy(&w, p, 2);
  p += 2;
  if (!(w & 0x8000)) return w;
  return uint64_t(w & 0x7fff) | getVarint(p) << 15;
}
inline uint64_t zigzag(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
inline int64_t unzigzag(uint64_t u) { return int64_t(u >> 1) ^ -int64_t(u & 1); }
// An id (of a G, P or M) is -1 for none or a count from 0: stored as id+1 it is one
// add where zigzag took three instructions, in 1 byte up to 126. (Any int64 survives
// the round trip, as the arithmetic wraps.) The hot path's events are mostly ids and
// enums: traced pingpong ran ~20% fewer instructions per event with these codes.
inline uint8_t* putId(uint8_t* p, int64_t id) { return putVarint(p, uint64_t(id) + 1); }
inline int64_t getId(const uint8_t*& p) { return int64_t(getVarint(p) - 1); }
// An Enum argument is one raw byte: every enum table in events.h is shorter than 256.
inline uint8_t* putEnum(uint8_t* p, int64_t v) {
  *p = uint8_t(v);
  return p + 1;
}

// kMaxRecordBytes bounds one record with fixed arguments only, plus the clock
// record that may precede it.
inline constexpr int kMaxRecordBytes = 9 + 1 + 2 + kMaxVarintBytes * (3 + kMaxArgs);

// EventRef is one event read back from a chunk: its time, P, kind, g and arguments
// in row order (a string argument as its pointer; a GList argument as its length n,
// its ids the n varints at list).
struct EventRef {
  uint64_t ts = 0;
  int32_t p = -1;
  Ev ev = Ev::Startup;
  int64_t g = -1;
  int64_t args[kMaxArgs] = {};
  const uint8_t* list = nullptr;
};

// EventIter walks the events of one chunk's records [r, end) in the order they
// were recorded; their times never decrease.
class EventIter {
 public:
  EventIter(const uint8_t* r, const uint8_t* end) : r_(r), end_(end) {}
  // next reads the next event into e; false at the end.
  bool next(EventRef& e);

 private:
  // readFields reads the g and arguments of e.ev at f into e; returns their end.
  const uint8_t* readFields(const uint8_t* f, EventRef& e);
  // readPair reads the fields of a pr record at f into its two events; returns their end.
  const uint8_t* readPair(Pair pr, const uint8_t* f, EventRef& first, EventRef& second);
  int64_t readStr(const uint8_t*& f);
  // remember notes e, the event next returns: a kick record repeats a RunqPut's kick.
  void remember(const EventRef& e) {
    kickG_ = e.g;
    kicked_ = e.ev == Ev::RunqPut ? e.args[2] : -1;
  }

  const uint8_t* r_;
  const uint8_t* end_;
  uint64_t now_ = 0;
  int32_t p_ = -1;
  int64_t lastStr_ = 0;  // the last string pointer read (see the record layout)
  bool haveSecond_ = false;
  EventRef second_;      // a pair record's second event, once its first is read
  int64_t kickG_ = -1;   // the g of the last event read
  int64_t kicked_ = -1;  // the G the last event read pushed out of runnext (a RunqPut's)
};

// forEachEvent calls fn(EventRef) for each event in [r, end), one chunk's records.
template <typename Fn>
void forEachEvent(const uint8_t* r, const uint8_t* end, Fn&& fn) {
  EventIter it(r, end);
  EventRef e;
  while (it.next(e)) fn(e);
}

inline uint64_t ticks() { return __rdtsc(); }

class Recorder {
 public:
  // Recorder binds to M mid; it takes its first chunk lazily.
  explicit Recorder(int64_t mid = -1) : mid_(mid) {}
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  ~Recorder() { flush(); }

  void setM(int64_t mid) { mid_ = mid; }

  // emit records e with up to four fixed arguments. Executed only by the owning M.
  template <typename... A>
  inline void emit(Ev e, int32_t p, int64_t g, A... args) {
    if (!enabled.load(std::memory_order_relaxed)) [[likely]]
      return;
    emitNow(e, p, g, args...);
  }

  // emitNow records e at the time of the call, without checking enabled. The clock
  // is read after the room is made: a new chunk's cost (a new M's first event takes
  // one) falls before the event, not between it and the next.
  template <typename... A>
  inline void emitNow(Ev e, int32_t p, int64_t g, A... args) {
    makeRoom();
    putEvent(stamp(), e, p, g, args...);
  }

  // stamp returns the timestamp for the next event: a fresh TSC read, or the last
  // one when shareNextTs was called.
  inline uint64_t stamp() {
    if (mode_ != Next::Fresh) [[unlikely]]
      return specialStamp();
    return lastTs_ = ticks();
  }

  // shareNextTs makes the next event reuse the last one's timestamp: for events that
  // are one step of the scheduler (GoUnblock then RunqPut in ready, RunqGet then
  // GoStart). A TSC read costs ~10 ns here, as much as the rest of an event.
  void shareNextTs() { mode_ = Next::Shared; }

  // useNextTs makes the next event carry ts, a time read earlier (see the runtime's
  // traceTicksBeforeCAS).
  void useNextTs(uint64_t ts) {
    lastTs_ = ts;
    mode_ = Next::Shared;
  }

  // stampAfterLocked makes the next event's timestamp later than *last, the time of
  // the last event stamped under the same lock, and stores it there; the caller
  // holds that lock. The events under one lock are then stamped in the order the
  // lock was won even when a CPU read the clock before its locked instruction
  // completed, without a fence: a timestamp moves later by at most the time the
  // lock's previous holder spent between its clock read and its unlock.
  // read, if not 0, is a clock read taken earlier under the same lock, used instead
  // of a fresh one.
  void stampAfterLocked(uint64_t* last, uint64_t read = 0) {
    mode_ = Next::AfterLocked;
    lockedLast_ = last;
    lockedRead_ = read;
  }

  // stepEvent is the first event of the last scheduler step this recorder recorded:
  // the last event that took a time of its own, not one that shared the time of the
  // record before it (GoStop, not the RunqPut that followed it at the same moment).
  Ev stepEvent() const { return stepEv_; }
  // stepTs is the time of the last event this recorder stamped: the last step's, as
  // what follows a step's first event shares or raises its time. (A time shared by
  // stepTs does not go through stamp: no shareNextTs needed.)
  uint64_t stepTs() const { return lastTs_; }

  // emitAt records e with a timestamp taken earlier: for an event that must be
  // stamped before the store that publishes it but whose arguments are known only
  // after that store.
  template <typename... A>
  inline void emitAt(uint64_t ts, Ev e, int32_t p, int64_t g, A... args) {
    makeRoom();
    putEvent(ts, e, p, g, args...);
  }

  // The pair records (see Pair): each records its two events, stamped ts on P p, with
  // the fields of the first and those of the second that the first does not give.
  void emitUnblockPut(uint64_t ts, int32_t p, int64_t g, int64_t gp, int where, int64_t kicked) {
    uint8_t* s = putId(putId(startPair(ts, Pair::UnblockPut, p), g), gp);
    pos_ = putId(putEnum(s, where), kicked);
  }
  void emitCreatePut(uint64_t ts, int32_t p, int64_t g, int64_t newg, const char* label, int where,
                     int64_t kicked) {
    uint8_t* s = putId(putId(startPair(ts, Pair::CreatePut, p), g), newg);
    s = putVarint(s, zigzag(strDelta(reinterpret_cast<int64_t>(label))));
    pos_ = putId(putEnum(s, where), kicked);
  }
  void emitGetStart(uint64_t ts, int32_t p, int64_t g, int64_t gp, int src, int64_t inherit) {
    uint8_t* s = putId(putId(startPair(ts, Pair::GetStart, p), g), gp);
    pos_ = putVarint(putEnum(s, src), zigzag(inherit));
  }

  // noteKick says that the record just written is a RunqPut by G g that pushed G
  // kicked out of runnext. (Not called for other records: a kick record must follow
  // its kick at once, so any record written since makes the note stale.)
  void noteKick(int64_t g, int64_t kicked) {
    kickAt_ = pos_;
    kickG_ = g;
    kicked_ = kicked;
  }
  // emitKickedLocal records the RunqPut of gp, kicked out of runnext, to the tail of
  // P p's local queue by G g, in the same step as that kick (the time shared by
  // shareNextTs): as a kick record when nothing came between them in this chunk, else
  // as the RunqPut itself.
  void emitKickedLocal(int32_t p, int64_t g, int64_t gp) {
    makeRoom();
    if (pos_ == kickAt_ && gp == kicked_ && g == kickG_ && p == lastP_ && mode_ == Next::Shared &&
        lastTs_ <= prevTs_) [[likely]] {
      mode_ = Next::Fresh;
      kickAt_ = nullptr;
      *pos_++ = kKickCode | kSameBit;
      return;
    }
    putEvent(stamp(), Ev::RunqPut, p, g, gp, int64_t(RunqWhere::Local), int64_t(-1));
  }

  // emitList records e whose argument at position listArg is a GList of n ids.
  // fixed holds the other arguments in row order, without the list.
  void emitList(Ev e, int32_t p, int64_t g, const int64_t* fixed, int nfixed, int listArg,
                const int64_t* list, int n);

  // flush hands the current chunk, if any, to the process-wide list.
  void flush();

 private:
  // startRecord writes the head of a record for e stamped ts on P p at pos_ and
  // returns where its g goes. An event no later than the previous record (ts shared
  // with it, or raised to it) and on the same P becomes its sub-record; one too far
  // from it in time follows a clock record.
  // code is an event's id or a pair's code, first the (first) event it records.
  inline uint8_t* startRecord(uint64_t ts, uint8_t code, int32_t p, Ev first) {
    uint8_t* s = pos_;
    const uint64_t d = ts - prevTs_;
    if (d - 1 < 0x7FFF) [[likely]] {  // later than the last record by under 2^15 ticks
      stepEv_ = first;
      prevTs_ = ts;
      lastP_ = p;
      s[0] = code;
      const uint16_t w = uint16_t(d);
      std::memcpy(s + 1, &w, 2);
      return putId(s + 3, p);
    }
    if (int64_t(d) <= 0 && p == lastP_) {
      s[0] = code | kSameBit;
      return s + 1;
    }
    return startFarRecord(ts, code, p, first);
  }
  // startFarRecord is startRecord for a record that is neither the usual one nor a
  // sub-record: at the time of the last on another P, 2^15 ticks or more after it
  // (after a clock record past 2^32), or stamped before it.
  uint8_t* startFarRecord(uint64_t ts, uint8_t code, int32_t p, Ev first);
  // putFields writes e's g and its fixed arguments at s; returns their end. (The row
  // lookup folds away where e is known when compiling: every event site.)
  template <typename... A>
  inline uint8_t* putFields(uint8_t* s, [[maybe_unused]] Ev e, int64_t g, A... args) {
    s = putId(s, g);
    [[maybe_unused]] int i = 0;  // (unused by events without arguments)
    ((s = putArg(s, eventDef(e).args[size_t(i++)].kind, int64_t(args))), ...);
    return s;
  }
  // putArg writes v, a fixed argument of kind k (see the record layout).
  inline uint8_t* putArg(uint8_t* s, ArgKind k, int64_t v) {
    switch (k) {
      case ArgKind::G:
      case ArgKind::P:
      case ArgKind::M: return putId(s, v);
      case ArgKind::Enum: return putEnum(s, v);
      case ArgKind::Str: return putVarint(s, zigzag(strDelta(v)));
      default: return putVarint(s, zigzag(v));
    }
  }
  inline int64_t strDelta(int64_t v) {
    const int64_t d = v - lastStr_;
    lastStr_ = v;
    return d;
  }
  // makeRoom makes sure a record with fixed arguments (a pair's too) fits.
  inline void makeRoom() {
    if (pos_ + kMaxRecordBytes > end_) [[unlikely]]
      refill();
  }
  // putEvent writes e's record, stamped ts on P p; there is room for it.
  template <typename... A>
  inline void putEvent(uint64_t ts, Ev e, int32_t p, int64_t g, A... args) {
    uint8_t* s = startRecord(ts, uint8_t(e), p, e);
    pos_ = putFields(s, e, g, args...);
  }
  // startPair makes room for a pair record and writes its head.
  inline uint8_t* startPair(uint64_t ts, Pair pr, int32_t p) {
    makeRoom();
    return startRecord(ts, pairCode(pr), p, kPairDefs[int(pr)].first);
  }
  // refill hands over the current chunk and takes a fresh one, with room for at
  // least n bytes; its first record follows a clock record.
  void refill(uint64_t n = kMaxRecordBytes);

  enum class Next : uint8_t { Fresh, Shared, AfterLocked };
  static constexpr int32_t kNoP = INT32_MIN;  // lastP_ before a chunk's first record
  uint64_t specialStamp() {
    Next m = mode_;
    mode_ = Next::Fresh;
    if (m == Next::Shared) return lastTs_;
    uint64_t t = lockedRead_ != 0 ? lockedRead_ : ticks();
    if (t <= *lockedLast_) t = *lockedLast_ + 1;
    return lastTs_ = *lockedLast_ = t;
  }

  int64_t mid_;
  Next mode_ = Next::Fresh;
  Ev stepEv_ = Ev::Startup;
  uint64_t lastTs_ = 0;
  uint64_t* lockedLast_ = nullptr;
  uint64_t lockedRead_ = 0;
  uint64_t prevTs_ = 0;  // the time of this M's last record (0: none in this chunk)
  int64_t lastStr_ = 0;  // the last string pointer recorded in this chunk
  int32_t lastP_ = kNoP;  // the P of the last record in this chunk
  uint8_t* kickAt_ = nullptr;  // the end of the last RunqPut that kicked a G (noteKick)
  int64_t kickG_ = -1;
  int64_t kicked_ = -1;
  Chunk* chunk_ = nullptr;
  uint8_t* pos_ = nullptr;
  uint8_t* end_ = nullptr;
};

// Session: the whole trace of one run of the runtime.
struct TraceHeader {
  const char* program = "";
  int gomaxprocs = 0;
  int ncpu = 0;
};

// start begins a trace session: clears old chunks, takes the clock base, sets enabled.
void start();
// stop clears enabled; recorders must be flushed by their owners (or at write).
void stop();
// writeJSONL writes every handed-over chunk as a JSON Lines trace to path (through a
// temporary file renamed into place, so a failed write never clobbers path).
// Returns an empty string on success, else a message naming the file and the error.
std::string writeJSONL(const char* path, const TraceHeader& h);
// discard frees every handed-over chunk.
void discard();
// eventCount is the number of events handed over so far (for tests and stats).
uint64_t eventCount();
// bytesRecorded is the size of the records handed over so far (for tests and stats).
uint64_t bytesRecorded();

}  // namespace gmps::trace
