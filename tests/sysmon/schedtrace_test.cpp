// GMPDEBUG=schedtrace prints Go's SCHED lines; scheddetail adds P, M and G lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "gmpscope/go.h"
#include "trace_read.h"

using namespace sysmontest;

namespace {

// runCapturingStderr runs a 350 ms workload and returns what went to stderr: 16
// goroutines that end at once, then 35 rounds of 8 sleepers (which reuse 8 of the
// dead Gs' structs, so 8 stay dead throughout).
std::string runCapturingStderr() {
  std::string path = tempTrace("stderr");
  std::fflush(stderr);
  int saved = dup(2);
  FILE* f = std::fopen(path.c_str(), "w");
  dup2(fileno(f), 2);
  gmps::Config cfg;
  cfg.procs = 2;
  gmps::run(
      [] {
        {
          gmps::WaitGroup wg;
          wg.Add(16);
          for (int k = 0; k < 16; k++) gmps::go([&] { wg.Done(); });
          wg.Wait();
        }
        for (int i = 0; i < 35; i++) {
          gmps::WaitGroup wg;
          wg.Add(8);
          for (int k = 0; k < 8; k++) gmps::go([&] { gmps::Sleep(std::chrono::milliseconds(10)); wg.Done(); });
          wg.Wait();
        }
      },
      cfg);
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::fclose(f);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::remove(path.c_str());
  return ss.str();
}

TEST(Schedtrace, PrintsGoSchedLines) {
  EnvGuard env("GMPDEBUG", "schedtrace=100");
  std::string out = runCapturingStderr();
  std::regex line(R"(SCHED \d+ms: gomaxprocs=2 idleprocs=[0-2] threads=\d+ spinningthreads=\d+ idlethreads=\d+ runqueue=\d+ \[\d+ \d+\])");
  int n = 0;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("SCHED", 0) != 0) continue;
    EXPECT_TRUE(std::regex_match(l, line)) << l;
    n++;
  }
  EXPECT_GE(n, 2) << out;
}

TEST(Schedtrace, DetailAddsPMAndGLines) {
  EnvGuard env("GMPDEBUG", "schedtrace=100,scheddetail=1");
  std::string out = runCapturingStderr();
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\n  P0: status=\d schedtick=\d+ syscalltick=\d+ m=-?\d+ runqsize=\d+ gfreecnt=\d+ timerslen=\d+)"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\n  M\d+: p=-?\d+ curg=-?\d+ .*spinning=(true|false) blocked=(true|false))"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\n  G1: status=\d+\([^)]*\) m=-?\d+ lockedm=-1)"))) << out;
  // As Go 1.19: the detailed SCHED line carries the four GC/lock counters, and each
  // block lists every G struct in allocation order (forEachG over allgs), dead ones
  // too: G1 first, and status=6 lines for Gs that ended (their structs are reused
  // under new ids later, so ids are not sorted, in Go either).
  EXPECT_TRUE(std::regex_search(
      out, std::regex(R"(SCHED \d+ms: [^\n]* runqueue=\d+ gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0\n  P0: )")))
      << out;
  std::istringstream in(out);
  std::string l;
  bool first = false;
  int blocks = 0, dead = 0;
  while (std::getline(in, l)) {
    if (l.rfind("SCHED", 0) == 0) {
      first = true;
      blocks++;
      continue;
    }
    if (l.rfind("  G", 0) != 0) continue;
    if (first) {
      EXPECT_EQ(l.rfind("  G1: ", 0), 0u) << "each block starts with G1: " << l;
    }
    first = false;
    dead += l.find(": status=6() ") != std::string::npos;
  }
  EXPECT_GT(dead, 0) << "ended goroutines are listed as status=6: " << out;
  EXPECT_GE(blocks, 2) << out;
}

}  // namespace
