// netpoll.cpp — the network poller on epoll (Go: netpoll.go, netpoll_epoll.go).
//
// An M with nothing to run and a timer pending blocks in netpoll(delay) instead of
// sleeping on its note: it wakes for the timer, for ready descriptors, or when
// netpollBreak writes the eventfd (a new earlier timer, the run ending).
// Descriptors are registered edge-triggered once; a goroutine waiting on one parks
// in netpollblock and netpoll returns it as ready (netpoll_fd.cpp).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "netpoll.h"
#include "runtime2.h"

namespace gmps::rt {

namespace {
int epfd = -1;
int breakfd = -1;
std::atomic<uint32_t> netpollWakeSig{0};  // 1 while a break is pending
std::atomic<bool> inited{false};
Mutex initLock;
}  // namespace

std::atomic<int32_t> netpollWaiters{0};

bool netpollinited() { return inited.load(std::memory_order_acquire); }
bool netpollAnyWaiters() { return netpollWaiters.load(std::memory_order_relaxed) > 0; }

// netpollinit creates the epoll instance and its break eventfd. Go: netpollinit.
void netpollinit() {
  LockGuard lk(initLock);
  if (inited.load()) return;
  epfd = epoll_create1(EPOLL_CLOEXEC);
  breakfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epfd < 0 || breakfd < 0) throw_("netpollinit: failed to create epoll descriptor");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &breakfd;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, breakfd, &ev) != 0) throw_("netpollinit: epoll_ctl failed");
  sched.lastpoll.store(nanotime1());
  inited.store(true, std::memory_order_release);
}

void netpollclose() {
  pollcacheFreeAll();
  netpollWaiters.store(0);
  LockGuard lk(initLock);
  if (!inited.load()) return;
  ::close(epfd);
  ::close(breakfd);
  epfd = breakfd = -1;
  netpollWakeSig.store(0);
  inited.store(false);
}

int netpollfd() { return epfd; }

// netpollBreak interrupts an M blocked in netpoll. Go: netpollBreak.
void netpollBreak() {
  uint32_t zero = 0;
  if (!netpollWakeSig.compare_exchange_strong(zero, 1)) return;
  uint64_t one = 1;
  while (::write(breakfd, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

// netpoll checks for ready descriptors, waiting up to delay ns (< 0: forever,
// 0: not at all), and returns the goroutines that became runnable, linked by
// schedlink and still _Gwaiting. Go: netpoll_epoll.go netpoll.
G* netpoll(int64_t delay) {
  if (!netpollinited()) return nullptr;
  epoll_event events[128];
  timespec ts{}, *tsp = nullptr;
  if (delay >= 0) {
    ts.tv_sec = delay / 1000000000;
    ts.tv_nsec = delay % 1000000000;
    tsp = &ts;
  }
  int n;
  for (;;) {
    n = epoll_pwait2(epfd, events, 128, tsp, nullptr);
    if (n >= 0) break;
    if (errno != EINTR) throw_("netpoll: epoll_wait failed");
    if (delay > 0) return nullptr;  // interrupted: let the caller recompute the delay
  }
  G* list = nullptr;
  for (int i = 0; i < n; i++) {
    epoll_event& ev = events[i];
    if (ev.data.ptr == &breakfd) {
      if (delay != 0) {  // only a blocking poll consumes the break
        uint64_t v;
        while (::read(breakfd, &v, sizeof v) < 0 && errno == EINTR) {
        }
        netpollWakeSig.store(0);
      }
      continue;
    }
    auto* pd = reinterpret_cast<pollDesc*>(ev.data.u64 & ((uint64_t(1) << 48) - 1));
    if (uint16_t(ev.data.u64 >> 48) != pd->seq.load()) continue;  // stale: pd was reused
    netpollready(&list, pd, ev.events);
  }
  return list;
}

// wakeNetPoller makes sure a timer at when is noticed: break a poller that sleeps
// past it, or wake a P if nobody polls. Go: proc.go wakeNetPoller.
void wakeNetPoller(int64_t when) {
  if (sched.lastpoll.load() == 0) {
    int64_t pollerPollUntil = sched.pollUntil.load();
    if (pollerPollUntil == 0 || pollerPollUntil > when) netpollBreak();
  } else {
    wakep();
  }
}

}  // namespace gmps::rt
