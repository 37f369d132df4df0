// million_test.cpp — goroutines by the million: created and joined (G and stack reuse
// through the free lists), and alive at once (the guard-page budget of stack.cpp:
// Linux allows only vm.max_map_count mappings, so most of a million stacks have no
// guard page of their own).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstring>

#include "gmpscope/go.h"
#include "runtime2.h"

namespace {

constexpr int kCreated = 1000000;
#if defined(GMPSCOPE_ASAN)
constexpr int kAlive = 20000;  // ASan's shadow memory for a million touched stacks is too much
#else
constexpr int kAlive = 1000000;
#endif

// mapCount is the number of mappings of this process (lines of /proc/self/maps).
long mapCount() {
  FILE* f = std::fopen("/proc/self/maps", "r");
  if (f == nullptr) return -1;
  long n = 0;
  int c;
  while ((c = std::fgetc(f)) != EOF)
    if (c == '\n') n++;
  std::fclose(f);
  return n;
}

class Million : public ::testing::TestWithParam<int> {};

TEST_P(Million, CreatedAndJoined) {
  std::atomic<long> sum{0};
  std::atomic<int> ran{0};
  gmps::Config cfg;
  cfg.procs = GetParam();
  cfg.stackSize = 16 * 1024;
  int code = gmps::run(
      [&] {
        gmps::WaitGroup wg;
        wg.Add(kCreated);
        for (int i = 0; i < kCreated; i++) {
          gmps::go([&, i] {
            sum.fetch_add(i, std::memory_order_relaxed);
            ran.fetch_add(1, std::memory_order_relaxed);
            wg.Done();
          });
        }
        wg.Wait();
      },
      cfg);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(ran.load(), kCreated);
  EXPECT_EQ(sum.load(), long(kCreated) * (kCreated - 1) / 2);
}

// Every goroutine blocks on one channel until main closes it; while all are alive
// the process must stay under vm.max_map_count.
TEST_P(Million, AliveAtOnce) {
  std::atomic<int> started{0}, finished{0};
  int64_t alive = 0;
  long maps = 0;
  gmps::Config cfg;
  cfg.procs = GetParam();
  cfg.stackSize = 16 * 1024;
  int code = gmps::run(
      [&] {
        gmps::Chan<int> release(0);
        gmps::WaitGroup up, down;
        up.Add(kAlive);
        down.Add(kAlive);
        for (int i = 0; i < kAlive; i++) {
          gmps::go([&, release]() mutable {
            started.fetch_add(1, std::memory_order_relaxed);
            up.Done();
            auto [v, ok] = release.recvOk();  // blocks until the close
            EXPECT_FALSE(ok);
            finished.fetch_add(1, std::memory_order_relaxed);
            down.Done();
          });
        }
        up.Wait();
        alive = gmps::NumGoroutine();
        maps = mapCount();
        release.close();
        down.Wait();
      },
      cfg);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(started.load(), kAlive);
  EXPECT_EQ(finished.load(), kAlive);
  EXPECT_EQ(alive, int64_t(kAlive) + 1);
  EXPECT_GT(maps, 0);
  EXPECT_LT(maps, gmps::rt::readMaxMapCount()) << "mappings while " << kAlive << " goroutines were alive";
}

// The stacks of one run are reused by the next: many runs of many goroutines.
TEST(MillionRuns, ConsecutiveRunsReuseNothingStale) {
  for (int r = 0; r < 5; r++) {
    std::atomic<int> ran{0};
    gmps::Config cfg;
    cfg.procs = 1 + r % 2;
    cfg.stackSize = 16 * 1024;
    EXPECT_EQ(gmps::run(
                  [&] {
                    gmps::WaitGroup wg;
                    wg.Add(kAlive / 50);
                    gmps::Chan<int> gate(0);
                    for (int i = 0; i < kAlive / 50; i++) {
                      gmps::go([&, gate]() mutable {
                        gate.recvOpt();
                        ran++;
                        wg.Done();
                      });
                    }
                    gmps::Sleep(std::chrono::milliseconds(1));
                    gate.close();
                    wg.Wait();
                  },
                  cfg),
              0);
    EXPECT_EQ(ran.load(), kAlive / 50);
  }
}

INSTANTIATE_TEST_SUITE_P(Procs, Million, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& i) { return "procs" + std::to_string(i.param); });

}  // namespace
