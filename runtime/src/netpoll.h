// netpoll.h — descriptors registered with the network poller (Go: netpoll.go pollDesc).
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime2.h"

namespace gmps::rt {

// pollDesc is one registered descriptor. rg and wg are the reader's and writer's
// wait slots: nullptr (nothing), pdReady (an event arrived nobody consumed yet) or the
// parked G. Go: netpoll.go pollDesc with rg/wg as atomic.Uintptr.
struct pollDesc {
  int fd = -1;
  // seq changes each time the pollDesc is reused; epoll events carry it in their top
  // 16 bits so a stale event for an old descriptor is ignored (Go: pollDesc.fdseq).
  std::atomic<uint16_t> seq{0};
  pollDesc* link = nullptr;  // pollcache free list
  std::atomic<G*> rg{nullptr};
  std::atomic<G*> wg{nullptr};
  std::atomic<bool> closing{false};
};

inline G* const pdReady = reinterpret_cast<G*>(uintptr_t(1));
inline G* const pdWait = reinterpret_cast<G*>(uintptr_t(2));

extern std::atomic<int32_t> netpollWaiters;

// pollcache hands out pollDescs; they are never freed while the run lasts, since the
// poller may still hold events naming them. Go: netpoll.go pollCache.
pollDesc* pollcacheAlloc();
void pollcacheFree(pollDesc* pd);
void pollcacheFreeAll();
int netpollfd();

// netpollready adds the goroutines waiting on pd for events to list.
void netpollready(G** list, pollDesc* pd, uint32_t events);
// netpollopen registers fd (non-blocking) with the poller. Returns 0 or an errno.
int netpollopen(pollDesc* pd);
// netpollclose_fd deregisters pd and wakes its waiters (they see closing).
void netpollclosefd(pollDesc* pd);
// netpollblock parks the current G until pd is ready for mode 'r' or 'w'.
// Returns false if pd is closing. Go: netpoll.go netpollblock.
bool netpollblock(pollDesc* pd, char mode);

}  // namespace gmps::rt
