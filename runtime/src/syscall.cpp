// syscall.cpp — system calls (Go: proc.go entersyscall, exitsyscall,
// exitsyscallfast, exitsyscall0, entersyscallblock).
//
// While a goroutine is in a system call its P is in _Psyscall: still its M's, but
// free for the taking. sysmon's retake CASes it to _Pidle and hands it off when the
// call lasts past a tick and there is other work (sysmon.cpp). exitsyscall then
// either gets the P back (CAS _Psyscall → _Pidle by itself), or an idle P, or puts
// the goroutine on the global queue and parks the M.
#include "gmpscope/syscall.h"

#include <time.h>
#include <cerrno>
#include <unistd.h>

#include "runtime2.h"

namespace gmps::rt {

// wakeSysmon wakes sysmon if it sleeps because every P was idle.
static void wakeSysmonIfWaiting() {
  if (!sched.sysmonwait.load()) return;
  LockGuard lk(sched.lock);
  if (sched.sysmonwait.exchange(false)) sched.sysmonnote.wakeup();
}

static void reentersyscall(bool blocking) {
  G* gp = getg();
  M* mp = getm();
  gp->inRuntime++;  // no async preemption until exitsyscall: the M may lose its P
  P* pp = mp->p;
  traceEv(Ev::GoSyscallBegin, int64_t(blocking));
  casgstatus(gp, _Grunning, _Gsyscall);
  wakeSysmonIfWaiting();
  pp->syscalltick.store(pp->syscalltick.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  mp->syscallwhen = nanotime1();
  if (blocking) {
    // Go: entersyscallblock_handoff: handoffp(releasep()).
    handoffp(releasep());
    return;
  }
  pp->syscallM = mp->id;
  mp->oldp = pp;
  mp->p = nullptr;
  pp->m = nullptr;
  pp->status.store(_Psyscall);
}

void entersyscall() { reentersyscall(false); }
void entersyscallblock() { reentersyscall(true); }

__attribute__((noinline)) void setErrno(int e) { errno = e; }

bool inGoroutine() {
  M* mp = getm();
  G* gp = getg();
  return mp != nullptr && gp != nullptr && gp == mp->curg && readgstatus(gp) == _Grunning;
}

// exitsyscallfast tries to get a P without going through the scheduler: the old one
// if sysmon has not taken it, else any idle P. Go: proc.go exitsyscallfast.
static bool exitsyscallfast(M* mp, P* oldp) {
  uint32_t s = _Psyscall;
  if (oldp != nullptr && oldp->status.compare_exchange_strong(s, _Pidle)) {
    if (oldp->syscallM == mp->id) {
      // Back to the same P: it was never released, so no ProcStart (Go: wirep).
      mp->p = oldp;
      oldp->m = mp;
      oldp->status.store(_Prunning);
      return true;
    }
    // Sysmon had handed our P to another M, which is now in a system call itself:
    // the P was free for the taking, and we take it from that M.
    traceEv(Ev::ProcSteal, int64_t(oldp->id), oldp->syscallM);
    acquirep(oldp);
    return true;
  }
  if (sched.npidle.load() == 0) return false;
  P* pp;
  {
    LockGuard lk(sched.lock);
    pp = pidleget();
    if (pp != nullptr && sched.sysmonwait.exchange(false)) sched.sysmonnote.wakeup();
  }
  if (pp == nullptr) return false;
  acquirep(pp);
  return true;
}

// exitsyscall0 runs on g0 when no P was free: the G waits on the global queue and
// the M stops (or runs it at once if a P turned up). Go: proc.go exitsyscall0.
static G* exitsyscall0(G* gp) {
  M* mp = getm();
  P* pp;
  {
    LockGuard lk(sched.lock);
    pp = pidleget();
    if (pp == nullptr) {
      traceEv(Ev::GoSyscallEndBlocked);
      casgstatus(gp, _Gsyscall, _Grunnable);
      mp->curg = nullptr;
      gp->m = nullptr;
      globrunqput(gp);
    } else if (sched.sysmonwait.exchange(false)) {
      sched.sysmonnote.wakeup();
    }
  }
  if (pp != nullptr) {
    acquirep(pp);
    return gp;  // execute resumes it, still _Gsyscall, recording GoSyscallEnd
  }
  stopm();
  return nullptr;
}

// exitsyscall: the goroutine's system call returned. Go: proc.go exitsyscall.
void exitsyscall() {
  M* mp = getm();
  G* gp = getg();
  P* oldp = mp->oldp;
  mp->oldp = nullptr;
  if (exitsyscallfast(mp, oldp)) {
    traceEv(Ev::GoSyscallEnd);
    casgstatus(gp, _Gsyscall, _Grunning);
    gp->inRuntime--;
    checkPreempt();
    return;
  }
  mcall(exitsyscall0);
  gp->inRuntime--;
}

}  // namespace gmps::rt

namespace gmps {

ssize_t sysRead(int fd, void* buf, size_t n) {
  return syscall([&] { return ::read(fd, buf, n); });
}

ssize_t sysWrite(int fd, const void* buf, size_t n) {
  return syscall([&] { return ::write(fd, buf, n); });
}

int sysNanosleep(std::chrono::nanoseconds d) {
  timespec ts{time_t(d.count() / 1000000000), long(d.count() % 1000000000)};
  return syscall([&] { return ::nanosleep(&ts, nullptr); });
}

}  // namespace gmps
