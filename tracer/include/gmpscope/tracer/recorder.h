// recorder.h — the hot path of tracing: per-M event buffers.
//
// Each M owns one Recorder and is the only writer of it, so recording takes no
// lock: an event is a few 64-bit words appended to the M's current chunk. A full
// chunk is handed to the process-wide list (one mutex, once per 64K words) and the
// M starts a new one. Timestamps are raw TSC ticks, converted to nanoseconds when
// the trace is written. With tracing off, emit costs one predictable branch.
//
// Record layout (64-bit words):
//   w0  TSC timestamp
//   w1  header: ev (bits 0-7) | record length in words (bits 8-19) | p+1 (bits 20-31)
//       | g+1 (bits 32-63; g = -1 on g0). A goroutine id too large for 32 bits
//       (kGEscape) is stored whole in the record's last word instead.
//   w2… one word per argument of ev's row in events.h; a GList argument's word is its
//       length n, and its n goroutine ids follow the fixed arguments.
// Two words of header, not three: every event is 8 bytes smaller, and the stores into
// fresh memory are most of an event's cost.
#pragma once

#include <x86intrin.h>

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
  uint64_t* fill;   // one past the last word written (valid once handed over)
  uint64_t words[];
};

inline constexpr size_t kChunkBytes = size_t(1) << 20;  // 1 MiB

inline constexpr uint64_t kGEscape = 0xFFFFFFFFull;  // g+1 field: "g is the last word"

// RecordHeader is w1 unpacked; the writer's view of a record.
struct RecordHeader {
  Ev ev;
  uint32_t len;  // words, w0 included
  int32_t p;
  int64_t g;
};
inline uint64_t packHeader(Ev e, uint64_t len, int32_t p, uint64_t gField) {
  return uint64_t(e) | (len << 8) | (uint64_t(uint32_t(p + 1) & 0xfff) << 20) | (gField << 32);
}
inline uint32_t recordLength(const uint64_t* w) { return uint32_t((w[1] >> 8) & 0xfff); }
inline RecordHeader unpackHeader(const uint64_t* w) {
  RecordHeader h;
  h.ev = static_cast<Ev>(w[1] & 0xff);
  h.len = recordLength(w);
  h.p = int32_t((w[1] >> 20) & 0xfff) - 1;
  uint64_t gField = w[1] >> 32;
  h.g = gField == kGEscape ? int64_t(w[h.len - 1]) : int64_t(gField) - 1;
  return h;
}
inline constexpr int kChunkWords = int((kChunkBytes - 64) / sizeof(uint64_t));

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
    constexpr uint64_t n0 = 2 + sizeof...(A);
    const uint64_t gField = uint64_t(g + 1);
    const bool escape = gField >= kGEscape;
    const uint64_t n = n0 + escape;
    uint64_t* w = reserve(n);
    lastEv_ = e;
    w[0] = ts;
    w[1] = packHeader(e, n, p, escape ? kGEscape : gField);
    int i = 2;
    ((w[i++] = uint64_t(int64_t(args))), ...);
    if (escape) [[unlikely]]
      w[n0] = uint64_t(g);
  }

  // emitList records e whose argument at position listArg is a GList of n ids.
  // fixed holds the other arguments in row order (the list's slot is ignored).
  void emitList(Ev e, int32_t p, int64_t g, const int64_t* fixed, int nfixed, int listArg,
                const int64_t* list, int n);

  // flush hands the current chunk, if any, to the process-wide list.
  void flush();

 private:
  inline uint64_t* reserve(uint64_t n) {
    if (pos_ + n > end_) [[unlikely]]
      refill(n);
    uint64_t* w = pos_;
    pos_ += n;
    return w;
  }
  void refill(uint64_t n);

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
  Chunk* chunk_ = nullptr;
  uint64_t* pos_ = nullptr;
  uint64_t* end_ = nullptr;
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
