// runtime2.h — the runtime's data structures: G, M, P and the scheduler (Go: runtime2.go).
//
// Read proc.cpp's opening comment first: it explains how these fit together.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "gmpscope/runtime.h"
#include "gmpscope/tracer/recorder.h"
#include "lock_futex.h"

namespace gmps::rt {

using trace::Ev;

// G status (Go: runtime2.go _Gidle ... _Gpreempted).
enum : uint32_t {
  _Gidle = 0,
  _Grunnable = 1,
  _Grunning = 2,
  _Gsyscall = 3,
  _Gwaiting = 4,
  _Gdead = 6,
  _Gpreempted = 9,
};

// P status (Go: runtime2.go _Pidle ...).
enum : uint32_t { _Pidle = 0, _Prunning = 1, _Psyscall = 2, _Pgcstop = 3, _Pdead = 4 };

struct M;
struct P;
struct sudog;

// Stack is a goroutine stack [lo, hi). guarded says a PROT_NONE page sits below lo.
struct Stack {
  char* lo = nullptr;
  char* hi = nullptr;
  bool guarded = false;
};

// timer is a pending wake-up on a P's timer heap (Go: time.go timer, much reduced:
// this runtime's timers only wake sleeping goroutines).
struct timer {
  int64_t when = 0;
  G* g = nullptr;
  P* pp = nullptr;  // the heap it is on; guarded by that P's timersLock
  int idx = -1;     // position in the heap, -1 if not on one
};

inline constexpr size_t kFnInline = 64;

// G is a goroutine (Go: runtime2.go g).
struct G {
  void* sp = nullptr;  // saved stack pointer while not running (Go: g.sched)
  Stack stack;
  int64_t goid = 0;
  std::atomic<uint32_t> atomicstatus{_Gidle};
  M* m = nullptr;           // the M running it, or nullptr
  G* schedlink = nullptr;   // next in a run queue or free list (guarded by the list's owner)
  CallFn call = nullptr;    // the go statement's function and its closure
  CallFn destroy = nullptr;
  void* fnp = nullptr;      // points at fnbuf or at a heap block
  alignas(16) unsigned char fnbuf[kFnInline];
  const char* label = nullptr;
  int64_t parentGoid = 0;
  // preempt asks the G to stop at its next runtime call (Go: g.preempt). Set by
  // sysmon, cleared by the G; relaxed: the flag is a hint re-checked at every call.
  std::atomic<bool> preempt{false};
  uint8_t waitreason = 0;   // trace::BlockReason while _Gwaiting
  // Channel and select hand-off (Go: g.param, g.selectDone, g.waiting).
  void* param = nullptr;
  std::atomic<uint32_t> selectDone{0};
  sudog* waiting = nullptr;
  timer sleepTimer;         // Sleep's timer (Go: g.timer)
  int64_t runnableSince = 0;  // for schedtrace/stats: when it last became runnable
  uint64_t runnextTs = 0;     // trace time of its last put in a runnext (runqput)
  void* asanFakeStack = nullptr;
  G* alllink = nullptr;
  G* freelink = nullptr;  // the next batch on sched.gFree, in a batch's first G
  // inRuntime counts the runtime calls this G is inside. Asynchronous preemption
  // never stops a G with inRuntime > 0: the runtime may hold locks. A G that is not
  // running is always inside some runtime call (it parked in one), and a new G
  // starts at 1 until gentry calls its function. Go: m.locks, and "async safe points".
  uint32_t inRuntime = 1;
};

// sudog is a G waiting on a channel or semaphore (Go: runtime2.go sudog). This
// runtime allocates sudogs on the waiting goroutine's stack: stacks never move.
struct sudog {
  G* g = nullptr;
  sudog* next = nullptr;
  sudog* prev = nullptr;
  void* elem = nullptr;  // data element (may point into the waiting G's stack)
  void* c = nullptr;     // the channel (hchan*) or semaphore address
  bool isSelect = false;
  bool success = false;  // true: woken by a value; false: by close
  uint32_t ticket = 0;
};

// P is a processor: what an M needs to run Go code (Go: runtime2.go p).
struct P {
  int32_t id = 0;
  // status: changed by the owning M, or by CAS from _Psyscall (sysmon's retake and
  // exitsyscall race for a P whose M is in a system call).
  std::atomic<uint32_t> status{_Pidle};
  P* link = nullptr;  // next on sched.pidle
  // idle: on sched.pidle (Go: sched.idlepMask). Written under sched.lock, read
  // without it by stealWork: a P handed to an M that is still starting is not
  // idle and may be stolen from, though its status is _Pidle.
  std::atomic<bool> idle{false};
  // Read by sysmon without synchronisation (relaxed), written only by the owner.
  std::atomic<uint32_t> schedtick{0};    // incremented on every new time slice
  std::atomic<uint32_t> syscalltick{0};  // incremented on every system call
  M* m = nullptr;            // back-link to its M (nullptr if idle)

