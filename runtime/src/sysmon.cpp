// sysmon.cpp — the system monitor (Go: proc.go sysmon, retake, preemptone,
// schedtrace).
//
// sysmon runs on its own M without a P, so it works even when every P is busy with
// goroutines that do not yield. It wakes every 20 µs; after 50 rounds in which it
// had nothing to do it doubles its sleep, up to 10 ms; when every P is idle it
// sleeps until the next timer. Each round it polls the network if nobody has for
// 10 ms and retakes Ps: it asks a G that has run for 10 ms to stop (preemptone) and
// takes Ps away from Ms stuck in system calls.
#include <time.h>

#include <cinttypes>
#include <cstdio>
#include <string>

#include "runtime2.h"

namespace gmps::rt {

inline constexpr int64_t forcePreemptNS = 10'000'000;  // Go: proc.go forcePreemptNS

bool preemptone(P* pp, int64_t ran);
void schedtrace(bool detailed);
static int64_t schedtraceStart = 0;

// retake preempts long-running Gs and retakes Ps blocked in system calls. Returns
// how many Ps it acted on. Go: proc.go retake.
static uint32_t retake(int64_t now) {
  uint32_t n = 0;
  for (P* pp : allp) {
    uint32_t s = pp->status.load();
    bool sysretake = false;
    if (s == _Prunning || s == _Psyscall) {
      // Preempt G if it's running for too long.
      uint32_t t = pp->schedtick.load(std::memory_order_relaxed);
      if (pp->sysmonSchedtick != t || pp->sysmonSchedwhen == 0) {
        pp->sysmonSchedtick = t;
        pp->sysmonSchedwhen = now;
      } else if (pp->sysmonSchedwhen + forcePreemptNS <= now) {
        preemptone(pp, now - pp->sysmonSchedwhen);
        // In case of syscall, preemptone doesn't work, because there is no M wired to P.
        sysretake = true;
      }
    }
    if (s != _Psyscall) continue;
    // Retake P from syscall if it's there for more than 1 sysmon tick (at least 20us).
    uint32_t t = pp->syscalltick.load(std::memory_order_relaxed);
    if (!sysretake && pp->sysmonSyscalltick != t) {
      pp->sysmonSyscalltick = t;
      pp->sysmonSyscallwhen = now;
      continue;
    }
    // On the one hand we don't want to retake Ps if there is no other work to do,
    // but on the other hand we want to retake them eventually because they can
    // prevent the sysmon thread from deep sleep.
    if (runqempty(pp) && sched.nmspinning.load() + sched.npidle.load() > 0 &&
        pp->sysmonSyscallwhen + 10'000'000 > now)
      continue;
    uint32_t expect = _Psyscall;
    if (!pp->status.compare_exchange_strong(expect, _Pidle)) continue;
    int64_t victim = pp->syscallM;
    traceEv(Ev::SysmonRetake, int64_t(pp->id), victim, now - pp->sysmonSyscallwhen);
    traceEv(Ev::ProcSteal, int64_t(pp->id), victim);
    n++;
    pp->syscalltick.store(t + 1, std::memory_order_relaxed);
    handoffp(pp);
  }
  return n;
}

// sysmon: Go: proc.go sysmon.
void sysmon() {
  int idle = 0;       // how many cycles in succession we had not woken anybody up
  int64_t delay = 0;  // µs
  schedtraceStart = nanotime1();
  int64_t lasttrace = 0;
  while (!sched.exiting.load(std::memory_order_acquire)) {
    if (idle == 0) {
      delay = 20;  // start with 20 µs sleep...
    } else if (idle > 50) {
      delay *= 2;  // ...then start doubling
    }
    if (delay > 10 * 1000) delay = 10 * 1000;  // up to 10 ms
    int64_t t0 = nanotime1();
    sched.sysmonnote.tsleep(delay * 1000);
    sched.sysmonnote.clear();
    if (sched.exiting.load(std::memory_order_acquire)) break;
    int64_t now = nanotime1();
    traceEv(Ev::SysmonTick, now - t0);
    sched.sysmonTicks.fetch_add(1, std::memory_order_relaxed);
    if (debug.schedtrace <= 0 && sched.npidle.load() == gomaxprocs) {
      // Every P is idle: sleep until the next timer (or a wake-up).
      sched.lock.lock();
      if (sched.npidle.load() == gomaxprocs) {
        int64_t next = nextTimerAll();
        int64_t sleep = 60'000'000'000;  // forcegcperiod/2 in Go
        if (next != 0 && next - now < sleep) sleep = next - now > 0 ? next - now : 0;
        sched.sysmonwait.store(true);
        sched.lock.unlock();
        sched.sysmonnote.tsleep(sleep);
        sched.sysmonnote.clear();
        sched.lock.lock();
        sched.sysmonwait.store(false);
        idle = 0;
        delay = 20;
      }
      sched.lock.unlock();
      continue;
    }
    // Poll the network if it has not been polled for more than 10 ms.
    int64_t lastpoll = sched.lastpoll.load();
    if (netpollinited() && lastpoll != 0 && lastpoll + 10'000'000 < now) {
      sched.lastpoll.compare_exchange_strong(lastpoll, now);
      if (G* list = netpoll(0)) {
        injectglist(list);
        idle = 0;
      }
    }
    if (retake(now) != 0) {
      idle = 0;
    } else {
      idle++;
    }
    if (debug.schedtrace > 0 && lasttrace + int64_t(debug.schedtrace) * 1'000'000 <= now) {
      lasttrace = now;
      schedtrace(debug.scheddetail > 0);
    }
  }
  timespec cpu;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
  sched.sysmonCpuNs.store(int64_t(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec);
}

// preemptone asks the G running on pp to stop at its next runtime call.
// Go: proc.go preemptone (sets gp.preempt and stackguard0 = stackPreempt).
// With async preemption on (the default, as in Go 1.14+) it also signals the M;
// if the G is not at a safe point the signal does nothing and the next tick asks
// again.
bool preemptone(P* pp, int64_t ran) {
  M* mp = pp->m;
  if (mp == nullptr || mp->isSysmon) return false;
  G* gp = mp->curg;
  if (gp == nullptr) return false;
  bool async = asyncPreemptEnabled();
  if (!gp->preempt.exchange(true, std::memory_order_relaxed))
    traceEv(Ev::SysmonPreempt, gp->goid, int64_t(pp->id), ran, int64_t(async));
  if (async) preemptM(mp);
  return true;
}

// schedtrace prints Go's SCHED line (and with detailed, per-P, per-M and per-G
// lines) to stderr. Go: proc.go schedtrace.
void schedtrace(bool detailed) {
  int64_t now = nanotime1();
  LockGuard lk(sched.lock);
  int32_t spinning = sched.nmspinning.load();
  std::string line;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "SCHED %" PRId64 "ms: gomaxprocs=%d idleprocs=%d threads=%" PRId64
                " spinningthreads=%d idlethreads=%d runqueue=%d",
                (now - schedtraceStart) / 1'000'000, gomaxprocs, sched.npidle.load(), sched.mnext,
                spinning, sched.nmidle, sched.runqsize.load());
  line = buf;
  if (!detailed) {
    line += " [";
    for (size_t i = 0; i < allp.size(); i++) {
      uint32_t n = runqlen(allp[i]);  // Go prints runqtail-runqhead: runnext not counted
      if (i) line += ' ';
      line += std::to_string(n);
    }
    line += "]\n";
    std::fputs(line.c_str(), stderr);
    return;
  }
  // Go prints these four in detailed mode; with no GC and no LockOSThread here they
  // are 0 (sysmonwait too: sysmon itself is printing).
  line += " gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0\n";
  static const char* pstatus[] = {"0", "1", "2", "3", "4"};
  for (P* pp : allp) {
    M* mp = pp->m;
    std::snprintf(buf, sizeof buf,
                  "  P%d: status=%s schedtick=%u syscalltick=%u m=%" PRId64
                  " runqsize=%u gfreecnt=%d timerslen=%zu\n",
                  pp->id, pstatus[pp->status < 5 ? pp->status.load() : 0], pp->schedtick.load(), pp->syscalltick.load(),
                  mp ? mp->id : int64_t(-1), runqlen(pp),  // runqtail-runqhead, as Go
                  pp->gFreeN.load(), pp->timers.size());
    line += buf;
  }
  for (M* mp = allm; mp != nullptr; mp = mp->alllink) {
    std::snprintf(buf, sizeof buf,
                  "  M%" PRId64 ": p=%d curg=%" PRId64 " mallocing=0 throwing=0 preemptoff= locks=0"
                  " dying=0 spinning=%s blocked=%s lockedg=-1\n",
                  mp->id, mp->p ? mp->p->id : -1, mp->curg ? mp->curg->goid : int64_t(-1),
                  mp->spinning ? "true" : "false", mp->blocked ? "true" : "false");
    line += buf;
  }
  {
    // Every G ever made, dead ones too, in creation order (Go: forEachG over allgs;
    // our allgs list is newest first).
    LockGuard gl(allglock);
    std::vector<G*> gs;
    for (G* gp = allgs; gp != nullptr; gp = gp->alllink) gs.push_back(gp);
    for (auto it = gs.rbegin(); it != gs.rend(); ++it) {
      G* gp = *it;
      uint32_t st = readgstatus(gp);
      const char* why = st == _Gwaiting && gp->waitreason < uint8_t(trace::BlockReason::Count)
                            ? trace::kBlockReasonNames[gp->waitreason]
                            : "";
      std::snprintf(buf, sizeof buf, "  G%" PRId64 ": status=%u(%s) m=%" PRId64 " lockedm=-1\n",
                    gp->goid, st, why, gp->m ? gp->m->id : int64_t(-1));
      line += buf;
    }
  }
  std::fputs(line.c_str(), stderr);
}

}  // namespace gmps::rt
