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
//
// Files. proc.cpp: G creation and exit, parking and readying, yielding, the deadlock
// check, the API's Gosched. schedule.cpp: Ps and Ms, spinning Ms, findRunnable and
// the scheduler loop. switch.h: the stack switch both sides use. runq.cpp: the run
// queues. startup.cpp: rt0_go to exit.
#include <algorithm>
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime2.h"
#include "switch.h"

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

// ---------------------------------------------------------------------------
// [SECTION] G allocation and exit

static void goexit1();

// gentry is every goroutine's first function: run the go statement's function, then
// exit. An exception escaping it is a panic: fatal, as in Go.
// Go: the saved PC of a new G is goexit, so returning from fn exits (newproc1).
void gentry(G* gp) {
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
  // The go statement's closure is destroyed here, on the goroutine, as the last of
  // its own code: its captures' destructors may use the runtime (a net.Conn's close
  // is a system call), which they cannot from g0.
  if (gp->destroy) {
    gp->destroy(gp->fnp);
    gp->destroy = nullptr;
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

// gfput puts a dead G on pp's free list; when 2*kGFreeBatch are there, it moves
// the oldest kGFreeBatch to the global list. Go: proc.go gfput, which moves them one
// at a time; here they go as one batch that gfget takes whole: walking the Gs to
// move them costs little on this P, whose cache their lines are in, and gfget's
// walk of them on the P that takes them (spawn's creator) missed the cache at every
// G, one after another.
void gfput(P* pp, G* gp) {
  gp->schedlink = pp->gFree;
  pp->gFree = gp;
  addGFreeN(pp->gFreeN, 1);
  if (pp->gFreeN.load(std::memory_order_relaxed) < 2 * kGFreeBatch) return;
  G* keep = pp->gFree;  // the newest kGFreeBatch stay
  for (int32_t i = 1; i < kGFreeBatch; i++) keep = keep->schedlink;
  G* batch = keep->schedlink;
  keep->schedlink = nullptr;
  addGFreeN(pp->gFreeN, -kGFreeBatch);
  LockGuard lk(sched.gFreeLock);
  batch->freelink = sched.gFree;
  sched.gFree = batch;
  addGFreeN(sched.gFreeN, kGFreeBatch);
}

// prefetchG asks for gp's cache lines, to be written soon.
static inline void prefetchG(const G* gp) {
  const char* b = reinterpret_cast<const char*>(gp);
  for (size_t off = 0; off < sizeof(G); off += 64) __builtin_prefetch(b + off, 1, 3);
}

// gfget takes a dead G from pp's free list, refilling it with a batch from the
// global list when empty, and prefetches the next one: newproc writes most of a
// G's lines, last written by the P that ran it. Go: proc.go gfget.
G* gfget(P* pp) {
  if (pp->gFree == nullptr && sched.gFreeN.load(std::memory_order_relaxed) > 0) {
    LockGuard lk(sched.gFreeLock);
    if (G* batch = sched.gFree) {
      sched.gFree = batch->freelink;
      batch->freelink = nullptr;
      addGFreeN(sched.gFreeN, -kGFreeBatch);
      pp->gFree = batch;
      addGFreeN(pp->gFreeN, kGFreeBatch);
    }
  }
  G* gp = pp->gFree;
  if (gp == nullptr) return nullptr;
  pp->gFree = gp->schedlink;
  if (pp->gFree != nullptr) prefetchG(pp->gFree);
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
