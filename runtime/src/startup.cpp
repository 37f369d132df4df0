// startup.cpp — the runtime's startup and shutdown sequence (Go: asm_amd64.s rt0_go,
// runtime1.go check/args, os_linux.go osinit, proc.go schedinit/main, and exit).
//
// A Go binary starts at _rt0_amd64_linux → rt0_go, which sets up g0 and m0, then
// calls check, args, osinit and schedinit, queues runtime.main with newproc and
// enters the scheduler with mstart. runtime.main starts sysmon, runs the runtime's
// and the program's init functions, calls main.main and exits. gmps::run() walks
// the same steps, recording each as a Startup event, so a trace of "hello world"
// shows the whole sequence.
#include <pthread.h>
#include <sched.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "runtime2.h"

namespace gmps::rt {

using trace::StartupStep;

namespace {

struct InitTask {
  const char* name;
  const char* const* deps;
  void (*fn)();
};

std::vector<InitTask>& initTasks() {
  static std::vector<InitTask> v;
  return v;
}

RunStats lastStats;

struct RunState {
  int64_t startNs = 0;
  Config cfg;
  CallFn mainCall = nullptr;
  void* mainArg = nullptr;
  std::string traceFile;
  std::string initNames;  // static for the run: trace records point into it
  M* m0 = nullptr;
  // m0Stack: the stack of the thread that runs the program, found before the trace
  // starts. For a process's main thread glibc's pthread_getattr_np reads
  // /proc/self/maps, 60-200 µs here: traced, that was a gap before rt0_go's event,
  // the first of every trace, for a cost Go's rt0_go does not have (it takes g0's
  // stack from SP).
  Stack m0Stack;
  bool active = false;
};
RunState rs;

void startupEv(StartupStep step, int64_t value = 0, const char* name = nullptr) {
  traceEv(Ev::Startup, int(step), value, reinterpret_cast<int64_t>(name));
}

const char* envOr(const char* name, const char* dflt) {
  const char* v = std::getenv(name);
  return v && *v ? v : dflt;
}

// parsedebugvars reads GMPDEBUG (Go: runtime1.go parsedebugvars, GODEBUG).
void parsedebugvars() {
  debug = DebugVars{};
  std::string s = envOr("GMPDEBUG", "");
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    std::string kv = s.substr(pos, end - pos);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      std::string k = kv.substr(0, eq);
      int v = std::atoi(kv.c_str() + eq + 1);
      if (k == "schedtrace") debug.schedtrace = v;
      if (k == "scheddetail") debug.scheddetail = v;
      if (k == "asyncpreemptoff") debug.asyncpreemptoff = v;
      if (k == "sysmonoff") debug.sysmonoff = v;
    }
    pos = end + 1;
  }
}

// threadStack returns the calling thread's stack, which its M's g0 runs on.
Stack threadStack() {
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  Stack st;
  st.lo = static_cast<char*>(addr);
  st.hi = static_cast<char*>(addr) + size;
  st.guarded = true;  // the OS guards thread stacks
  return st;
}

// rt0_go sets up m0 and g0 on the calling thread. Go: asm_amd64.s rt0_go.
void rt0_go() {
  M* mp = new M();
  mp->id = 0;
  mp->tr.setM(0);
  mp->fastrand = uint64_t(nanotime1()) ^ 0x9E3779B97F4A7C15ull;
  mp->g0.stack = rs.m0Stack;
  mp->thread = pthread_self();
  rs.m0 = mp;
  setm(mp);
  setg(&mp->g0);
  sched.mnext = 1;
  allm = mp;
  startupEv(StartupStep::Rt0Go, int64_t(mp->g0.stack.hi - mp->g0.stack.lo));
}

// check runs sanity checks of the platform. Go: runtime1.go check.
void check() {
  static_assert(sizeof(int64_t) == 8 && sizeof(void*) == 8, "64-bit platform required");
  std::atomic<uint32_t> z{1};
  uint32_t one = 1;
  if (!z.compare_exchange_strong(one, 2) || z.load() != 2) throw_("check: cas failed");
  volatile double nan = std::nan("");
  if (nan == nan) throw_("check: float NaN == NaN");
  if (sizeof(G) == 0 || kRunqSize != 256) throw_("check: bad structure sizes");
  startupEv(StartupStep::Check);
}

