// signal.cpp — signal handling (Go: signal_unix.go sighandler, os_linux.go minitSignals).
//
// Every M runs its signal handlers on an alternate signal stack, so a goroutine that
// overflowed its stack into the guard page can still be reported: the SIGSEGV
// handler sees a fault address just below the running G's stack and prints Go's
// "fatal error: stack overflow" instead of dying with a bare segfault.
#include <signal.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "runtime2.h"

namespace gmps::rt {

namespace {

constexpr size_t kAltStackSize = 64 * 1024;
struct sigaction oldSegv, oldBus;
bool installed = false;

[[noreturn]] void stackOverflow(G* gp, void* addr) {
  std::fprintf(stderr, "runtime: goroutine stack exceeds %zu-byte limit\n", stackSizeSetting());
  std::fprintf(stderr, "runtime: fault addr=%p stack=[%p, %p]\n", addr,
               static_cast<void*>(gp->stack.lo), static_cast<void*>(gp->stack.hi));
  fatal("stack overflow");
}

// sighandler handles faults. Go: signal_unix.go sighandler.
void sighandler(int sig, siginfo_t* info, void* ctx) {
  M* mp = getm();
  G* gp = getg();
  void* addr = info->si_addr;
  auto* uc = static_cast<ucontext_t*>(ctx);
  char* sp = reinterpret_cast<char*>(uc->uc_mcontext.gregs[REG_RSP]);
  // A fault in the guard page below the stack, or with the stack pointer already
  // below the stack (an unguarded stack past the guard-page budget ran into its
  // neighbour and then into something unmapped): either way, a stack overflow.
  if (mp != nullptr && gp != nullptr && gp->stack.lo != nullptr) {
    char* a = static_cast<char*>(addr);
    bool inGuard = a < gp->stack.lo && a >= gp->stack.lo - 64 * 1024;
    bool spBelow = sp < gp->stack.lo && sp > gp->stack.lo - (1 << 30);
    if (inGuard || spBelow) stackOverflow(gp, addr);
  }
  if (mp == nullptr) {
    // Not a runtime thread: restore the default action and let it fault again.
    struct sigaction* old = sig == SIGSEGV ? &oldSegv : &oldBus;
    sigaction(sig, old, nullptr);
    return;
  }
  char msg[160];
  std::snprintf(msg, sizeof msg,
                "unexpected signal during runtime execution\n[signal %s: %s code=%d addr=%p]",
                sig == SIGSEGV ? "SIGSEGV" : "SIGBUS",
                sig == SIGSEGV ? "segmentation violation" : "bus error", info->si_code, addr);
  if (addr != nullptr && reinterpret_cast<uintptr_t>(addr) < 4096) {
    std::fprintf(stderr, "panic: runtime error: invalid memory address or nil pointer dereference\n");
  }
  fatal(msg);
}

}  // namespace

// initsig installs the runtime's handlers. Go: signal_unix.go initsig.
void initsig() {
  if (installed) return;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = sighandler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &oldSegv);
  sigaction(SIGBUS, &sa, &oldBus);
  initAsyncPreempt();
  installed = true;
}

// minitSignals gives mp an alternate signal stack. Go: os_linux.go minitSignalStack.
void minitSignals(M* mp) {
  void* p = mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  stack_t ss;
  ss.ss_sp = p;
  ss.ss_size = kAltStackSize;
  ss.ss_flags = 0;
  sigaltstack(&ss, nullptr);
  mp->altstack = p;
  mp->altstackSize = kAltStackSize;
}

void unminitSignals(M* mp) {
  if (mp->altstack == nullptr) return;
  stack_t ss;
  std::memset(&ss, 0, sizeof ss);
  ss.ss_flags = SS_DISABLE;
  sigaltstack(&ss, nullptr);
  munmap(mp->altstack, mp->altstackSize);
  mp->altstack = nullptr;
}

}  // namespace gmps::rt
