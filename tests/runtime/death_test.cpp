// death_test.cpp — fatal conditions end the program as Go's do: the message on
// stderr, the goroutine list with the culprit's id, exit status 2, and the trace
// recorded so far written to the file the run was given.
//
//   deadlock        fatal error: all goroutines are asleep - deadlock!
//   panic           panic: <what>  ...  goroutine N [running]:
//   stack overflow  fatal error: stack overflow  ...  goroutine N [running]:
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "gmpscope/go.h"
#include "trace_util.h"

using namespace std::chrono_literals;

namespace {

// deathTracePath is the same in the parent and in the re-executed child of a
// "threadsafe" death test (so not per pid): next to the test binary, per test.
std::string deathTracePath() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name)
    if (c == '/') c = '_';
  std::error_code ec;
  auto dir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) dir = ::testing::TempDir();
  return (dir / ("death-" + name + ".jsonl")).string();
}

class Fatal : public ::testing::Test {
 protected:
  void SetUp() override {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    path_ = deathTracePath();
    std::remove(path_.c_str());
  }
  void TearDown() override { std::remove(path_.c_str()); }

  // runFatal is the death test's statement: a traced run that must not return.
  template <typename F>
  void runFatal(int procs, F fn, size_t stackSize = 0) {
    gmps::Config cfg;
    cfg.procs = procs;
    cfg.trace = path_.c_str();
    cfg.program = "death_test";
    cfg.stackSize = stackSize;
    int code = gmps::run(fn, cfg);
    std::fprintf(stderr, "run returned %d instead of dying\n", code);
    std::fflush(stderr);
    _exit(0);
  }

  // expectTrace checks the trace the dying run left behind. whole: every line parses
  // and the header's event count matches.
  void expectTrace(bool whole = true) {
    ASSERT_TRUE(std::filesystem::exists(path_)) << "no trace at " << path_;
    std::string first = gmps::testutil::firstLine(path_);
    auto header = gmps::testutil::json::parse(first, nullptr, false);
    ASSERT_FALSE(header.is_discarded()) << first;
    EXPECT_EQ(header.value("format", ""), "gmpscope-trace") << first;
    EXPECT_EQ(header.value("program", ""), "death_test");
    if (!whole) return;
    auto t = gmps::testutil::readTrace(path_);
    ASSERT_TRUE(t.ok) << t.error;
    EXPECT_EQ(t.header.value("events", size_t(0)), t.events.size());
    bool mainMain = false;
    for (const auto& e : t.events)
      if (gmps::testutil::isEv(e, "Startup") && e["step"] == "main_main") mainMain = true;
    EXPECT_TRUE(mainMain) << "the trace stops before main.main";
  }

  std::string path_;
};

// ---------------------------------------------------------------------------
// Deadlock

TEST_F(Fatal, DeadlockMainReceivesFromNobody) {
  EXPECT_EXIT(runFatal(1, [] {
                gmps::Chan<int> ch(0);
                ch.recv();
              }),
              ::testing::ExitedWithCode(2),
              "^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[chan receive\\]:\nmain\\.main\\(\\)");
  expectTrace();
}

