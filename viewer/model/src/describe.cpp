// describe.cpp — how the Replayer words what it found, for `gmpscope check`:
//   GoStart of G7: G7 is waiting (blocked on chan receive since line 1200), not runnable
// and describeEvent, the sentence for one event that fits its arguments (the viewer's
// details): "G9 was made runnable again by the network poller on M1, not by a goroutine".
#include <algorithm>
#include <vector>

#include "gmpscope/model/stats.h"
#include "gmpscope/model/trace_model.h"
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

// ---------------------------------------------------------------------------
// describeEvent

namespace gmps::model {
namespace {


std::string num(int64_t v) { return std::to_string(v); }
std::string gN(int64_t g) { return "G" + num(g); }

// prevOnM: the last event before i that M m recorded and skip() does not pass over
// (kNoEvent if none within a bounded look back: the events of one M's step are close).
template <typename Skip>
EventIndex prevOnM(const TraceModel& m, EventIndex i, int32_t mid, Skip skip) {
  constexpr EventIndex kLookBack = 1 << 14;
  for (EventIndex j = i - 1; j >= 0 && i - j <= kLookBack; j--) {
    const Event& e = m.event(j);
    if (e.m == mid && !skip(e)) return j;
  }
  return kNoEvent;
}
EventIndex prevOnM(const TraceModel& m, EventIndex i, int32_t mid) {
  return prevOnM(m, i, mid, [](const Event&) { return false; });
}
Ev evAt(const TraceModel& m, EventIndex i) { return i == kNoEvent ? Ev::Count : m.event(i).ev; }

// waitReasonEndingAt: the BlockReason of G id's waiting span that event i ends, -1 if none.
int waitReasonEndingAt(const TraceModel& m, int64_t id, EventIndex i) {
  const GoroutineLane* g = id < 0 || id > INT32_MAX ? nullptr : m.goroutine(int32_t(id));
  if (g == nullptr) return -1;
  auto it = std::partition_point(g->spans.begin(), g->spans.end(), [&](const Span& s) { return s.begin < i; });
  if (it == g->spans.begin()) return -1;
  const Span& s = *(it - 1);
  return s.kind == SpanKind::GWaiting && s.end == i ? int(s.detail) : -1;
}

std::string enumText(const TraceModel& m, const Event& e, int i) {
  const trace::ArgDef& a = trace::eventDef(e.ev).args[i];
  auto tab = trace::enumTable(a.enumKind);
  int64_t v = m.trace().arg(e, i);
  return v >= 0 && v < tab.count ? tab.names[v] : "?";
}

std::string glistText(std::span<const int32_t> gs) {
  std::string s;
  for (size_t k = 0; k < gs.size(); k++) s += (k ? ", G" : "G") + num(gs[k]);
  return s;
}

bool isSysmonM(const TraceModel& m, int32_t mid) {
  return mid >= 0 && size_t(mid) < m.machines().size() && m.machines()[size_t(mid)].sysmon;
}

std::string unblockText(const TraceModel& m, EventIndex i, const Event& e) {
  const int64_t gp = m.trace().arg(e, 0);
  const std::string who = "goroutine " + gN(gp) + " was made runnable again ";
  if (e.g >= 0) return who + "by " + gN(e.g) + ", which was running on M" + num(e.m) + " (proc.go ready)";
  const std::string onM = " on M" + num(e.m) + ", not by a goroutine";
  // park_m: the G's own GoBlock just before, on this M: its unlock function said no.
  EventIndex prev = prevOnM(m, i, e.m);
  if (evAt(m, prev) == Ev::GoBlock && m.event(prev).g == gp)
    return who + "at once: gopark's unlock function declined the park, so it runs on M" + num(e.m) +
           " again (park_m)";
  const int why = waitReasonEndingAt(m, gp, i);
  if (isSysmonM(m, e.m))
    return who + "by sysmon" + (why == int(trace::BlockReason::NetPoll) ? ", whose network poll found its I/O ready," : "") +
           onM;
  if (why == int(trace::BlockReason::NetPoll)) return who + "by the network poller (netpoll)" + onM;
  if (why == int(trace::BlockReason::Sleep)) return who + "by timer code (its sleep ended)" + onM;
  return who + "by the scheduler/poller/timer code" + onM;
}

std::string parkText(const TraceModel& m, EventIndex i, const Event& e) {
  const std::string base = "M" + num(e.m) + " sleeps on its note (stopm) until startm wakes it with a P";
  // exitsyscall0 records GoSyscallEndBlocked and the RunqPut of the G to the global queue.
  EventIndex prev = prevOnM(m, i, e.m, [](const Event& x) { return x.ev == Ev::RunqPut; });
  switch (evAt(m, prev)) {
    case Ev::GoSyscallEndBlocked:
      return base + ": its G's system call returned and no P was free (exitsyscall slow path), so "
                    "the G went to the global queue";
    case Ev::ProcStop:
    case Ev::MSpinStop: return base + ": findRunnable found no work, so it released its P";
    default: return base;
  }
}

std::string spinStartText(const TraceModel& m, EventIndex i, const Event& e) {
  const std::string me = "M" + num(e.m);
  EventIndex prev = prevOnM(m, i, e.m);
  if (evAt(m, prev) == Ev::MStart)
    return me + " started spinning: it was made to spin (startm with spinning, by wakep or handoffp, which "
                "already counted it in nmspinning)";
  if (evAt(m, prev) == Ev::ProcStart) {
    Ev before = evAt(m, prevOnM(m, prev, e.m));
    if (before == Ev::MPark || before == Ev::MStart)
      return me + " was woken to spin with P" + num(e.p) +
             " (startm with spinning, by wakep or handoffp, which already counted it in nmspinning)";
    if (before == Ev::MSpinStop)
      return me + " had stopped spinning and released its P, then took P" + num(e.p) +
             " (work seen on a re-check, or its network poll returned): it spins again";
  }
  return me + " found no work in P" + num(e.p) + "'s queues or the global queue and spins to steal some";
}

// handoffText says where handoffp sent the P: to the M that startm started for it (the
// handoff flow), or to the idle list (pidleput, not recorded), seen from the M that
// later took it from there.
std::string handoffText(const TraceModel& m, EventIndex i, const Event& e) {
  const int64_t p = m.trace().arg(e, 0);
  const std::string P = "P" + num(p);
  std::vector<int32_t> touching;
  m.flowsTouching(i, i + 1, touching);
  for (int32_t k : touching) {
    const Flow& f = m.flows()[size_t(k)];
    if (f.kind != FlowKind::Handoff || f.from != i) continue;
    const Event& to = m.event(f.to);
    return P + " was handed off (handoffp): startm gave it to M" + num(to.m) +
           ", which acquires it " + formatDuration(to.ts - e.ts) + " later";
  }
  if (p >= 0 && size_t(p) < m.procs().size()) {
    const auto& held = m.procs()[size_t(p)].held;
    auto s = std::upper_bound(held.begin(), held.end(), i,
                              [](EventIndex v, const Span& x) { return v < x.begin; });
    if (s != held.end() && m.event(s->begin).ev == Ev::ProcStart) {
      const Event& to = m.event(s->begin);
      return P +
             " was handed off and put idle: handoffp found no work for it and started no M "
             "(pidleput); M" +
             num(to.m) + " takes it from the idle list " + formatDuration(to.ts - e.ts) + " later";
    }
  }
  return P + " was handed off (handoffp); no M takes it before the trace ends";
}

std::string runqGetText(const TraceModel& m, const Event& e) {
  const trace::Trace& t = m.trace();
  const std::string g = gN(t.arg(e, 0)), p = "P" + num(e.p);
  auto batch = t.glist(e, 2);
  std::string s = "the scheduler picked " + g;
  switch (trace::RunqSrc(t.arg(e, 1))) {
    case trace::RunqSrc::Runnext: s += " from " + p + "'s runnext (it inherits the time slice)"; break;
    case trace::RunqSrc::Local: s += " from the head of " + p + "'s local queue"; break;
    case trace::RunqSrc::GlobalFair: s += " from the global queue: the 1-in-61 schedtick fairness check"; break;
    case trace::RunqSrc::Global: s += " from the global queue, " + p + "'s local queue being empty"; break;
    case trace::RunqSrc::Steal: s += ", the G it just stole from another P"; break;
    case trace::RunqSrc::Netpoll: s += ", which the network poller had just readied"; break;
    default: s += " (src=" + enumText(m, e, 1) + ")"; break;
  }
  if (!batch.empty()) s += "; " + glistText(batch) + " moved from the global queue to " + p + "'s local queue with it";
  return s;
}

std::string runqPutText(const TraceModel& m, const Event& e) {
  const trace::Trace& t = m.trace();
  const std::string g = gN(t.arg(e, 0)), p = "P" + num(e.p);
  const int64_t kicked = t.arg(e, 2);
  std::string s = g + " was queued ";
  switch (trace::RunqWhere(t.arg(e, 1))) {
    case trace::RunqWhere::Runnext: s += "in " + p + "'s runnext"; break;
    case trace::RunqWhere::Local: s += "at the tail of " + p + "'s local queue"; break;
    case trace::RunqWhere::Global: s += "on the global queue"; break;
    default: s += "(where=" + enumText(m, e, 1) + ")"; break;
  }
  if (kicked >= 0) s += "; it pushed " + gN(kicked) + " out of runnext, to the local queue";
  return s;
}

}  // namespace

std::string describeEvent(const TraceModel& m, EventIndex i) {
  if (i < 0 || size_t(i) >= m.events().size()) return "";
  const Event& e = m.event(i);
  const trace::Trace& t = m.trace();
  auto a = [&](int k) { return t.arg(e, k); };
  const std::string M = "M" + num(e.m), P = "P" + num(e.p), G = e.g >= 0 ? gN(e.g) : "the G";
  switch (e.ev) {
    case Ev::GoCreate:
      if (e.g < 0) return "the runtime, not a go statement in a goroutine, created goroutine " + gN(a(0)) + " (newproc)";
      return "a go statement in " + gN(e.g) + " created goroutine " + gN(a(0));
    case Ev::GoStart:
      return G + " starts running on " + M + " and " + P +
             (a(0) ? "; inherit=1: it shares the current time slice (schedtick does not advance)"
                   : "; inherit=0: it starts a new time slice");
    case Ev::GoStop:
      if (a(0) == int64_t(trace::StopReason::Gosched)) return G + " yielded (runtime.Gosched); it stays runnable";
      if (a(0) == int64_t(trace::StopReason::Preempted)) return G + " was preempted; it stays runnable";
      return G + " stopped but stays runnable (reason " + enumText(m, e, 0) + ")";
    case Ev::GoBlock: return G + " parked: it waits (" + enumText(m, e, 0) + ")";
    case Ev::GoUnblock: return unblockText(m, i, e);
    case Ev::GoEnd: return G + " returned from its function; its G is recycled";
    case Ev::GoSyscallBegin:
      return a(0) ? G + " entered a blocking system call; blocking=1: " + M + " hands its P off at once"
                  : G + " entered a system call; blocking=0: " + M + " keeps " + P +
                        " for now (sysmon retakes it if the call lasts)";
    case Ev::GoSyscallEnd: return G + " left its system call and kept or found a P (fast path)";
    case Ev::GoSyscallEndBlocked:
      return G + " left its system call but no P was free: it goes to the global queue and " + M + " stops";
    case Ev::ProcStart: return M + " acquired " + P;
    case Ev::ProcStop: return M + " released " + P;
    case Ev::ProcSteal:
      return "P" + num(a(0)) + " was taken from M" + num(a(1)) +
             ", which was in a system call (not run-queue stealing)";
    case Ev::ProcsChange: return "the number of Ps changed to " + num(a(0));
    case Ev::RunqPut: return runqPutText(m, e);
    case Ev::RunqPutSlow: {
      auto gs = t.glist(e, 0);
      return P + "'s local queue was full: " + num(int64_t(gs.size())) + " Gs (its first half plus the new G, " +
             (gs.empty() ? std::string("?") : gN(gs.back())) + ") moved to the global queue";
    }
    case Ev::RunqGet: return runqGetText(m, e);
    case Ev::RunqSteal: {
      auto gs = t.glist(e, 1);
      std::string s = P + " stole " + num(int64_t(gs.size())) + (gs.size() == 1 ? " G" : " Gs") + " from P" +
                      num(a(0)) + (a(2) ? ", taking its runnext" : "'s local queue");
      if (gs.empty()) return s;
      s += "; " + gN(gs.back()) + " runs now";
      if (gs.size() > 1) s += ", the rest go to " + P + "'s local queue";
      return s;
    }
    case Ev::MStart:
      return "a new OS thread, " + M + ", started" + (a(0) >= 0 ? "; M" + num(a(0)) + " made it" : std::string());
    case Ev::MSpinStart: return spinStartText(m, i, e);
    case Ev::MSpinStop: return M + " stopped spinning";
    case Ev::MPark: return parkText(m, i, e);
    case Ev::MUnpark: return M + " woke sleeping M" + num(a(0)) + ", handing it P" + num(a(1));
    case Ev::HandoffP:
      return handoffText(m, i, e);
    case Ev::Wakep:
      return "there was an idle P and no spinning M: " + M +
             " starts one spinning (nmspinning counts it already; it records MSpinStart once it runs)";
    case Ev::SysmonTick: return "sysmon woke after sleeping " + formatDuration(a(0));
    case Ev::SysmonPreempt:
      return "sysmon asked " + gN(a(0)) + " on P" + num(a(1)) + " to stop: it had run for " + formatDuration(a(2)) +
             (a(3) ? "; async=1: it also signalled the G's M, so even a loop that calls nothing can be "
                     "stopped (once the signal lands at an async safe point)"
                   : "; async=0: it set the preempt flag only, so the G stops at its next call into the "
                     "runtime (a loop that calls nothing never does)");
    case Ev::SysmonRetake:
      return "sysmon took P" + num(a(0)) + " back from M" + num(a(1)) + ", in a system call sysmon had seen for " +
             formatDuration(a(2)) + " (counted from its first look: the call may be older)";
    case Ev::Startup: return "startup step " + enumText(m, e, 0) + " of the runtime's startup sequence";
    default: return trace::eventDef(e.ev).summary;
  }
}

}  // namespace gmps::model
