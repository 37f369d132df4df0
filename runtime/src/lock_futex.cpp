// lock_futex.cpp — futex-based runtime locks and notes (Go: lock_futex.go, os_linux.go).
#include "lock_futex.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace gmps::rt {

int64_t nanotime1() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void futexsleep(std::atomic<uint32_t>* addr, uint32_t val, int64_t ns) {
  timespec ts, *tsp = nullptr;
  if (ns >= 0) {
    ts.tv_sec = ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    tsp = &ts;
  }
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(addr), FUTEX_WAIT_PRIVATE, val, tsp, nullptr, 0);
}

void futexwakeup(std::atomic<uint32_t>* addr, int32_t cnt) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(addr), FUTEX_WAKE_PRIVATE, cnt, nullptr, nullptr,
          0);
}

void osyield() { sched_yield(); }

void procyield(int n) {
  for (int i = 0; i < n; i++) __builtin_ia32_pause();
}

// lockSlow follows Go's lock2: spin actively, then yield, then sleep on the futex.
// Go: lock_futex.go lock2.
void Mutex::lockSlow() {
  uint32_t wait = key_.exchange(kLocked, std::memory_order_acquire);
  if (wait == kUnlocked) return;
  // wait is kLocked or kSleeping; remember it so we do not drop a sleeper's mark.
  for (;;) {
    for (int i = 0; i < 4; i++) {
      for (uint32_t v = key_.load(std::memory_order_relaxed); v == kUnlocked;
           v = key_.load(std::memory_order_relaxed)) {
        if (key_.compare_exchange_weak(v, wait, std::memory_order_acquire)) return;
      }
      procyield(30);
    }
    for (int i = 0; i < 1; i++) {
      for (uint32_t v = key_.load(std::memory_order_relaxed); v == kUnlocked;
           v = key_.load(std::memory_order_relaxed)) {
        if (key_.compare_exchange_weak(v, wait, std::memory_order_acquire)) return;
      }
      osyield();
    }
    uint32_t v = key_.exchange(kSleeping, std::memory_order_acquire);
    if (v == kUnlocked) return;
    wait = kSleeping;
    futexsleep(&key_, kSleeping, -1);
  }
}

void Mutex::wakeOne() { futexwakeup(&key_, 1); }

void Note::wakeup() {
  uint32_t old = key_.exchange(1, std::memory_order_release);
  if (old != 0) return;  // already woken: a second wakeup is a no-op here
  futexwakeup(&key_, 1);
}

void Note::sleep() {
  while (key_.load(std::memory_order_acquire) == 0) futexsleep(&key_, 0, -1);
}

bool Note::tsleep(int64_t ns) {
  if (ns < 0) {
    sleep();
    return true;
  }
  int64_t deadline = nanotime1() + ns;
  while (key_.load(std::memory_order_acquire) == 0) {
    int64_t left = deadline - nanotime1();
    if (left <= 0) return key_.load(std::memory_order_acquire) != 0;
    futexsleep(&key_, 0, left);
  }
  return true;
}

}  // namespace gmps::rt
