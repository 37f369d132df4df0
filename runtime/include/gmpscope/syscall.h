// syscall.h — blocking system calls from goroutines (Go: proc.go entersyscall,
// exitsyscall, entersyscallblock).
//
// A goroutine about to block in the kernel wraps the call: its M keeps the P while
// the call is short; if it takes longer than a sysmon tick and there is other work,
// sysmon takes the P away and hands it to another M (started or woken), so the
// other goroutines keep running. On return the goroutine takes back its P, or an
// idle one, or waits on the global queue while its M goes to sleep.
//
//   ssize_t n = gmps::syscall([&] { return ::read(fd, buf, len); });
//   gmps::syscallBlock([&] { return ::waitpid(pid, &st, 0); });  // surely long: hand off now
#pragma once

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <sys/types.h>
#include <utility>

namespace gmps {
namespace rt {
void entersyscall();
void entersyscallblock();
void exitsyscall();
// inGoroutine says a goroutine is running on this thread. Not so while a run ends:
// the closures of goroutines that never finished are destroyed then, outside any
// goroutine, and a capture's destructor may make a system call (a connection's close).
bool inGoroutine();
// setErrno sets errno of the thread it runs on. Out of line on purpose: errno is
// thread-local and glibc's __errno_location is a const function, so inline code may
// reuse its address from before a call that moved the goroutine to another thread.
void setErrno(int e);
// SyscallExit runs exitsyscall when the call returns, keeping the call's errno: the
// way back may park the M (a futex wait sets errno) and resume the goroutine on
// another thread, whose errno the caller then reads.
struct SyscallExit {
  ~SyscallExit() {
    int e = errno;  // still the thread that made the call
    exitsyscall();
    setErrno(e);
  }
};
}  // namespace rt

// syscall runs f (a blocking call that does not touch the runtime) as a system call
// of the running goroutine; outside any goroutine it just calls f.
template <typename F>
decltype(auto) syscall(F&& f) {
  if (!rt::inGoroutine()) return std::forward<F>(f)();
  rt::entersyscall();
  rt::SyscallExit exit;
  return std::forward<F>(f)();
}

// syscallBlock is syscall for a call known to block long: the P is handed off at once.
template <typename F>
decltype(auto) syscallBlock(F&& f) {
  if (!rt::inGoroutine()) return std::forward<F>(f)();
  rt::entersyscallblock();
  rt::SyscallExit exit;
  return std::forward<F>(f)();
}

// Common blocking calls, wrapped. They return what the libc call returns, with errno
// set on the thread the goroutine returns on. (Read errno right after the call: a
// function that read errno before the call may keep the other thread's address.)
ssize_t sysRead(int fd, void* buf, size_t n);
ssize_t sysWrite(int fd, const void* buf, size_t n);
int sysNanosleep(std::chrono::nanoseconds d);  // blocks the thread, unlike Sleep

}  // namespace gmps
