// describe.cpp — how the Replayer words what it found, for `gmpscope check`:
//   GoStart of G7: G7 is waiting (blocked on chan receive since line 1200), not runnable
#include "replay.h"

namespace gmps::model::detail {
namespace {

std::string num(int64_t v) { return std::to_string(v); }

}  // namespace

bool Replayer::violate(std::string msg) {
  if (err_.empty()) err_ = std::move(msg);
  return false;
}

std::string Replayer::line(EventIndex i) const { return "line " + num(t_.lineOf(i)); }

std::string Replayer::gName(int32_t g) const { return g < 0 ? "no G" : "G" + num(ids_.id(g)); }

std::string Replayer::describeWhere(int32_t g) const {
  const GRec& G = gs[size_t(g)];
  std::string since = G.qsince == kNoEvent ? "" : " since " + line(G.qsince);
  switch (G.q) {
    case Where::None: return "in no run queue";
    case Where::Runnext: return "in P" + num(G.p) + "'s runnext" + since;
    case Where::Local: return "in P" + num(G.p) + "'s local queue" + since;
    case Where::Global: return "in the global queue" + since;
  }
  return "?";
}

std::string Replayer::describeG(int32_t g) const {
  const GRec& G = gs[size_t(g)];
  std::string since = G.since == kNoEvent ? "" : "since " + line(G.since);
  switch (G.st) {
    case GStatus::None: return "not created yet";
    case GStatus::Runnable: {
      std::string s = "runnable (" + since + ")";
      if (G.q != Where::None) s += ", " + describeWhere(g);
      return s;
    }
    case GStatus::Running: return "running on M" + num(G.m) + "/P" + num(G.p) + " (" + since + ")";
    case GStatus::Waiting: {
      auto r = trace::enumTable(trace::EnumKind::BlockReason);
      const char* why = G.reason < r.count ? r.names[G.reason] : "?";
      return std::string("waiting (blocked on ") + why + " " + since + ")";
    }
    case GStatus::Syscall: return "in a syscall on M" + num(G.m) + " (" + since + ")";
    case GStatus::Dead: return "dead (ended at " + line(G.since) + ")";
    case GStatus::Count: break;
  }
  return "?";
}

std::string Replayer::describeM(int32_t m) const {
  const MRec& M = ms[size_t(m)];
  std::string since = M.since == kNoEvent ? "" : " (since " + line(M.since) + ")";
  switch (M.st) {
    case MStatus::None: return "not started yet";
    case MStatus::Running: return "running " + gName(M.curg) + since;
    case MStatus::Syscall: return "in a syscall with " + gName(M.curg) + since;
    default: return mStatusName(M.st) + since;
  }
}

std::string Replayer::describeP(int32_t p) const {
  const PRec& P = ps[size_t(p)];
  std::string since = P.since == kNoEvent ? "" : " (since " + line(P.since) + ")";
  if (P.m < 0) return "idle" + since;
  return "held by M" + num(P.m) + since;
}

// what names the event and the thing it is about, the way a person would say it.
std::string Replayer::what(const Event& e) const {
  std::string name = trace::eventName(e.ev);
  auto gArg = [&](int i) { return name + " of G" + num(t_.arg(e, i)); };
  auto onM = " on M" + num(e.m);
  switch (e.ev) {
    case Ev::GoCreate:
    case Ev::GoUnblock:
    case Ev::RunqPut:
    case Ev::RunqGet: return gArg(0);
    case Ev::GoStart:
    case Ev::GoStop:
    case Ev::GoBlock:
    case Ev::GoEnd:
    case Ev::GoSyscallBegin:
    case Ev::GoSyscallEnd:
    case Ev::GoSyscallEndBlocked: return e.g < 0 ? name + onM : name + " of G" + num(e.g);
    case Ev::ProcStart:
    case Ev::ProcStop: return name + " of P" + num(e.p) + onM;
    case Ev::ProcSteal: return name + " of P" + num(t_.arg(e, 0)) + " from M" + num(t_.arg(e, 1));
    case Ev::RunqPutSlow: return name + " on P" + num(e.p);
    case Ev::RunqSteal: return name + " by P" + num(e.p) + " from P" + num(t_.arg(e, 0));
    case Ev::MUnpark: return name + " of M" + num(t_.arg(e, 0)) + " by M" + num(e.m);
    case Ev::MStart:
    case Ev::MSpinStart:
    case Ev::MSpinStop:
    case Ev::MPark: return name + " of M" + num(e.m);
    default: return name + onM;
  }
}

}  // namespace gmps::model::detail
