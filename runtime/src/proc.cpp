// proc.cpp — the scheduler (Go: runtime/proc.go). Read this comment first.
//
// Goroutine scheduler
//
// The scheduler's job is to distribute ready-to-run goroutines over worker threads.
// As in Go, there are three kinds of object:
//
//   G - goroutine: a function with its own stack (stack.cpp) and saved registers.
//   M - worker thread, or machine: an OS thread with its own scheduling stack (g0).
//   P - processor: a resource that is required to execute Go code. An M must hold a
//       P to run a G. There are exactly GOMAXPROCS Ps.
//
// Each P has a local run queue of 256 Gs (runq.cpp) plus a one-G slot, runnext, for
// the G that the running G just readied: it runs next and inherits the time slice,
// so a producer/consumer pair ping-pongs on one P without taking turns with the
// queue. Overflow and yielded Gs go to the global run queue (sched.runq, under
// sched.lock). An M looking for work checks, in findRunnable's order: timers, every
// 61st tick the global queue (so it cannot starve), its local queue, the global
// queue, the network poller, and then the other Ps' queues, stealing half.
//
// Worker thread parking/unparking.
// We must keep enough Ms running to use the available Ps, but park excess Ms to save
// CPU. Go's answer, which this runtime follows: when a G is readied and there is an
// idle P and no "spinning" M, wake one M, and that M spins looking for work. When
// a spinning M finds work it stops spinning and, if it was the last spinner, wakes
// another (resetspinning). So at most one new M is woken per burst of readied Gs,
// and no work is left behind while a P is idle. The number of spinning Ms is capped
// at half the busy Ps (2*nmspinning < gomaxprocs-npidle).
//
// An M with nothing to do releases its P and sleeps on its note (stopm); if timers
// are pending, one M sleeps in the network poller until the earliest one instead.
//
// Switching. A running G enters the scheduler by mcall: it saves its registers and
// switches to its M's g0 stack, which then runs the requested function (park_m,
// gosched_m, goexit0, ...) and the scheduler loop. The loop picks the next G and
// switches to it (execute). So G → G' is two switches, as in Go.
//
// Differences from Go, on purpose: there is no garbage collector (so no STW, no GC
// workers); stacks are fixed-size and allocated lazily at a G's first run; there is
// no locked-to-thread G; the startup sequence runs inside gmps::run() and the run can
// end without ending the process (for tests); goroutine ids come from one counter,
// not per-P caches of 16 (Go's _GoidCacheBatch), so they follow creation order; the
// context switch keeps MXCSR and the x87 control word per goroutine, as the C++ ABI
// asks of a call and Go's gogo does not. Each is noted where it happens.
#include <algorithm>
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime2.h"

namespace gmps::rt {

using trace::BlockReason;
using trace::RunqSrc;
using trace::StopReason;

schedt sched;
std::vector<P*> allp;
int32_t gomaxprocs = 1;
int32_t ncpu = 1;
std::atomic<bool> mainStarted{false};
std::atomic<int64_t> goidgen{0};
std::atomic<int32_t> runningPanicDefers{0};
M* allm = nullptr;
Mutex allglock;
G* allgs = nullptr;
std::atomic<int64_t> allglen{0};
DebugVars debug;

}  // namespace gmps::rt

__thread gmps::rt::M* gmps_tls_m = nullptr;
__thread gmps::rt::G* gmps_tls_g = nullptr;

