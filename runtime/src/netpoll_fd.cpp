// netpoll_fd.cpp — waiting on a descriptor (Go: netpoll.go netpollblock,
// netpollunblock, netpollready).
#include <sys/epoll.h>

#include <vector>

#include "netpoll.h"

namespace gmps::rt {

// netpollunblock takes the waiter out of slot (or marks the slot ready if nobody
// waits). Returns the G to ready, or nullptr. Go: netpoll.go netpollunblock.
static G* netpollunblock(std::atomic<G*>& slot, bool ioready) {
  for (;;) {
    G* old = slot.load(std::memory_order_acquire);
    if (old == pdReady) return nullptr;
    if (old == nullptr && !ioready) return nullptr;
    G* nw = ioready ? pdReady : nullptr;
    if (old == pdWait) {
      // The G is between announcing the wait and parking: leave it ready.
      if (slot.compare_exchange_weak(old, pdReady)) return nullptr;
      continue;
    }
    if (slot.compare_exchange_weak(old, nw, std::memory_order_acq_rel)) {
      if (old == nullptr || old == pdReady) return nullptr;
      return old;
    }
  }
}

void netpollready(G** list, pollDesc* pd, uint32_t events) {
  G* rg = nullptr;
  G* wg = nullptr;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) rg = netpollunblock(pd->rg, true);
  if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) wg = netpollunblock(pd->wg, true);
  for (G* gp : {rg, wg}) {
    if (gp == nullptr) continue;
    netpollWaiters.fetch_sub(1);
    gp->schedlink = *list;
    *list = gp;
  }
}

namespace {
Mutex pollcacheLock;
pollDesc* pollcacheFirst = nullptr;
std::vector<pollDesc*> pollcacheAll;
}  // namespace

pollDesc* pollcacheAlloc() {
  LockGuard lk(pollcacheLock);
  pollDesc* pd = pollcacheFirst;
  if (pd == nullptr) {
    pd = new pollDesc();
    pollcacheAll.push_back(pd);
  } else {
    pollcacheFirst = pd->link;
  }
  pd->rg.store(nullptr);
  pd->wg.store(nullptr);
  pd->closing.store(false);
  return pd;
}

void pollcacheFree(pollDesc* pd) {
  LockGuard lk(pollcacheLock);
  pd->seq.fetch_add(1);
  pd->fd = -1;
  pd->link = pollcacheFirst;
  pollcacheFirst = pd;
}

void pollcacheFreeAll() {
  LockGuard lk(pollcacheLock);
  for (pollDesc* pd : pollcacheAll) delete pd;
  pollcacheAll.clear();
  pollcacheFirst = nullptr;
}

uint64_t taggedPointer(pollDesc* pd) {
  return reinterpret_cast<uint64_t>(pd) | (uint64_t(pd->seq.load()) << 48);
}

int netpollopen(pollDesc* pd) {
  if (!netpollinited()) netpollinit();
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = taggedPointer(pd);
  if (epoll_ctl(netpollfd(), EPOLL_CTL_ADD, pd->fd, &ev) != 0) return errno;
  return 0;
}

void netpollclosefd(pollDesc* pd) {
  pd->closing.store(true);
  epoll_ctl(netpollfd(), EPOLL_CTL_DEL, pd->fd, nullptr);
  // At the end of a run (closures of goroutines that never finished are destroyed)
  // nobody is left to run a waiter: just forget it.
  bool exiting = sched.exiting.load();
  for (auto* slot : {&pd->rg, &pd->wg}) {
    if (G* gp = netpollunblock(*slot, false)) {
      netpollWaiters.fetch_sub(1);
      if (!exiting) goready(gp);
    }
  }
}

static bool netpollcommit(G* gp, void* arg) {
  auto* slot = static_cast<std::atomic<G*>*>(arg);
  G* expected = pdWait;
  // pdWait → gp; if an event came meanwhile (pdReady), do not park.
  bool ok = slot->compare_exchange_strong(expected, gp, std::memory_order_acq_rel);
  if (ok) netpollWaiters.fetch_add(1);
  return ok;
}

bool netpollblock(pollDesc* pd, char mode) {
  std::atomic<G*>& slot = mode == 'r' ? pd->rg : pd->wg;
  for (;;) {
    G* old = slot.load(std::memory_order_acquire);
    if (old == pdReady) {
      slot.store(nullptr, std::memory_order_relaxed);
      return true;
    }
    if (old != nullptr) throw_("netpollblock: double wait");
    if (slot.compare_exchange_weak(old, pdWait)) break;
  }
  if (!pd->closing.load()) gopark(netpollcommit, &slot, trace::BlockReason::NetPoll);
  G* old = slot.exchange(nullptr, std::memory_order_acq_rel);
  return old == pdReady && !pd->closing.load();
}

}  // namespace gmps::rt
