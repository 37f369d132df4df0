// startup_test.cpp — the startup sequence as the trace records it (DESIGN.md's Startup
// steps, in order) and package init functions (GMPS_INIT) run in dependency order on
// the main goroutine before main.main.
//
// GMPS_INIT registrations are process-wide: they live in this executable only.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "gmpscope/go.h"
#include "trace_util.h"

using gmps::testutil::isEv;
using gmps::testutil::json;

namespace {
std::vector<std::string> g_initOrder;
std::vector<int64_t> g_initGoids;
bool g_mainRan = false;
}  // namespace

// Registered in this (source) order; the dependencies force another one:
// a and d have none, c needs a and d, b needs c, e needs b and a.
GMPS_INIT(b, "c") {
  g_initOrder.push_back("b");
  g_initGoids.push_back(gmps::goid());
}
GMPS_INIT(e, "b", "a") {
  g_initOrder.push_back("e");
  g_initGoids.push_back(gmps::goid());
}
GMPS_INIT(c, "a", "d") {
  g_initOrder.push_back("c");
  g_initGoids.push_back(gmps::goid());
}
GMPS_INIT(a) {
  g_initOrder.push_back("a");
  g_initGoids.push_back(gmps::goid());
}
GMPS_INIT(d) {
  g_initOrder.push_back("d");
  g_initGoids.push_back(gmps::goid());
}