// args reads the auxiliary vector. Go: runtime1.go args, os_linux.go sysargs.
void args() {
  uint64_t pagesz = getauxval(AT_PAGESZ);
  if (const void* rnd = reinterpret_cast<const void*>(getauxval(AT_RANDOM))) {
    uint64_t seed;  // AT_RANDOM points at 16 bytes with no alignment promise
    std::memcpy(&seed, rnd, sizeof seed);
    getm()->fastrand ^= seed;
  }
  startupEv(StartupStep::Args, int64_t(pagesz));
}

// osinit counts the CPUs. Go: os_linux.go osinit (getproccount).
void osinit() {
  cpu_set_t set;
  ncpu = 1;
  if (sched_getaffinity(0, sizeof set, &set) == 0) ncpu = CPU_COUNT(&set);
  if (ncpu < 1) ncpu = 1;
  startupEv(StartupStep::Osinit, ncpu);
}

// procresize makes nprocs Ps and gives allp[0] to the current M.
// Go: proc.go procresize (here only ever called once, at startup).
void procresize(int32_t nprocs) {
  traceEv(Ev::ProcsChange, int64_t(nprocs));
  allp.clear();
  for (int32_t i = 0; i < nprocs; i++) {
    P* pp = new P();
    pp->id = i;
    pp->status = _Pidle;
    allp.push_back(pp);
  }
  gomaxprocs = nprocs;
  acquirep(allp[0]);
  LockGuard lk(sched.lock);
  for (int32_t i = nprocs - 1; i >= 1; i--) pidleput(allp[size_t(i)]);
}

// schedinit: limits, stacks, debug settings, GOMAXPROCS, Ps. Go: proc.go schedinit.
void schedinit() {
  sched.maxmcount = 10000;
  parsedebugvars();
  size_t stackSize = rs.cfg.stackSize;
  if (stackSize == 0) stackSize = size_t(std::atoll(envOr("GMPSTACK", "65536")));
  stackinit(stackSize);
  int32_t procs = rs.cfg.procs;
  if (procs <= 0) procs = std::atoi(envOr("GOMAXPROCS", "0"));
  if (procs <= 0) procs = ncpu;
  if (procs > 1024) procs = 1024;
  initsig();
  minitSignals(getm());
  procresize(procs);
  startupEv(StartupStep::Schedinit, procs);
}

// userCall runs the program's own code fn on gp, a G that runs runtime code around it
// (runtime.main): asynchronously preemptible while fn runs, not after.
template <typename F>
void userCall(G* gp, F fn) {
  const uint32_t saved = gp->inRuntime;
  gp->inRuntime = 0;
  fn();
  gp->inRuntime = saved;
}

// runInits runs the registered init functions in dependency order.
// Go: proc.go doInit over the program's inittasks (the linker orders them).
int runInits() {
  auto& tasks = initTasks();
  std::vector<int> state(tasks.size(), 0);  // 0 new, 1 running, 2 done
  std::vector<size_t> order;
  auto find = [&](const char* name) -> int {
    for (size_t i = 0; i < tasks.size(); i++)
      if (std::strcmp(tasks[i].name, name) == 0) return int(i);
    return -1;
  };
  auto visit = [&](auto& self, size_t i) -> void {
    if (state[i] == 2) return;
    if (state[i] == 1) fatal((std::string("initialization cycle at ") + tasks[i].name).c_str());
    state[i] = 1;
    for (const char* const* d = tasks[i].deps; d && *d; d++) {
      int j = find(*d);
      if (j < 0) fatal((std::string("init ") + tasks[i].name + ": unknown dependency " + *d).c_str());
      self(self, size_t(j));
    }
    state[i] = 2;
    order.push_back(i);
  };
  for (size_t i = 0; i < tasks.size(); i++) visit(visit, i);
  rs.initNames.clear();
  for (size_t i : order) {
    if (!rs.initNames.empty()) rs.initNames += ',';
    rs.initNames += tasks[i].name;
  }
  startupEv(StartupStep::MainInit, int64_t(order.size()), rs.initNames.c_str());
  for (size_t i : order) userCall(getg(), tasks[i].fn);
  return int(order.size());
}

}  // namespace