  // Queue of runnable goroutines (Go: p.runq). Lock-free ring, one producer (the
  // owner) and many consumers (the owner and thieves).
  // runqhead: load-acquire by everyone, CAS-release by consumers.
  // runqtail: written only by the owner with store-release, read with load-acquire
  // by thieves, so a thief that sees a tail sees the slots written before it.
  std::atomic<uint32_t> runqhead{0};
  std::atomic<uint32_t> runqtail{0};
  std::atomic<G*> runq[256];
  // runnext, if non-null, is a runnable G readied by the current G that runs next,
  // in the current time slice (Go: p.runnext). CAS by owner and thieves.
  std::atomic<G*> runnext{nullptr};
  // The trace time of the last steal of runnext, stored by the thief right after its
  // CAS: a put that then finds runnext empty is stamped after that steal even if
  // its own clock read came before it (runqput), unless the steal took the G being
  // put (the thief ran between the put's exchange and its read of these). Not in Go.
  std::atomic<uint64_t> runnextStolenAt{0};
  std::atomic<G*> runnextStolenG{nullptr};  // the G that steal took

  // Free Gs (Go: p.gFree). Owned by the P. Unlike Go, a dead G gives its stack
  // back to the P's stack cache, and a G takes one when it first runs.
  G* gFree = nullptr;
  std::atomic<int32_t> gFreeN{0};  // written only by its owner; read by gcount
  // Stacks of dead Gs, ready for the next G this P runs (Go: mcache.stackcache).
  static constexpr int kStackCacheMax = 32;
  Stack stackcache[kStackCacheMax];
  int32_t nstackcache = 0;

  // Timers (Go: p.timers). timer0When is the earliest, 0 if none; read without the
  // lock by other Ms deciding how long they may sleep.
  Mutex timersLock;
  std::vector<timer*> timers;
  std::atomic<int64_t> timer0When{0};

  int64_t syscallM = -1;  // the M whose system call holds this P (_Psyscall)

  // For sysmon's retake (Go: sysmontick).
  uint32_t sysmonSchedtick = 0;
  int64_t sysmonSchedwhen = 0;
  uint32_t sysmonSyscalltick = 0;
  int64_t sysmonSyscallwhen = 0;

  P() {
    for (auto& s : runq) s.store(nullptr, std::memory_order_relaxed);
  }
};

inline constexpr uint32_t kRunqSize = 256;
// Dead Gs that move between a P's free list and the global one at a time (Go: gfput
// and gfget move Gs until 32 are left or taken).
inline constexpr int32_t kGFreeBatch = 32;

// M is an OS thread (Go: runtime2.go m).
struct M {
  int64_t id = 0;
  G g0;                   // the scheduling stack: this thread's own stack
  G* curg = nullptr;      // the user G running on it (nullptr while scheduling)
  P* p = nullptr;         // the P it holds to run Go code
  P* nextp = nullptr;     // the P it is handed when woken
  P* oldp = nullptr;      // the P it held before a system call
  bool spinning = false;  // looking for work (counted in sched.nmspinning)
  bool blocked = false;   // parked on its note
  bool isSysmon = false;
  Note park;              // stopm sleeps here, startm wakes it
  M* schedlink = nullptr;  // next on sched.midle
  M* alllink = nullptr;
  uint64_t fastrand = 0;
  uint64_t g0words = 0;   // MXCSR | x87 control word << 32 that g0 runs with
  int64_t syscallwhen = 0;
  // signalPending: a preemption signal was sent and not yet handled (Go: m.signalPending).
  std::atomic<uint32_t> signalPending{0};