namespace {

const std::vector<std::string> kSteps = {"rt0_go",       "check",  "args",         "osinit",
                                         "schedinit",    "newproc", "mstart",      "runtime.main",
                                         "sysmon",       "runtime_init", "gcenable", "main_init",
                                         "main_main",    "exit"};

struct StartupRun {
  std::vector<json> events;
  json header;
};

StartupRun runTraced(int procs) {
  g_initOrder.clear();
  g_initGoids.clear();
  g_mainRan = false;
  std::string path = gmps::testutil::tracePath("startup" + std::to_string(procs));
  gmps::Config cfg;
  cfg.procs = procs;
  cfg.trace = path.c_str();
  cfg.program = "startup_test";
  int code = gmps::run(
      [] {
        // Every init has run, on this goroutine, before main.main.
        EXPECT_EQ(g_initOrder.size(), 5u);
        EXPECT_EQ(gmps::goid(), 1);
        g_mainRan = true;
      },
      cfg);
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(g_mainRan);
  auto t = gmps::testutil::readTrace(path);
  EXPECT_TRUE(t.ok) << t.error;
  std::remove(path.c_str());
  return StartupRun{t.events, t.header};
}

size_t pos(const std::vector<std::string>& v, const std::string& s) {
  return size_t(std::find(v.begin(), v.end(), s) - v.begin());
}

void checkInitOrder() {
  ASSERT_EQ(g_initOrder.size(), 5u);
  auto before = [&](const char* x, const char* y) {
    EXPECT_LT(pos(g_initOrder, x), pos(g_initOrder, y)) << x << " must init before " << y;
  };
  before("a", "c");
  before("d", "c");
  before("c", "b");
  before("b", "e");
  before("a", "e");
  for (int64_t id : g_initGoids) EXPECT_EQ(id, 1) << "inits run on the main goroutine";
}

class Startup : public ::testing::TestWithParam<int> {};

TEST_P(Startup, StepsAreRecordedInDesignOrder) {
  const int procs = GetParam();
  StartupRun r = runTraced(procs);
  std::vector<json> steps;
  for (const auto& e : r.events)
    if (isEv(e, "Startup")) steps.push_back(e);
  std::vector<std::string> names;
  for (const auto& e : steps) names.push_back(e["step"]);
  ASSERT_EQ(names, kSteps);

  auto step = [&](const char* n) -> const json& { return steps[pos(names, n)]; };
  EXPECT_GT(step("rt0_go")["value"].get<int64_t>(), 0) << "g0's stack size";
  EXPECT_EQ(step("osinit")["value"], r.header["ncpu"]) << "osinit counts the CPUs";
  EXPECT_EQ(step("schedinit")["value"], procs) << "schedinit sets GOMAXPROCS";
  EXPECT_EQ(step("newproc")["value"], 1) << "newproc made G1, runtime.main";
  EXPECT_EQ(r.header["gomaxprocs"], procs);
  EXPECT_EQ(r.header["program"], "startup_test");

  // rt0_go .. mstart run on m0 before any goroutine; runtime.main onwards on G1.
  for (const char* n : {"rt0_go", "check", "args", "osinit", "schedinit", "newproc", "mstart"}) {
    EXPECT_EQ(step(n)["m"], 0) << n;
    EXPECT_EQ(step(n)["g"], -1) << n;
  }
  for (const char* n : {"runtime.main", "sysmon", "runtime_init", "gcenable", "main_init", "main_main", "exit"})
    EXPECT_EQ(step(n)["g"], 1) << n;

  // sysmon's step names the M that runtime.main started for it, and that M exists.
  int64_t sysmonM = step("sysmon")["value"];
  EXPECT_GT(sysmonM, 0);
  bool sysmonStarted = false;
  for (const auto& e : r.events)
    if (isEv(e, "MStart") && e["m"] == sysmonM) sysmonStarted = true;
  EXPECT_TRUE(sysmonStarted) << "no MStart of the sysmon M " << sysmonM;

  // schedinit made the Ps (procresize, before its own step): a ProcsChange to
  // GOMAXPROCS and P0 started on m0.
  bool procsChange = false, proc0 = false;
  for (const auto& e : r.events) {
    if (isEv(e, "ProcsChange") && e["procs"] == procs) procsChange = true;
    if (isEv(e, "ProcStart") && e["m"] == 0 && e["p"] == 0) proc0 = true;
    if (isEv(e, "Startup") && e["step"] == "schedinit") break;
  }
  EXPECT_TRUE(procsChange);
  EXPECT_TRUE(proc0);

  // Timestamps never go backwards.
  int64_t last = -1;
  for (const auto& e : r.events) {
    EXPECT_GE(e["ts"].get<int64_t>(), last);
    last = e["ts"].get<int64_t>();
  }
}

TEST_P(Startup, MainInitRunsInitsInDependencyOrder) {
  StartupRun r = runTraced(GetParam());
  checkInitOrder();
  const json* mainInit = nullptr;
  for (const auto& e : r.events)
    if (isEv(e, "Startup") && e["step"] == "main_init") mainInit = &e;
  ASSERT_NE(mainInit, nullptr);
  EXPECT_EQ((*mainInit)["value"], 5) << "the number of init functions";
  std::string joined;
  for (const auto& n : g_initOrder) joined += (joined.empty() ? "" : ",") + n;
  EXPECT_EQ((*mainInit)["name"], joined) << "main_init names the inits in the order they ran";
}

TEST(StartupRuns, InitsRunAgainOnEveryRun) {
  runTraced(1);
  checkInitOrder();
  auto first = g_initOrder;
  runTraced(2);
  checkInitOrder();
  EXPECT_EQ(g_initOrder, first) << "the dependency order is deterministic";
}

TEST(StartupRuns, HelloWorldTraceIsAlmostOnlyTheStartupSequence) {
  StartupRun r = runTraced(1);
  // main.main does nothing: between main_main and exit it creates and waits for nothing.
  bool inMain = false;
  for (const auto& e : r.events) {
    if (isEv(e, "Startup") && e["step"] == "main_main") inMain = true;
    if (isEv(e, "Startup") && e["step"] == "exit") break;
    // (sysmon may preempt it, so GoStop/RunqPut/RunqGet of G1 can appear.)
    if (inMain && e["g"] == 1) {
      EXPECT_FALSE(isEv(e, "GoCreate") || isEv(e, "GoBlock") || isEv(e, "GoEnd"))
          << "unexpected event in an empty main.main: " << e.dump();
    }
  }
  EXPECT_TRUE(inMain);
}

INSTANTIATE_TEST_SUITE_P(Procs, Startup, ::testing::Values(1, 2, 4),
                         [](const ::testing::TestParamInfo<int>& i) { return "procs" + std::to_string(i.param); });

}  // namespace