TEST_F(Fatal, DeadlockWithManyPsAndSeveralBlockedGoroutines) {
  EXPECT_EXIT(runFatal(4, [] {
                gmps::Mutex mu;
                mu.Lock();
                gmps::WaitGroup wg;
                wg.Add(1);
                gmps::go("locker", [&] {
                  mu.Lock();  // never unlocked
                  wg.Done();
                });
                gmps::Chan<int> ch(0);
                gmps::go("sender", [ch]() mutable { ch.send(1); });  // nobody receives
                wg.Wait();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\n"
              "goroutine 1 \\[sync\\.WaitGroup\\.Wait\\]:.*"
              "goroutine 2 \\[sync\\.Mutex\\.Lock\\]:\nlocker\\(\\).*"
              "goroutine 3 \\[chan send\\]:\nsender\\(\\)");
  expectTrace();
}

// A pending timer can still wake someone: no deadlock until it has fired.
TEST_F(Fatal, DeadlockIsReportedOnlyAfterTheLastTimerFired) {
  EXPECT_EXIT(runFatal(2, [] {
                gmps::Chan<int> ch(0);
                gmps::go([] { gmps::Sleep(30ms); });
                std::fprintf(stderr, "main blocks\n");
                ch.recv();
              }),
              ::testing::ExitedWithCode(2),
              "^main blocks\nfatal error: all goroutines are asleep - deadlock!");
  expectTrace();
}

TEST_F(Fatal, DeadlockInSelectWithNoCases) {
  EXPECT_EXIT(runFatal(1, [] { gmps::select(); }), ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[select \\(no cases\\)\\]:");
  expectTrace();
}

TEST_F(Fatal, DeadlockOnANilChannel) {
  EXPECT_EXIT(runFatal(2, [] {
                gmps::Chan<int> nil;
                nil.send(1);
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[chan send \\(nil chan\\)\\]:");
  expectTrace();
}

// ---------------------------------------------------------------------------
// Panics

TEST_F(Fatal, ExceptionEscapingAGoroutineIsAPanic) {
  EXPECT_EXIT(runFatal(2, [] {
                gmps::go([] { throw std::runtime_error("kaboom"); });  // goroutine 2
                gmps::Chan<int> ch(0);
                ch.recv();  // main would wait for ever: the panic ends the program first
              }),
              ::testing::ExitedWithCode(2), "^panic: kaboom\n\n(.*\n)?goroutine 2 \\[running\\]:");
  expectTrace();
}

TEST_F(Fatal, PanicFromMainMain) {
  EXPECT_EXIT(runFatal(1, [] { gmps::panic("boom"); }), ::testing::ExitedWithCode(2),
              "^panic: boom\n\ngoroutine 1 \\[running\\]:\nmain\\.main\\(\\)");
  expectTrace();
}

TEST_F(Fatal, PanicNamesTheGoroutineAmongOthers) {
  EXPECT_EXIT(runFatal(4, [] {
                gmps::Chan<int> never(0), started(0);
                for (int i = 0; i < 3; i++)  // goroutines 2, 3, 4 wait
                  gmps::go([never]() mutable { never.recv(); });
                gmps::go([started]() mutable {  // goroutine 5 panics
                  started.send(0);
                  gmps::panic("from five");
                });
                started.recv();
                never.recv();
              }),
              ::testing::ExitedWithCode(2),
              "^panic: from five\n\n.*goroutine 5 \\[running\\]:.*");
  expectTrace();
}

TEST_F(Fatal, NonStdExceptionIsAPanicToo) {
  EXPECT_EXIT(runFatal(1, [] { gmps::go([] { throw 42; }); gmps::Sleep(1s); }), ::testing::ExitedWithCode(2),
              "^panic: .*\n\ngoroutine 2 \\[running\\]:");
  expectTrace();
}

// main.main returning does not end the program while another goroutine is panicking:
// its deferred calls (destructors) run first (Go: runtime.main's runningPanicDefers).
TEST_F(Fatal, MainReturnWaitsForAPanickingGoroutine) {
  EXPECT_EXIT(runFatal(1, [] {
                gmps::Chan<int> inDefer(0);
                gmps::go([inDefer] {
                  struct Deferred {
                    gmps::Chan<int> ch;
                    ~Deferred() {  // a deferred call that lets main run and return
                      ch.send(0);
                      gmps::Gosched();
                    }
                  } d{inDefer};
                  gmps::panic("late");
                });
                inDefer.recv();  // the goroutine is panicking now; main.main returns
              }),
              ::testing::ExitedWithCode(2), "^panic: late\n\n(.*\n)?goroutine 2 \\[running\\]:");
  expectTrace();
}

// Go prints the goroutine that failed first, right under the message (traceback of
// gp, then the others), so it is never lost among, or elided after, the others.
TEST_F(Fatal, PanickingGoroutineIsListedFirst) {
  EXPECT_EXIT(runFatal(2, [] {
                gmps::Chan<int> never(0), started(0);
                for (int i = 0; i < 30; i++)  // goroutines 2..31 wait
                  gmps::go([never]() mutable { never.recv(); });
                gmps::go([started]() mutable {  // goroutine 32 panics
                  started.send(0);
                  gmps::panic("thirty-two");
                });
                started.recv();
                never.recv();
              }),
              ::testing::ExitedWithCode(2), "^panic: thirty-two\n\ngoroutine 32 \\[running\\]:\n");
  expectTrace();
}

// ---------------------------------------------------------------------------
// Stack overflow

volatile int g_never = -1;

// deep recurses without end; the frame is used after the call, so it cannot become
// a loop (no tail call), and the condition keeps -Winfinite-recursion quiet.
__attribute__((noinline)) int deep(int n) {
  char pad[512];
  for (size_t i = 0; i < sizeof pad; i += 64) pad[i] = char(n);
  asm volatile("" : : "r"(pad) : "memory");
  if (n == g_never) return 0;
  int r = deep(n + 1);
  asm volatile("" : : "r"(pad) : "memory");
  return r + pad[n & 511];
}

TEST_F(Fatal, StackOverflowInMainMain) {
#if defined(GMPSCOPE_ASAN)
  GTEST_SKIP() << "ASan reports the overflow itself";
#endif
  EXPECT_EXIT(runFatal(1, [] { std::printf("%d\n", deep(0)); }), ::testing::ExitedWithCode(2),
              "fatal error: stack overflow\n\n(.*\n)?goroutine 1 \\[running\\]:");
  expectTrace();
}

TEST_F(Fatal, StackOverflowInAGoroutineNamesIt) {
#if defined(GMPSCOPE_ASAN)
  GTEST_SKIP() << "ASan reports the overflow itself";
#endif
  EXPECT_EXIT(runFatal(2, [] {
                gmps::Chan<int> never(0);
                gmps::go([never]() mutable { never.recv(); });                  // 2
                gmps::go([] { std::printf("%d\n", deep(0)); });               // 3
                never.recv();
              }),
              ::testing::ExitedWithCode(2), "fatal error: stack overflow\n\n(.*\n)?goroutine 3 \\[running\\]:");
  expectTrace();
}

// Past the guard-page budget (stack.cpp: about 26,700 stacks with the default
// vm.max_map_count) stacks have no PROT_NONE page below them. An overflow there must
// still be reported as a stack overflow, naming the goroutine (the fault may come
// only after the overflow ran through the neighbouring stacks).
TEST_F(Fatal, StackOverflowBeyondTheGuardPageBudget) {
#if defined(GMPSCOPE_ASAN)
  GTEST_SKIP() << "ASan reports the overflow itself";
#endif
  EXPECT_EXIT(runFatal(
                  2,
                  [] {
                    const int kBlocked = 30000;  // more stacks than guard pages
                    gmps::Chan<int> never(0);
                    gmps::WaitGroup started;
                    started.Add(kBlocked);
                    for (int i = 0; i < kBlocked; i++) {
                      gmps::go([never, &started]() mutable {
                        started.Done();
                        never.recv();
                      });
                    }
                    started.Wait();
                    std::fprintf(stderr, "blocked %d\n", kBlocked);
                    gmps::go([] { std::printf("%d\n", deep(0)); });  // goroutine 30002
                    never.recv();
                  },
                  16 * 1024),
              ::testing::ExitedWithCode(2),
              "blocked 30000\n(.*\n)?fatal error: stack overflow\n\n(.*\n)?goroutine 30002 \\[running\\]:");
  expectTrace(false);
}

}  // namespace
