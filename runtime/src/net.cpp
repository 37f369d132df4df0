// net.cpp — TCP sockets whose waits park on the network poller
// (Go: net/fd_unix.go, internal/poll/fd_unix.go, runtime/netpoll.go poll_runtime_*).
//
// The sockets are non-blocking: a call that would wait returns EAGAIN and the
// goroutine parks on the poller (netpollblock) instead. The calls themselves are
// still system calls, and the ones Go's package syscall makes with Syscall
// (entersyscall ... exitsyscall) are made through gmps::syscall: accept4, connect,
// read, write (send here) and close. Each shows in the trace as GoSyscallBegin/End,
// and one that stays in the kernel (accept4 waits ~16 ms here while the kernel grows
// a busy process's descriptor table) has its P retaken by sysmon. socket is
// RawSyscall in Go (//sysnb), as is getsockname: made directly, a slow one keeps its
// P and looks like a running G. Unlike Go, setsockopt, getsockopt, bind and listen
// (Syscall in Go, never slow here) are made directly too, which keeps a
// connection's trace to the calls that can wait.
#include "gmpscope/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "gmpscope/syscall.h"
#include "netpoll.h"
#include "runtime2.h"

namespace gmps::net {

using rt::pollDesc;

namespace {

Error errnoError(const std::string& op, int e) { return Error{e, op + ": " + std::strerror(e)}; }

bool parseAddr(const std::string& host, int port, sockaddr_in* sa) {
  std::memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons(uint16_t(port));
  std::string h = host.empty() || host == "localhost" ? "127.0.0.1" : host;
  return inet_pton(AF_INET, h.c_str(), &sa->sin_addr) == 1;
}

std::string addrString(const std::string& host, int port) { return host + ":" + std::to_string(port); }

// Sys is a system call's result and its errno, read on the thread that made the call:
// the goroutine may come back from the call on another thread (see rt::setErrno).
struct Sys {
  long r;
  int err;
};

// sys makes the call f as a system call (gmps::syscall) and takes its errno with it.
template <typename F>
Sys sys(F&& f) {
  return gmps::syscall([&] {
    long r = long(f());
    return Sys{r, r < 0 ? errno : 0};
  });
}

// newFD registers a non-blocking socket with the poller.
Result<pollDesc*> newFD(int fd, const std::string& op) {
  pollDesc* pd = rt::pollcacheAlloc();
  pd->fd = fd;
  if (int e = rt::netpollopen(pd); e != 0) {
    rt::pollcacheFree(pd);
    ::close(fd);
    return {nullptr, errnoError(op, e)};
  }
  return {pd, {}};
}

Error closeFD(pollDesc*& pd) {
  if (pd == nullptr) return Error{EBADF, "close: use of closed network connection"};
  rt::RuntimeScope rs;
  int fd = pd->fd;
  rt::netpollclosefd(pd);
  rt::pollcacheFree(pd);
  pd = nullptr;
  if (Sys c = sys([&] { return ::close(fd); }); c.r != 0) return errnoError("close", c.err);
  return {};
}

}  // namespace

Result<size_t> Conn::Read(void* buf, size_t n) {
  rt::RuntimeScope rs;
  if (pd_ == nullptr) return {0, Error{EBADF, "read: use of closed network connection"}};
  for (;;) {
    Sys r = sys([&] { return ::read(pd_->fd, buf, n); });
    if (r.r > 0) return {size_t(r.r), {}};
    if (r.r == 0) return {0, Error{Error::kEOF, "EOF"}};
    if (r.err == EINTR) continue;
    if (r.err != EAGAIN) return {0, errnoError("read", r.err)};
    if (!rt::netpollblock(pd_, 'r')) return {0, Error{EBADF, "read: use of closed network connection"}};
  }
}

Result<size_t> Conn::Write(const void* buf, size_t n) {
  rt::RuntimeScope rs;
  if (pd_ == nullptr) return {0, Error{EBADF, "write: use of closed network connection"}};
  size_t done = 0;
  const char* p = static_cast<const char*>(buf);
  while (done < n) {
    Sys w = sys([&] { return ::send(pd_->fd, p + done, n - done, MSG_NOSIGNAL); });
    if (w.r >= 0) {
      done += size_t(w.r);
      continue;
    }
    if (w.err == EINTR) continue;
    if (w.err != EAGAIN) return {done, errnoError("write", w.err)};
    if (!rt::netpollblock(pd_, 'w')) return {done, Error{EBADF, "write: use of closed network connection"}};
  }
  return {done, {}};
}

Error Conn::Close() { return closeFD(pd_); }
int Conn::fd() const { return pd_ ? pd_->fd : -1; }
Conn::~Conn() {
  if (pd_) Close();
}
Conn& Conn::operator=(Conn&& o) noexcept {
  if (this != &o) {
    if (pd_) Close();
    pd_ = std::exchange(o.pd_, nullptr);
  }
  return *this;
}

Result<Conn> Listener::Accept() {
  rt::RuntimeScope rs;
  if (pd_ == nullptr) return {Conn(), Error{EBADF, "accept: use of closed network connection"}};
  for (;;) {
    Sys a = sys([&] { return ::accept4(pd_->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC); });
    if (a.r >= 0) {
      int fd = int(a.r);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto r = newFD(fd, "accept");
      if (!r.ok()) return {Conn(), r.err};
      return {Conn(r.value), {}};
    }
    if (a.err == EINTR || a.err == ECONNABORTED) continue;
    if (a.err != EAGAIN) return {Conn(), errnoError("accept", a.err)};
    if (!rt::netpollblock(pd_, 'r')) return {Conn(), Error{EBADF, "accept: use of closed network connection"}};
  }
}

Error Listener::Close() { return closeFD(pd_); }
Listener::~Listener() {
  if (pd_) Close();
}
Listener& Listener::operator=(Listener&& o) noexcept {
  if (this != &o) {
    if (pd_) Close();
    pd_ = std::exchange(o.pd_, nullptr);
    port_ = o.port_;
  }
  return *this;
}

Result<Listener> Listen(const std::string& host, int port) {
  rt::RuntimeScope rs;
  std::string op = "listen tcp " + addrString(host, port);
  sockaddr_in sa;
  if (!parseAddr(host, port, &sa)) return {Listener(), Error{EINVAL, op + ": invalid address"}};
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);  // Go: RawSyscall
  if (fd < 0) return {Listener(), errnoError(op, errno)};
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 4096) != 0) {
    int e = errno;
    ::close(fd);
    return {Listener(), errnoError(op, e)};
  }
  socklen_t len = sizeof sa;
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  auto r = newFD(fd, op);
  if (!r.ok()) return {Listener(), r.err};
  return {Listener(r.value, ntohs(sa.sin_port)), {}};
}

Result<Conn> Dial(const std::string& host, int port) {
  rt::RuntimeScope rs;
  std::string op = "dial tcp " + addrString(host, port);
  sockaddr_in sa;
  if (!parseAddr(host, port, &sa)) return {Conn(), Error{EINVAL, op + ": invalid address"}};
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);  // Go: RawSyscall
  if (fd < 0) return {Conn(), errnoError(op, errno)};
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto r = newFD(fd, op);
  if (!r.ok()) return {Conn(), r.err};
  Conn c(r.value);
  Sys cn = sys([&] { return ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa); });
  if (cn.r == 0) return {std::move(c), {}};
  if (cn.err != EINPROGRESS) return {Conn(), errnoError(op, cn.err)};
  // Wait until writable, then read the outcome. Go: net/fd_unix.go connect.
  if (!rt::netpollblock(r.value, 'w')) return {Conn(), Error{EBADF, op + ": closed"}};
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return {Conn(), errnoError(op, err)};
  return {std::move(c), {}};
}

}  // namespace gmps::net