namespace gmps::rt {

void traceEvList(Ev e, const int64_t* fixed, int nfixed, int listArg, G* const* gs, int n) {
  if (!trace::enabled.load(std::memory_order_relaxed)) return;
  int64_t ids[kRunqSize + 1];
  for (int i = 0; i < n; i++) ids[i] = gs[i]->goid;
  M* mp = getm();
  mp->tr.emitList(e, curPid(), curGoid(), fixed, nfixed, listArg, ids, n);
}

uint32_t fastrand() {
  // wyrand, per M (Go: stubs.go fastrand).
  M* mp = getm();
  mp->fastrand += 0xa0761d6478bd642full;
  __uint128_t t = __uint128_t(mp->fastrand) * (mp->fastrand ^ 0xe7037ed1a0b428dbull);
  return uint32_t(uint64_t(t >> 64) ^ uint64_t(t));
}

// ---------------------------------------------------------------------------
// [SECTION] Switching

extern "C" void gmps_swapctx(void** save, void* to);
extern "C" void gmps_swapctx_words(void** save, void* to, uint64_t words);

namespace {

// switchto saves the current context in *save and resumes the context at to,
// whose stack is tostack. dying says the current stack will never be resumed.
// fromWords: the control words of the context we leave when the caller knows them
// (g0's), else nullptr and the swap reads them.
inline void switchto(void** save, void* to, const Stack& tostack, G* from, bool dying,
                     const uint64_t* fromWords = nullptr) {
#if defined(GMPSCOPE_ASAN)
  __sanitizer_start_switch_fiber(dying ? nullptr : &from->asanFakeStack, tostack.lo,
                                 size_t(tostack.hi - tostack.lo));
#else
  (void)tostack;
  (void)from;
  (void)dying;
#endif
  if (fromWords != nullptr)
    gmps_swapctx_words(save, to, *fromWords);
  else
    gmps_swapctx(save, to);
#if defined(GMPSCOPE_ASAN)
  __sanitizer_finish_switch_fiber(getg()->asanFakeStack, nullptr, nullptr);
#endif
}

}  // namespace

bool redZoneIntact(const Stack& s);

// mcall switches from the running G to its M's g0 stack and runs fn(gp) there.
// fn returns the G to run next (directly, in the same time slice) or nullptr to
// enter the scheduler. mcall returns when gp is scheduled again.
// Go: asm_amd64.s mcall.
void mcall(G* (*fn)(G*)) {
  G* gp = getg();
  M* mp = getm();
  mp->mcallfn = fn;
  mp->mcallg = gp;
  if (!gp->stack.guarded && !redZoneIntact(gp->stack)) {
    std::fprintf(stderr, "fatal error: stack overflow\n\ngoroutine %lld: stack red zone written\n",
                 static_cast<long long>(gp->goid));
    fatal("stack overflow");
  }
  setg(&mp->g0);
  switchto(&gp->sp, mp->g0.sp, mp->g0.stack, gp, readgstatus(gp) == _Gdead);
}

// gogo switches from g0 to gp. Returns when gp calls mcall. Go: asm_amd64.s gogo.
static void gogo(M* mp, G* gp) {
  setg(gp);
  switchto(&mp->g0.sp, gp->sp, gp->stack, &mp->g0, false, &mp->g0words);
}

// fpControlWords reads MXCSR's control bits (low 32 bits) and the x87 control word
// (bits 32-47), in the layout the context switch keeps them.
static uint64_t fpControlWords() {
  uint32_t mxcsr = 0;
  uint16_t cw = 0;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(cw));
  return uint64_t(mxcsr & ~0x3Fu) | (uint64_t(cw) << 32);  // without the sticky flags
}

// ---------------------------------------------------------------------------
// [SECTION] G allocation and exit

static void goexit1();

// gentry is every goroutine's first function: run the go statement's function, then
// exit. An exception escaping it is a panic: fatal, as in Go.
// Go: the saved PC of a new G is goexit, so returning from fn exits (newproc1).
static void gentry(G* gp) {
#if defined(GMPSCOPE_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
  gp->inRuntime = 0;  // from here on it is the program's code
  try {
    gp->call(gp->fnp);
  } catch (const Panic& p) {
    fatalPanic(gp, p.msg.c_str());
  } catch (const std::exception& e) {
    fatalPanic(gp, e.what());
  } catch (...) {
    fatalPanic(gp, "unknown C++ exception");
  }
  gp->inRuntime = 1;
  goexit1();
}