void exitRuntime(int code);

namespace {

// runtime_main is the main goroutine. Go: proc.go main.
void runtime_main() {
  // runtime.main is the runtime's code, and it takes the runtime's locks (newm, the
  // exit below): sysmon must not stop it asynchronously in here (Go: isAsyncSafePoint
  // refuses runtime functions). gentry set inRuntime to 0, as for any G's function; it
  // drops back to 0 only around the program's own code (userCall). A SIGURG that
  // stopped G1 inside wakeAllForExit, sched.lock held, deadlocked the exit.
  G* g1 = getg();
  g1->inRuntime = 1;
  startupEv(StartupStep::RuntimeMain);
  mainStarted.store(true);
  // sysmon runs on its own M without a P. Go: systemstack(newm(sysmon, nil, -1)).
  if (debug.sysmonoff == 0) {
    newm(sysmon, nullptr, false);
    startupEv(StartupStep::Sysmon, sched.mnext - 1);
  } else {
    startupEv(StartupStep::Sysmon, -1);  // GMPDEBUG=sysmonoff=1: no sysmon this run
  }
  // Go runs the runtime package's init tasks here (forcegchelper is started by one).
  // This runtime has no package inits of its own; the step is recorded for the map.
  startupEv(StartupStep::RuntimeInit);
  // Go: gcenable starts the background sweeper and scavenger. There is no garbage
  // collector here (C++ frees memory itself), so the step only marks the place.
  startupEv(StartupStep::Gcenable);
  runInits();
  startupEv(StartupStep::MainMain);
  userCall(g1, [] { rs.mainCall(rs.mainArg); });
  // If another goroutine is panicking, give its deferred calls (destructors) a chance
  // to run before exiting. Go: runtime.main's runningPanicDefers loop.
  int yields = 0;
  for (; runningPanicDefers.load() != 0 && yields < 1000; yields++) Gosched();
  startupEv(StartupStep::Exit, 0);
  exitRuntime(0);
}

}  // namespace

void sysmon();

void registerInitImpl(const char* name, const char* const* deps, void (*fn)()) {
  initTasks().push_back(InitTask{name, deps, fn});
}

// ---------------------------------------------------------------------------
// [SECTION] Ms: creation, start, exit

namespace {

void* mstartThread(void* arg) {
  M* mp = static_cast<M*>(arg);
  // Before this M can hold a P and be signalled by preemptM: newm stores the same
  // value only when pthread_create returns, which may be after the M ran a while.
  mp->thread = pthread_self();
  setm(mp);
  setg(&mp->g0);
  mp->g0.stack = threadStack();
  minitSignals(mp);
  mstart1(mp);
  return nullptr;
}

}  // namespace

// mstart1 is the start of every M after m0: record, run mstartfn (sysmon), take
// the P handed over, schedule. Go: proc.go mstart1.
void mstart1(M* mp) {
  traceEv(Ev::MStart, mp->parentM);
  if (mp->mstartfn != nullptr) {
    mp->mstartfn();
  } else {
    if (mp->nextp != nullptr) {
      P* pp = mp->nextp;
      mp->nextp = nullptr;
      acquirep(pp);
    }
    if (mp->spinning) traceEv(Ev::MSpinStart);
    scheduleLoop();
  }
  mexit();
}

