// resolve.cpp — turns a step's jump into an event of a loaded trace, and renders
// selectors and durations for people.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gmpscope/guide/guide.h"

namespace gmps::guide {

using trace::ArgKind;

namespace {

bool matches(const EventSelector& s, const trace::Trace& t, const trace::Event& e) {
  if (e.ev != s.ev) return false;
  if (s.g && e.g != *s.g) return false;
  if (s.p && e.p != *s.p) return false;
  if (s.m && e.m != *s.m) return false;
  if (s.from && e.ts < *s.from) return false;
  if (s.to && e.ts > *s.to) return false;
  for (const ArgFilter& f : s.args) {
    switch (f.op) {
      case ArgFilter::Op::Equal:
      case ArgFilter::Op::Range: {
        int64_t v = t.arg(e, f.arg);
        if (v < f.lo || v > f.hi) return false;
        break;
      }
      case ArgFilter::Op::Text:
        if (t.str(e, f.arg) != f.text) return false;
        break;
      case ArgFilter::Op::Contains: {
        auto gs = t.glist(e, f.arg);
        if (std::find(gs.begin(), gs.end(), int32_t(f.lo)) == gs.end()) return false;
        break;
      }
      case ArgFilter::Op::Length: {
        auto n = int64_t(t.glist(e, f.arg).size());
        if (n < f.lo || n > f.hi) return false;
        break;
      }
    }
  }
  return true;
}

std::string ordinal(int n) {
  if (n == 1) return "the first";
  if (n == -1) return "the last";
  int a = n < 0 ? -n : n;
  const char* suf = "th";
  if (a % 100 < 11 || a % 100 > 13) {
    if (a % 10 == 1) suf = "st";
    if (a % 10 == 2) suf = "nd";
    if (a % 10 == 3) suf = "rd";
  }
  std::string s = "the " + std::to_string(a) + suf;
  if (n < 0) s += " from last";
  return s;
}

std::string filterText(const trace::ArgDef& d, const ArgFilter& f) {
  std::string n = d.name;
  auto num = [&](int64_t v) { return d.kind == ArgKind::Dur ? formatDuration(v) : std::to_string(v); };
  switch (f.op) {
    case ArgFilter::Op::Equal:
      if (d.kind == ArgKind::Enum) {
        trace::EnumTable t = trace::enumTable(d.enumKind);
        return n + "=" + (f.lo >= 0 && f.lo < t.count ? t.names[f.lo] : "?");
      }
      return n + "=" + num(f.lo);
    case ArgFilter::Op::Range:
      if (f.lo == INT64_MIN) return n + "<=" + num(f.hi);
      if (f.hi == INT64_MAX) return n + ">=" + num(f.lo);
      return num(f.lo) + "<=" + n + "<=" + num(f.hi);
    case ArgFilter::Op::Text: return n + "=\"" + f.text + "\"";
    case ArgFilter::Op::Contains: return n + " containing G" + std::to_string(f.lo);
    case ArgFilter::Op::Length:
      return n + " of " + std::to_string(f.lo) + (f.hi == INT32_MAX ? "+" : ".." + std::to_string(f.hi)) +
             " Gs";
  }
  return n;
}

}  // namespace

std::string describe(const EventSelector& s) {
  std::string out = ordinal(s.nth) + " " + trace::eventName(s.ev);
  std::vector<std::string> conds;
  if (s.g) conds.push_back("g=" + std::to_string(*s.g));
  if (s.p) conds.push_back("p=" + std::to_string(*s.p));
  if (s.m) conds.push_back("m=" + std::to_string(*s.m));
  const trace::EventDef& d = trace::eventDef(s.ev);
  for (const ArgFilter& f : s.args) conds.push_back(filterText(d.args[f.arg], f));
  for (size_t i = 0; i < conds.size(); i++) out += (i ? ", " : " with ") + conds[i];
  if (s.from) out += " from " + formatDuration(*s.from);
  if (s.to) out += " to " + formatDuration(*s.to);
  if (s.after) out += " after (" + describe(*s.after) + ")";
  if (s.before) out += " before (" + describe(*s.before) + ")";
  return out;
}

std::string describe(const Jump& j) {
  switch (j.kind) {
    case Jump::Kind::Event: return describe(j.event);
    case Jump::Kind::Goroutine: return "goroutine G" + std::to_string(j.goroutine);
    case Jump::Kind::Time: return "time " + formatDuration(j.time);
  }
  return "?";
}

EventIndex findEvent(const EventSelector& s, const model::TraceModel& m, std::string* why) {
  const trace::Trace& t = m.trace();
  auto events = m.events();
  auto n = EventIndex(events.size());
  EventIndex lo = 0, hi = n;
  if (s.after) {
    EventIndex a = findEvent(*s.after, m, why);
    if (a == kNoEvent) return kNoEvent;
    lo = a + 1;
  }
  if (s.before) {
    EventIndex b = findEvent(*s.before, m, why);
    if (b == kNoEvent) return kNoEvent;
    hi = b;
  }
  int want = s.nth < 0 ? -s.nth : s.nth;
  int seen = 0;
  if (s.nth > 0) {
    for (EventIndex i = lo; i < hi; i++)
      if (matches(s, t, events[size_t(i)]) && ++seen == want) return i;
  } else {
    for (EventIndex i = hi - 1; i >= lo; i--)
      if (matches(s, t, events[size_t(i)]) && ++seen == want) return i;
  }
  if (why != nullptr)
    *why = describe(s) + ": " +
           (seen == 0 ? std::string("no such event") : "only " + std::to_string(seen) + " such events") +
           " in " + t.name;
  return kNoEvent;
}

Resolved resolve(const Jump& j, const model::TraceModel& m) {
  Resolved r;
  r.panel = j.panel;
  r.window = j.window;
  r.goroutine = j.highlight;
  switch (j.kind) {
    case Jump::Kind::Event: {
      r.event = findEvent(j.event, m, &r.error);
      if (r.event != kNoEvent) r.time = m.event(r.event).ts;
      break;
    }
    case Jump::Kind::Goroutine: {
      const model::GoroutineLane* g = m.goroutine(j.goroutine);
      if (g == nullptr) {
        r.error = "goroutine G" + std::to_string(j.goroutine) + " does not appear in " + m.trace().name;
        break;
      }
      r.event = g->created;
      if (r.event == kNoEvent && !g->spans.empty()) r.event = g->spans.front().begin;
      if (r.event == kNoEvent) {
        r.error = "goroutine G" + std::to_string(j.goroutine) + " has no event in " + m.trace().name;
        break;
      }
      r.time = m.event(r.event).ts;
      break;
    }
    case Jump::Kind::Time: {
      if (m.events().empty() || j.time > m.endTime()) {
        r.error = "time " + formatDuration(j.time) + " is past the end of " + m.trace().name + " (" +
                  formatDuration(m.endTime()) + ")";
        break;
      }
      r.event = m.firstEventAtOrAfter(j.time);
      r.time = j.time;
      break;
    }
  }
  if (!r.ok()) r.event = kNoEvent;
  return r;
}

std::string formatDuration(Ns ns) {
  struct Unit {
    const char* name;
    double scale;
  };
  static const Unit units[] = {{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}};
  for (const Unit& u : units) {
    if (ns >= int64_t(u.scale) || (ns <= -int64_t(u.scale))) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g%s", double(ns) / u.scale, u.name);
      return buf;
    }
  }
  return std::to_string(ns) + "ns";
}

bool parseDuration(std::string_view s, Ns& out) {
  if (s.empty()) return false;
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) i++;
  std::string num(s.substr(0, i));
  std::string_view unit = s.substr(i);
  if (num.empty() || std::count(num.begin(), num.end(), '.') > 1 || num == ".") return false;
  double scale = 0;
  if (unit.empty() || unit == "ns") scale = 1;
  if (unit == "us" || unit == "\xC2\xB5s") scale = 1e3;
  if (unit == "ms") scale = 1e6;
  if (unit == "s") scale = 1e9;
  if (scale == 0) return false;
  double v = std::strtod(num.c_str(), nullptr) * scale;
  if (!std::isfinite(v) || v > 9.2e18) return false;
  out = Ns(std::llround(v));
  return true;
}

}  // namespace gmps::guide
