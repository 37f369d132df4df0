// The network poller: 1,000 concurrent loopback connections echo every byte while
// using only a few Ms; errors reach the caller as values.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "gmpscope/go.h"

namespace {

TEST(Netpoll, ThousandConnectionsEchoEveryByteOnFewThreads) {
  const int clients = 1000;
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
  // m0, sysmon, and the Ms for the second P and the poller: no thread per connection.
  EXPECT_LE(gmps::lastRunStats().threads, cfg.procs + 4);
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

}  // namespace
