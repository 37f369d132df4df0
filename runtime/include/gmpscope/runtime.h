// runtime.h — the user API of gmpscope's Go-style runtime: starting it, the go
// statement, yielding, sleeping, package init functions and panics.
//
//   #include <gmpscope/go.h>
//   int main(int argc, char** argv) {
//     return gmps::run([] {                 // this lambda is main.main
//       gmps::WaitGroup wg;
//       wg.Add(1);
//       gmps::go([&] { std::puts("hello from a goroutine"); wg.Done(); });
//       wg.Wait();
//     });
//   }
//
// Everything lives in namespace gmps and under <gmpscope/...>, so it cannot clash
// with GNU MP's <gmp.h>.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

namespace gmps {

// Config for one run of the runtime. Zero values mean "from the environment":
// GOMAXPROCS, GMPTRACE, GMPDEBUG, GMPSTACK (bytes per goroutine stack).
struct Config {
  int procs = 0;                  // GOMAXPROCS; 0: $GOMAXPROCS, else the CPU count
  const char* trace = nullptr;    // trace file; nullptr: $GMPTRACE (unset: no trace)
  const char* program = "main";   // program name written in the trace header
  size_t stackSize = 0;           // usable bytes per goroutine stack; 0: $GMPSTACK or 64 KiB
  bool exitProcess = false;       // true: exit(code) at the end like Go; false: return it
};

// run boots the runtime (rt0_go → schedinit → newproc(runtime.main) → mstart),
// runs the registered init functions and then mainMain as main.main on goroutine 1,
// and shuts down when it returns. It returns the exit code (0), or does not return
// on a fatal error (deadlock, panic, stack overflow: message on stderr, exit 2).
// Only one run may be active at a time; runs may follow each other in one process.
int run(void (*mainMain)(), const Config& cfg = {});

template <typename F>
int run(F&& mainMain, const Config& cfg = {});

// go starts f on a new goroutine (the go statement). label, if given, must be a
// string with static lifetime; it names the goroutine in traces.
template <typename F>
void go(F&& f);
template <typename F>
void go(const char* label, F&& f);

// Gosched yields the processor: the goroutine goes to the global run queue.
void Gosched();

// Checkpoint is an explicit cooperative preemption point: if sysmon asked this
// goroutine to stop (it ran for 10 ms), it yields here. Every runtime call checks
// the same; loops that call nothing are stopped by signal unless asyncpreemptoff=1.
void Checkpoint();

// Sleep parks the goroutine for at least d.
void Sleep(std::chrono::nanoseconds d);

// nanotime is the runtime's monotonic clock in nanoseconds.
int64_t nanotime();

// goid is the running goroutine's id (1 is main.main); 0 outside any goroutine.
int64_t goid();

// GOMAXPROCS returns the number of Ps of the current run.
int GOMAXPROCS();

// NumGoroutine returns the number of goroutines that exist (not dead).
int64_t NumGoroutine();

// NumThreads returns how many Ms (OS threads) the run has created, sysmon included.
int64_t NumThreads();

// RunStats describes the last finished run (for benchmarks and tests).
struct RunStats {
  int64_t elapsedNs = 0;     // from rt0_go to exit
  int64_t sysmonCpuNs = 0;   // CPU time sysmon's thread used
  int64_t sysmonTicks = 0;   // how many times sysmon woke
  int64_t threads = 0;       // Ms created
  int64_t asyncPreempts = 0; // goroutines stopped by signal
  std::string traceError;    // why the trace could not be written ("" if it was, or none asked)
};
RunStats lastRunStats();

// panic starts a Go-style panic: the goroutine unwinds (running destructors, its
// "defers"); if nothing catches it the program prints "panic: msg" and exits 2.
[[noreturn]] void panic(const std::string& msg);

// registerInit registers a package init function to run before main.main, after the
// inits named in deps (a nullptr-terminated list, may be null). Usually through
// GMPS_INIT. Name and deps must have static lifetime.
void registerInit(const char* name, const char* const* deps, void (*fn)());

// Panic is what gmps::panic throws; catching it recovers, as recover() does in Go.
// While one is in flight the runtime counts a panicking goroutine (Go's
// runningPanicDefers), so main.main's return waits for it before exiting.
struct Panic {
  std::string msg;
  std::shared_ptr<void> running = {};  // released when the last copy is gone
};

// ---------------------------------------------------------------------------
// Implementation details of the templates above.
namespace rt {
struct G;
using CallFn = void (*)(void*);
// newprocStorage reserves a new goroutine (Go: newproc1 → gfget/malg) and returns
// aligned storage of at least size bytes for its closure.
void* newprocStorage(G** out, size_t size, size_t align);
// newproc queues the goroutine made by newprocStorage (Go: newproc → runqput, wakep).
void newproc(G* gp, CallFn call, CallFn destroy, const char* label);
int runImpl(CallFn call, void* arg, const Config& cfg);

template <typename Fn>
void callFn(void* p) {
  (*static_cast<Fn*>(p))();
}
template <typename Fn>
void destroyFn(void* p) {
  static_cast<Fn*>(p)->~Fn();
}
}  // namespace rt

template <typename F>
void go(const char* label, F&& f) {
  using Fn = std::decay_t<F>;
  rt::G* gp;
  void* mem = rt::newprocStorage(&gp, sizeof(Fn), alignof(Fn));
  ::new (mem) Fn(std::forward<F>(f));
  rt::newproc(gp, &rt::callFn<Fn>, &rt::destroyFn<Fn>, label);
}

template <typename F>
void go(F&& f) {
  go(nullptr, std::forward<F>(f));
}

template <typename F>
int run(F&& mainMain, const Config& cfg) {
  using Fn = std::decay_t<F>;
  Fn fn(std::forward<F>(mainMain));
  return rt::runImpl(&rt::callFn<Fn>, &fn, cfg);
}

}  // namespace gmps

// GMPS_INIT(name, deps...) defines a package init function that runs before
// main.main, after the inits it names: GMPS_INIT(db, "config") { ... }
#define GMPS_INIT_CAT2(a, b) a##b
#define GMPS_INIT_CAT(a, b) GMPS_INIT_CAT2(a, b)
#define GMPS_INIT(name, ...)                                                        \
  static void gmps_init_##name();                                                    \
  static const char* const gmps_init_deps_##name[] = {__VA_ARGS__ __VA_OPT__(, ) nullptr}; \
  static const bool gmps_init_reg_##name =                                           \
      (::gmps::registerInit(#name, gmps_init_deps_##name, &gmps_init_##name), true); \
  static void gmps_init_##name()
