// schedule.cpp — how an M finds work and runs it (Go: runtime/proc.go, the half about
// Ps and Ms). proc.cpp's header comment gives the design; this file holds:
//
//   Ps and Ms        acquirep/releasep, the idle P and M lists, stopm, startm,
//                    handoffp, wakep: an M holds a P to run Gs and sleeps without one.
//   Spinning         an M looking for work, at most half the busy Ps' worth of them.
//   findRunnable     local queue (runnext first), global queue, network, stealing,
//                    then give up the P and stopm; the trace records which branch won.
//   schedule         execute switches to the G found; scheduleLoop is every M's loop.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "runtime2.h"
#include "switch.h"

namespace gmps::rt {

using trace::RunqSrc;

// ---------------------------------------------------------------------------
// [SECTION] Ps and Ms

// acquirep associates pp with the current M. Go: proc.go acquirep.
void acquirep(P* pp) {
  M* mp = getm();
  if (mp->p != nullptr || pp->m != nullptr || pp->status != _Pidle) throw_("acquirep: invalid p state");
  mp->p = pp;
  pp->m = mp;
  pp->status = _Prunning;
  traceEv(Ev::ProcStart);
}

// releasep disassociates the current M from its P. Go: proc.go releasep.
P* releasep() {
  M* mp = getm();
  P* pp = mp->p;
  if (pp == nullptr || pp->m != mp || pp->status != _Prunning) throw_("releasep: invalid p state");
  traceEv(Ev::ProcStop);
  mp->p = nullptr;
  pp->m = nullptr;
  pp->status = _Pidle;
  return pp;
}

// pidleput puts pp on the idle list. sched.lock must be held. Go: proc.go pidleput.
void pidleput(P* pp) {
  if (!runqempty(pp)) throw_("pidleput: P has non-empty run queue");
  pp->link = sched.pidle;
  sched.pidle = pp;
  pp->idle.store(true, std::memory_order_relaxed);
  sched.npidle.fetch_add(1, std::memory_order_relaxed);
}

// pidleget takes an idle P. sched.lock must be held. Go: proc.go pidleget.
P* pidleget() {
  P* pp = sched.pidle;
  if (pp != nullptr) {
    sched.pidle = pp->link;
    pp->idle.store(false, std::memory_order_relaxed);
    sched.npidle.fetch_sub(1, std::memory_order_relaxed);
  }
  return pp;
}

// mput puts mp on the idle M list and checks for deadlock. sched.lock must be held.
// Go: proc.go mput.
static void mput(M* mp) {
  mp->schedlink = sched.midle;
  sched.midle = mp;
  sched.nmidle++;
  checkdead();
}

// mget takes an idle M. sched.lock must be held. Go: proc.go mget.
static M* mget() {
  M* mp = sched.midle;
  if (mp != nullptr) {
    sched.midle = mp->schedlink;
    sched.nmidle--;
  }
  return mp;
}

// stopm parks the current M until startm hands it a P. Go: proc.go stopm.
void stopm() {
  M* mp = getm();
  if (mp->p != nullptr) throw_("stopm holding p");
  if (mp->spinning) throw_("stopm spinning");
  {
    LockGuard lk(sched.lock);
    // The run is ending: wakeAllForExit has already emptied midle, nobody would
    // wake us. Go never gets here: exit ends the process.
    if (sched.exiting.load()) return;
    mput(mp);
  }
  traceEv(Ev::MPark);
  mp->blocked = true;
  mp->park.sleep();
  mp->park.clear();
  mp->blocked = false;
  if (sched.exiting.load(std::memory_order_acquire)) return;
  P* pp = mp->nextp;
  mp->nextp = nullptr;
  if (pp == nullptr) throw_("stopm: woken without a P");
  acquirep(pp);
  if (mp->spinning) traceEv(Ev::MSpinStart);  // startm(pp, spinning=true) woke us
}

// startm schedules some M to run pp (an idle P if pp is null). If spinning, the M
// is told to spin and nmspinning was already incremented by the caller.
// Go: proc.go startm.
void startm(P* pp, bool spinning) {
  sched.lock.lock();
  if (pp == nullptr) {
    pp = pidleget();
    if (pp == nullptr) {
      sched.lock.unlock();
      if (spinning) sched.nmspinning.fetch_sub(1, std::memory_order_relaxed);
      return;
    }
  }
  M* nmp = mget();
  if (nmp == nullptr) {
    sched.lock.unlock();
    // As Go's startm with mspinning: the new M starts out spinning.
    newm(nullptr, pp, spinning);
    return;
  }
  sched.lock.unlock();
  nmp->spinning = spinning;
  nmp->nextp = pp;
  traceEv(Ev::MUnpark, nmp->id, int64_t(pp->id));
  nmp->park.wakeup();
}

// handoffp hands off pp from a syscall or a stopping M. Go: proc.go handoffp.
void handoffp(P* pp) {
  traceEv(Ev::HandoffP, int64_t(pp->id));
  // If it has local work or there is global work, start an M to run it.
  if (!runqempty(pp) || sched.runqsize.load(std::memory_order_relaxed) != 0) {
    startm(pp, false);
    return;
  }
  // If nobody spins or idles, start a spinning M: there may be work to steal.
  if (sched.nmspinning.load() + sched.npidle.load() == 0) {
    int32_t zero = 0;
    if (sched.nmspinning.compare_exchange_strong(zero, 1)) {
      startm(pp, true);
      return;
    }
  }
  sched.lock.lock();
  if (sched.runqsize.load(std::memory_order_relaxed) != 0) {
    sched.lock.unlock();
    startm(pp, false);
    return;
  }
  // If this is the last running P and nobody is polling the network, wake an M to
  // poll: timers may be pending. Go: handoffp's pidleput tail.
  if (sched.npidle.load() == gomaxprocs - 1 && sched.lastpoll.load() != 0) {
    sched.lock.unlock();
    startm(pp, false);
    return;
  }
  pidleput(pp);
  sched.lock.unlock();
}

// wakep tries to add one more P to execute Gs: only if there is an idle P and no
// spinning M (nmspinning 0→1 by CAS). Go: proc.go wakep.
void wakep() {
  if (sched.npidle.load(std::memory_order_relaxed) == 0) return;
  int32_t zero = 0;
  if (sched.nmspinning.load(std::memory_order_relaxed) != 0 ||
      !sched.nmspinning.compare_exchange_strong(zero, 1))
    return;
  traceEv(Ev::Wakep);
  startm(nullptr, true);
}

// ---------------------------------------------------------------------------
// [SECTION] Spinning

static void becomeSpinning(M* mp) {
  mp->spinning = true;
  sched.nmspinning.fetch_add(1);
  traceEv(Ev::MSpinStart);
}

// resetspinning: the M found work; if it was the last spinner, wake another so
// readied Gs never wait while a P idles. Go: proc.go resetspinning.
static void resetspinning() {
  M* mp = getm();
  if (!mp->spinning) throw_("resetspinning: not a spinning m");
  mp->spinning = false;
  traceEv(Ev::MSpinStop);
  int32_t n = sched.nmspinning.fetch_sub(1) - 1;
  if (n < 0) throw_("findrunnable: negative nmspinning");
  wakep();
}

// ---------------------------------------------------------------------------
// [SECTION] findRunnable

// emitGet records which branch found gp.
static inline void emitGet(G* gp, RunqSrc src) {
  traceEv(Ev::RunqGet, gp->goid, int(src), int64_t(0));
  traceShareTs();  // GoStart follows at once
}

// PendingGet is a RunqGet from the local queue that findRunnable leaves to execute,
// which records it with GoStart as one pair record (trace::Pair::GetStart). ts is
// the time of the get (0 when not tracing).
struct PendingGet {
  bool pending = false;
  RunqSrc src = RunqSrc::Local;
  uint64_t ts = 0;
};

// pendGet leaves a RunqGet from src to be recorded later, stamped now (or at the
// time of the step that left the P: see traceGetTs).
static inline PendingGet pendGet(RunqSrc src) {
  PendingGet get{true, src};
  if (trace::enabled.load(std::memory_order_relaxed)) [[unlikely]]
    get.ts = traceGetTs(getm()->tr);
  return get;
}

// flushGet records a pending RunqGet of gp on its own, before other events.
static inline void flushGet(G* gp, PendingGet& get) {
  if (!get.pending) return;
  if (get.ts != 0) traceUseTs(get.ts);
  emitGet(gp, get.src);
  get.pending = false;
}

// takePolled runs the first G of list, which the network poller readied, on this M,
// and queues the rest (injectglist). Go: findRunnable's two netpoll branches.
static G* takePolled(G* list, bool* inheritTime) {
  G* gp = list;
  list = gp->schedlink;
  gp->schedlink = nullptr;
  injectglist(list);
  casgstatus(gp, _Gwaiting, _Grunnable);
  traceEv(Ev::GoUnblock, gp->goid);
  emitGet(gp, RunqSrc::Netpoll);
  *inheritTime = false;
  return gp;
}

// stealWork tries to steal a runnable G or timer from any P: 4 passes over all Ps
// in a random coprime order; timers and runnext only on the last pass.
// Go: proc.go stealWork.
static G* stealWork(int64_t now, int64_t* pollUntil, bool* inheritTime) {
  P* pp = getm()->p;
  const int stealTries = 4;
  uint32_t n = uint32_t(allp.size());
  for (int i = 0; i < stealTries; i++) {
    bool stealTimersOrRunNextG = i == stealTries - 1;
    // randomOrder: start at a random P and walk with a stride coprime to n.
    uint32_t start = fastrandn(n);
    uint32_t inc = 1;
    if (n > 1) {
      inc = 1 + fastrandn(n - 1);
      auto gcd = [](uint32_t a, uint32_t b) { while (b) { uint32_t t = a % b; a = b; b = t; } return a; };
      while (gcd(inc, n) != 1) inc = inc % (n - 1) + 1;
    }
    for (uint32_t k = 0, pos = start; k < n; k++, pos = (pos + inc) % n) {
      if (sched.exiting.load(std::memory_order_relaxed)) return nullptr;
      P* p2 = allp[pos];
      if (pp == p2) continue;
      if (stealTimersOrRunNextG && p2->timer0When.load(std::memory_order_relaxed) != 0) {
        int64_t w = checkTimers(p2, now);
        if (w != 0 && (*pollUntil == 0 || w < *pollUntil)) *pollUntil = w;
        // Readied timers land in our runnext; run it in the current time slice.
        if (G* gp = runqget(pp, inheritTime)) {
          emitGet(gp, *inheritTime ? RunqSrc::Runnext : RunqSrc::Local);
          return gp;
        }
      }
      if (p2->idle.load(std::memory_order_relaxed)) continue;  // idle Ps have nothing to steal
      if (G* gp = runqsteal(pp, p2, stealTimersOrRunNextG)) {
        *inheritTime = false;
        return gp;
      }
    }
  }
  return nullptr;
}

// checkRunqsNoP looks for work in all Ps after the M gave up its P; if there is some,
// it takes an idle P back. Go: proc.go checkRunqsNoP.
static P* checkRunqsNoP() {
  for (P* p2 : allp) {
    if (!p2->idle.load(std::memory_order_relaxed) && !runqempty(p2)) {
      LockGuard lk(sched.lock);
      return pidleget();
    }
  }
  return nullptr;
}


// findRunnable finds a runnable goroutine to execute, trying in Go's order and
// blocking (stopm) when there is none. Go: proc.go findRunnable.
// A G from the local queue comes with its RunqGet left in *get (see PendingGet).
static G* findRunnable(bool* inheritTime, PendingGet* get) {
  M* mp = getm();
top:
  if (sched.exiting.load(std::memory_order_acquire)) return nullptr;
  P* pp = mp->p;
  // checkTimers reads the clock only if pp has timers: the common path stays cheap.
  int64_t pollUntil = checkTimers(pp, 0);

  // Fairness: every 61st tick look at the global queue first, so two goroutines
  // that keep readying each other in runnext cannot starve it.
  if (pp->schedtick.load(std::memory_order_relaxed) % 61 == 0 && sched.runqsize.load(std::memory_order_relaxed) > 0) {
    LockGuard lk(sched.lock);
    if (G* gp = globrunqget(pp, 1, true)) {
      *inheritTime = false;
      return gp;
    }
  }

  // Local run queue (runnext first).
  if (G* gp = runqget(pp, inheritTime)) {
    *get = pendGet(*inheritTime ? RunqSrc::Runnext : RunqSrc::Local);
    return gp;
  }

  // Global run queue: a batch.
  if (sched.runqsize.load(std::memory_order_relaxed) != 0) {
    LockGuard lk(sched.lock);
    if (G* gp = globrunqget(pp, 0, false)) {
      *inheritTime = false;
      return gp;
    }
  }

  // Poll the network without blocking, if someone waits on it.
  if (netpollinited() && netpollAnyWaiters() && sched.lastpoll.load() != 0) {
    if (G* list = netpoll(0)) return takePolled(list, inheritTime);
  }

  // Steal, but only while spinning Ms are fewer than half the busy Ps: more spinning
  // would burn CPU for nothing.
  if (mp->spinning || 2 * sched.nmspinning.load() < gomaxprocs - sched.npidle.load()) {
    if (!mp->spinning) becomeSpinning(mp);
    if (G* gp = stealWork(0, &pollUntil, inheritTime)) return gp;
  }

  // Nothing found. Give up the P, then look once more at everything (a G readied
  // after we looked must not be missed by an M going to sleep).
  sched.lock.lock();
  if (sched.exiting.load()) {
    sched.lock.unlock();
    return nullptr;
  }
  if (sched.runqsize.load() != 0) {
    G* gp = globrunqget(pp, 0, false);
    sched.lock.unlock();
    *inheritTime = false;
    return gp;
  }
  releasep();
  pidleput(pp);
  sched.lock.unlock();

  bool wasSpinning = mp->spinning;
  if (mp->spinning) {
    mp->spinning = false;
    traceEv(Ev::MSpinStop);
    if (sched.nmspinning.fetch_sub(1) - 1 < 0) throw_("findrunnable: negative nmspinning");
    // Re-check all queues after dropping nmspinning (see "Worker thread parking").
    if (P* p2 = checkRunqsNoP()) {
      acquirep(p2);
      becomeSpinning(mp);
      goto top;
    }
  }

  // Poll the network until the next timer, unless another M already does.
  int64_t timerWhen = nextTimerAll();
  if (timerWhen != 0 && (pollUntil == 0 || timerWhen < pollUntil)) pollUntil = timerWhen;
  if (netpollinited() && (netpollAnyWaiters() || pollUntil != 0) &&
      sched.lastpoll.exchange(0) != 0) {
    sched.pollUntil.store(pollUntil);
    int64_t delay = -1;
    if (pollUntil != 0) {
      delay = pollUntil - nanotime1();
      if (delay < 0) delay = 0;
    }
    G* list = netpoll(delay);  // block until new work is available
    sched.pollUntil.store(0);
    sched.lastpoll.store(nanotime1());
    sched.lock.lock();
    P* p2 = pidleget();
    sched.lock.unlock();
    if (p2 == nullptr) {
      injectglist(list);
    } else {
      acquirep(p2);
      if (list != nullptr) return takePolled(list, inheritTime);
      if (wasSpinning) becomeSpinning(mp);
      goto top;
    }
  } else if (pollUntil != 0 && netpollinited()) {
    int64_t pollerPollUntil = sched.pollUntil.load();
    if (pollerPollUntil == 0 || pollerPollUntil > pollUntil) netpollBreak();
  }
  stopm();
  goto top;
}

// injectglist makes every G on list (linked by schedlink, _Gwaiting) runnable. An M
// without a P (sysmon, or one about to sleep) puts them all on the global queue and
// starts an M for each idle P. An M with a P puts as many on the global queue as
// there are idle Ps, starts Ms for them, and keeps the rest in its own local queue,
// which it runs next (what does not fit goes global too). Go: proc.go injectglist.
void injectglist(G* list) {
  if (list == nullptr) return;
  int32_t n = 0;
  for (G* gp = list; gp != nullptr; gp = gp->schedlink) {
    traceEv(Ev::GoUnblock, gp->goid);
    casgstatus(gp, _Gwaiting, _Grunnable);
    n++;
  }
  P* pp = getm()->p;
  int32_t toGlobal = pp == nullptr ? n : std::min(n, sched.npidle.load());
  if (toGlobal > 0) {
    LockGuard lk(sched.lock);
    for (int32_t i = 0; i < toGlobal; i++) {
      G* gp = list;
      list = gp->schedlink;
      globrunqput(gp);  // one RunqPut each, in queue order
    }
  }
  for (int32_t i = 0; i < toGlobal && sched.npidle.load() != 0; i++) startm(nullptr, false);  // Go: startIdle
  // The rest to our local queue (Go: runqputbatch), overflow to the global queue.
  while (list != nullptr) {
    G* gp = list;
    list = gp->schedlink;
    gp->schedlink = nullptr;
    if (runqlen(pp) < kRunqSize) {
      runqput(pp, gp, false);
    } else {
      LockGuard lk(sched.lock);
      globrunqput(gp);
    }
  }
}

// ---------------------------------------------------------------------------
// [SECTION] schedule and execute

// traceGoStart records gp's GoStart, with the RunqGet that found it if that is
// pending, both at the time of the get; getG is the G the M ran when it got gp.
static inline void traceGoStart(G* gp, bool inheritTime, const PendingGet& get, G* getG) {
  if (!trace::enabled.load(std::memory_order_relaxed)) [[likely]]
    return;
  M* mp = getm();
  if (!get.pending) {
    traceEv(Ev::GoStart, int64_t(inheritTime));
    return;
  }
  mp->tr.emitGetStart(get.ts, mp->p->id, getG ? getG->goid : -1, gp->goid, int(get.src),
                      int64_t(inheritTime));
}

// execute runs gp on the current M. inheritTime says gp shares the current time
// slice (it came from runnext), so schedtick does not advance. get is its RunqGet if
// still to be recorded. Go: proc.go execute.
static void execute(G* gp, bool inheritTime, PendingGet get = {}) {
  M* mp = getm();
  G* getG = mp->curg;
  mp->curg = gp;
  gp->m = mp;
  if (gp->stack.lo == nullptr && !stackget(mp->p, &gp->stack)) fatal("out of memory allocating goroutine stack");
  if (gp->sp == nullptr) gostartFrame(gp, gentry);
  gp->preempt.store(false, std::memory_order_relaxed);
  if (readgstatus(gp) == _Gsyscall) {
    // exitsyscall0 found an idle P after all: the G resumes where its syscall left it.
    flushGet(gp, get);
    traceEv(Ev::GoSyscallEnd);
    casgstatus(gp, _Gsyscall, _Grunning);
    gogo(mp, gp);
    return;
  }
  casgstatus(gp, _Grunnable, _Grunning);
  if (!inheritTime) {
    P* pp = mp->p;
    pp->schedtick.store(pp->schedtick.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  traceGoStart(gp, inheritTime, get, getG);
  gogo(mp, gp);
}

// schedule is the scheduler loop of every M, on its g0 stack: find a G, run it until
// it mcalls back, run the mcall's function, repeat. Returns only when the run is
// ending. Go: proc.go schedule (which never returns; mcall restarts it).
void scheduleLoop() {
  M* mp = getm();
  mp->g0words = fpControlWords();  // what the scheduler runs with (see gmps_swapctx_words)
  for (;;) {
    bool inheritTime = false;
    PendingGet get;
    G* gp = findRunnable(&inheritTime, &get);
    if (gp == nullptr) return;  // exiting
    if (mp->spinning) {
      flushGet(gp, get);  // RunqGet comes before resetspinning's events
      resetspinning();
    }
    while (gp != nullptr) {
      execute(gp, inheritTime, get);
      get.pending = false;
      // Back on g0: gp called mcall.
      auto fn = mp->mcallfn;
      G* arg = mp->mcallg;
      mp->mcallfn = nullptr;
      mp->mcallg = nullptr;
      gp = fn(arg);
      inheritTime = true;
    }
  }
}

}  // namespace gmps::rt
