// The network poller: 1,000 concurrent loopback connections echo every byte while
// using only a few Ms; errors reach the caller as values; the socket calls are system
// calls in the trace, as Go's net package makes them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "gmpscope/go.h"
#include "trace_read.h"

using namespace sysmontest;

namespace {

// growFdTable makes the process's descriptor table room for n descriptors now. The
// kernel grows it as descriptors are opened, and in a process with several threads
// every growth waits for an RCU grace period (~16 ms on the CI VM) inside whichever
// call crossed the size, and every other thread that opens a descriptor meanwhile
// waits too: an accept4 held there has its P retaken and handed to a new M (as in
// Go). The thread-count check below is about the poller, so it starts with a table
// that need not grow.
void growFdTable(int n) {
  int fd = dup2(0, n - 1);
  if (fd >= 0) close(fd);
}

TEST(Netpoll, ThousandConnectionsEchoEveryByteOnFewThreads) {
  const int clients = 1000;
  growFdTable(4096);
  std::atomic<long> good{0}, bad{0};
  gmps::Config cfg;
  cfg.procs = 2;
  int code = gmps::run(
      [&] {
        auto ln = gmps::net::Listen("127.0.0.1", 0);
        ASSERT_TRUE(ln.ok()) << ln.err.msg;
        gmps::net::Listener& l = ln.value;
        gmps::go([&l] {
          for (;;) {
            auto c = l.Accept();
            if (!c.ok()) return;
            gmps::go([conn = std::move(c.value)]() mutable {
              char buf[1500];
              for (;;) {
                auto r = conn.Read(buf, sizeof buf);
                if (!r.ok() || !conn.Write(buf, r.value).ok()) return;
              }
            });
          }
        });
        gmps::WaitGroup wg;
        wg.Add(clients);
        for (int i = 0; i < clients; i++) {
          gmps::go([&, i] {
            {  // the strings and the connection die before Done: once main's Wait
               // returns, the run ends and a goroutine still running is abandoned, as
               // in Go, and what it held would be reported as leaked under ASan
              std::string msg(3000 + i, char('a' + i % 26));  // more than one read's worth
              auto c = gmps::net::Dial("127.0.0.1", l.Port());
              std::string back(msg.size(), '\0');
              size_t got = 0;
              bool ok = c.ok() && c.value.Write(msg.data(), msg.size()).ok();
              while (ok && got < msg.size()) {
                auto r = c.value.Read(&back[got], back.size() - got);
                ok = r.ok();
                got += r.value;
              }
              (ok && back == msg ? good : bad)++;
            }
            wg.Done();
          });
        }
        wg.Wait();
        l.Close();
      },
      cfg);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(good.load(), clients);
  EXPECT_EQ(bad.load(), 0);
  // No thread per connection: m0, sysmon, the second P's M, and an M for each P that
  // sysmon retook from a read or write the OS held past a tick (as Go does; on an
  // idle machine none, so 4 threads; under a parallel ctest run 8 were seen).
  EXPECT_LE(gmps::lastRunStats().threads, 32);
}

TEST(Netpoll, ErrorsAreValues) {
  gmps::Config cfg;
  cfg.procs = 1;
  gmps::run(
      [] {
        // A port nobody listens on: find one by listening and closing.
        auto ln = gmps::net::Listen("127.0.0.1", 0);
        ASSERT_TRUE(ln.ok());
        int port = ln.value.Port();
        ln.value.Close();
        auto c = gmps::net::Dial("127.0.0.1", port);
        EXPECT_FALSE(c.ok());
        EXPECT_NE(c.err.msg.find("refused"), std::string::npos) << c.err.msg;

        auto bad = gmps::net::Listen("not-an-address", 0);
        EXPECT_FALSE(bad.ok());

        // EOF after the peer closes.
        auto l2 = gmps::net::Listen("127.0.0.1", 0);
        ASSERT_TRUE(l2.ok());
        gmps::go([&] {
          auto s = l2.value.Accept();
          if (s.ok()) s.value.Close();
        });
        auto cl = gmps::net::Dial("127.0.0.1", l2.value.Port());
        ASSERT_TRUE(cl.ok()) << cl.err.msg;
        char b[8];
        auto r = cl.value.Read(b, sizeof b);
        EXPECT_TRUE(r.err.eof()) << r.err.msg;
        cl.value.Close();
        auto r2 = cl.value.Read(b, sizeof b);
        EXPECT_FALSE(r2.ok());
      },
      cfg);
}

TEST(Netpoll, ReaderParksUntilDataArrives) {
  // With one P, a reader blocked on an empty socket must not hold the M: the writer
  // (another goroutine) runs, and the reader is woken by the poller.
  gmps::Config cfg;
  cfg.procs = 1;
  std::string got;
  gmps::run(
      [&] {
        auto ln = gmps::net::Listen("127.0.0.1", 0);
        ASSERT_TRUE(ln.ok());
        gmps::Chan<int> done(0);
        gmps::go([&] {
          auto s = ln.value.Accept();
          ASSERT_TRUE(s.ok());
          char b[16] = {};
          auto r = s.value.Read(b, sizeof b);
          got.assign(b, r.value);
          done.send(1);
        });
        auto c = gmps::net::Dial("127.0.0.1", ln.value.Port());
        ASSERT_TRUE(c.ok());
        gmps::Sleep(std::chrono::milliseconds(20));  // the reader is parked in IO wait now
        c.value.Write("ping", 4);
        done.recv();
      },
      cfg);
  EXPECT_EQ(got, "ping");
}

// The socket calls Go makes with syscall.Syscall go through entersyscall/exitsyscall
// here too: the client's connect, send, read and close each show as GoSyscallBegin
// and its end on the client's goroutine (socket itself is RawSyscall in Go: none).
TEST(Netpoll, ConnectionCallsAreSystemCallsInTheTrace) {
  std::string t = tempTrace("netsys");
  gmps::Config cfg;
  cfg.procs = 1;
  cfg.trace = t.c_str();
  int64_t client = -1;
  gmps::run(
      [&] {
        auto ln = gmps::net::Listen("127.0.0.1", 0);
        ASSERT_TRUE(ln.ok());
        gmps::go([&] {
          auto s = ln.value.Accept();
          ASSERT_TRUE(s.ok());
          char b[4];
          auto r = s.value.Read(b, sizeof b);
          if (r.ok()) s.value.Write(b, r.value);
        });
        gmps::WaitGroup wg;
        wg.Add(1);
        gmps::go([&] {
          client = gmps::goid();
          auto c = gmps::net::Dial("127.0.0.1", ln.value.Port());
          ASSERT_TRUE(c.ok()) << c.err.msg;
          c.value.Write("ping", 4);
          char b[4];
          auto r = c.value.Read(b, sizeof b);
          EXPECT_TRUE(r.ok() && r.value == 4) << r.err.msg;
          c.value.Close();
          wg.Done();
        });
        wg.Wait();
      },
      cfg);
  int begins = 0, ends = 0;
  for (const auto& e : readTrace(t)) {
    if (e.value("g", int64_t(-2)) != client) continue;
    std::string ev = e["ev"];
    begins += ev == "GoSyscallBegin";
    ends += ev == "GoSyscallEnd" || ev == "GoSyscallEndBlocked";
  }
  EXPECT_GE(begins, 4) << "connect, send, read, close";
  EXPECT_EQ(begins, ends);
  std::remove(t.c_str());
}

}  // namespace
