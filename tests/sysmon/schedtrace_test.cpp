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

// runCapturingStderr runs a 350 ms workload and returns what went to stderr.
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
}

}  // namespace
