// net.h — TCP on the network poller (Go: net package over runtime/netpoll.go).
//
// Sockets are non-blocking. A goroutine that would block parks on the poller
// (GoBlock reason "IO wait") instead of blocking its M; when epoll reports the
// descriptor ready, netpoll makes it runnable again. Errors are values, as in Go:
//
//   auto ln = gmps::net::Listen("127.0.0.1", 0);
//   if (!ln.ok()) { std::puts(ln.err.msg.c_str()); return; }
//   auto conn = ln.value.Accept();
//   auto n = conn.value.Read(buf, sizeof buf);   // n.err.eof() at end of stream
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace gmps {
namespace rt {
struct pollDesc;
}

namespace net {

struct Error {
  int code = 0;     // errno, or kEOF
  std::string msg;  // "connect 127.0.0.1:9: connection refused"
  static constexpr int kEOF = -1;
  explicit operator bool() const { return code != 0; }
  bool eof() const { return code == kEOF; }
};

template <typename T>
struct Result {
  T value{};
  Error err;
  bool ok() const { return !err; }
};

class Conn {
 public:
  Conn() = default;
  Conn(Conn&& o) noexcept : pd_(std::exchange(o.pd_, nullptr)) {}
  Conn& operator=(Conn&& o) noexcept;
  ~Conn();
  // Read reads up to n bytes; at end of stream it returns an error with eof().
  Result<size_t> Read(void* buf, size_t n);
  // Write writes all n bytes (or fails).
  Result<size_t> Write(const void* buf, size_t n);
  Error Close();
  int fd() const;
  bool valid() const { return pd_ != nullptr; }
  explicit Conn(rt::pollDesc* pd) : pd_(pd) {}

 private:
  rt::pollDesc* pd_ = nullptr;
};

class Listener {
 public:
  Listener() = default;
  Listener(Listener&& o) noexcept : pd_(std::exchange(o.pd_, nullptr)), port_(o.port_) {}
  Listener& operator=(Listener&& o) noexcept;
  ~Listener();
  Result<Conn> Accept();
  Error Close();
  int Port() const { return port_; }
  explicit Listener(rt::pollDesc* pd, int port) : pd_(pd), port_(port) {}

 private:
  rt::pollDesc* pd_ = nullptr;
  int port_ = 0;
};

// Listen on host:port (port 0 picks a free one; Port() tells which).
Result<Listener> Listen(const std::string& host, int port);
// Dial connects to host:port.
Result<Conn> Dial(const std::string& host, int port);

}  // namespace net
}  // namespace gmps
