#include "core/why.h"

#include <algorithm>
#include <cstdio>

#include "core/ruler.h"

namespace gmps::viewer {
namespace {

using model::Ev;
using model::GStatus;
using model::MStatus;
using model::Span;
using model::SpanKind;

std::string gName(int32_t g) { return "G" + std::to_string(g); }
std::string pName(int32_t p) { return "P" + std::to_string(p); }
std::string mName(int32_t m) { return "M" + std::to_string(m); }

// currentSpan: the span of g's lane in force after event cur, or nullptr.
const Span* currentSpan(const model::GoroutineLane& lane, EventIndex cur) {
  auto it = std::upper_bound(lane.spans.begin(), lane.spans.end(), cur,
                             [](EventIndex v, const Span& s) { return v < s.begin; });
  if (it == lane.spans.begin()) return nullptr;
  const Span& s = *(it - 1);
  if (s.end != kNoEvent && s.end <= cur) return nullptr;
  return &s;
}

// pickedBy: the RunqGet that picked g just before its GoStart at `start` (searching a
// short way back on the same M), or kNoEvent.
EventIndex pickedBy(const model::TraceModel& m, EventIndex start, int32_t g) {
  const int32_t mm = m.event(start).m;
  const int gp = trace::argIndex(Ev::RunqGet, "gp");
  for (EventIndex i = start - 1; i >= 0 && i >= start - 256; i--) {
    const model::Event& e = m.event(i);
    if (e.ev == Ev::RunqGet && e.m == mm && m.trace().arg(e, gp) == g) return i;
  }
  return kNoEvent;
}

std::string srcText(const model::TraceModel& m, EventIndex get) {
  const model::Event& e = m.event(get);
  auto src = trace::RunqSrc(m.trace().arg(e, trace::argIndex(Ev::RunqGet, "src")));
  switch (src) {
    case trace::RunqSrc::Runnext: return pName(e.p) + " takes it from runnext (runqget)";
    case trace::RunqSrc::Local: return pName(e.p) + " takes it from the head of its local queue (runqget)";
    case trace::RunqSrc::GlobalFair:
      return pName(e.p) + " takes it from the global queue on its 61st schedtick (the fairness check)";
    case trace::RunqSrc::Global: return pName(e.p) + " takes it from the global queue (globrunqget)";
    case trace::RunqSrc::Steal: return pName(e.p) + " steals it (stealWork → runqsteal)";
    case trace::RunqSrc::Netpoll: return pName(e.p) + " gets it back from the network poller";
    case trace::RunqSrc::Count: break;
  }
  return pName(e.p) + " picks it";
}

std::string at(double now, double t) { return "at +" + formatDuration(std::max(0.0, t - now)); }

std::string stopText(const model::TraceModel& m, EventIndex e) {
  const model::Event& ev = m.event(e);
  const trace::Trace& t = m.trace();
  switch (ev.ev) {
    case Ev::GoBlock:
      return std::string("it blocks (") + trace::kBlockReasonNames[t.arg(ev, 0)] + ")";
    case Ev::GoStop:
      return t.arg(ev, 0) == int64_t(trace::StopReason::Preempted) ? "it is preempted"
                                                                   : "it yields (Gosched)";
    case Ev::GoEnd: return "it returns from its function (GoEnd)";
    case Ev::GoSyscallBegin: return "it enters a system call";
    default: return std::string("it stops (") + trace::eventName(ev.ev) + ")";
  }
}

const char* causeText(uint8_t cause) {
  switch (model::RunnableCause(cause)) {
    case model::RunnableCause::Created: return "since it was created";
    case model::RunnableCause::Unblocked: return "since it was made ready";
    case model::RunnableCause::Yielded: return "since it yielded";
    case model::RunnableCause::Preempted: return "since it was preempted";
    case model::RunnableCause::SyscallExit: return "since it left a system call and found no P";
  }
  return "";
}

// Helpers over the state: who could come and take the G.
struct Helpers {
  std::vector<int32_t> spinning;  // spinning Ms
  std::vector<int32_t> idleP;
};
Helpers helpersOf(const model::SchedState& s) {
  Helpers h;
  for (const model::MachineState& ms : s.machines)
    if (ms.status == MStatus::Spinning) h.spinning.push_back(ms.id);
  h.idleP = s.idleProcs;
  return h;
}

std::string list(const std::vector<int32_t>& ids, std::string (*name)(int32_t)) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < 4; i++) out += (i ? ", " : "") + name(ids[i]);
  if (ids.size() > 4) out += ", …";
  return out;
}