// newm creates a new M (an OS thread) that starts with fn or, if fn is null, runs
// pp. Go: proc.go newm, newm1, newosproc.
void newm(void (*fn)(), P* pp, bool spinning) {
  M* mp = new M();
  M* parent = getm();
  {
    LockGuard lk(sched.lock);
    if (sched.mnext >= sched.maxmcount) {
      std::fprintf(stderr, "runtime: program exceeds %d-thread limit\n", sched.maxmcount);
      sched.lock.unlock();
      fatal("thread exhaustion");
    }
    mp->id = sched.mnext++;
    mp->alllink = allm;
    allm = mp;
    if (fn == sysmon) {
      sched.nmsys++;
      mp->isSysmon = true;
    }
  }
  mp->tr.setM(mp->id);
  mp->parentM = parent ? parent->id : -1;
  mp->fastrand = uint64_t(nanotime1()) * 0x9E3779B97F4A7C15ull ^ uint64_t(mp->id);
  mp->nextp = pp;
  mp->spinning = spinning;
  mp->mstartfn = fn;
  sched.mlive.fetch_add(1);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t th;
  int err = pthread_create(&th, &attr, mstartThread, mp);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    std::fprintf(stderr, "runtime: failed to create new OS thread (errno=%d)\n", err);
    fatal("newosproc");
  }
  (void)th;  // mstartThread records its own handle before anything can signal it
}

// mexit ends an M when the run ends: hand the trace buffer over, leave the count.
void mexit() {
  M* mp = getm();
  if (mp->p != nullptr) releasep();
  mp->tr.flush();
  unminitSignals(mp);
  setg(nullptr);
  mp->exited.store(true);
  if (sched.mlive.fetch_sub(1) == 1) sched.exitNote.wakeup();
}

// ---------------------------------------------------------------------------
// [SECTION] exit

namespace {

G* exit_m(G* gp) {
  casgstatus(gp, _Grunning, _Gdead);
  getm()->curg = nullptr;
  return nullptr;
}

// wakeAllForExit wakes every M that sleeps so it sees sched.exiting.
void wakeAllForExit() {
  LockGuard lk(sched.lock);
  for (M* mp = sched.midle; mp != nullptr; mp = mp->schedlink) mp->park.wakeup();
  sched.midle = nullptr;
  sched.nmidle = 0;
  if (netpollinited()) netpollBreak();
  sched.sysmonnote.wakeup();
}

std::string traceErr;

void writeTrace() {
  traceErr.clear();
  if (rs.traceFile.empty()) return;
  trace::stop();
  trace::TraceHeader h{rs.cfg.program, gomaxprocs, ncpu};
  traceErr = trace::writeJSONL(rs.traceFile.c_str(), h);
  if (!traceErr.empty()) std::fprintf(stderr, "gmpscope: %s\n", traceErr.c_str());
}

}  // namespace

// exitRuntime ends the run with code. Go: exit(0) at the end of runtime.main; here
// the Ms are stopped and joined so the process (a test, a tool) can go on.
void exitRuntime(int code) {
  sched.exitCode = code;
  sched.exiting.store(true, std::memory_order_release);
  wakeAllForExit();
  if (rs.cfg.exitProcess) {
    // As in Go, exit does not wait for other goroutines: record and leave.
    traceFlushAll(false);
    writeTrace();
    std::cout.flush();
    std::fflush(nullptr);
    _exit(code);
  }
  mcall(exit_m);
  throw_("exit: returned");
}

// traceFlushAll hands every M's trace buffer over before a fatal exit. Other Ms may
// still be recording; tracing is switched off first and they get a moment to finish
// the record they are writing.
void traceFlushAll(bool fatalPath) {
  if (!trace::enabled.load()) return;
  trace::stop();
  timespec ts{0, 2000000};
  nanosleep(&ts, nullptr);
  for (M* mp = allm; mp != nullptr; mp = mp->alllink) mp->tr.flush();
  (void)fatalPath;
}

[[noreturn]] void dieAfterTrace(int code) {
  if (rs.active) {
    traceFlushAll(true);
    std::string f = rs.traceFile;
    if (!f.empty()) {
      trace::TraceHeader h{rs.cfg.program, gomaxprocs, ncpu};
      std::string err = trace::writeJSONL(f.c_str(), h);
      if (!err.empty()) std::fprintf(stderr, "gmpscope: %s\n", err.c_str());
    }
  }
  std::cout.flush();
  std::fflush(nullptr);
  _exit(code);
}

