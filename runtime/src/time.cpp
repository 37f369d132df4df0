// time.cpp — per-P timers and Sleep (Go: time.go, much reduced: timers here only
// wake sleeping goroutines).
//
// Each P keeps a min-heap of timers ordered by when. Timers run from the scheduler
// (checkTimers in findRunnable, and stealWork for other Ps' timers); an M with
// nothing to do sleeps in the network poller until the earliest timer, so a
// sleeping goroutine costs no thread.
#include "runtime2.h"

namespace gmps::rt {

namespace {

void siftUp(std::vector<timer*>& h, int i) {
  timer* t = h[size_t(i)];
  while (i > 0) {
    int parent = (i - 1) / 4;  // Go uses a 4-ary heap
    if (t->when >= h[size_t(parent)]->when) break;
    h[size_t(i)] = h[size_t(parent)];
    h[size_t(i)]->idx = i;
    i = parent;
  }
  h[size_t(i)] = t;
  t->idx = i;
}

void siftDown(std::vector<timer*>& h, int i) {
  int n = int(h.size());
  timer* t = h[size_t(i)];
  for (;;) {
    int c = 4 * i + 1;
    if (c >= n) break;
    int best = c;
    for (int k = c + 1; k < c + 4 && k < n; k++)
      if (h[size_t(k)]->when < h[size_t(best)]->when) best = k;
    if (h[size_t(best)]->when >= t->when) break;
    h[size_t(i)] = h[size_t(best)];
    h[size_t(i)]->idx = i;
    i = best;
  }
  h[size_t(i)] = t;
  t->idx = i;
}

void updateTimer0When(P* pp) {
  pp->timer0When.store(pp->timers.empty() ? 0 : pp->timers[0]->when, std::memory_order_release);
}

timer* popTimer(P* pp) {
  auto& h = pp->timers;
  timer* t = h[0];
  timer* last = h.back();
  h.pop_back();
  if (!h.empty()) {
    h[0] = last;
    last->idx = 0;
    siftDown(h, 0);
  }
  t->idx = -1;
  t->pp = nullptr;
  return t;
}

}  // namespace

// addtimer adds t to pp's heap and makes sure some M will wake for it.
// Go: time.go addtimer, doaddtimer.
void addtimer(P* pp, timer* t) {
  // The poller is where an idle M waits for the next timer. Go: netpollGenericInit.
  if (!netpollinited()) netpollinit();
  {
    LockGuard lk(pp->timersLock);
    t->pp = pp;
    pp->timers.push_back(t);
    siftUp(pp->timers, int(pp->timers.size()) - 1);
    updateTimer0When(pp);
  }
  wakeNetPoller(t->when);
}

// checkTimers runs the timers of pp that are due, readying their goroutines onto the
// current M's P, and returns when the next timer fires (0 if none). now == 0 means
// "read the clock if there is a timer".
// Go: proc.go checkTimers.
int64_t checkTimersSlow(P* pp, int64_t now) {
  int64_t next = pp->timer0When.load(std::memory_order_acquire);
  if (next == 0) return 0;
  if (now == 0) now = nanotime1();
  if (now < next) return next;
  G* due[64];
  int n = 0;
  {
    LockGuard lk(pp->timersLock);
    while (!pp->timers.empty() && pp->timers[0]->when <= now && n < 64) due[n++] = popTimer(pp)->g;
    updateTimer0When(pp);
    next = pp->timer0When.load(std::memory_order_relaxed);
  }
  for (int i = 0; i < n; i++) goready(due[i]);
  return next;
}

// nextTimerAll returns the earliest timer over all Ps, 0 if none. Go: timeSleepUntil.
int64_t nextTimerAll() {
  int64_t next = 0;
  for (P* pp : allp) {
    int64_t w = pp->timer0When.load(std::memory_order_acquire);
    if (w != 0 && (next == 0 || w < next)) next = w;
  }
  return next;
}

// resetForSleep runs on g0 once the sleeping G is parked, so the timer cannot fire
// before the G is _Gwaiting. Go: time.go resetForSleep.
static bool resetForSleep(G* gp, void* arg) {
  addtimer(getm()->p, static_cast<timer*>(arg));
  return true;
}


}  // namespace gmps::rt

namespace gmps {

int64_t nanotime() { return rt::nanotime1(); }

// Sleep parks the goroutine on a timer. Go: time.go timeSleep.
void Sleep(std::chrono::nanoseconds d) {
  rt::RuntimeScope rs;
  rt::checkPreempt();
  if (d.count() <= 0) return;
  rt::G* gp = rt::getg();
  rt::timer* t = &gp->sleepTimer;
  t->g = gp;
  t->when = rt::nanotime1() + d.count();
  rt::gopark(rt::resetForSleep, t, trace::BlockReason::Sleep);
}

}  // namespace gmps