std::string ranFor(const model::TraceModel& m, const model::SchedState& s, int32_t g, double now) {
  for (const model::GoroutineState& gs : s.goroutines) {
    if (gs.id != g || gs.since == kNoEvent) continue;
    double ran = now - double(m.event(gs.since).ts);
    return ran < 1 ? " (it has just started)" : " (for " + formatDuration(ran) + " so far)";
  }
  return "";
}

void addOwnerReasons(const model::TraceModel& m, const model::SchedState& s, double now,
                     const model::ProcState& ps, bool runnext, std::vector<std::string>& out) {
  if (ps.curg >= 0) {
    std::string r = pName(ps.id) + " is busy running " + gName(ps.curg) + ranFor(m, s, ps.curg, now) + ".";
    r += runnext ? " When it stops, runqget takes runnext before the queue, and the G inherits the "
                   "rest of the time slice."
                 : " sysmon preempts a G that runs 10 ms without stopping (forcePreemptNS).";
    out.push_back(r);
  } else if (ps.m >= 0) {
    out.push_back(pName(ps.id) + "'s thread " + mName(ps.m) +
                  " is in the scheduler (schedule → findRunnable) and is about to pick its next G.");
  } else {
    out.push_back(pName(ps.id) + " is idle: no M holds it (sched.pidle). It runs again when an M "
                  "acquires it (startm, wakep).");
  }
}

void addStealReasons(const model::SchedState& s, int32_t owner, bool runnext, std::vector<std::string>& out) {
  Helpers h = helpersOf(s);
  if (!h.spinning.empty()) {
    std::string who = list(h.spinning, mName);
    std::string r = who + (h.spinning.size() == 1 ? " is" : " are") + " spinning (looking for work) and may steal it";
    r += owner >= 0 ? ": runqsteal takes half of " + pName(owner) + "'s queue." : ".";
    if (runnext) r += " runnext is stolen only on stealWork's last pass.";
    out.push_back(r);
    return;
  }
  if (!h.idleP.empty()) {
    out.push_back("No spinning M: " + list(h.idleP, pName) + (h.idleP.size() == 1 ? " is" : " are") +
                  " idle, but no thread is looking for work to steal (wakep starts a spinning M when a G "
                  "becomes runnable and nobody spins).");
    return;
  }
  out.push_back("No idle P and no spinning M: every P is taken, so no other thread can come and take it.");
}

// explainInTransit: runnable but in no queue yet — between the event that made it
// runnable (GoStop, GoUnblock, ...) and the runqput that follows on the same thread.
void explainInTransit(const model::TraceModel& m, GExplanation& x, EventIndex cur) {
  const int gp = trace::argIndex(Ev::RunqPut, "gp"), where = trace::argIndex(Ev::RunqPut, "where");
  const auto n = EventIndex(m.events().size());
  for (EventIndex i = cur + 1; i < n && i <= cur + 64; i++) {
    const model::Event& e = m.event(i);
    if (e.ev != Ev::RunqPut || m.trace().arg(e, gp) != x.g) continue;
    const char* to = trace::kRunqWhereNames[m.trace().arg(e, where)];
    x.headline = gName(x.g) + " is runnable, on its way to " +
                 (std::string(to) == "global" ? std::string("the global queue") : pName(e.p) + "'s " + to);
    x.waitsFor.push_back("The next step on this thread, runqput, puts it there.");
    return;
  }
  x.headline = gName(x.g) + " is runnable, but in no queue the trace shows";
}

