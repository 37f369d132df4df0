// runq.cpp — local and global run queues (Go: proc.go runqput ... globrunqget).
//
// The local queue is a 256-slot ring with one producer (the owner P) and many
// consumers (the owner and thieves). Producers publish with a store-release of
// runqtail; consumers claim with a CAS on runqhead. These functions are also
// exercised on bare P objects with no threads running (tests/runtime/runq_test.cpp),
// as Go's export_test.go does.
#include <time.h>

#include <algorithm>

#include "runtime2.h"

namespace gmps::rt {

using trace::RunqSrc;
using trace::RunqWhere;

// traceLead records lead (of gp) as an event of its own.
static void traceLead(G* gp, PutLead lead) {
  if (lead == PutLead::Unblock)
    traceEv(Ev::GoUnblock, gp->goid);
  else if (lead == PutLead::Create)
    traceEv(Ev::GoCreate, gp->goid, reinterpret_cast<int64_t>(gp->label));
}

// traceRunqPutOn records, on mp's recorder, the RunqPut of gp on P p at ts, and
// its lead event with it. Inlined where the put is hot (ready's runnext), so that
// the recording does not pay a call and a second look at the M.
[[gnu::always_inline]] static inline void traceRunqPutOn(M* mp, int32_t p, G* gp, RunqWhere where,
                                                         G* kicked, uint64_t ts, PutLead lead) {
  const int64_t g = mp->curg ? mp->curg->goid : -1;
  const int64_t k = kicked ? kicked->goid : -1;
  if (lead == PutLead::Unblock)
    mp->tr.emitUnblockPut(ts, p, g, gp->goid, int(where), k);
  else if (lead == PutLead::Create)
    mp->tr.emitCreatePut(ts, p, g, gp->goid, gp->label, int(where), k);
  else
    mp->tr.emitAt(ts, Ev::RunqPut, p, g, gp->goid, int(where), k);
  if (kicked) mp->tr.noteKick(g, k);
}

// traceRunqPut records the RunqPut of gp, and its lead event with it, now.
static void traceRunqPut(P* pp, G* gp, RunqWhere where, G* kicked, PutLead lead = PutLead::None) {
  if (!trace::enabled.load(std::memory_order_relaxed)) return;
  M* mp = getm();
  // The event is recorded on the queue's P even when the recorder's M holds another
  // (globrunqput from an M without a P records p = -1).
  const int32_t p = pp ? pp->id : curPid();
  traceRunqPutOn(mp, p, gp, where, kicked, mp->tr.stamp(), lead);
}

// traceKickedLocal records the RunqPut of gp, just kicked out of pp's runnext, to
// pp's local queue: in one byte after the kick's own RunqPut (Recorder::emitKickedLocal).
static void traceKickedLocal(P* pp, G* gp) {
  if (!trace::enabled.load(std::memory_order_relaxed)) return;
  M* mp = getm();
  mp->tr.emitKickedLocal(pp->id, mp->curg ? mp->curg->goid : -1, gp->goid);
}

static bool runqputslow(P* pp, G* gp, uint32_t h, uint32_t t);

// runqput tries to put gp on the local runnable queue. If next, it goes in
// pp.runnext and the G there is kicked to the tail. If the queue is full, half of
// it goes to the global queue. Executed only by the owner P. Go: proc.go runqput.
// lead, if any, is recorded with gp's RunqPut (or before runqputslow's events), at
// the time of the put; the caller must hold pp.
void runqput(P* pp, G* gp, bool next, PutLead lead) {
  gp->runnableSince = 0;
  bool kick = false;  // gp was just kicked out of runnext
  if (next) {
    // Stamp before the exchange publishes gp: a thief's steal of it is stamped after.
    // traceM is the M recording the put, null when not tracing.
    M* traceM = trace::enabled.load(std::memory_order_relaxed) ? getm() : nullptr;
    uint64_t ts = traceM ? traceM->tr.stamp() : 0;
    gp->runnextTs = ts;  // published by the exchange
    G* old = pp->runnext.exchange(gp, std::memory_order_acq_rel);
    if (traceM) [[unlikely]] {
      if (old == nullptr && pp->runnextStolenG.load(std::memory_order_relaxed) != gp)
        ts = std::max(ts, pp->runnextStolenAt.load(std::memory_order_relaxed) + 1);
      traceRunqPutOn(traceM, pp->id, gp, RunqWhere::Runnext, old, ts, lead);
    }
    if (old == nullptr) return;
    gp = old;  // kick the old runnext out to the regular run queue
    lead = PutLead::None;
    traceShareTs();  // its RunqPut below is the same step
    kick = true;
  }
  for (;;) {
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronise with consumers
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
    if (t - h < kRunqSize) {
      if (kick)
        traceKickedLocal(pp, gp);
      else
        traceRunqPut(pp, gp, RunqWhere::Local, nullptr, lead);
      pp->runq[t % kRunqSize].store(gp, std::memory_order_relaxed);
      pp->runqtail.store(t + 1, std::memory_order_release);  // makes the item available
      return;
    }
    traceLead(gp, lead);  // before runqputslow's events
    lead = PutLead::None;
    if (runqputslow(pp, gp, h, t)) return;
    // the queue is not full now, so the put above must succeed
  }
}

// runqputslow puts gp and a batch of work (half the local queue) on the global
// queue. Executed only by the owner P. Go: proc.go runqputslow.
static bool runqputslow(P* pp, G* gp, uint32_t h, uint32_t t) {
  G* batch[kRunqSize / 2 + 1];
  uint32_t n = t - h;
  n = n / 2;
  if (n != kRunqSize / 2) throw_("runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++) batch[i] = pp->runq[(h + i) % kRunqSize].load(std::memory_order_relaxed);
  // Unlike Go, sched.lock is taken before the CAS, so the event can be stamped before
  // it: after the CAS a thief may steal the rest at once, and its steal must not
  // appear in the trace before the Gs it skipped left the local queue.
  LockGuard lk(sched.lock);
  uint64_t ts = traceTicksBeforeCAS();
  if (!pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_acq_rel))
    return false;  // a thief took some; the caller retries the fast path
  traceLockedTs(ts);
  batch[n] = gp;
  for (uint32_t i = 0; i < n; i++) batch[i]->schedlink = batch[i + 1];
  traceEvList(Ev::RunqPutSlow, nullptr, 0, listArgOf(Ev::RunqPutSlow, "gs"), batch, int(n + 1));
  globrunqputbatch(batch[0], batch[n], int32_t(n + 1));
  return true;
}

// runqget gets a G from the local runnable queue. inheritTime is true when it came
// from runnext: it shares the current time slice. Executed only by the owner P.
// Go: proc.go runqget.
G* runqget(P* pp, bool* inheritTime) {
  G* next = pp->runnext.load(std::memory_order_relaxed);
  // If there's a runnext, it's the next G to run. If the CAS fails, a thief took it;
  // the local queue may still have work.
  if (next != nullptr && pp->runnext.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel)) {
    *inheritTime = true;
    return next;
  }
  for (;;) {
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
    if (t == h) return nullptr;
    G* gp = pp->runq[h % kRunqSize].load(std::memory_order_relaxed);
    if (pp->runqhead.compare_exchange_weak(h, h + 1, std::memory_order_release)) {
      *inheritTime = false;
      return gp;
    }
  }
}

