// recorder.cpp — chunk management for per-M recorders and the session clock.
#include "gmpscope/tracer/recorder.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "session.h"

namespace gmps::trace {

std::atomic<bool> enabled{false};

Session& session() {
  static Session s;
  return s;
}

// An M's first chunk is mapped when it records its first event, and its pages fault
// in as they fill: most Ms of most programs record a few KB. An M that fills a chunk
// records fast, and the rest of its chunks come from a pool kept warm by a refiller
// thread: on these VMs the first touch of a fresh page costs 1.5-6 µs (host-side
// faults), 0.4 ns or more per byte recorded if the M that records paid it. The
// refiller faults chunks in ahead of use (refillLoop) on whatever CPU is free;
// chunks of a finished trace return to the pool, so a later trace in the same process
// reuses warm memory.
namespace {

constexpr size_t kPoolTarget = 32;  // at most this many chunks kept ready (32 MiB)
constexpr size_t kPoolMax = 256;    // chunks kept after a trace ends

struct Pool {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<void*> ready;
  // target: how many chunks the refiller keeps ready. It starts at 0 and grows by one
  // for each chunk an M takes after filling one, up to kPoolTarget. Filling 32 at
  // once cost ~15 ms of page faults at the start of every traced run, time-sliced with
  // the program's Ms (a traced hello showed its startup steps 5-25 ms apart); growing
  // by one for every chunk taken, first chunks included, still had the refiller fault
  // 5-15 chunks (2.5-7 ms of a CPU) at the start of a 10 ms traced steal run whose
  // Ms recorded a few KB each, while new Ms waited for a CPU.
  size_t target = 0;
  // The refiller's chunks are carved from one reservation of address space (see
  // refillLoop): [reserve, reserve + reserveBytes), of which reserveUsed are taken.
  char* reserve = nullptr;
  size_t reserveBytes = 0;
  size_t reserveUsed = 0;
  bool refilling = false;  // the refiller thread runs
  bool stop = false;
  std::thread refiller;
};
Pool& pool() {
  static Pool p;
  return p;
}

// mapChunk maps a chunk for an M that found no chunk ready: its pages fault in as
// they fill.
void* mapChunk() {
  void* mem = mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return mem == MAP_FAILED ? nullptr : mem;
}

// kReserveBytes is the address space reserved for the refiller's chunks: nothing is
// committed until a page is touched, and when it is used up the Ms map their own.
constexpr size_t kReserveBytes = size_t(4) << 30;

// refillLoop keeps target chunks ready: it carves each from the reservation and
// faults its pages in with one write per page, so that the M that records into it
// never faults. It runs at nice 19: with every CPU busy (traced spawn at 2 Ps on 2
// CPUs) it took a share of a CPU from the Ms, preempting them for whole time slices,
// and the Ms then faulting their own chunks cost less (traced spawn 228 -> 160 ns/op,
// medians of 9 alternating runs). At a low priority it may be preempted in the middle
// of a fault, holding the lock of the mapping it faults in; nobody else waits for
// that lock, as the reservation is one mapping that the runtime never changes and
// that never merges with another (MADV_DONTFORK gives it flags of its own), and it
// takes no other lock: no mmap call (the mmap lock), no allocation (the pool's
// vector has its room), the pool's mutex only tried by the Ms. Not MAP_POPULATE or
// MADV_POPULATE_WRITE: those hold the process's mmap lock while they fault (~0.5 ms a
// chunk), and every mmap and mprotect of the runtime waited behind them (a traced
// program's schedinit took 0.5-1.3 ms instead of 60 µs).
void refillLoop() {
  setpriority(PRIO_PROCESS, pid_t(syscall(SYS_gettid)), 19);  // best effort
  Pool& p = pool();
  std::unique_lock<std::mutex> lk(p.mu);
  for (;;) {
    p.cv.wait(lk, [&] { return p.stop || p.ready.size() < p.target; });
    if (p.stop || p.reserveUsed + kChunkBytes > p.reserveBytes) return;
    char* c = p.reserve + p.reserveUsed;
    p.reserveUsed += kChunkBytes;
    lk.unlock();
    for (size_t page = 0; page < kChunkBytes; page += 4096) static_cast<volatile char*>(c)[page] = 0;
    lk.lock();
    p.ready.push_back(c);
  }
}

void startRefiller() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lk(p.mu);
  if (p.refilling) return;
  if (p.reserve == nullptr) {
    void* r = mmap(nullptr, kReserveBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return;  // no refiller: the Ms map their own chunks
    madvise(r, kReserveBytes, MADV_DONTFORK);
    p.reserve = static_cast<char*>(r);
    p.reserveBytes = kReserveBytes;
  }
  p.ready.reserve(kPoolMax + kPoolTarget + 1);
  p.target = 0;
  p.stop = false;
  p.refilling = true;
  p.refiller = std::thread(refillLoop);
}

void stopRefiller() {
  Pool& p = pool();
  {
    std::lock_guard<std::mutex> lk(p.mu);
    if (!p.refilling) return;
    p.stop = true;
  }
  p.cv.notify_all();
  p.refiller.join();
  std::lock_guard<std::mutex> lk(p.mu);
  p.refilling = false;
}

// allocChunk gives an M a chunk: a warm one from the pool if one is ready, else a
// fresh mapping. hot says the M filled its last chunk, which raises the pool's target
// by one. allocChunk and freeChunk only try the pool's lock: an M never waits for a
// refiller that the kernel preempted inside its few instructions under the lock; it
// maps (or unmaps) its chunk itself instead.
void* allocChunk(bool hot) {
  Pool& p = pool();
  {
    std::unique_lock<std::mutex> lk(p.mu, std::try_to_lock);
    if (lk.owns_lock()) {
      if (hot) p.target = std::min(kPoolTarget, p.target + 1);
      void* c = nullptr;
      if (!p.ready.empty()) {
        c = p.ready.back();
        p.ready.pop_back();
      }
      if (p.refilling && p.ready.size() < p.target) p.cv.notify_one();
      if (c != nullptr) return c;
    }
  }
  // A first chunk, or the refiller fell behind: map one and let its pages fault in as
  // they fill, a few µs at a time, rather than stall this M for the whole chunk's
  // faults (0.5-1.5 ms: a new M's first chunk made its MStart look that long before
  // its ProcStart).
  return mapChunk();
}

void freeChunk(void* c) {
  Pool& p = pool();
  {
    std::unique_lock<std::mutex> lk(p.mu, std::try_to_lock);
    if (lk.owns_lock() && p.ready.size() < kPoolMax) {
      p.ready.push_back(c);
      return;
    }
  }
  // A chunk of the reservation gives its memory back but stays in it: unmapping it
  // would change the mapping the refiller faults in (see refillLoop).
  auto* b = static_cast<char*>(c);
  if (b >= p.reserve && b < p.reserve + p.reserveBytes)
    madvise(c, kChunkBytes, MADV_DONTNEED);
  else
    munmap(c, kChunkBytes);
}

}  // namespace

void Recorder::refill(uint64_t n) {
  if (n > uint64_t(kChunkRoom)) n = kChunkRoom;  // callers never ask for more than a chunk
  const bool hot = chunk_ != nullptr;  // this M filled its chunk
  flush();
  void* mem = allocChunk(hot);
  if (mem == nullptr) {
    std::fputs("fatal error: out of memory for trace buffers\n", stderr);
    std::abort();
  }
  chunk_ = static_cast<Chunk*>(mem);
  chunk_->next = nullptr;
  chunk_->mid = mid_;
  pos_ = chunk_->bytes;
  end_ = chunk_->bytes + kChunkRoom;
  prevTs_ = 0;  // the chunk's first record follows a clock record
  lastP_ = kNoP;
  lastStr_ = 0;
  kickAt_ = nullptr;
}

void Recorder::flush() {
  if (chunk_ == nullptr) return;
  chunk_->fill = pos_;
  Session& s = session();
  {
    std::lock_guard<std::mutex> lk(s.mu);
    if (pos_ != chunk_->bytes) {
      *s.tail = chunk_;
      s.tail = &chunk_->next;
      s.bytes += uint64_t(pos_ - chunk_->bytes);
      chunk_ = nullptr;
    }
  }
  if (chunk_ != nullptr) freeChunk(chunk_);  // nothing recorded in it
  chunk_ = nullptr;
  pos_ = end_ = nullptr;
}

uint8_t* Recorder::startFarRecord(uint64_t ts, uint8_t code, int32_t p, Ev first) {
  uint8_t* s = pos_;
  uint64_t d = ts - prevTs_;
  stepEv_ = first;
  if (d > 0xFFFFFFFFull) {
    if (int64_t(d) < 0) {
      d = 0;  // a clock read that ran ahead of a lock: keep this M's order
    } else {
      s[0] = kClockEv;
      std::memcpy(s + 1, &ts, 8);
      s += 9;
      prevTs_ = ts;
      d = 0;
    }
  } else {
    prevTs_ = ts;
  }
  lastP_ = p;
  s[0] = code;
  return putId(putDt(s + 1, d), p);
}

void Recorder::emitList(Ev e, int32_t p, int64_t g, const int64_t* fixed, int nfixed,
                        int listArg, const int64_t* list, int n) {
  if (!enabled.load(std::memory_order_relaxed)) return;
  const EventDef& d = eventDef(e);
  const uint64_t most = kMaxRecordBytes + kMaxVarintBytes * uint64_t(n);
  if (pos_ + most > end_) refill(most);
  uint8_t* s = startRecord(stamp(), uint8_t(e), p, e);
  s = putId(s, g);
  int fi = 0;
  for (int i = 0; i < d.nargs; i++) {
    if (i == listArg) {
      s = putVarint(s, uint64_t(n));
      for (int k = 0; k < n; k++) s = putId(s, list[k]);
      continue;
    }
    s = putArg(s, d.args[size_t(i)].kind, fi < nfixed ? fixed[fi++] : -1);
  }
  pos_ = s;
}

bool EventIter::next(EventRef& e) {
  if (haveSecond_) [[unlikely]] {
    e = second_;
    haveSecond_ = false;
    remember(e);
    return true;
  }
  while (r_ < end_) {
    const uint8_t b = *r_;
    if (b == kClockEv) {
      std::memcpy(&now_, r_ + 1, 8);
      r_ += 9;
      continue;
    }
    const uint8_t* f = r_ + 1;
    if (!(b & kSameBit)) {
      now_ += getDt(f);
      p_ = int32_t(int64_t(getVarint(f)) - 1);
    }
    const uint8_t code = b & ~kSameBit;
    e.ts = second_.ts = now_;
    e.p = second_.p = p_;
    if (code < kNumEvents) {
      e.ev = static_cast<Ev>(code);
      r_ = readFields(f, e);
    } else if (code == kKickCode) {
      e.ev = Ev::RunqPut;
      e.g = kickG_;
      e.args[0] = kicked_;
      e.args[1] = int64_t(RunqWhere::Local);
      e.args[2] = -1;
      e.list = nullptr;
      r_ = f;
    } else {
      r_ = readPair(static_cast<Pair>(code - kNumEvents), f, e, second_);
      haveSecond_ = true;
    }
    remember(e);
    return true;
  }
  return false;
}

int64_t EventIter::readStr(const uint8_t*& f) {
  lastStr_ += unzigzag(getVarint(f));
  return lastStr_;
}

const uint8_t* EventIter::readFields(const uint8_t* f, EventRef& e) {
  const EventDef& d = eventDef(e.ev);
  e.g = getId(f);
  e.list = nullptr;
  for (int i = 0; i < d.nargs; i++) {
    switch (d.args[size_t(i)].kind) {
      case ArgKind::GList: {
        const uint64_t n = getVarint(f);
        e.args[i] = int64_t(n);
        e.list = f;
        for (uint64_t k = 0; k < n; k++) getVarint(f);
        break;
      }
      case ArgKind::G:
      case ArgKind::P:
      case ArgKind::M: e.args[i] = getId(f); break;
      case ArgKind::Enum: e.args[i] = *f++; break;
      case ArgKind::Str: e.args[i] = readStr(f); break;
      default: e.args[i] = unzigzag(getVarint(f)); break;
    }
  }
  return f;
}

const uint8_t* EventIter::readPair(Pair pr, const uint8_t* f, EventRef& first, EventRef& second) {
  auto id = [&f] { return getId(f); };
  auto en = [&f] { return int64_t(*f++); };
  first.ev = kPairDefs[int(pr)].first;
  second.ev = kPairDefs[int(pr)].second;
  first.list = second.list = nullptr;
  switch (pr) {
    case Pair::UnblockPut:  // g, gp, where, kicked
      first.g = second.g = id();
      first.args[0] = second.args[0] = id();
      second.args[1] = en();
      second.args[2] = id();
      break;
    case Pair::CreatePut:  // g, newg, label, where, kicked
      first.g = second.g = id();
      first.args[0] = second.args[0] = id();
      first.args[1] = readStr(f);
      second.args[1] = en();
      second.args[2] = id();
      break;
    case Pair::GetStart:  // g, gp, src, inherit; the batch is empty
      first.g = id();
      first.args[0] = second.g = id();
      first.args[1] = en();
      first.args[2] = 0;
      second.args[0] = unzigzag(getVarint(f));
      break;
    case Pair::Count: break;
  }
  return f;
}

void start() {
  discard();
  startRefiller();
  Session& s = session();
  s.startTicks = ticks();
  s.startNs = monoNs();
  enabled.store(true, std::memory_order_release);
}

void stop() {
  enabled.store(false, std::memory_order_release);
  stopRefiller();
}

void discard() {
  Session& s = session();
  std::lock_guard<std::mutex> lk(s.mu);
  for (Chunk* c = s.head; c != nullptr;) {
    Chunk* next = c->next;
    freeChunk(c);
    c = next;
  }
  s.head = nullptr;
  s.tail = &s.head;
  s.bytes = 0;
}

uint64_t countEvents(const Session& s) {
  uint64_t n = 0;
  for (const Chunk* c = s.head; c != nullptr; c = c->next)
    forEachEvent(c->bytes, c->fill, [&](const EventRef&) { n++; });
  return n;
}

uint64_t eventCount() {
  Session& s = session();
  std::lock_guard<std::mutex> lk(s.mu);
  return countEvents(s);
}

uint64_t bytesRecorded() {
  Session& s = session();
  std::lock_guard<std::mutex> lk(s.mu);
  return s.bytes;
}

}  // namespace gmps::trace