void explainRunnable(const model::TraceModel& m, const model::SchedState& s, EventIndex cur, double now,
                     const QueuePosition& q, GExplanation& x) {
  std::string who = gName(x.g);
  const model::ProcState* ps = q.p >= 0 && size_t(q.p) < s.procs.size() ? &s.procs[size_t(q.p)] : nullptr;
  switch (q.where) {
    case QueuePosition::Where::Runnext:
      x.headline = who + " is runnable: in " + pName(q.p) + "'s runnext slot (it runs next there)";
      if (ps) addOwnerReasons(m, s, now, *ps, true, x.waitsFor);
      addStealReasons(s, q.p, true, x.waitsFor);
      return;
    case QueuePosition::Where::Local: {
      x.headline = who + " is runnable: " + ordinal(q.index + 1) + " of " + std::to_string(q.length) + " in " +
                   pName(q.p) + "'s local run queue";
      std::string ahead = q.index == 0 ? "It is at the head of the queue" : std::to_string(q.index) +
                                                                             (q.index == 1 ? " G is" : " Gs are") +
                                                                             " ahead of it";
      if (ps && ps->runnext >= 0) ahead += ", and " + gName(ps->runnext) + " in runnext goes first";
      x.waitsFor.push_back(ahead + ".");
      if (ps) addOwnerReasons(m, s, now, *ps, false, x.waitsFor);
      addStealReasons(s, q.p, false, x.waitsFor);
      return;
    }
    case QueuePosition::Where::Global: {
      x.headline = who + " is runnable: " + ordinal(q.index + 1) + " of " + std::to_string(q.length) +
                   " in the global run queue";
      if (q.index > 0)
        x.waitsFor.push_back(std::to_string(q.index) + (q.index == 1 ? " G is" : " Gs are") + " ahead of it.");
      x.waitsFor.push_back("A P takes from the global queue when its runnext and local queue are empty "
                           "(globrunqget, in a batch), and on every 61st schedtick to stay fair.");
      bool allBusy = !s.procs.empty();
      for (const model::ProcState& p : s.procs) allBusy &= p.curg >= 0;
      if (allBusy) x.waitsFor.push_back("Every P is running a G right now.");
      addStealReasons(s, -1, false, x.waitsFor);
      return;
    }
    default: explainInTransit(m, x, cur); return;
  }
}

void explainNext(const model::TraceModel& m, EventIndex cur, double now, GExplanation& x) {
  const model::GoroutineLane* lane = m.goroutine(x.g);
  if (lane == nullptr) return;
  const Span* sp = currentSpan(*lane, cur);
  if (sp == nullptr) return;
  double began = double(m.event(sp->begin).ts);
  double ended = sp->end == kNoEvent ? double(m.endTime()) : double(m.event(sp->end).ts);
  switch (sp->kind) {
    case SpanKind::GRunnable:
      x.since = "runnable for " + formatDuration(std::max(0.0, now - began)) + ", " + causeText(sp->detail);
      if (sp->end == kNoEvent) {
        x.next = "It is still waiting when the trace ends.";
        break;
      }
      if (EventIndex get = pickedBy(m, sp->end, x.g); get != kNoEvent && get <= cur)
        x.next = "It starts running " + at(now, ended) + ", after " + formatDuration(ended - began) +
                 " runnable in all.";
      else if (get != kNoEvent)
        x.next = at(now, double(m.event(get).ts)) + " " + srcText(m, get) + " and runs it, after " +
                 formatDuration(ended - began) + " runnable in all.";
      else
        x.next = at(now, ended) + " it starts running on " + pName(m.event(sp->end).p) + ".";
      break;
    case SpanKind::GRunning:
      x.since = "running for " + formatDuration(std::max(0.0, now - began));
      x.next = sp->end == kNoEvent ? "It is still running when the trace ends."
                                   : at(now, ended) + " " + stopText(m, sp->end) + ".";
      break;
    case SpanKind::GWaiting:
      x.since = "blocked for " + formatDuration(std::max(0.0, now - began));
      if (sp->end == kNoEvent)
        x.next = "Nothing wakes it before the trace ends.";
      else if (const model::Event& e = m.event(sp->end); e.ev == Ev::GoUnblock && e.g >= 0)
        x.next = at(now, ended) + " " + gName(e.g) + " makes it runnable again (goready).";
      else
        x.next = at(now, ended) + " it is made runnable again (" + trace::eventName(e.ev) + ").";
      break;
    case SpanKind::GSyscall:
      x.since = "in a system call for " + formatDuration(std::max(0.0, now - began));
      x.next = sp->end == kNoEvent ? "It is still in the system call when the trace ends."
                                   : at(now, ended) + " it returns (" + trace::eventName(m.event(sp->end).ev) + ").";
      break;
    default: break;
  }
}

}  // namespace

