// describe_state.h — a scheduler state as text, one line per P, M and G, from a
// SchedState or from the model-internal Replayer, so tests can compare a seek with a
// replay from the first event and show the difference line by line.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "gmpscope/model/state.h"
#include "replay.h"  // model-internal: viewer/model/src

namespace gmps::model::textual {

// describe: everything a SchedState says, one line per P, M and G.
inline std::string describe(const SchedState& st) {
  std::string s = "next " + std::to_string(st.next) + " idle";
  for (int32_t p : st.idleProcs) s += " " + std::to_string(p);
  s += "\n";
  for (const auto& P : st.procs) {
    s += "P" + std::to_string(P.id) + " m" + std::to_string(P.m) + " g" + std::to_string(P.curg) +
         " next" + std::to_string(P.runnext) + " q";
    for (int32_t g : P.runq) s += " " + std::to_string(g);
    s += "\n";
  }
  s += "global";
  for (int32_t g : st.globalQueue) s += " " + std::to_string(g);
  s += "\n";
  for (const auto& M : st.machines)
    s += "M" + std::to_string(M.id) + " " + mStatusName(M.status) + " p" +
         std::to_string(M.p) + " g" + std::to_string(M.curg) + (M.sysmon ? " sysmon\n" : "\n");
  for (const auto& G : st.goroutines)
    s += "G" + std::to_string(G.id) + " " + gStatusName(G.status) + " r" +
         std::to_string(G.reason) + " since" + std::to_string(G.since) + " m" +
         std::to_string(G.m) + " p" + std::to_string(G.p) + "\n";
  return s + "dead " + std::to_string(st.deadGoroutines);
}

// describe: the same of a Replayer run from the first event.
inline std::string describe(const detail::Replayer& r, const detail::GIds& ids,
                     EventIndex next) {
  auto gid = [&](int32_t g) { return g < 0 ? -1 : ids.id(g); };
  std::string s = "next " + std::to_string(next) + " idle";
  for (size_t p = 0; p < r.ps.size(); p++)
    if (r.ps[p].m < 0) s += " " + std::to_string(p);
  s += "\n";
  for (size_t p = 0; p < r.ps.size(); p++) {
    const auto& P = r.ps[p];
    s += "P" + std::to_string(p) + " m" + std::to_string(P.m) + " g" + std::to_string(gid(P.curg)) +
         " next" + std::to_string(gid(P.runnext)) + " q";
    for (int32_t g : P.runq) s += " " + std::to_string(gid(g));
    s += "\n";
  }
  s += "global";
  for (int32_t g : r.global) s += " " + std::to_string(gid(g));
  s += "\n";
  for (size_t m = 0; m < r.ms.size(); m++) {
    const auto& M = r.ms[m];
    if (M.st == MStatus::None) continue;
    s += "M" + std::to_string(m) + " " + mStatusName(M.st) + " p" + std::to_string(M.p) +
         " g" + std::to_string(gid(M.curg)) + (M.sysmon ? " sysmon\n" : "\n");
  }
  std::vector<int32_t> live = r.live;
  std::sort(live.begin(), live.end());
  for (int32_t g : live) {
    const auto& G = r.gs[size_t(g)];
    bool onP = G.st == GStatus::Running;
    s += "G" + std::to_string(gid(g)) + " " + gStatusName(G.st) + " r" +
         std::to_string(G.reason) + " since" + std::to_string(G.since) + " m" +
         std::to_string(G.m) + " p" + std::to_string(onP ? G.p : -1) + "\n";
  }
  return s + "dead " + std::to_string(r.dead);
}

}  // namespace gmps::model::textual
