// recorder.cpp — chunk management for per-M recorders and the session clock.
#include "gmpscope/tracer/recorder.h"

#include <sys/mman.h>

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
// refiller maps and faults chunks ahead of use (mapChunk) on whatever core is free;
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
  // Ms recorded a few KB each, while new Ms waited for a CPU. Not by running the
  // refiller at SCHED_IDLE: preempted while it held the mmap lock, it stalled every M
  // that mapped a stack or a chunk for as long as other work kept both CPUs busy.
  size_t target = 0;
  bool refilling = false;  // the refiller thread runs
  bool stop = false;
  std::thread refiller;
};
Pool& pool() {
  static Pool p;
  return p;
}

// mapChunk maps a chunk; populate faults every page of it in (the refiller's work),
// so that the M that records into it never faults. One write per page, not
// MAP_POPULATE or MADV_POPULATE_WRITE: those hold the process's mmap lock while they
// fault (~0.5 ms for a chunk, ~50 µs per 128 KiB step), and every mmap and mprotect
// of the runtime (goroutine stacks and their guard pages) waited behind them: a
// traced program's schedinit took 0.5-1.3 ms instead of 60 µs, and new Ms' first
// steps were as late. A fault on a page of its own mapping takes only that mapping's
// lock (Linux 6.4+; on older kernels, the mmap lock for one fault at a time).
void* mapChunk(bool populate) {
  void* mem = mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return nullptr;
  if (populate)
    for (size_t page = 0; page < kChunkBytes; page += 4096) static_cast<volatile char*>(mem)[page] = 0;
  return mem;
}

void refillLoop() {
  Pool& p = pool();
  std::unique_lock<std::mutex> lk(p.mu);
  for (;;) {
    p.cv.wait(lk, [&] { return p.stop || p.ready.size() < p.target; });
    if (p.stop) return;
    lk.unlock();
    void* c = mapChunk(true);
    lk.lock();
    if (c == nullptr) return;
    p.ready.push_back(c);
  }
}

void startRefiller() {
  Pool& p = pool();
  std::lock_guard<std::mutex> lk(p.mu);
  if (p.refilling) return;
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
  return mapChunk(false);
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

void Recorder::emitList(Ev e, int32_t p, int64_t g, const int64_t* fixed, int nfixed,
                        int listArg, const int64_t* list, int n) {
  if (!enabled.load(std::memory_order_relaxed)) return;
  const EventDef& d = eventDef(e);
  const uint64_t most = kMaxRecordBytes + kMaxVarintBytes * uint64_t(n);
  if (pos_ + most > end_) refill(most);
  uint8_t* s = startRecord(stamp(), uint8_t(e), p);
  lastEv_ = e;
  s = putVarint(s, zigzag(g));
  int fi = 0;
  for (int i = 0; i < d.nargs; i++) {
    if (i == listArg) {
      s = putVarint(s, uint64_t(n));
      for (int k = 0; k < n; k++) s = putVarint(s, zigzag(list[k]));
      continue;
    }
    s = putVarint(s, zigzag(argCode(e, i, fi < nfixed ? fixed[fi++] : -1)));
  }
  pos_ = s;
}

bool EventIter::next(EventRef& e) {
  if (haveSecond_) [[unlikely]] {
    e = second_;
    haveSecond_ = false;
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
    } else {
      r_ = readPair(static_cast<Pair>(code - kNumEvents), f, e, second_);
      haveSecond_ = true;
    }
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
  e.g = unzigzag(getVarint(f));
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
      case ArgKind::Str: e.args[i] = readStr(f); break;
      default: e.args[i] = unzigzag(getVarint(f)); break;
    }
  }
  return f;
}

const uint8_t* EventIter::readPair(Pair pr, const uint8_t* f, EventRef& first, EventRef& second) {
  auto z = [&f] { return unzigzag(getVarint(f)); };
  first.ev = kPairDefs[int(pr)].first;
  second.ev = kPairDefs[int(pr)].second;
  first.list = second.list = nullptr;
  switch (pr) {
    case Pair::UnblockPut:  // g, gp, where, kicked
      first.g = second.g = z();
      first.args[0] = second.args[0] = z();
      second.args[1] = z();
      second.args[2] = z();
      break;
    case Pair::CreatePut:  // g, newg, label, where, kicked
      first.g = second.g = z();
      first.args[0] = second.args[0] = z();
      first.args[1] = readStr(f);
      second.args[1] = z();
      second.args[2] = z();
      break;
    case Pair::GetStart:  // g, gp, src, inherit; the batch is empty
      first.g = z();
      first.args[0] = second.g = z();
      first.args[1] = z();
      first.args[2] = 0;
      second.args[0] = z();
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
