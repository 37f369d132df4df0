// sema.cpp — runtime semaphores and the sync primitives built on them
// (Go: runtime/sema.go, sync/mutex.go, sync/waitgroup.go).
//
// A semaphore is a uint32 counter in user memory. semacquire takes one unit or
// parks the goroutine on a waiter list; semrelease adds one and readies a waiter.
// Waiters hash by address into 251 roots, each with its own lock (as in Go; Go keeps
// a treap per root, this runtime a FIFO list).
#include "gmpscope/sync.h"

#include <stdexcept>

#include "runtime2.h"

namespace gmps::rt {

namespace {

struct semaRoot {
  Mutex lock;
  sudog* head = nullptr;
  sudog* tail = nullptr;
  std::atomic<uint32_t> nwait{0};  // waiters; read without the lock as a fast check
};

constexpr int kSemTabSize = 251;
semaRoot semtable[kSemTabSize];

semaRoot* semroot(const void* addr) {
  return &semtable[(reinterpret_cast<uintptr_t>(addr) >> 3) % kSemTabSize];
}

bool cansemacquire(std::atomic<uint32_t>* addr) {
  for (;;) {
    uint32_t v = addr->load(std::memory_order_acquire);
    if (v == 0) return false;
    if (addr->compare_exchange_weak(v, v - 1, std::memory_order_acq_rel)) return true;
  }
}

void enqueue(semaRoot* root, sudog* s) {
  s->next = nullptr;
  s->prev = root->tail;
  if (root->tail) {
    root->tail->next = s;
  } else {
    root->head = s;
  }
  root->tail = s;
}

void dequeue(semaRoot* root, sudog* s) {
  if (s->prev) {
    s->prev->next = s->next;
  } else {
    root->head = s->next;
  }
  if (s->next) {
    s->next->prev = s->prev;
  } else {
    root->tail = s->prev;
  }
  s->next = s->prev = nullptr;
}

}  // namespace

// semacquire: Go: sema.go semacquire1.
void semacquire(std::atomic<uint32_t>* addr, int reason) {
  RuntimeScope rs;
  checkPreempt();
  if (cansemacquire(addr)) return;
  sudog s;
  s.g = getg();
  s.c = addr;
  semaRoot* root = semroot(addr);
  for (;;) {
    root->lock.lock();
    root->nwait.fetch_add(1);
    if (cansemacquire(addr)) {  // check after announcing the wait: avoids a missed wake-up
      root->nwait.fetch_sub(1);
      root->lock.unlock();
      return;
    }
    s.ticket = 0;
    enqueue(root, &s);
    goparkunlock(&root->lock, static_cast<trace::BlockReason>(reason));
    if (s.ticket != 0 || cansemacquire(addr)) return;
  }
}

// semrelease: Go: sema.go semrelease1.
void semrelease(std::atomic<uint32_t>* addr) {
  RuntimeScope rs;
  semaRoot* root = semroot(addr);
  addr->fetch_add(1, std::memory_order_release);
  if (root->nwait.load() == 0) return;
  root->lock.lock();
  if (root->nwait.load() == 0) {
    root->lock.unlock();
    return;
  }
  sudog* s = root->head;
  while (s != nullptr && s->c != addr) s = s->next;
  if (s == nullptr) {
    root->lock.unlock();
    return;
  }
  dequeue(root, s);
  root->nwait.fetch_sub(1);
  root->lock.unlock();
  goready(s->g);
}

// canSpin says whether a blocked Mutex.Lock may spin: there are other busy Ps that
// could release it soon. Go: proc.go sync_runtime_canSpin.
static bool canSpin(int i) {
  return i < 4 && ncpu > 1 && gomaxprocs > sched.npidle.load(std::memory_order_relaxed) + 1;
}

}  // namespace gmps::rt

namespace gmps {

using rt::semacquire;
using rt::semrelease;

// Mutex: bit 0 locked, the rest counts waiters in steps of 2.
// Unlike Go: no starvation mode; a woken waiter competes with newcomers.
void Mutex::Lock() {
  rt::RuntimeScope rs;
  uint32_t v = 0;
  if (state_.compare_exchange_strong(v, 1, std::memory_order_acquire)) return;
  int spin = 0;
  for (;;) {
    uint32_t s = state_.load(std::memory_order_relaxed);
    if ((s & 1) == 0) {
      if (state_.compare_exchange_weak(s, s | 1, std::memory_order_acquire)) return;
      continue;
    }
    if (rt::canSpin(spin)) {
      spin++;
      rt::procyield(30);
      continue;
    }
    if (state_.compare_exchange_weak(s, s + 2, std::memory_order_relaxed)) {
      semacquire(&sema_, int(trace::BlockReason::Mutex));
      spin = 0;
    }
  }
}

bool Mutex::TryLock() {
  rt::RuntimeScope rs;
  uint32_t s = state_.load(std::memory_order_relaxed);
  return (s & 1) == 0 && state_.compare_exchange_strong(s, s | 1, std::memory_order_acquire);
}

void Mutex::Unlock() {
  rt::RuntimeScope rs;
  uint32_t old = state_.fetch_sub(1, std::memory_order_release);
  if ((old & 1) == 0) {
    state_.fetch_add(1, std::memory_order_relaxed);
    throw Panic{"sync: unlock of unlocked mutex"};
  }
  // Wake one waiter, if any; it competes for the lock again.
  for (uint32_t s = old - 1;;) {
    if (s < 2) return;
    if (state_.compare_exchange_weak(s, s - 2, std::memory_order_relaxed)) {
      semrelease(&sema_);
      return;
    }
  }
}

// WaitGroup: Go: sync/waitgroup.go.
void WaitGroup::Add(int64_t delta) {
  rt::RuntimeScope rs;
  uint64_t state = state_.fetch_add(uint64_t(delta) << 32, std::memory_order_acq_rel) +
                   (uint64_t(delta) << 32);
  int32_t v = int32_t(state >> 32);
  uint32_t w = uint32_t(state);
  if (v < 0) throw Panic{"sync: negative WaitGroup counter"};
  if (w != 0 && delta > 0 && v == int32_t(delta))
    throw Panic{"sync: WaitGroup misuse: Add called concurrently with Wait"};
  if (v > 0 || w == 0) return;
  // Counter is 0 and there are waiters: reset and wake them all.
  state_.store(0, std::memory_order_relaxed);
  for (; w != 0; w--) semrelease(&sema_);
}

void WaitGroup::Wait() {
  rt::RuntimeScope rs;
  rt::checkPreempt();
  for (;;) {
    uint64_t state = state_.load(std::memory_order_acquire);
    if ((state >> 32) == 0) return;
    if (state_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel)) {
      semacquire(&sema_, int(trace::BlockReason::WaitGroup));
      return;
    }
  }
}

}  // namespace gmps
