// recorder.h — the hot path of tracing: per-M event buffers.
//
// Each M owns one Recorder and is the only writer of it, so recording takes no
// lock: an event is a few 32-bit slots appended to the M's current chunk. A full
// chunk is handed to the process-wide list (one mutex, once per 1 MiB) and the M
// starts a new one. Timestamps are raw TSC ticks, converted to nanoseconds when the
// trace is written. With tracing off, emit costs one predictable branch.
//
// Record layout (32-bit slots):
//   s0  ev (bits 0-7) | record length in slots (bits 8-17) | p+1 (bits 18-31)
//   s1  ticks since this M's previous record (a record never goes back in time)
//   s2  g (-1 on g0)
//   s3… each argument of ev's row in events.h, in row order: one slot, or two (low,
//       high) for a string pointer; a GList argument's slot is its length n, and its
//       n goroutine ids follow the fixed arguments.
//   then the escapes: a value in a one-slot field that does not fit 31 bits and a
//       sign (a goroutine id past 2^31, a long duration) is kEscape in its slot and
//       whole, in two slots, here, in field order (g, the arguments, the ids).
// A clock record (ev kClockEv, 3 slots) holds a full 64-bit time in s1-s2 and starts
// the running time over: the first record of each chunk and any record more than 2^32
// ticks (1-2 s) after its M's previous one follow one.
// The stores into fresh memory are most of what an event costs (the first touch of a
// page faults, ~0.4 ns per byte on this project's VMs), so records are as small as
// a plain store can make them: 12-24 bytes for the common events, where 64-bit words
// took 16-40.
#pragma once

#include <x86intrin.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "gmpscope/tracer/events.h"

namespace gmps::trace {

// enabled is set once before any M starts and cleared when tracing stops; readers
// use relaxed loads: a stale value only records or drops one event at the edges.
extern std::atomic<bool> enabled;

struct Chunk {
  Chunk* next;
  int64_t mid;      // the M that recorded it
  uint32_t* fill;   // one past the last slot written (valid once handed over)
  uint32_t slots[];
};

inline constexpr size_t kChunkBytes = size_t(1) << 20;  // 1 MiB
inline constexpr int kChunkSlots = int((kChunkBytes - 64) / sizeof(uint32_t));

inline constexpr uint32_t kEscape = 0x80000000u;  // "the value is among the escapes"
inline constexpr uint8_t kClockEv = 0xFF;         // s0's ev of a clock record

// RecordLayout is what a record's slots hold for its event: how many slots the fixed
// arguments take and which arguments take two.
struct RecordLayout {
  uint8_t argSlots = 0;
  uint8_t wide = 0;  // bit i: argument i takes two slots
};
constexpr bool argIsWide(const ArgDef& a) { return a.kind == ArgKind::Str; }
inline constexpr auto kRecordLayouts = [] {
  std::array<RecordLayout, kNumEvents> t{};
  for (int e = 0; e < kNumEvents; e++) {
    const EventDef& d = kEventDefs[e];
    for (int i = 0; i < d.nargs; i++) {
      bool wide = argIsWide(d.args[size_t(i)]);
      t[size_t(e)].argSlots = uint8_t(t[size_t(e)].argSlots + 1 + wide);
      if (wide) t[size_t(e)].wide = uint8_t(t[size_t(e)].wide | (1u << i));
    }
  }
  return t;
}();
// kMaxRecordSlots bounds one record with fixed arguments only, all escaped, plus the
// clock record that may precede it.
inline constexpr int kMaxRecordSlots = 3 + 3 + 3 * kMaxArgs + 2;

inline uint32_t recordEv(const uint32_t* s) { return s[0] & 0xff; }
inline uint32_t recordLength(const uint32_t* s) { return (s[0] >> 8) & 0x3ff; }
inline int32_t recordP(const uint32_t* s) { return int32_t(s[0] >> 18) - 1; }
inline uint32_t packHead(uint32_t ev, uint32_t len, int32_t p) {
  return ev | (len << 8) | (uint32_t(p + 1) << 18);
}
inline uint64_t clockOf(const uint32_t* s) { return s[1] | uint64_t(s[2]) << 32; }

// RecordReader walks one record's slots in field order, taking escaped values from
// the escapes in the same order.
class RecordReader {
 public:
  // r is the record; listLen the length of its GList argument (0 if none).
  RecordReader(const uint32_t* r, uint32_t listLen)
      : x_(r + 3 + kRecordLayouts[recordEv(r)].argSlots + listLen) {}
  int64_t narrow(const uint32_t* slot) {
    if (*slot != kEscape) return int32_t(*slot);
    int64_t v = int64_t(x_[0] | uint64_t(x_[1]) << 32);
    x_ += 2;
    return v;
  }
  static int64_t wide(const uint32_t* slot) { return int64_t(slot[0] | uint64_t(slot[1]) << 32); }

