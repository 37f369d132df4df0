// echo — a loopback TCP echo server and N client goroutines (default 100). Every
// read and write that would block parks its goroutine on the network poller (epoll)
// instead of blocking a thread, so a thousand connections need only GOMAXPROCS Ms
// plus a few: compare the thread count printed at the end.
#include <cstdio>
#include <cstring>
#include <string>

#include "../demos.h"
#include "gmpscope/go.h"

GMPS_DEMO("echo", "07-netpoller", 0, "loopback TCP echo server with N concurrent clients (default 100)") {
  int clients = n > 0 ? int(n) : 100;
  auto ln = gmps::net::Listen("127.0.0.1", 0);
  if (!ln.ok()) {
    std::printf("listen failed: %s\n", ln.err.msg.c_str());
    return;
  }
  gmps::net::Listener& listener = ln.value;
  gmps::go("server", [&listener] {
    for (;;) {
      auto c = listener.Accept();
      if (!c.ok()) return;  // listener closed
      gmps::go("handler", [conn = std::move(c.value)]() mutable {
        char buf[4096];
        for (;;) {
          auto r = conn.Read(buf, sizeof buf);
          if (!r.ok()) return;
          if (!conn.Write(buf, r.value).ok()) return;
        }
      });
    }
  });
  gmps::WaitGroup wg;
  std::atomic<long> okBytes{0}, failures{0};
  wg.Add(clients);
  for (int i = 0; i < clients; i++) {
    gmps::go("client", [&, i] {
      std::string msg = "hello from client " + std::to_string(i) + " " + std::string(1000, char('a' + i % 26));
      auto c = gmps::net::Dial("127.0.0.1", listener.Port());
      if (!c.ok()) {
        failures++;
        wg.Done();
        return;
      }
      std::string back(msg.size(), '\0');
      size_t got = 0;
      bool ok = c.value.Write(msg.data(), msg.size()).ok();
      while (ok && got < msg.size()) {
        auto r = c.value.Read(&back[got], msg.size() - got);
        ok = r.ok();
        got += r.value;
      }
      if (ok && back == msg) {
        okBytes += long(msg.size());
      } else {
        failures++;
      }
      c.value.Close();
      wg.Done();
    });
  }
  wg.Wait();
  listener.Close();
  std::printf("%d clients, %ld bytes echoed intact, %ld failures, %lld threads (Ms) for %d Ps\n", clients,
              okBytes.load(), failures.load(), static_cast<long long>(gmps::NumThreads()), gmps::GOMAXPROCS());
}