// teardown frees the run's structures once every M has stopped.
static void teardown() {
  {
    LockGuard lk(allglock);
    for (G* gp = allgs; gp != nullptr;) {
      G* next = gp->alllink;
      if (gp->fnp != nullptr) {
        if (gp->destroy) gp->destroy(gp->fnp);
        if (gp->fnp != gp->fnbuf) ::operator delete(gp->fnp, std::align_val_t(16));
      }
      delete gp;
      gp = next;
    }
    allgs = nullptr;
  }
  allglen.store(0);
  for (P* pp : allp) delete pp;
  allp.clear();
  for (M* mp = allm; mp != nullptr;) {
    M* next = mp->alllink;
    delete mp;
    mp = next;
  }
  allm = nullptr;
  stackfree_all();
  netpollclose();
  sched.midle = nullptr;
  sched.nmidle = sched.nmsys = 0;
  sched.mnext = 0;
  sched.pidle = nullptr;
  sched.npidle.store(0);
  sched.nmspinning.store(0);
  sched.runqhead = sched.runqtail = nullptr;
  sched.runqsize.store(0);
  sched.gFree = nullptr;
  sched.gFreeN.store(0);
  sched.lastpoll.store(0);
  sched.pollUntil.store(0);
  sched.sysmonwait.store(false);
  sched.sysmonnote.clear();
  sched.exitNote.clear();
  sched.exiting.store(false);
  sched.sysmonCpuNs.store(0);
  sched.sysmonTicks.store(0);
  sched.asyncPreempts.store(0);
  mainStarted.store(false);
  goidgen.store(0);
  runningPanicDefers.store(0);
}

int runImpl(CallFn call, void* arg, const Config& cfg) {
  if (rs.active) throw_("run: the runtime is already running");
  rs = RunState{};
  rs.active = true;
  rs.cfg = cfg;
  rs.mainCall = call;
  rs.mainArg = arg;
  const char* tf = cfg.trace ? cfg.trace : std::getenv("GMPTRACE");
  if (tf && *tf) rs.traceFile = tf;
  rs.m0Stack = threadStack();
  if (!rs.traceFile.empty()) trace::start();

  rs.startNs = nanotime1();
  rt0_go();
  check();
  args();
  osinit();
  schedinit();
  // newproc(runtime.main): the main goroutine, G1. Go: rt0_go pushes mainPC.
  go("runtime.main", [] { runtime_main(); });
  startupEv(StartupStep::Newproc, 1);
  startupEv(StartupStep::Mstart);
  M* m0 = getm();
  scheduleLoop();
  // The run is ending: m0 left its scheduler loop. Wait for the other Ms.
  if (m0->p != nullptr) releasep();
  m0->tr.flush();
  while (sched.mlive.load() != 0) {
    sched.exitNote.tsleep(100000000);
    sched.exitNote.clear();
  }
  writeTrace();
  trace::discard();
  lastStats = RunStats{nanotime1() - rs.startNs, sched.sysmonCpuNs.load(), sched.sysmonTicks.load(),
                       sched.mnext, sched.asyncPreempts.load(), traceErr};
  int code = sched.exitCode;
  unminitSignals(m0);
  teardown();
  setm(nullptr);
  setg(nullptr);
  rs.active = false;
  return code;
}

}  // namespace gmps::rt

namespace gmps {

int run(void (*mainMain)(), const Config& cfg) {
  return rt::runImpl([](void* f) { reinterpret_cast<void (*)()>(f)(); },
                     reinterpret_cast<void*>(mainMain), cfg);
}

void registerInit(const char* name, const char* const* deps, void (*fn)()) {
  rt::registerInitImpl(name, deps, fn);
}

int GOMAXPROCS() { return rt::gomaxprocs; }

int64_t NumGoroutine() {
  return rt::gcount();
}

RunStats lastRunStats() { return rt::lastStats; }

int64_t NumThreads() {
  rt::RuntimeScope rs;
  rt::LockGuard lk(rt::sched.lock);
  return rt::sched.mnext;
}

int64_t goid() {
  rt::M* mp = rt::getm();
  if (mp == nullptr || mp->curg == nullptr || rt::getg() != mp->curg) return 0;
  return mp->curg->goid;
}

}  // namespace gmps
