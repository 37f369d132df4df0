// boot_trace.h — the opening that the hand-made two-P test traces share: the header,
// two Ps, P0 started, and runtime.main (G1) created, put in P0's runnext and started
// there (ts 5 to 40). A test appends the events it is about, from ts 41 on.
#pragma once

#include <string>

namespace gmps::testing {

inline std::string bootTrace(const std::string& program) {
  return R"({"format":"gmpscope-trace","version":1,"program":")" + program +
         R"(","gomaxprocs":2,"ncpu":2,"clock":"ns"}
{"ev":"ProcsChange","ts":5,"m":0,"p":-1,"g":-1,"procs":2}
{"ev":"ProcStart","ts":10,"m":0,"p":0,"g":-1}
{"ev":"GoCreate","ts":20,"m":0,"p":0,"g":-1,"newg":1,"label":"runtime.main"}
{"ev":"RunqPut","ts":21,"m":0,"p":0,"g":-1,"gp":1,"where":"runnext","kicked":-1}
{"ev":"RunqGet","ts":30,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":40,"m":0,"p":0,"g":1,"inherit":1}
)";
}

}  // namespace gmps::testing
