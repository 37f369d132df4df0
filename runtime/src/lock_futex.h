// lock_futex.h — the runtime's own locks and notes (Go: lock_futex.go).
//
// Mutex is a short-hold lock for runtime structures: it spins a little (the holder
// is usually running on another core) and then sleeps on a futex. It never parks a
// goroutine: goroutines that must wait for user-level locks use sema (sync.h).
//
// Note is a one-shot wake-up: one M sleeps in notesleep until another calls
// notewakeup. Idle Ms park on their note instead of polling.
#pragma once

#include <atomic>
#include <cstdint>

namespace gmps::rt {

class Mutex {
 public:
  void lock() {
    uint32_t v = 0;
    if (key_.compare_exchange_strong(v, kLocked, std::memory_order_acquire)) [[likely]]
      return;
    lockSlow();
  }
  void unlock() {
    if (key_.exchange(kUnlocked, std::memory_order_release) == kSleeping) [[unlikely]]
      wakeOne();
  }
  bool held() const { return key_.load(std::memory_order_relaxed) != kUnlocked; }

 private:
  static constexpr uint32_t kUnlocked = 0, kLocked = 1, kSleeping = 2;
  void lockSlow();
  void wakeOne();
  std::atomic<uint32_t> key_{kUnlocked};
};

class LockGuard {
 public:
  explicit LockGuard(Mutex& m) : m_(m) { m_.lock(); }
  ~LockGuard() { m_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& m_;
};

class Note {
 public:
  void clear() { key_.store(0, std::memory_order_relaxed); }
  void wakeup();
  void sleep();
  // tsleep sleeps at most ns nanoseconds; returns true if woken.
  bool tsleep(int64_t ns);

 private:
  std::atomic<uint32_t> key_{0};
};

void futexsleep(std::atomic<uint32_t>* addr, uint32_t val, int64_t ns);
void futexwakeup(std::atomic<uint32_t>* addr, int32_t cnt);
void osyield();
void procyield(int n);
int64_t nanotime1();

}  // namespace gmps::rt