SysmonPhase sysmonPhase(const model::TraceModel& m, EventIndex cur, double now) {
  SysmonPhase ph;
  const auto& marks = m.sysmonMarks();
  const auto it = std::upper_bound(marks.begin(), marks.end(), cur);
  const model::Event* next = nullptr;
  const model::Event* prev = nullptr;
  bool prevSawAllIdle = false;
  for (auto j = it; j != marks.end() && j - it < 64 && !next; ++j)
    if (m.event(*j).ev == Ev::SysmonTick) next = &m.event(*j);
  for (auto j = it; j != marks.begin() && it - j < 64 && !prev; --j)
    if (m.event(*(j - 1)).ev == Ev::SysmonTick) {
      prev = &m.event(*(j - 1));
      prevSawAllIdle = m.sysmonSawAllIdle(size_t(j - 1 - marks.begin()));
    }
  if (next != nullptr) {
    const double wake = double(next->ts), sleep = double(std::max<int64_t>(0, m.trace().arg(*next, 0)));
    if (now >= wake - sleep) {
      ph.kind = SysmonPhase::Kind::Asleep;
      ph.sleep = sleep;
      ph.left = std::clamp(wake - now, 0.0, sleep);
      return ph;
    }
  }
  if (next == nullptr && prev == nullptr) return ph;
  ph.since = prev != nullptr ? std::max(0.0, now - double(prev->ts)) : -1;
  // It waits only when its last tick found every P idle: every P idle now, as while a P
  // handed off by its retake waits for the M it started, is not enough.
  ph.kind = prevSawAllIdle ? SysmonPhase::Kind::Waiting : SysmonPhase::Kind::Awake;
  return ph;
}

std::string sysmonText(const SysmonPhase& ph) {
  switch (ph.kind) {
    case SysmonPhase::Kind::Asleep:
      return "asleep " + formatDuration(ph.sleep) + ", wakes in " + formatDuration(ph.left);
    case SysmonPhase::Kind::Awake:
      if (ph.since < 0) return "awake, before its first tick";
      return ph.since < 1 ? "awake, just woke" : "awake, woke " + formatDuration(ph.since) + " ago";
    case SysmonPhase::Kind::Waiting: return "every P idle: waits for a timer or a wake-up";
    case SysmonPhase::Kind::Unknown: break;
  }
  return "";
}

