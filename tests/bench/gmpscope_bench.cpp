// gmpscope-bench — the workloads of ../shared/anchors/go/main.go on this runtime,
// printing the same line, so the two can be compared side by side:
//   WORKLOAD n=N gomaxprocs=P elapsed_ns=T per_op_ns=X
// usage: gmpscope-bench <spawn|pingpong|yield|fanout> N [--trace FILE]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gmpscope/go.h"

namespace {

__attribute__((noinline)) long spin(long iters) {
  unsigned long x = 0;  // wraps like Go's int (signed overflow is undefined in C++)
  for (long i = 0; i < iters; i++) x = x * 31 + i;
  return x;
}

long sink = 0;
std::string mode;
long n = 0;

void spawn() {  // n goroutines that do nothing, joined by a WaitGroup
  gmps::WaitGroup wg;
  wg.Add(n);
  for (long i = 0; i < n; i++) gmps::go([&wg] { wg.Done(); });
  wg.Wait();
}

void pingpong() {  // n round trips over two unbuffered channels
  gmps::Chan<long> a(0), b(0);
  gmps::go([a, b]() mutable {
    while (auto v = a.recvOpt()) b.send(*v);
    b.close();
  });
  for (long i = 0; i < n; i++) {
    a.send(i);
    b.recv();
  }
  a.close();
}

void yield() {  // 4 goroutines each calling Gosched n/4 times
  gmps::WaitGroup wg;
  wg.Add(4);
  for (int k = 0; k < 4; k++) {
    gmps::go([&wg] {
      for (long i = 0; i < n / 4; i++) gmps::Gosched();
      wg.Done();
    });
  }
  wg.Wait();
}

void fanout() {  // n goroutines of ~20us CPU work spawned by one goroutine
  gmps::WaitGroup wg;
  gmps::Mutex mu;
  wg.Add(n);
  for (long i = 0; i < n; i++) {
    gmps::go([&] {
      long r = spin(20000);
      mu.Lock();
      sink += r;
      mu.Unlock();
      wg.Done();
    });
  }
  wg.Wait();
}

void mainMain() {
  auto start = std::chrono::steady_clock::now();
  if (mode == "spawn") spawn();
  if (mode == "pingpong") pingpong();
  if (mode == "yield") yield();
  if (mode == "fanout") fanout();
  long long el = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - start).count();
  std::printf("%s n=%ld gomaxprocs=%d elapsed_ns=%lld per_op_ns=%.1f\n", mode.c_str(), n,
              gmps::GOMAXPROCS(), el, double(el) / double(n));
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "usage: gmpscope-bench <spawn|pingpong|yield|fanout> N [--trace FILE] [--sysmon]\n";
  if (argc < 3) {
    std::fputs(usage, stderr);
    return 1;
  }
  mode = argv[1];
  if (mode != "spawn" && mode != "pingpong" && mode != "yield" && mode != "fanout") {
    std::fprintf(stderr, "gmpscope-bench: unknown workload \"%s\"\n%s", argv[1], usage);
    return 1;
  }
  char* end = nullptr;
  n = std::strtol(argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || n <= 0) {
    std::fprintf(stderr, "gmpscope-bench: N must be a positive integer, got \"%s\"\n", argv[2]);
    return 1;
  }
  gmps::Config cfg;
  cfg.program = argv[1];
  bool sysmonStats = false;
  for (int i = 3; i < argc; i++) {
    if (std::strcmp(argv[i], "--trace") == 0 && i + 1 < argc) {
      cfg.trace = argv[++i];
      continue;
    }
    if (std::strcmp(argv[i], "--sysmon") == 0) {
      sysmonStats = true;
      continue;
    }
    std::fprintf(stderr, "gmpscope-bench: unknown argument \"%s\"\n%s", argv[i], usage);
    return 1;
  }
  int code = gmps::run(mainMain, cfg);
  if (sysmonStats) {
    gmps::RunStats st = gmps::lastRunStats();
    std::fprintf(stderr, "sysmon: cpu_ns=%lld over elapsed_ns=%lld (%.3f%% of one core), %lld wake-ups\n",
                 static_cast<long long>(st.sysmonCpuNs), static_cast<long long>(st.elapsedNs),
                 100.0 * double(st.sysmonCpuNs) / double(st.elapsedNs), static_cast<long long>(st.sysmonTicks));
  }
  return code;
}