bool runqempty(P* pp) {
  // Go: proc.go runqempty. A thief may move runnext into the queue concurrently, so
  // read tail, runnext, tail again until they agree.
  for (;;) {
    uint32_t head = pp->runqhead.load(std::memory_order_acquire);
    uint32_t tail = pp->runqtail.load(std::memory_order_acquire);
    G* runnext = pp->runnext.load(std::memory_order_acquire);
    if (tail == pp->runqtail.load(std::memory_order_acquire)) return head == tail && runnext == nullptr;
  }
}

QueueState readQueues() {
  QueueState q;
  P* pp = getm()->p;
  if (pp == nullptr) return q;
  q.p = pp->id;
  if (G* next = pp->runnext.load(std::memory_order_acquire)) q.runnext = next->goid;
  uint32_t h = pp->runqhead.load(std::memory_order_acquire);
  uint32_t t = pp->runqtail.load(std::memory_order_acquire);
  for (uint32_t i = h; i != t; i++) q.runq.push_back(pp->runq[i % kRunqSize].load(std::memory_order_relaxed)->goid);
  LockGuard lk(sched.lock);
  for (G* gp = sched.runqhead; gp != nullptr; gp = gp->schedlink) q.global.push_back(gp->goid);
  return q;
}

uint32_t runqlen(P* pp) {
  uint32_t h = pp->runqhead.load(std::memory_order_acquire);
  uint32_t t = pp->runqtail.load(std::memory_order_acquire);
  return t - h;
}