 private:
  const uint32_t* x_;
};

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
    emitAt(stamp(), e, p, g, args...);
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

  // lastEvent is the kind of the last event this recorder recorded.
  Ev lastEvent() const { return lastEv_; }

  // emitAt records e with a timestamp taken earlier: for an event that must be
  // stamped before the store that publishes it but whose arguments are known only
  // after that store.
  template <typename... A>
  inline void emitAt(uint64_t ts, Ev e, int32_t p, int64_t g, A... args) {
    if (pos_ + kMaxRecordSlots > end_) [[unlikely]]
      refill();
    uint32_t* s = startRecord(ts);
    lastEv_ = e;
    const RecordLayout l = kRecordLayouts[size_t(e)];
    uint32_t* x = s + 3 + l.argSlots;
    s[2] = narrow(g, x);
    [[maybe_unused]] uint32_t* a = s + 3;
    [[maybe_unused]] unsigned i = 0;
    ((putArg(a, x, (l.wide >> i++) & 1, int64_t(args))), ...);
    s[0] = packHead(uint32_t(e), uint32_t(x - s), p);
    pos_ = x;
  }

  // emitList records e whose argument at position listArg is a GList of n ids.
  // fixed holds the other arguments in row order (the list's slot is ignored).
  void emitList(Ev e, int32_t p, int64_t g, const int64_t* fixed, int nfixed, int listArg,
                const int64_t* list, int n);

  // flush hands the current chunk, if any, to the process-wide list.
  void flush();

 private:
  // startRecord writes s1 of a record stamped ts at pos_ and returns the record's
  // start: after a clock record when ts is too far from the previous record's time.
  inline uint32_t* startRecord(uint64_t ts) {
    uint32_t* s = pos_;
    uint64_t d = ts - prevTs_;
    if (d > 0xFFFFFFFFull) [[unlikely]] {
      if (int64_t(d) < 0) {
        d = 0;  // a clock read that ran ahead of a lock: keep this M's order
      } else {
        s[0] = packHead(kClockEv, 3, -1);
        s[1] = uint32_t(ts);
        s[2] = uint32_t(ts >> 32);
        s += 3;
        prevTs_ = ts;
        d = 0;
      }
    } else {
      prevTs_ = ts;
    }
    s[1] = uint32_t(d);
    return s;
  }
  // narrow is v's slot; a value that does not fit goes to the escapes at x.
  static inline uint32_t narrow(int64_t v, uint32_t*& x) {
    if (v == int32_t(v) && v != int32_t(kEscape)) [[likely]]
      return uint32_t(v);
    x[0] = uint32_t(uint64_t(v));
    x[1] = uint32_t(uint64_t(v) >> 32);
    x += 2;
    return kEscape;
  }
  static inline void putArg(uint32_t*& a, uint32_t*& x, bool wide, int64_t v) {
    if (wide) {
      a[0] = uint32_t(uint64_t(v));
      a[1] = uint32_t(uint64_t(v) >> 32);
      a += 2;
    } else {
      *a++ = narrow(v, x);
    }
  }
  // refill hands over the current chunk and takes a fresh one, with room for at
  // least n slots; its first record follows a clock record.
  void refill(uint64_t n = kMaxRecordSlots);

  enum class Next : uint8_t { Fresh, Shared, AfterLocked };
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
  Ev lastEv_ = Ev::Startup;
  uint64_t lastTs_ = 0;
  uint64_t* lockedLast_ = nullptr;
  uint64_t lockedRead_ = 0;
  uint64_t prevTs_ = 0;  // the time of this M's last record (0: none in this chunk)
  Chunk* chunk_ = nullptr;
  uint32_t* pos_ = nullptr;
  uint32_t* end_ = nullptr;
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
// eventCount is the number of records handed over so far (for tests and stats).
uint64_t eventCount();

}  // namespace gmps::trace