  // mcall hands the function to run on g0 and its G across the switch.
  G* (*mcallfn)(G*) = nullptr;
  G* mcallg = nullptr;
  // gopark's unlock function and argument (Go: m.waitunlockf, m.waitlock).
  bool (*waitunlockf)(G*, void*) = nullptr;
  void* waitlock = nullptr;
  void (*mstartfn)() = nullptr;  // run instead of scheduling (sysmon)
  int64_t parentM = -1;          // the M that created it
  trace::Recorder tr;
  void* altstack = nullptr;
  size_t altstackSize = 0;
  std::atomic<unsigned long> thread{0};  // pthread_t, set by the thread itself
  std::atomic<bool> exited{false};
};

// schedt is the global scheduler state (Go: runtime2.go schedt).
struct schedt {
  // Unlike Go's, the fields are grouped by who touches them, a cache line each, so
  // that Ms taking the lock and Ms reading the idle counts do not steal each other's
  // line.
  //
  // The lock and the global runnable queue it guards, written together. runqsize is
  // also read without the lock (relaxed) as a hint.
  alignas(64) Mutex lock;  // guards the fields below unless marked otherwise
  G* runqhead = nullptr;
  G* runqtail = nullptr;
  std::atomic<int32_t> runqsize{0};
  uint64_t traceLastTs = 0;  // the last trace timestamp taken under lock (traceLockedTs)

  // Read by wakep on every ready, newproc and Gosched; written when Ps go idle and Ms
  // start or stop spinning.
  alignas(64) std::atomic<int32_t> npidle{0};
  std::atomic<int32_t> nmspinning{0};  // see "Worker thread parking/unparking"

  alignas(64) M* midle = nullptr;  // idle Ms waiting for work
  int32_t nmidle = 0;
  int32_t nmsys = 0;  // Ms that do not count for deadlock detection (sysmon)
  int64_t mnext = 0;  // number of Ms created and next M id
  int32_t maxmcount = 10000;
  P* pidle = nullptr;  // idle Ps

  // Global cache of dead Gs (Go: sched.gFree), in batches of kGFreeBatch: gFree is
  // the first G of the top batch, whose Gs are linked by schedlink, and the first G
  // of each batch links the next batch by freelink.
  alignas(64) Mutex gFreeLock;
  G* gFree = nullptr;
  std::atomic<int32_t> gFreeN{0};  // written under gFreeLock; read by gcount and gfget

  // Network poller state (Go: sched.lastpoll, sched.pollUntil): lastpoll == 0 while
  // an M is blocked in netpoll.
  alignas(64) std::atomic<int64_t> lastpoll{0};
  std::atomic<int64_t> pollUntil{0};

  // sysmon's note: it sleeps here when every P is idle.
  std::atomic<bool> sysmonwait{false};
  Note sysmonnote;