// runqgrab grabs a batch of Gs from pp's queue into batch: half of them, rounded up.
// If the queue is empty and stealRunNextG, it may take pp.runnext. Can be executed by
// any P. Go: proc.go runqgrab.
// *ts is the trace time of the grab, read before the CAS that commits it
// (traceTicksBeforeCAS).
static uint32_t runqgrab(P* pp, G** batch, uint32_t batchHead, bool stealRunNextG, bool* tookRunnext,
                         uint64_t* ts) {
  *tookRunnext = false;
  for (;;) {
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronise with other consumers
    uint32_t t = pp->runqtail.load(std::memory_order_acquire);  // synchronise with the producer
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (stealRunNextG) {
        G* next = pp->runnext.load(std::memory_order_acquire);
        if (next != nullptr) {
          if (pp->status == _Prunning) {
            // pp is running and probably about to schedule its runnext: give it
            // ~3 µs to do so before stealing it (Go: usleep(3) in runqgrab).
            timespec ts{0, 3000};
            nanosleep(&ts, nullptr);
          }
          *ts = traceTicksBeforeCAS();
          if (!pp->runnext.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel)) continue;
          // The CAS may have taken a later put of the same G than the one loaded
          // above (the owner ran it and readied it again meanwhile): the steal
          // comes after that put.
          if (*ts != 0) {
            *ts = std::max(*ts, next->runnextTs + 1);
            pp->runnextStolenG.store(next, std::memory_order_relaxed);
            pp->runnextStolenAt.store(*ts, std::memory_order_relaxed);
          }
          batch[batchHead % kRunqSize] = next;
          *tookRunnext = true;
          return 1;
        }
      }
      return 0;
    }
    if (n > kRunqSize / 2) continue;  // read inconsistent h and t
    for (uint32_t i = 0; i < n; i++)
      batch[(batchHead + i) % kRunqSize] = pp->runq[(h + i) % kRunqSize].load(std::memory_order_relaxed);
    *ts = traceTicksBeforeCAS();
    if (pp->runqhead.compare_exchange_weak(h, h + n, std::memory_order_acq_rel)) return n;
  }
}

// runqsteal steals half of the Gs from p2's queue into pp's and returns one of them
// to run. Executed only by the owner of pp. Go: proc.go runqsteal.
G* runqsteal(P* pp, P* p2, bool stealRunNextG) {
  G* stolen[kRunqSize];
  bool tookRunnext;
  uint64_t ts = 0;
  uint32_t n = runqgrab(p2, stolen, 0, stealRunNextG, &tookRunnext, &ts);
  if (n == 0) return nullptr;
  int64_t fixed[] = {p2->id, int64_t(tookRunnext)};
  traceUseTs(ts);
  traceEvList(Ev::RunqSteal, fixed, 2, listArgOf(Ev::RunqSteal, "gs"), stolen, int(n));
  traceShareTs();
  G* gp = stolen[n - 1];
  traceEv(Ev::RunqGet, gp->goid, int(RunqSrc::Steal), int64_t(0));
  traceShareTs();
  if (n == 1) return gp;
  // The rest go to our queue, which is empty: we were looking for work.
  uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
  uint32_t h = pp->runqhead.load(std::memory_order_acquire);
  if (t - h + (n - 1) >= kRunqSize) throw_("runqsteal: runq overflow");
  for (uint32_t i = 0; i < n - 1; i++) pp->runq[(t + i) % kRunqSize].store(stolen[i], std::memory_order_relaxed);
  pp->runqtail.store(t + n - 1, std::memory_order_release);  // makes the items available
  return gp;
}

