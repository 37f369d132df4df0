// sync.h — Go's sync.Mutex and sync.WaitGroup, built on the runtime's semaphores
// (Go: sync/mutex.go, sync/waitgroup.go, runtime/sema.go). A goroutine that must wait
// parks (GoBlock reason "sync.Mutex.Lock" / "sync.WaitGroup.Wait"); it does not spin
// the OS thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace gmps {
namespace rt {
// semacquire waits until *addr > 0 and decrements it (Go: sema.go semacquire1).
// reason is a trace::BlockReason.
void semacquire(std::atomic<uint32_t>* addr, int reason);
// semrelease increments *addr and wakes one waiter (Go: sema.go semrelease1).
void semrelease(std::atomic<uint32_t>* addr);
}  // namespace rt

class Mutex {
 public:
  void Lock();
  void Unlock();
  bool TryLock();

 private:
  // state: bit 0 locked, bits 1.. number of waiters. Waiters park on sema.
  std::atomic<uint32_t> state_{0};
  std::atomic<uint32_t> sema_{0};
};

class WaitGroup {
 public:
  void Add(int64_t delta);
  void Done() { Add(-1); }
  void Wait();

 private:
  // state: high 32 bits counter, low 32 bits waiters (Go's layout).
  std::atomic<uint64_t> state_{0};
  std::atomic<uint32_t> sema_{0};
};

// LockGuard is std::lock_guard for Mutex.
class LockGuard {
 public:
  explicit LockGuard(Mutex& m) : m_(m) { m_.Lock(); }
  ~LockGuard() { m_.Unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& m_;
};

}  // namespace gmps