  std::atomic<bool> exiting{false};
  // Figures for RunStats.
  std::atomic<int64_t> sysmonCpuNs{0};
  std::atomic<int64_t> sysmonTicks{0};
  std::atomic<int64_t> asyncPreempts{0};
  int exitCode = 0;
  Note exitNote;        // run() waits here for Ms to stop
  std::atomic<int32_t> mlive{0};  // Ms whose threads have not finished
};

// Globals of the current run (defined in proc.cpp).
extern schedt sched;
extern std::vector<P*> allp;
extern int32_t gomaxprocs;
extern int32_t ncpu;
extern std::atomic<bool> mainStarted;
extern std::atomic<int64_t> goidgen;
extern std::atomic<int32_t> runningPanicDefers;
extern M* allm;  // guarded by sched.lock
extern Mutex allglock;
extern G* allgs;  // guarded by allglock
extern std::atomic<int64_t> allglen;
int64_t gcount();

// debug holds GMPDEBUG settings (Go: runtime1.go debug).
struct DebugVars {
  int32_t schedtrace = 0;      // ms between schedtrace lines, 0: off
  int32_t scheddetail = 0;
  int32_t asyncpreemptoff = 0;
  int32_t sysmonoff = 0;  // not in Go: run without sysmon, to measure what it costs
};
extern DebugVars debug;

// Thread-local current M and G (Go keeps g in TLS, and in R14 since Go 1.17).
// Each access is one %fs-relative load or store written in asm, never a C++
// thread_local access: a goroutine that moved to another thread across a switch
// must read the new thread's slot, and the compiler would otherwise keep the old
// thread's pointer in a register across the call that switched. Initial-exec TLS,
// so the library also links into a shared object.
}  // namespace gmps::rt
extern "C" {
extern __thread gmps::rt::M* gmps_tls_m __attribute__((tls_model("initial-exec")));
extern __thread gmps::rt::G* gmps_tls_g __attribute__((tls_model("initial-exec")));
}
namespace gmps::rt {
#define GMPS_TLS_LOAD(var, out) \
  asm volatile("movq " #var "@gottpoff(%%rip), %0\n\tmovq %%fs:(%0), %0" : "=r"(out)::"memory")
#define GMPS_TLS_STORE(var, in)                                                            \
  do {                                                                                     \
    uintptr_t off_;                                                                        \
    asm volatile("movq " #var "@gottpoff(%%rip), %0\n\tmovq %1, %%fs:(%0)" : "=&r"(off_) \
                 : "r"(in)                                                                 \
                 : "memory");                                                              \
  } while (0)
inline M* getm() {
  M* mp;
  GMPS_TLS_LOAD(gmps_tls_m, mp);
  return mp;
}
inline G* getg() {
  G* gp;
  GMPS_TLS_LOAD(gmps_tls_g, gp);
  return gp;
}
inline void setg(G* gp) { GMPS_TLS_STORE(gmps_tls_g, gp); }
inline void setm(M* mp) { GMPS_TLS_STORE(gmps_tls_m, mp); }
#undef GMPS_TLS_LOAD
#undef GMPS_TLS_STORE

// Tracing helpers: record on the current M with its P and G.
// curGoid and curPid are the current M's G and P for an event, -1 for none.
inline int64_t curGoid() {
  M* mp = getm();
  return mp && mp->curg ? mp->curg->goid : -1;
}
inline int32_t curPid() {
  M* mp = getm();
  return mp && mp->p ? mp->p->id : -1;
}
template <typename... A>
inline void traceEv(Ev e, A... args) {
  if (!trace::enabled.load(std::memory_order_relaxed)) [[likely]]
    return;
  M* mp = getm();
  // g is the M's current user G, also while the M runs scheduler code for it on g0
  // (park_m, goexit0): that is the G the event is about. Go: m.curg until dropg.
  // emitNow, not emit: enabled was just checked; a second relaxed load is not merged.
  mp->tr.emitNow(e, mp->p ? mp->p->id : -1, mp->curg ? mp->curg->goid : -1, args...);
}
// traceShareTs: the next event on this M is the same scheduler step as the last one
// and reuses its timestamp (see Recorder::shareNextTs).
inline void traceShareTs() {
  if (trace::enabled.load(std::memory_order_relaxed)) [[unlikely]]
    getm()->tr.shareNextTs();
}
// traceGetTs is the time of a RunqGet by a scheduling pass that found a G at once
// in its P's runnext or local queue (tracing on). If this M's last step was a G
// leaving it (GoBlock, GoStop, GoEnd, with what shared its time: a Gosched's RunqPut
// to the global queue), the RunqGet and GoStart that follow are the same step of the
// scheduler and share that step's time: the 10-30 ns of g0 work between them go
// unmeasured, and a switch costs one clock read (~10 ns here) less. The time is
// right for the queue too: only this P puts Gs in its runnext and local queue, so
// the G it got was there at that time; a thief that took others in between is
// stamped later (before its CAS) and took Gs still queued then.
inline uint64_t traceGetTs(trace::Recorder& r) {
  Ev step = r.stepEvent();
  if (step == Ev::GoBlock || step == Ev::GoStop || step == Ev::GoEnd) return r.stepTs();
  return r.stamp();
}
// traceLockedTs: the next event on this M is stamped under sched.lock (global queue
// puts and gets, runqputslow), and its time must order it against the other Ms'
// events under that lock: it is made later than the last of them
// (see Recorder::stampAfterLocked).
// read, if not 0, is a clock read already taken under the lock.
inline void traceLockedTs(uint64_t read = 0) {
  if (trace::enabled.load(std::memory_order_relaxed)) [[unlikely]]
    getm()->tr.stampAfterLocked(&sched.traceLastTs, read);
}
// traceTicksBeforeCAS is the time of a queue operation that a CAS is about to commit:
// read after the loads that decided it (fenced, so not earlier) and before the CAS,
// so an M descheduled between its CAS and its event cannot stamp the event after
// the queue's owner acted on the result. 0 when not tracing.
inline uint64_t traceTicksBeforeCAS() {
  if (!trace::enabled.load(std::memory_order_relaxed)) [[likely]]
    return 0;
  _mm_lfence();
  return trace::ticks();
}
// traceUseTs: the next event on this M carries ts (see Recorder::useNextTs).
inline void traceUseTs(uint64_t ts) {
  if (trace::enabled.load(std::memory_order_relaxed)) [[unlikely]]
    getm()->tr.useNextTs(ts);
}
// traceEvList records e, whose argument at position listArg (see listArgOf) lists gs.
void traceEvList(Ev e, const int64_t* fixed, int nfixed, int listArg, G* const* gs, int n);
// listArgOf is the position of e's GList argument, found when compiling.
consteval int listArgOf(Ev e, const char* name) { return trace::argIndex(e, name); }

inline void casgstatus(G* gp, uint32_t from, uint32_t to);
[[noreturn]] void throw_(const char* msg);
[[noreturn]] void fatal(const char* msg);
[[noreturn]] void fatalPanic(G* gp, const char* msg);

inline void casgstatus(G* gp, uint32_t from, uint32_t to) {
  uint32_t old = from;
  if (!gp->atomicstatus.compare_exchange_strong(old, to, std::memory_order_acq_rel)) {
    throw_("casgstatus: bad incoming values");
  }
}
// RuntimeScope marks a runtime call on the current G (see G::inRuntime). Every
// public runtime entry point that a goroutine calls opens one.
class RuntimeScope {
 public:
  RuntimeScope() : gp_(getg()) {
    if (gp_) gp_->inRuntime++;
  }
  ~RuntimeScope() {
    if (gp_) gp_->inRuntime--;
  }
  RuntimeScope(const RuntimeScope&) = delete;
  RuntimeScope& operator=(const RuntimeScope&) = delete;

 private:
  G* gp_;
};

inline uint32_t readgstatus(G* gp) { return gp->atomicstatus.load(std::memory_order_acquire); }

uint32_t fastrand();
inline uint32_t fastrandn(uint32_t n) { return uint32_t((uint64_t(fastrand()) * n) >> 32); }

// proc.cpp and schedule.cpp
void mcall(G* (*fn)(G*));
void gopark(bool (*unlockf)(G*, void*), void* lock, trace::BlockReason reason);
void goparkunlock(Mutex* lock, trace::BlockReason reason);
void goready(G* gp);
void ready(G* gp, bool next);
void wakep();
void startm(P* pp, bool spinning);
void handoffp(P* pp);
void stopm();
void acquirep(P* pp);
P* releasep();
void pidleput(P* pp);
P* pidleget();
void injectglist(G* list);
void checkPreemptSlow();
// checkPreempt is the cooperative preemption point every runtime call passes: one
// load of the running G's flag unless sysmon asked it to stop.
inline void checkPreempt() {
  G* gp = getg();
  if (gp == nullptr || !gp->preempt.load(std::memory_order_relaxed)) [[likely]]
    return;
  checkPreemptSlow();
}
G* gopreempt_m(G* gp);
void mexit();
void newm(void (*fn)(), P* pp, bool spinning);
void scheduleLoop();
void mstart1(M* mp);
void sysmon();
[[noreturn]] void dieAfterTrace(int code);
void printGoroutines(FILE* f, G* self);
void checkdead();

// runq.cpp
// PutLead is the event that a runqput is the second step of: runqput records it
// together with its RunqPut, as one pair record (trace::Pair), when it can.
enum class PutLead : uint8_t {
  None,
  Unblock,  // GoUnblock of gp (ready)
  Create,   // GoCreate of gp, with gp->label (newproc)
};
void runqput(P* pp, G* gp, bool next, PutLead lead = PutLead::None);
G* runqget(P* pp, bool* inheritTime);
bool runqempty(P* pp);
G* runqsteal(P* pp, P* p2, bool stealRunNextG);
void globrunqput(G* gp, bool stepStamped = false);
void globrunqputbatch(G* head, G* tail, int32_t n);
G* globrunqget(P* pp, int32_t max, bool fair);
uint32_t runqlen(P* pp);
// The free lists of dead Gs (proc.cpp; tests call them on bare Ps).
void gfput(P* pp, G* gp);
G* gfget(P* pp);
// QueueState: the queues as the runtime holds them, by goroutine id (tests compare
// the trace model's reconstruction with it). readQueues reads the current M's P
// (runnext, then the local queue head to tail) and the global queue under sched.lock;
// it is exact only while nothing else can touch that P's queue (GOMAXPROCS=1, or the
// other Ps idle). Go: export_test.go's RunqGet/Globrunq helpers do the same job.
struct QueueState {
  int32_t p = -1;
  int64_t runnext = -1;
  std::vector<int64_t> runq;
  std::vector<int64_t> global;
};
QueueState readQueues();
// readMaxMapCount reads vm.max_map_count (65530 when it cannot): the kernel's cap on
// a process's mappings, which stack guard pages count against (stack.cpp).
int64_t readMaxMapCount();

// stack.cpp
void stackinit(size_t stackSize);
void stackfree_all();
bool stackalloc(Stack* s);
bool stackget(P* pp, Stack* s);
void stackput(P* pp, const Stack& s);
void gostartFrame(G* gp, void (*entry)(G*));
bool stackContains(const Stack& s, const void* addr, size_t slack);
size_t stackSizeSetting();

// time.cpp
void addtimer(P* pp, timer* t);
bool deltimer(timer* t);
int64_t checkTimersSlow(P* pp, int64_t now);
// checkTimers runs pp's due timers and returns when the next one is due (0: none).
// The common case, no timers, is one load here. Go: proc.go checkTimers.
inline int64_t checkTimers(P* pp, int64_t now) {
  if (pp->timer0When.load(std::memory_order_acquire) == 0) [[likely]]
    return 0;
  return checkTimersSlow(pp, now);
}
int64_t nextTimerAll();  // earliest timer over all Ps, 0 if none

// netpoll.cpp
void netpollinit();
void netpollclose();
bool netpollinited();
G* netpoll(int64_t delay);  // delay < 0 blocks; 0 polls; > 0 waits up to delay ns
void netpollBreak();
bool netpollAnyWaiters();
void wakeNetPoller(int64_t when);

// signal.cpp, preempt.cpp
void initsig();
void preemptM(M* mp);
bool asyncPreemptEnabled();
void initAsyncPreempt();
void minitSignals(M* mp);
void unminitSignals(M* mp);

// trace hooks (startup.cpp)
void traceFlushAll(bool fatalPath);

}  // namespace gmps::rt