// addRunqsize changes sched.runqsize, which only holders of sched.lock write: a plain
// load and store, not a locked read-modify-write, keeps the critical section short
// (others read it without the lock, as Go's sched.runqsize checks do).
static inline void addRunqsize(int32_t d) {
  sched.runqsize.store(sched.runqsize.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
}

// globrunqput puts gp on the global runnable queue. sched.lock must be held.
// stepStamped: the caller's last event was stamped under this hold of the lock
// (traceLockedTs) and the put is the same step, so it shares that time.
// Go: proc.go globrunqput.
void globrunqput(G* gp, bool stepStamped) {
  if (stepStamped) {
    traceShareTs();
  } else {
    traceLockedTs();
  }
  traceRunqPut(nullptr, gp, RunqWhere::Global, nullptr);
  gp->schedlink = nullptr;
  if (sched.runqtail != nullptr) {
    sched.runqtail->schedlink = gp;
  } else {
    sched.runqhead = gp;
  }
  sched.runqtail = gp;
  addRunqsize(1);
}

// globrunqputbatch appends a linked batch of n Gs. sched.lock must be held.
// Go: proc.go globrunqputbatch.
void globrunqputbatch(G* head, G* tail, int32_t n) {
  tail->schedlink = nullptr;
  if (sched.runqtail != nullptr) {
    sched.runqtail->schedlink = head;
  } else {
    sched.runqhead = head;
  }
  sched.runqtail = tail;
  addRunqsize(n);
}

static G* globrunqpop() {
  G* gp = sched.runqhead;
  sched.runqhead = gp->schedlink;
  if (sched.runqhead == nullptr) sched.runqtail = nullptr;
  gp->schedlink = nullptr;
  return gp;
}

// globrunqget takes a batch from the global queue: one G to run and up to
// min(size/gomaxprocs+1, max, half the local queue) more for pp's local queue.
// sched.lock must be held. Go: proc.go globrunqget.
G* globrunqget(P* pp, int32_t max, bool fair) {
  int32_t size = sched.runqsize.load(std::memory_order_relaxed);
  if (size == 0) return nullptr;
  int32_t n = size / gomaxprocs + 1;
  if (n > size) n = size;
  if (max > 0 && n > max) n = max;
  if (n > int32_t(kRunqSize / 2)) n = kRunqSize / 2;
  addRunqsize(-n);
  G* gp = globrunqpop();
  G* moved[kRunqSize / 2];
  int nm = 0;
  for (n--; n > 0; n--) moved[nm++] = globrunqpop();
  if (trace::enabled.load(std::memory_order_relaxed)) {
    int64_t fixed[] = {gp->goid, int(fair ? RunqSrc::GlobalFair : RunqSrc::Global)};
    traceLockedTs();
    traceEvList(Ev::RunqGet, fixed, 2, listArgOf(Ev::RunqGet, "batch"), moved, nm);
    traceShareTs();
  }
  for (int i = 0; i < nm; i++) {
    // Straight into the ring, without RunqPut events: RunqGet's batch says where
    // they went. Our queue has room: callers found it empty (or it is the 1-in-61
    // check with max = 1, which moves nothing).
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);
    if (t - h >= kRunqSize) throw_("globrunqget: runq overflow");
    pp->runq[t % kRunqSize].store(moved[i], std::memory_order_relaxed);
    pp->runqtail.store(t + 1, std::memory_order_release);
  }
  return gp;
}

}  // namespace gmps::rt