// allgadd records gp in allgs (Go: proc.go allgadd).
static void allgadd(G* gp) {
  LockGuard lk(allglock);
  gp->alllink = allgs;
  allgs = gp;
  allglen.fetch_add(1, std::memory_order_relaxed);
}

// malg allocates a new G. Unlike Go: its stack is allocated at its first run.
static G* malg() {
  G* gp = new G();
  gp->atomicstatus.store(_Gdead, std::memory_order_relaxed);
  allgadd(gp);
  return gp;
}

// addGFreeN changes a free-list count, which only one writer changes at a time (the
// P's owner, or the holder of sched.gFreeLock): a plain load and store.
static inline void addGFreeN(std::atomic<int32_t>& n, int32_t d) {
  n.store(n.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
}

// gfput puts a dead G on pp's free list; past 64 it moves Gs to the global list
// until 32 remain. Go: proc.go gfput.
static void gfput(P* pp, G* gp) {
  gp->schedlink = pp->gFree;
  pp->gFree = gp;
  addGFreeN(pp->gFreeN, 1);
  if (pp->gFreeN.load(std::memory_order_relaxed) < 64) return;
  LockGuard lk(sched.gFreeLock);
  while (pp->gFreeN.load(std::memory_order_relaxed) >= 32) {
    G* g1 = pp->gFree;
    pp->gFree = g1->schedlink;
    addGFreeN(pp->gFreeN, -1);
    g1->schedlink = sched.gFree;
    sched.gFree = g1;
    addGFreeN(sched.gFreeN, 1);
  }
}

// gfget takes a dead G from pp's free list, refilling it from the global list (up
// to 32). Go: proc.go gfget.
static G* gfget(P* pp) {
  if (pp->gFree == nullptr && sched.gFreeN.load(std::memory_order_relaxed) > 0) {
    LockGuard lk(sched.gFreeLock);
    while (pp->gFreeN.load(std::memory_order_relaxed) < 32 && sched.gFree != nullptr) {
      G* g1 = sched.gFree;
      sched.gFree = g1->schedlink;
      addGFreeN(sched.gFreeN, -1);
      g1->schedlink = pp->gFree;
      pp->gFree = g1;
      addGFreeN(pp->gFreeN, 1);
    }
  }
  G* gp = pp->gFree;
  if (gp == nullptr) return nullptr;
  pp->gFree = gp->schedlink;
  addGFreeN(pp->gFreeN, -1);
  return gp;
}

// gcount is the number of goroutines that are not dead: every G ever allocated less
// those on free lists. Counts read while Ps run, as Go does. Go: proc.go gcount.
int64_t gcount() {
  int64_t n = allglen.load(std::memory_order_relaxed) - sched.gFreeN.load(std::memory_order_relaxed);
  for (P* pp : allp) n -= pp->gFreeN.load(std::memory_order_relaxed);
  return n < 1 ? 1 : n;  // Go: "all sorts of races" can make it lower
}

void* newprocStorage(G** out, size_t size, size_t align) {
  RuntimeScope rs;  // gfget takes locks: no async preemption in here
  checkPreempt();   // may move this goroutine to another M: read the M after it
  M* mp = getm();
  if (mp == nullptr || mp->p == nullptr) throw_("go: called outside the runtime (use gmps::run)");
  G* gp = gfget(mp->p);
  if (gp == nullptr) gp = malg();
  *out = gp;
  if (size <= kFnInline && align <= 16) {
    gp->fnp = gp->fnbuf;
  } else {
    gp->fnp = ::operator new(size, std::align_val_t(align < 16 ? 16 : align));
  }
  return gp->fnp;
}

// newproc makes gp runnable: newproc1's bookkeeping, runqput into runnext, wakep.
// Go: proc.go newproc, newproc1.
void newproc(G* gp, CallFn call, CallFn destroy, const char* label) {
  RuntimeScope rs;
  M* mp = getm();
  gp->inRuntime = 1;
  P* pp = mp->p;
  gp->call = call;
  gp->destroy = destroy;
  gp->label = label;
  gp->parentGoid = curGoid();
  gp->goid = goidgen.fetch_add(1, std::memory_order_relaxed) + 1;
  gp->preempt.store(false, std::memory_order_relaxed);
  gp->sp = nullptr;  // a fresh frame is laid at its first run
  gp->runnableSince = 0;
  casgstatus(gp, _Gdead, _Grunnable);
  runqput(pp, gp, true, PutLead::Create);  // records GoCreate with its RunqPut
  if (mainStarted.load(std::memory_order_relaxed)) wakep();
}

// goexit0 runs on g0 after gp returned: _Gdead, recycle, schedule. Go: proc.go goexit0.
static G* goexit0(G* gp) {
  M* mp = getm();
  traceEv(Ev::GoEnd);
  casgstatus(gp, _Grunning, _Gdead);
  if (gp->destroy) gp->destroy(gp->fnp);
  if (gp->fnp != gp->fnbuf) ::operator delete(gp->fnp, std::align_val_t(16));
  gp->fnp = nullptr;
  gp->call = gp->destroy = nullptr;
  gp->m = nullptr;
  gp->label = nullptr;
  gp->param = nullptr;
  gp->waiting = nullptr;
  mp->curg = nullptr;
  stackput(mp->p, gp->stack);
  gp->stack = Stack{};
  gp->sp = nullptr;
  gfput(mp->p, gp);
  return nullptr;
}

// goexit1 finishes the current G. Go: proc.go goexit1.
static void goexit1() {
  // Mark dead before the switch so mcall tells ASan this stack frame set is over.
  mcall(goexit0);
  throw_("goexit1: returned");
}

// ---------------------------------------------------------------------------
// [SECTION] Parking and readying

// park_m runs on g0: the G becomes _Gwaiting, the unlock function runs, and if it
// says no, the G runs again at once. Go: proc.go park_m.
static G* park_m(G* gp) {
  M* mp = getm();
  traceEv(Ev::GoBlock, int(gp->waitreason));
  casgstatus(gp, _Grunning, _Gwaiting);
  mp->curg = nullptr;
  gp->m = nullptr;
  auto fn = mp->waitunlockf;
  void* lock = mp->waitlock;
  mp->waitunlockf = nullptr;
  mp->waitlock = nullptr;
  if (fn != nullptr && !fn(gp, lock)) {
    traceEv(Ev::GoUnblock, gp->goid);
    casgstatus(gp, _Gwaiting, _Grunnable);
    return gp;  // execute(gp, inheritTime=true)
  }
  return nullptr;
}

// gopark puts the current goroutine into a waiting state and calls unlockf(gp, lock)
// on the system stack. If unlockf returns false, the goroutine resumes at once.
// unlockf must not touch gp after that: another M may already be running it.
// Go: proc.go gopark.
void gopark(bool (*unlockf)(G*, void*), void* lock, BlockReason reason) {
  M* mp = getm();
  G* gp = mp->curg;
  mp->waitunlockf = unlockf;
  mp->waitlock = lock;
  gp->waitreason = uint8_t(reason);
  mcall(park_m);
}

static bool parkunlock_c(G*, void* lock) {
  static_cast<Mutex*>(lock)->unlock();
  return true;
}

// goparkunlock parks and releases lock once parked. Go: proc.go goparkunlock.
void goparkunlock(Mutex* lock, BlockReason reason) { gopark(parkunlock_c, lock, reason); }

// ready marks gp runnable and queues it on this M's P (in runnext if next).
// Go: proc.go ready.
void ready(G* gp, bool next) {
  M* mp = getm();
  casgstatus(gp, _Gwaiting, _Grunnable);
  runqput(mp->p, gp, next, PutLead::Unblock);  // records GoUnblock with its RunqPut
  wakep();
}

// goready readies gp into runnext. Go: proc.go goready.
void goready(G* gp) { ready(gp, true); }

// ---------------------------------------------------------------------------
// [SECTION] Yielding and preemption

// goschedImpl puts gp on the global queue and schedules. Go: proc.go goschedImpl.
static G* goschedImpl(G* gp, StopReason reason) {
  M* mp = getm();
  casgstatus(gp, _Grunning, _Grunnable);
  {
    LockGuard lk(sched.lock);
    // GoStop and the RunqPut are one step, stamped once under sched.lock so that the
    // trace orders the global queue as the Ms that took the lock did (globrunqput).
    traceLockedTs();
    traceEv(Ev::GoStop, int(reason));
    mp->curg = nullptr;
    gp->m = nullptr;
    globrunqput(gp, /*stepStamped=*/true);
  }
  wakep();
  return nullptr;
}

G* gosched_m(G* gp) { return goschedImpl(gp, StopReason::Gosched); }
G* gopreempt_m(G* gp) { return goschedImpl(gp, StopReason::Preempted); }


// checkPreemptSlow: the running G's preempt flag is set. If this is the M's user G
// (not g0), it yields to the global queue.
// Go: the stack-bound check in a function prologue failing into newstack.
void checkPreemptSlow() {
  M* mp = getm();
  if (mp == nullptr) return;
  G* gp = mp->curg;
  if (gp == nullptr || getg() != gp) return;
  if (!gp->preempt.load(std::memory_order_relaxed)) [[likely]]
    return;
  gp->preempt.store(false, std::memory_order_relaxed);
  mcall(gopreempt_m);
}


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

// pendGet leaves a RunqGet from src to be recorded later, stamped now.
static inline PendingGet pendGet(RunqSrc src) {
  PendingGet get{true, src};
  if (trace::enabled.load(std::memory_order_relaxed)) [[unlikely]]
    get.ts = getm()->tr.stamp();
  return get;
}

// flushGet records a pending RunqGet of gp on its own, before other events.
static inline void flushGet(G* gp, PendingGet& get) {
  if (!get.pending) return;
  if (get.ts != 0) traceUseTs(get.ts);
  emitGet(gp, get.src);
  get.pending = false;
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
    traceShareAfterStop();
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
    if (G* list = netpoll(0)) {
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
      if (list != nullptr) {
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

// ---------------------------------------------------------------------------
// [SECTION] Deadlock detection

// checkdead reports a deadlock when no M is running and no goroutine can be woken
// by a timer or the network. sched.lock must be held. Go: proc.go checkdead.
void checkdead() {
  if (sched.exiting.load()) return;
  int32_t run = int32_t(sched.mnext) - sched.nmidle - sched.nmsys;
  if (run > 0) return;
  if (run < 0) throw_("checkdead: inconsistent counts");
  if (!mainStarted.load()) return;
  // Any goroutine that could still run? Timers can wake sleepers.
  for (P* pp : allp)
    if (pp->timer0When.load() != 0) return;
  if (netpollAnyWaiters()) return;
  int64_t waiting = 0;
  {
    LockGuard lk(allglock);
    for (G* gp = allgs; gp != nullptr; gp = gp->alllink) {
      uint32_t s = readgstatus(gp);
      if (s == _Gwaiting) waiting++;
      if (s == _Grunnable || s == _Grunning || s == _Gsyscall) return;
    }
  }
  if (waiting == 0) return;
  sched.lock.unlock();
  fatal("all goroutines are asleep - deadlock!");
}

}  // namespace gmps::rt

namespace gmps {

void Checkpoint() {
  rt::RuntimeScope rs;
  rt::checkPreempt();
}

// Gosched yields: the G goes to the global queue. Go: proc.go Gosched.
void Gosched() {
  rt::RuntimeScope rs;
  rt::checkPreempt();
  rt::mcall(rt::gosched_m);
}

}  // namespace gmps
