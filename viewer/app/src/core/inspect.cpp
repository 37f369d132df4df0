#include "core/inspect.h"

#include <algorithm>

#include "core/ruler.h"

namespace gmps::viewer {

using trace::ArgKind;
using trace::Ev;

GState gStateOf(SpanKind k) {
  switch (k) {
    case SpanKind::GRunnable: return GState::Runnable;
    case SpanKind::GRunning: return GState::Running;
    case SpanKind::GWaiting: return GState::Blocked;
    case SpanKind::GSyscall: return GState::Syscall;
    default: return GState::Running;
  }
}

MState mStateOf(SpanKind k) {
  switch (k) {
    case SpanKind::MRunning: return MState::Running;
    case SpanKind::MSyscall: return MState::Syscall;
    case SpanKind::MSpinning: return MState::Spinning;
    case SpanKind::MParked: return MState::Parked;
    default: return MState::Idle;
  }
}

Rgba spanColor(const Palette& p, const Span& s) {
  switch (s.kind) {
    case SpanKind::PRunning:
    case SpanKind::MRunning: return gColor(s.other);
    case SpanKind::PHeld: return p.pIdle;
    case SpanKind::GWaiting:
      return s.detail < 10 ? p.blockReason[s.detail] : p.gState[int(GState::Blocked)];
    case SpanKind::GRunnable:
    case SpanKind::GRunning:
    case SpanKind::GSyscall: return p.gState[int(gStateOf(s.kind))];
    case SpanKind::MSyscall:
    case SpanKind::MSpinning:
    case SpanKind::MParked: return p.mState[int(mStateOf(s.kind))];
    case SpanKind::Count: break;
  }
  return p.folded;
}

std::string spanStateText(const Span& s) {
  auto g = [&] { return "G" + std::to_string(s.other); };
  switch (s.kind) {
    case SpanKind::GRunnable: {
      static constexpr const char* kCause[] = {"created", "unblocked", "yielded", "preempted",
                                               "left syscall"};
      std::string t = "runnable";
      if (s.detail < 5) t += std::string(" (") + kCause[s.detail] + ")";
      return t;
    }
    case SpanKind::GRunning: return s.other >= 0 ? "running on P" + std::to_string(s.other) : "running";
    case SpanKind::GWaiting:
      return std::string("blocked: ") +
             (s.detail < int(trace::BlockReason::Count) ? trace::kBlockReasonNames[s.detail] : "?");
    case SpanKind::GSyscall: return "in syscall";
    case SpanKind::PRunning: return "running " + g();
    case SpanKind::PHeld: return "held by M" + std::to_string(s.other) + ", no G running";
    case SpanKind::MRunning: return "running " + g();
    case SpanKind::MSyscall: return "in syscall (" + g() + ")";
    case SpanKind::MSpinning: return "spinning: looking for work";
    case SpanKind::MParked: return "parked (stopm)";
    case SpanKind::Count: break;
  }
  return "?";
}

int32_t eventG(const TraceModel& m, EventIndex e) {
  const model::Event& ev = m.event(e);
  const trace::EventDef& d = trace::eventDef(ev.ev);
  for (int i = 0; i < d.nargs; i++)
    if (d.args[i].kind == ArgKind::G) {
      int64_t v = m.trace().arg(ev, i);
      if (v >= 0) return int32_t(v);
    }
  return ev.g;
}

std::vector<EventIndex> goroutineEvents(const TraceModel& m, int32_t g) {
  std::vector<EventIndex> out;
  const model::GoroutineLane* lane = m.goroutine(g);
  if (lane == nullptr) return out;
  out.reserve(lane->spans.size() * 2 + lane->marks.size() + 2);
  for (const Span& s : lane->spans) {
    out.push_back(s.begin);
    if (s.end != model::kNoEvent) out.push_back(s.end);
  }
  out.insert(out.end(), lane->marks.begin(), lane->marks.end());
  if (lane->created != model::kNoEvent) out.push_back(lane->created);
  if (lane->ended != model::kNoEvent) out.push_back(lane->ended);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::pair<EventIndex, EventIndex> neighbours(const std::vector<EventIndex>& list, EventIndex e) {
  auto lo = std::lower_bound(list.begin(), list.end(), e);
  auto hi = std::upper_bound(list.begin(), list.end(), e);
  EventIndex prev = lo == list.begin() ? model::kNoEvent : *(lo - 1);
  EventIndex next = hi == list.end() ? model::kNoEvent : *hi;
  return {prev, next};
}

int32_t creatorOf(const TraceModel& m, int32_t g) {
  const model::GoroutineLane* lane = m.goroutine(g);
  if (lane == nullptr || lane->created == model::kNoEvent) return -1;
  return m.event(lane->created).g;
}

std::vector<int32_t> flowsOf(const TraceModel& m, EventIndex e) {
  std::vector<int32_t> out;
  if (e < 0) return out;
  m.flowsTouching(e, e + 1, out);
  return out;
}

EventIndex otherEnd(const model::Flow& f, EventIndex e) { return f.from == e ? f.to : f.from; }

std::vector<EventIndex> findEvents(const TraceModel& m, int ev, const std::vector<int32_t>& gs,
                                   size_t limit) {
  std::vector<EventIndex> out;
  auto events = m.events();
  for (size_t i = 0; i < events.size() && out.size() < limit; i++) {
    const model::Event& e = events[i];
    if (ev >= 0 && int(e.ev) != ev) continue;
    if (!gs.empty()) {
      int32_t a = e.g, b = eventG(m, EventIndex(i));
      if (!std::binary_search(gs.begin(), gs.end(), a) &&
          !std::binary_search(gs.begin(), gs.end(), b))
        continue;
    }
    out.push_back(EventIndex(i));
  }
  return out;
}

std::string argText(const TraceModel& m, EventIndex e, int i) {
  const model::Event& ev = m.event(e);
  const trace::ArgDef& a = trace::eventDef(ev.ev).args[i];
  const trace::Trace& t = m.trace();
  switch (a.kind) {
    case ArgKind::Str: return std::string(t.str(ev, i));
    case ArgKind::GList: {
      std::string s = "[";
      for (int32_t g : t.glist(ev, i)) s += (s.size() > 1 ? " G" : "G") + std::to_string(g);
      return s + "]";
    }
    case ArgKind::Enum: {
      trace::EnumTable tab = trace::enumTable(a.enumKind);
      int64_t v = t.arg(ev, i);
      return v >= 0 && v < tab.count ? tab.names[v] : "?";
    }
    case ArgKind::G:
    case ArgKind::P:
    case ArgKind::M: {
      int64_t v = t.arg(ev, i);
      if (v < 0) return "none";
      const char* pre = a.kind == ArgKind::G ? "G" : a.kind == ArgKind::P ? "P" : "M";
      return pre + std::to_string(v);
    }
    case ArgKind::Dur: return formatDuration(double(t.arg(ev, i)));
    case ArgKind::Int: return std::to_string(t.arg(ev, i));
  }
  return "?";
}

}  // namespace gmps::viewer
