// preempt.cpp — asynchronous preemption (Go 1.14: preempt.go, signal_unix.go
// doSigPreempt, preempt_amd64.s).
//
// A goroutine in a loop that calls nothing never reaches a cooperative preemption
// point. sysmon then sends its M a SIGURG (preemptM). The handler, running on the
// M's signal stack, checks that the goroutine still should stop (wantAsyncPreempt)
// and that the interrupted instruction is an async-safe point: the program's own
// code, not the runtime (G::inRuntime == 0, not on g0), and not libc, libstdc++ or
// the dynamic loader (the PC lies in the main executable's text). Then it rewrites
// the signal context so that, on return from the handler, the goroutine "calls"
// gmps_asyncPreempt, which saves every register and yields to the global queue.
// If the point is not safe, nothing happens: sysmon asks again on its next tick.
#include <cpuid.h>
#include <link.h>
#include <signal.h>
#include <ucontext.h>

#include <cstring>

#include "runtime2.h"

extern "C" {
void gmps_asyncPreempt();
void gmps_asyncPreempt2();
uint64_t gmps_xsave_size = 4096;
}

namespace gmps::rt {

namespace {

// The main executable's executable segments, found once at startup.
struct TextRange {
  uintptr_t lo, hi;
};
TextRange mainText[8];
int nMainText = 0;
bool asyncInited = false;

int collectMainText(dl_phdr_info* info, size_t, void*) {
  // The first object dl_iterate_phdr reports is the main program (empty name).
  if (info->dlpi_name != nullptr && info->dlpi_name[0] != '\0') return 1;
  for (int i = 0; i < info->dlpi_phnum && nMainText < 8; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
    uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    mainText[nMainText++] = TextRange{lo, lo + ph.p_memsz};
  }
  return 1;
}

bool inMainText(uintptr_t pc) {
  for (int i = 0; i < nMainText; i++)
    if (pc >= mainText[i].lo && pc < mainText[i].hi) return true;
  return false;
}

// doSigPreempt handles SIGURG. Go: signal_unix.go doSigPreempt.
void doSigPreempt(int, siginfo_t*, void* ctx) {
  M* mp = getm();
  if (mp == nullptr) return;
  mp->signalPending.store(0, std::memory_order_relaxed);
  G* gp = mp->curg;
  // wantAsyncPreempt: a user G is running on this M and sysmon still wants it out.
  if (gp == nullptr || getg() != gp || !gp->preempt.load(std::memory_order_relaxed)) return;
  // isAsyncSafePoint.
  if (gp->inRuntime != 0 || readgstatus(gp) != _Grunning) return;
  auto* uc = static_cast<ucontext_t*>(ctx);
  uintptr_t pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  uintptr_t sp = uintptr_t(uc->uc_mcontext.gregs[REG_RSP]);
  if (!inMainText(pc)) return;
  // Room for the red zone, the saved registers and the xsave area.
  if (sp < uintptr_t(gp->stack.lo) + 128 + 256 + gmps_xsave_size + 1024) return;
  if (sp >= uintptr_t(gp->stack.hi)) return;
  // Inject a call to gmps_asyncPreempt, below the interrupted frame's red zone.
  sp -= 128 + 8;
  *reinterpret_cast<uintptr_t*>(sp) = pc;
  uc->uc_mcontext.gregs[REG_RSP] = greg_t(sp);
  uc->uc_mcontext.gregs[REG_RIP] = greg_t(reinterpret_cast<uintptr_t>(&gmps_asyncPreempt));
  sched.asyncPreempts.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

// initAsyncPreempt finds the main program's text and the xsave area size and
// installs the SIGURG handler. Go: signal_unix.go initsig (sigPreempt).
void initAsyncPreempt() {
  if (asyncInited) return;
  dl_iterate_phdr(collectMainText, nullptr);
  unsigned a, b, c, d;
  if (__get_cpuid_count(0xD, 0, &a, &b, &c, &d) && b >= 576) gmps_xsave_size = b + 64;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = doSigPreempt;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigfillset(&sa.sa_mask);
  sigaction(SIGURG, &sa, nullptr);
  asyncInited = true;
}

bool asyncPreemptEnabled() { return debug.asyncpreemptoff == 0 && nMainText > 0; }

// preemptM asks M mp to preempt its goroutine by signal. Go: signal_unix.go preemptM.
void preemptM(M* mp) {
  if (mp->thread.load(std::memory_order_acquire) == 0) return;  // not started: nothing to signal
  uint32_t zero = 0;
  if (!mp->signalPending.compare_exchange_strong(zero, 1)) return;  // one at a time
  pthread_kill(pthread_t(mp->thread.load(std::memory_order_acquire)), SIGURG);
}

}  // namespace gmps::rt

// gmps_asyncPreempt2 runs on the goroutine's stack, inside the injected frame.
// Go: preempt.go asyncPreempt2.
extern "C" void gmps_asyncPreempt2() {
  using namespace gmps::rt;
  G* gp = getg();
  gp->inRuntime++;
  gp->preempt.store(false, std::memory_order_relaxed);
  mcall(gopreempt_m);
  gp->inRuntime--;
}