std::string ordinal(int64_t n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    else if (n % 10 == 2) suffix = "nd";
    else if (n % 10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

QueuePosition findG(const model::SchedState& s, int32_t g) {
  QueuePosition q;
  for (const model::ProcState& ps : s.procs) {
    if (ps.curg == g) return {QueuePosition::Where::Running, ps.id, 0, 1};
    if (ps.runnext == g) return {QueuePosition::Where::Runnext, ps.id, 0, 1};
    auto it = std::find(ps.runq.begin(), ps.runq.end(), g);
    if (it != ps.runq.end())
      return {QueuePosition::Where::Local, ps.id, int32_t(it - ps.runq.begin()), int32_t(ps.runq.size())};
  }
  auto it = std::find(s.globalQueue.begin(), s.globalQueue.end(), g);
  if (it != s.globalQueue.end())
    return {QueuePosition::Where::Global, -1, int32_t(it - s.globalQueue.begin()), int32_t(s.globalQueue.size())};
  return q;
}

int32_t takenBy(const model::TraceModel& m, const model::SchedState& s, EventIndex cur, int32_t p) {
  if (p < 0 || size_t(p) >= s.procs.size() || s.procs[size_t(p)].curg >= 0) return -1;
  const trace::Trace& t = m.trace();
  int32_t g = -1;
  for (EventIndex i = cur; i >= 0 && i > cur - 64 && g < 0; i--) {
    const model::Event& e = m.event(i);
    if (e.p != p) continue;
    if (e.ev == Ev::GoStart) return -1;
    if (e.ev == Ev::RunqGet) g = int32_t(t.arg(e, trace::argIndex(Ev::RunqGet, "gp")));
    if (e.ev == Ev::RunqSteal) {
      auto gs = t.glist(e, trace::argIndex(Ev::RunqSteal, "gs"));
      if (!gs.empty()) g = gs.back();
    }
  }
  if (g < 0 || findG(s, g).where != QueuePosition::Where::None) return -1;
  auto it = std::lower_bound(s.goroutines.begin(), s.goroutines.end(), g,
                             [](const model::GoroutineState& a, int32_t v) { return a.id < v; });
  return it != s.goroutines.end() && it->id == g && it->status == GStatus::Runnable ? g : -1;
}

GExplanation explainG(const model::TraceModel& m, const model::SchedState& s, EventIndex cur,
                      double now, int32_t g) {
  GExplanation x;
  x.g = g;
  auto it = std::lower_bound(s.goroutines.begin(), s.goroutines.end(), g,
                             [](const model::GoroutineState& a, int32_t v) { return a.id < v; });
  const model::GoroutineState* gs = it != s.goroutines.end() && it->id == g ? &*it : nullptr;
  x.status = gs ? gs->status : GStatus::None;
  const std::string who = gName(g);
  switch (x.status) {
    case GStatus::Runnable: {
      QueuePosition q = findG(s, g);
      for (const model::ProcState& ps : s.procs)
        if (q.where == QueuePosition::Where::None && takenBy(m, s, cur, ps.id) == g) {
          x.headline = who + " is runnable: " + pName(ps.id) + "'s thread has just taken it";
          x.waitsFor.push_back("findRunnable picked it for " + pName(ps.id) +
                               ": it is in no queue any more, and execute is about to run it.");
          q.where = QueuePosition::Where::Running;  // handled
        }
      if (q.where != QueuePosition::Where::Running) explainRunnable(m, s, cur, now, q, x);
      break;
    }
    case GStatus::Running:
      x.headline = who + " is running on " + pName(gs->p) + " (thread " + mName(gs->m) + ")";
      break;
    case GStatus::Waiting:
      x.headline = who + " is blocked: " + trace::kBlockReasonNames[std::min<int>(gs->reason, int(trace::BlockReason::Count) - 1)];
      x.waitsFor.push_back("It is in no run queue: gopark took it off its P, and only goready "
                           "(another G's action, a timer or the poller) puts it back.");
      break;
    case GStatus::Syscall:
      x.headline = who + " is in a system call on " + mName(gs->m);
      x.waitsFor.push_back("Its thread is blocked in the kernel; sysmon retakes the P if the call lasts "
                           "more than a tick (retake → handoffp).");
      break;
    default:
      x.headline = who + (gs ? " is not running" : " does not exist at this point (not created yet, or ended)");
      return x;
  }
  explainNext(m, cur, now, x);
  return x;
}

}  // namespace gmps::viewer
